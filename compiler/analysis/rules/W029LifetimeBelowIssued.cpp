//===- W029 lifetime-below-issued: max_lifetime refuses normal tokens -----===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  // Raising the cap is the fix that cannot introduce another finding only
  // when the issued lifetime is within W011's cap.
  int64_t cap = ctx.config.durationOption(RuleID::TokenLifetime, "max_lifetime");
  ctx.forEachUser<IssuerDecl>([&](IssuerDecl &issuer) {
    const NumberSetting &lifetime = issuer.settings.maxLifetimeMs;
    const NumberSetting &issued = issuer.settings.tokenLifetimeMs;
    if (!lifetime || !issued || *lifetime >= *issued) return;
    bool inherited = false;
    DiagnosticBuilder d = ctx.reportOnValue(
        RuleID::LifetimeBelowIssued, issuer, lifetime.range(),
        fmt::format(
            "`max_lifetime = {}` refuses every token that lives longer, and issuer `{}` issues tokens that live up "
            "to {} (`token_lifetime`): tokens of the provider's default lifetime are refused",
            lifetime.spelling(), issuer.name.text, issued.spelling()),
        &inherited);
    d.label(issued.range(), "the provider's token lifetime");
    d.withHelp(fmt::format("raise `max_lifetime` to {}, or shorten the lifetime the provider issues (Entra ID: a token "
                           "lifetime policy; Okta: the access policy rule) and declare it: `token_lifetime = {}`",
                           issued.spelling(), lifetime.spelling()));
    if (!inherited && *issued <= cap) d.suggest(lifetime.range(), issued.spelling().str());
  });
}

} // namespace

WARD_RULE_INFO(LifetimeBelowIssued, "W029", Level::Warning, "lifetime-below-issued",
               "max_lifetime below the lifetime the provider issues", {}, check)

} // namespace ward::analysis
