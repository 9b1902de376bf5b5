//===- W008 data-actions-at-management-group ------------------------------===//
//
// Azure cannot assign a role with data actions at management-group scope.
//
//===----------------------------------------------------------------------===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  for (const Principal &p : ctx.model().principals()) {
    for (const Need &n : p.intents)
      if (n.data() && n.scope()->level == Scope::Level::ManagementGroup)
        ctx.report(RuleID::DataActionsAtMgScope, n.range(),
                   fmt::format("{} has data actions, which Azure cannot assign at management-group scope", n.via()))
            .withHelp("allow it on the subscription, resource group or resource that holds the data");
    for (const Hold &h : p.grants)
      if (!grantsUnknownRole(h) && h.hasDataActions() && h.scope.level == Scope::Level::ManagementGroup)
        ctx.report(RuleID::DataActionsAtMgScope, grantWhatRange(h),
                   fmt::format("this grant has data actions, which Azure cannot assign at management-group scope ({})",
                               describeScope(h)))
            .withHelp("grant it on the subscription, resource group or resource that holds the data");
  }
}

} // namespace

WARD_RULE_INFO(DataActionsAtMgScope, "W008", Level::Error, "data-actions-at-management-group",
               "data actions at management-group scope", {}, check, RuleStage::Program, RuleScope::Declarations,
               RuleInput::PermissionModel)

} // namespace ward::analysis
