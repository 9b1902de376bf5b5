//===- W004 credential-exposure: key and secret reads granted without need ===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  Operations exposure = exposureOperations(ctx);
  for (const Principal &p : ctx.model.principals()) {
    reportDeclaredDanger(ctx, RuleID::CredentialExposure, p, exposure, "read keys or secrets");
    const std::vector<const Need *> needs = p.allNeeds();
    for (const Hold &h : p.grants) {
      if (grantsUnknownRole(h)) continue;
      std::vector<std::string> exposing = dangerousForGrant(h, needs, exposure);
      if (!exposing.empty())
        ctx.report(RuleID::CredentialExposure, grantWhatRange(h),
                   fmt::format("this grant lets `{}` read keys or secrets no intent needs: {}", p.identity->name.text,
                               listFew(exposing)))
            .withHelp(narrowAlternative(p));
    }
  }
}

} // namespace

WARD_RULE_INFO(CredentialExposure, "W004", Level::Error, "credential-exposure",
               "credential-exposing action granted without need", {}, check, RuleStage::Program,
               RuleScope::WholeProgram)

} // namespace ward::analysis
