//===- W012 weak-algorithm: `none` or a shared-secret algorithm -----------===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  ctx.forEachUser<IssuerDecl>([&](IssuerDecl &issuer) {
    for (const TextSetting &alg : issuer.settings.algorithms)
      if (*alg == "none" || llvm::StringRef(*alg).startswith("HS"))
        ctx.reportOnValue(
               RuleID::WeakAlgorithm, issuer, alg.range(),
               *alg == "none"
                   ? std::string("`none` accepts unsigned tokens")
                   : fmt::format("`{}` needs a shared secret at the edge, where anyone with the bundle can read it",
                                 *alg))
            .withHelp("use RS256 or ES256: the edge verifies with the issuer's public keys");
  });
}

} // namespace

WARD_RULE_INFO(WeakAlgorithm, "W012", Level::Error, "weak-algorithm", "`none` or shared-secret token algorithm", {},
               check)

} // namespace ward::analysis
