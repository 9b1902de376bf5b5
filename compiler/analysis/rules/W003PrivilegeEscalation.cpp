//===- W003 privilege-escalation: escalation granted without need ---------===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  checkDangerousOperations(ctx, RuleID::PrivilegeEscalation, ctx.azure.escalationOperations, "escalate privileges",
                           "escalate its own privileges");
}

} // namespace

WARD_RULE_INFO(PrivilegeEscalation, "W003", Level::Error, "privilege-escalation",
               "privilege-escalation action granted without need", {}, check, RuleStage::Program,
               RuleScope::WholeProgram, RuleInput::PermissionModel)

} // namespace ward::analysis
