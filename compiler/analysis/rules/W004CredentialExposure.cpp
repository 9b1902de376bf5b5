//===- W004 credential-exposure: key and secret reads granted without need ===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  checkDangerousOperations(ctx, RuleID::CredentialExposure, ctx.azure.exposureOperations, "read keys or secrets",
                           "read keys or secrets no intent needs");
}

} // namespace

WARD_RULE_INFO(CredentialExposure, "W004", Level::Error, "credential-exposure",
               "credential-exposing action granted without need", {}, check, RuleStage::Program,
               RuleScope::WholeProgram, RuleInput::PermissionModel)

} // namespace ward::analysis
