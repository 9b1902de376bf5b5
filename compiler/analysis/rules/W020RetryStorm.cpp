//===- W020 retry-storm: a retry without budget or jitter ------------------===//
#include "analysis/EdgeRetry.h"
#include "analysis/EdgeWorkersLimits.h"
#include "analysis/rules/EdgeSupport.h"
#include "analysis/rules/Rule.h"

#include <map>

namespace ward::analysis {
namespace {

struct RetryUse {
  int64_t wallMs;     // the tier's responseProvider wall time
  int64_t keyFetchMs; // a key-set fetch that may come first
};

/// How much waiting a back-off may add to `retry` without pushing any route
/// that uses it over W018's limit (1s at most, the scale of std.retry's
/// presets); nullopt when a per-try timeout is missing and nothing is bounded.
std::optional<int64_t> waitBudgetMs(const RetrySpec &spec, const std::vector<RetryUse> &uses) {
  if (!spec.perTryTimeoutMs) return std::nullopt;
  int64_t budget = 1000;
  for (const RetryUse &use : uses)
    budget = std::min(budget, use.wallMs - use.keyFetchMs - spec.attempts * *spec.perTryTimeoutMs);
  return budget;
}

/// W020: a retry without a budget, or without jitter. The fixes keep the
/// user's own values: a budget is added, jitter is added to the back-off as
/// written, and a missing back-off gets waits small enough that every route
/// using the retry stays within W018's limit.
void retryStorm(RuleContext &ctx, const RetryDecl &retry, std::optional<int64_t> waitBudget) {
  const RetrySpec &spec = retry.spec;
  SourceRange closingBrace{retry.attrs.range.file, retry.attrs.range.end - 1, retry.attrs.range.end - 1};
  if (!spec.hasBudget) {
    const char *budget = "budget = { ratio = 10%, min_per_second = 5 }";
    ctx.report(RuleID::RetryStorm, retry.name.range,
               fmt::format("retry `{}` has no budget: when the origin struggles, every client retries at once",
                           retry.name.text))
        .withHelp(fmt::format("add `{}`; at the edge, {}", budget, kEdgeRetryCaveat))
        .suggest(closingBrace, fmt::format(" {} ", budget));
  }
  if (spec.hasJitter() || spec.attempts < 2) return;
  const Value *backoff = spec.backoff;
  DiagnosticBuilder d =
      ctx.report(RuleID::RetryStorm, backoff ? backoff->range : retry.name.range,
                 fmt::format("retry `{}` backs off without jitter: clients that failed together retry together "
                             "(and at the edge, where EdgeWorkers documents no timer, the back-off itself may "
                             "not space them)",
                             retry.name.text));
  if (backoff) {
    d.withHelp("add `jitter = full` to the back-off: it shortens waits at random and never lengthens them");
    if (spec.jitterWritten) d.suggest(spec.jitterWritten->range, "full");
    else
      d.suggest({backoff->range.file, backoff->range.end - 1, backoff->range.end - 1},
                backoff->fields().empty() ? "jitter = full" : ", jitter = full");
    return;
  }
  int64_t waits = spec.attempts - 1;
  int64_t perWait = waitBudget ? (*waitBudget / waits) / 10 * 10 : 0;
  if (perWait < 10) {
    d.withHelp(waitBudget
                   ? "there is no room for a back-off within the EdgeWorkers wall time (W018): lower `attempts` or "
                     "`per_try_timeout`, then add `backoff = exponential(initial = 50ms, max = 200ms, jitter = full)`"
                   : "add `per_try_timeout`, then `backoff = exponential(initial = 50ms, max = 200ms, jitter = full)`");
    return;
  }
  std::string added = fmt::format("backoff = exponential(initial = {}ms, max = {}ms, jitter = full)",
                                  std::min<int64_t>(100, perWait), perWait);
  d.withHelp(fmt::format("add `{}`: its waits add at most {}ms, within the EdgeWorkers wall time of every route that "
                         "uses `{}`",
                         added, perWait * waits, retry.name.text))
      .suggest(closingBrace, fmt::format(" {} ", added));
}

void check(RuleContext &ctx) {
  // Where each retry runs: the wall-time room of every route that uses it.
  std::map<const RetryDecl *, std::vector<RetryUse>> uses;
  forEachRetriedForward(ctx, [&](const EdgeWorkerDecl &ew, const Route &route, const RouteAction &,
                                 const RetryDecl &retry) {
    uses[&retry].push_back({tierOf(ew).responseProviderWallMs, fetchesKeysAtEdge(route) ? kKeySetFetchTimeoutMs : 0});
  });
  ctx.forEachUser<RetryDecl>([&](RetryDecl &retry) { retryStorm(ctx, retry, waitBudgetMs(retry.spec, uses[&retry])); });
}

} // namespace

WARD_RULE_INFO(RetryStorm, "W020", Level::Warning, "retry-storm", "retry without budget or jitter", {}, check,
               RuleStage::Program, RuleScope::WholeProgram)

} // namespace ward::analysis
