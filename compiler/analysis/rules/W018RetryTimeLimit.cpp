//===- W018 retry-time-limit: a retry's worst case over the wall time -----===//
//
// The worst case is the key-set fetch that may come first (EdgeWorkersLimits.h)
// plus every attempt timing out plus every wait at its cap, against the
// tier's responseProvider wall time.
//
//===----------------------------------------------------------------------===//
#include "analysis/EdgeRetry.h"
#include "analysis/EdgeWorkersLimits.h"
#include "analysis/rules/EdgeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  forEachRetriedForward(ctx, [&](const EdgeWorkerDecl &ew, const Route &route, const RouteAction &action,
                                 const RetryDecl &retry) {
    const Tier &tier = tierOf(ew);
    const RetrySpec &w = retry.spec;
    int64_t keyFetchMs = fetchesKeysAtEdge(route) ? kKeySetFetchTimeoutMs : 0;
    if (!w.perTryTimeoutMs) {
      ctx.report(RuleID::RetryTimeLimit, action.retry->name.range,
                 fmt::format("retry `{}` has no per_try_timeout, so its worst case has no bound", retry.name.text))
          .withHelp(fmt::format("add `per_try_timeout`; the {} tier allows {} in total", tier.name,
                                formatMillis(tier.responseProviderWallMs)));
    } else if (keyFetchMs + w.worstCaseMs() > tier.responseProviderWallMs) {
      ctx.report(RuleID::RetryTimeLimit, action.retry->name.range,
                 fmt::format("worst case {} exceeds the {} wall-time limit of a responseProvider on the {} tier",
                             arithmetic(w, keyFetchMs), formatMillis(tier.responseProviderWallMs), tier.name))
          .withHelp(
              fmt::format("lower `attempts`, `per_try_timeout` or the back-off, or choose a larger `tier`; the waits "
                          "count at their caps because {}",
                          kEdgeRetryCaveat));
    }
  });
}

} // namespace

WARD_RULE_INFO(RetryTimeLimit, "W018", Level::Error, "retry-time-limit",
               "worst-case retry time over the EdgeWorkers limit", {}, check)

} // namespace ward::analysis
