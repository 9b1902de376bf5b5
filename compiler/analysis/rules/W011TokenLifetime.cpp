//===- W011 token-lifetime: tokens that live too long, or any time --------===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

std::string minutes(int64_t ms) {
  return ms % 60000 == 0 ? fmt::format("{}m", ms / 60000) : fmt::format("{}s", ms / 1000);
}

void check(RuleContext &ctx) {
  int64_t cap = ctx.config.durationOption(RuleID::TokenLifetime, "max_lifetime");
  ctx.forEachUser<IssuerDecl>([&](IssuerDecl &issuer) {
    const NumberSetting &lifetime = issuer.settings.maxLifetimeMs;
    if (!lifetime) {
      ctx.report(RuleID::TokenLifetime, issuer.name.range,
                 fmt::format("issuer `{}` accepts tokens of any lifetime", issuer.name.text))
          .withHelp(
              fmt::format("add `max_lifetime` (at most the cap, now {}): the edge then refuses tokens that live longer",
                          minutes(cap)));
      return;
    }
    if (*lifetime > cap)
      ctx.reportOnValue(RuleID::TokenLifetime, issuer, lifetime.range(),
                        fmt::format("tokens of issuer `{}` may live {} here, over the cap of {}", issuer.name.text,
                                    lifetime.spelling(), minutes(cap)))
          .withHelp("lower `max_lifetime`; stolen tokens stay useful for as long as they live");
  });
}

} // namespace

WARD_RULE_INFO(TokenLifetime, "W011", Level::Warning, "token-lifetime", "token lifetime over the cap or unbounded",
               {{"max_lifetime", RuleOption::Type::Duration, "90m"}}, check)

} // namespace ward::analysis
