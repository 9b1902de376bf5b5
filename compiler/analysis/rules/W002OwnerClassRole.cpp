//===- W002 owner-class-role: Owner, Contributor and their kind granted ---===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  for (const Principal &p : ctx.model().principals())
    for (const Hold &h : p.grants)
      if (h.role && isOwnerClassRole(h.role->name))
        ctx.report(RuleID::OwnerClassRole, grantWhatRange(h),
                   fmt::format("`{}` is an owner-class role: it lets `{}` change almost anything in {}", h.role->name,
                               p.identity->name.text, describeScope(h)))
            .label(p.identity->name.range, fmt::format("`{}` declared here", p.identity->name.text))
            .withHelp(narrowAlternative(p));
}

} // namespace

WARD_RULE_INFO(OwnerClassRole, "W002", Level::Error, "owner-class-role", "owner-class built-in role granted", {}, check,
               RuleStage::Program, RuleScope::Declarations, RuleInput::PermissionModel)

} // namespace ward::analysis
