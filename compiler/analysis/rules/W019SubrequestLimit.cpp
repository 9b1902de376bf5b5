//===- W019 subrequest-limit: more sub-requests than the tier allows ------===//
#include "analysis/rules/EdgeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  forEachRetriedForward(
      ctx, [&](const EdgeWorkerDecl &ew, const Route &route, const RouteAction &action, const RetryDecl &retry) {
        const Tier &tier = tierOf(ew);
        int64_t attempts = retry.spec.attempts;
        int64_t subrequests = attempts + (fetchesKeysAtEdge(route) ? 1 : 0);
        if (subrequests > tier.responseProviderSubrequests)
          ctx.report(RuleID::SubrequestLimit, action.retry->name.range,
                     fmt::format("up to {} sub-requests ({} attempts{}) exceed the {} allowed on the {} tier",
                                 subrequests, attempts, subrequests > attempts ? " + 1 key-set fetch" : "",
                                 tier.responseProviderSubrequests, tier.name))
              .withHelp("lower `attempts`");
      });
}

} // namespace

WARD_RULE_INFO(SubrequestLimit, "W019", Level::Error, "subrequest-limit", "sub-requests over the EdgeWorkers limit", {},
               check)

} // namespace ward::analysis
