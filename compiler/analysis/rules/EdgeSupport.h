//===- EdgeSupport.h - Shared by the edge and retry rules --------*- C++ -*-===//
#pragma once

#include "analysis/RuleContext.h"

#include <string>

namespace ward::analysis {

/// An EdgeWorkers resource tier (Basic / Dynamic Compute / Enterprise):
/// responseProvider wall time and sub-requests; request-phase sub-requests.
struct Tier {
  const char *name;
  int64_t responseProviderWallMs;
  int64_t responseProviderSubrequests;
  int64_t requestPhaseSubrequests;
};
const Tier &tierOf(const EdgeWorkerDecl &ew);

std::string formatMillis(int64_t ms);
/// "3 × 2s + (500ms + 1s) = 7.50s": the worst case, shown as arithmetic,
/// after the key-set fetch that may come first (`keyFetchMs`, or 0).
std::string arithmetic(const RetrySpec &r, int64_t keyFetchMs);

/// "`GET,HEAD /api/orders`", for messages.
std::string describeRoute(const Route &r);
/// The route accepts POST or PATCH (or any method).
bool allowsNonIdempotent(const Route &r);
/// "POST and PATCH", the non-idempotent methods a route lists.
std::string nonIdempotentMethods(const Route &r);
/// Whether a request on `route` may first fetch its issuer's key set.
bool fetchesKeysAtEdge(const Route &route);

/// Calls `visit` for every `forward ... retry R` of the user's edgeworkers.
template <typename F> void forEachRetriedForward(RuleContext &ctx, F &&visit) {
  ctx.forEachUser<EdgeWorkerDecl>([&](EdgeWorkerDecl &ew) {
    for (const Route &route : ew.routes)
      for (const RouteAction &action : route.actions)
        if (auto *retry = action.retry ? llvm::dyn_cast_or_null<RetryDecl>(action.retry->target) : nullptr)
          visit(ew, route, action, *retry);
  });
}

} // namespace ward::analysis
