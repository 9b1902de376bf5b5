//===- W015 unauthenticated-origin: a forward without `require token` -----===//
#include "analysis/rules/EdgeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  ctx.forEachUser<EdgeWorkerDecl>([&](EdgeWorkerDecl &ew) {
    for (const Route &route : ew.routes)
      for (const RouteAction &action : route.actions) {
        auto *origin = llvm::dyn_cast_or_null<ResourceDecl>(action.origin().target);
        if (action.kind != RouteAction::Kind::Forward || route.require || !origin) continue;
        ctx.report(RuleID::UnauthenticatedOrigin, action.origin().name.range,
                   fmt::format("route {} forwards to `{}` without `require token`", describeRoute(route),
                               origin->name.text))
            .withHelp("add `require token from <issuer>` to the route; the origin is reachable only through the edge");
      }
  });
}

} // namespace

WARD_RULE_INFO(UnauthenticatedOrigin, "W015", Level::Warning, "unauthenticated-origin",
               "private origin reachable without a token", {}, check)

} // namespace ward::analysis
