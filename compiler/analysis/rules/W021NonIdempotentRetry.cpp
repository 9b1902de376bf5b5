//===- W021 non-idempotent-retry: POST or PATCH retried without a key -----===//
#include "analysis/rules/EdgeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  forEachRetriedForward(
      ctx, [&](const EdgeWorkerDecl &, const Route &route, const RouteAction &action, const RetryDecl &retry) {
        if (!allowsNonIdempotent(route) || retry.spec.idempotencyKey) return;
        ctx.report(RuleID::NonIdempotentRetry, action.retry->name.range,
                   fmt::format("route {} names retry `{}`, but the bundle retries only idempotent methods and requests "
                               "that carry the retry's `idempotency_key`, and `{}` has none: {} requests here are sent "
                               "once, never retried",
                               describeRoute(route), retry.name.text, retry.name.text,
                               route.methods.empty() ? "POST and PATCH" : nonIdempotentMethods(route)))
            .withHelp("set `idempotency_key = \"Idempotency-Key\"` on the retry so that requests carrying that header "
                      "are retried (the origin must honour it), or remove `retry` from this route");
      });
}

} // namespace

WARD_RULE_INFO(NonIdempotentRetry, "W021", Level::Warning, "non-idempotent-retry",
               "non-idempotent method retried without an idempotency key", {}, check)

} // namespace ward::analysis
