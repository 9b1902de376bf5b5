//===- W022 retry-attempts: more attempts than the cap ---------------------===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  int64_t cap = ctx.config.integerOption(RuleID::RetryAttempts, "max_attempts");
  ctx.forEachUser<RetryDecl>([&](RetryDecl &retry) {
    const RetrySpec &spec = retry.spec;
    if (spec.attemptsWritten && spec.attempts > cap)
      ctx.report(RuleID::RetryAttempts, spec.attemptsWritten->range,
                 fmt::format("{} attempts multiply the load on a failing origin by up to {}; the cap is {}",
                             spec.attempts, spec.attempts, cap))
          .withHelp(fmt::format("use at most {} attempts (gRPC clients cap them at 5 too)", cap));
  });
}

} // namespace

WARD_RULE_INFO(RetryAttempts, "W022", Level::Warning, "retry-attempts", "retry attempts above the cap",
               {{"max_attempts", RuleOption::Type::Integer, "5", 1}}, check)

} // namespace ward::analysis
