//===- W003 privilege-escalation: escalation granted without need ---------===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  Operations escalation = escalationOperations(ctx);
  for (const Principal &p : ctx.model.principals()) {
    reportDeclaredDanger(ctx, RuleID::PrivilegeEscalation, p, escalation, "escalate privileges");
    const std::vector<const Need *> needs = p.allNeeds();
    for (const Hold &h : p.grants) {
      if (grantsUnknownRole(h)) continue;
      std::vector<std::string> escalating = dangerousForGrant(h, needs, escalation);
      if (!escalating.empty())
        ctx.report(RuleID::PrivilegeEscalation, grantWhatRange(h),
                   fmt::format("this grant lets `{}` escalate its own privileges: {}", p.identity->name.text,
                               listFew(escalating)))
            .withHelp(narrowAlternative(p));
    }
  }
}

} // namespace

WARD_RULE_INFO(PrivilegeEscalation, "W003", Level::Error, "privilege-escalation",
               "privilege-escalation action granted without need", {}, check, RuleStage::Program,
               RuleScope::WholeProgram)

} // namespace ward::analysis
