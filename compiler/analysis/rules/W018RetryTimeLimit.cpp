//===- W018 retry-time-limit: a retry's worst case over the wall time -----===//
//
// The worst case is the key-set fetch that may come first (EdgeWorkersLimits.h)
// plus every attempt timing out plus every wait at its cap, against the
// tier's responseProvider wall time. A route that calls a backup relay waits
// for the key set and then at most the relay timeout the bundle is written
// with (the relay's own calls fit inside it).
//
//===----------------------------------------------------------------------===//
#include "analysis/EdgeRetry.h"
#include "analysis/EdgeWorkersLimits.h"
#include "analysis/rules/EdgeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void relayRoutes(RuleContext &ctx);

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
  relayRoutes(ctx);
}

void relayRoutes(RuleContext &ctx) {
  for (const auto &file : ctx.program.files)
    for (const auto &decl : file->decls) {
      auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(decl.get());
      if (!ew || !ew->settings.tier) continue;
      const Tier &tier = tierOf(*ew);
      for (const Route &route : ew->routes)
        for (const RouteAction &action : route.actions) {
          if (action.kind != RouteAction::Kind::TriggerBackup && action.kind != RouteAction::Kind::PollBackup) continue;
          int64_t keyFetchMs = fetchesKeysAtEdge(route) ? kKeySetFetchTimeoutMs : 0;
          if (keyFetchMs + kRelayCallTimeoutMs <= tier.responseProviderWallMs) continue;
          std::string sum = keyFetchMs ? fmt::format("{} (key set) + {} (relay) = {}", formatMillis(keyFetchMs),
                                                     formatMillis(kRelayCallTimeoutMs),
                                                     formatMillis(keyFetchMs + kRelayCallTimeoutMs))
                                       : formatMillis(kRelayCallTimeoutMs) + " (relay)";
          ctx.report(RuleID::RetryTimeLimit, action.range,
                     fmt::format("the relay call's worst case {} exceeds the {} wall-time limit of a responseProvider "
                                 "on the {} tier",
                                 sum, formatMillis(tier.responseProviderWallMs), tier.name))
              .withHelp(kRelayCallTimeoutMs <= tier.responseProviderWallMs
                            ? "embed the issuer's keys with `jwks_file`, or choose a larger `tier`"
                            : "choose a larger `tier`: the relay alone may take " + formatMillis(kRelayCallTimeoutMs));
        }
    }
}

} // namespace

WARD_RULE_INFO(RetryTimeLimit, "W018", Level::Error, "retry-time-limit",
               "worst-case retry time over the EdgeWorkers limit", {}, check)

} // namespace ward::analysis
