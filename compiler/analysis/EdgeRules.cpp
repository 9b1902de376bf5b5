//===- EdgeRules.cpp - Routes, EdgeWorkers limits and retries -------------===//
#include "analysis/RetryModel.h"
#include "analysis/RuleContext.h"

#include <fmt/format.h>

#include <regex>

namespace ward::analysis {
namespace {

// EdgeWorkers resource tiers (Basic / Dynamic Compute / Enterprise):
// responseProvider wall time and sub-requests; request-phase sub-requests.
struct Tier {
  const char *name;
  int64_t responseProviderWallMs;
  int64_t responseProviderSubrequests;
  int64_t requestPhaseSubrequests;
};
const Tier kTiers[] = {{"basic", 4000, 50, 2}, {"dynamic", 8000, 50, 4}, {"enterprise", 10000, 50, 10}};

const Tier &tierOf(const EdgeWorkerDecl &ew) {
  const Attribute *t = ew.attrs.find("tier");
  for (const Tier &tier : kTiers)
    if (t && t->value.text == tier.name) return tier;
  return kTiers[0];
}

std::string formatMillis(int64_t ms) {
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  if (ms > 1000) return fmt::format("{:.2f}s", double(ms) / 1000.0);
  return fmt::format("{}ms", ms);
}

/// "3 × 2s + (500ms + 1s) = 7.50s": the worst case, shown as arithmetic,
/// after the key-set fetch that may come first (`keyFetchMs`, or 0).
std::string arithmetic(const RetrySpec &r, int64_t keyFetchMs) {
  std::string out = keyFetchMs > 0 ? formatMillis(keyFetchMs) + " key-set fetch + " : "";
  out += fmt::format("{} × {}", r.attempts, formatMillis(*r.perTryTimeoutMs));
  std::vector<int64_t> caps = r.backoffCaps();
  if (!caps.empty()) {
    std::vector<std::string> parts;
    for (int64_t d : caps) parts.push_back(formatMillis(d));
    out += " + (" + llvm::join(parts, " + ") + ")";
  }
  return out + " = " + formatMillis(keyFetchMs + r.worstCaseMs());
}

/// Path-pattern subsumption: does every path that `narrow` matches also match `broad`?
bool subsumes(llvm::StringRef broad, llvm::StringRef narrow) {
  llvm::SmallVector<llvm::StringRef, 8> b, n;
  broad.drop_front().split(b, '/');
  narrow.drop_front().split(n, '/');
  auto isParam = [](llvm::StringRef s) { return s.startswith("{") && s.endswith("}"); };
  for (size_t i = 0;; ++i) {
    // `/a/*` matches `/a/` and everything below it, not `/a` itself.
    if (i < b.size() && b[i] == "*") return i < n.size();
    if (i == b.size() || i == n.size()) return i == b.size() && i == n.size();
    if (n[i] == "*") return false; // `narrow` matches paths of any length here
    if (isParam(b[i])) {
      if (n[i].empty()) return false;
      continue;
    }
    if (isParam(n[i]) || b[i] != n[i]) return false;
  }
}

bool methodsSubsume(const Route &broad, const Route &narrow) {
  if (broad.methods.empty()) return true;
  if (narrow.methods.empty()) return false;
  return std::all_of(narrow.methods.begin(), narrow.methods.end(), [&](const Name &m) {
    return std::any_of(broad.methods.begin(), broad.methods.end(), [&](const Name &b) { return b.text == m.text; });
  });
}

std::string describeRoute(const Route &r) {
  std::string methods;
  for (const Name &m : r.methods) methods += (methods.empty() ? "" : ",") + m.text;
  return fmt::format("`{}{}`", methods.empty() ? "" : methods + " ", r.path.text);
}

bool allowsNonIdempotent(const Route &r) {
  if (r.methods.empty()) return true;
  return std::any_of(r.methods.begin(), r.methods.end(), [](const Name &m) { return m.text == "POST" || m.text == "PATCH"; });
}

bool fetchesKeysAtEdge(const TokenRequirement &req) {
  auto *issuer = llvm::dyn_cast_or_null<IssuerDecl>(req.issuer.target);
  return issuer && issuer->effective.find("jwks") && !issuer->effective.find("jwks_file");
}

} // namespace

void runEdgeRules(RuleContext &ctx) {
  int64_t attemptsCap = ctx.config.intOption(RuleID::RetryAttempts, "max_attempts", 5);
  static const std::regex pinned(R"(^[0-9]+(\.[0-9]+)*([-_+~][0-9A-Za-z.]+)?$)");

  ctx.forEachUserDecl([&](Decl &decl) {
    if (auto *retry = llvm::dyn_cast<RetryDecl>(&decl)) {
      if (!retry->attrs.find("budget"))
        ctx.report(RuleID::RetryStorm, retry->name.range,
                   fmt::format("retry `{}` has no budget: when the origin struggles, every client retries at once", retry->name.text))
            .withHelp(fmt::format("add `budget = {{ ratio = 10%, min_per_second = 5 }}`; at the edge, {}", kEdgeRetryCaveat));
      if (!RetrySpec::from(*retry).hasJitter())
        ctx.report(RuleID::RetryStorm, retry->attrs.find("backoff") ? retry->attrs.find("backoff")->value.range : retry->name.range,
                   fmt::format("retry `{}` backs off without jitter: clients that failed together retry together (and at the "
                               "edge, where EdgeWorkers documents no timer, the back-off itself may not space them)",
                               retry->name.text))
            .withHelp("use `backoff = exponential(initial = 100ms, max = 2s, jitter = full)`");
      if (const Attribute *a = retry->attrs.find("attempts"); a && a->value.number > double(attemptsCap))
        ctx.report(RuleID::RetryAttempts, a->value.range,
                   fmt::format("{} attempts multiply the load on a failing origin by up to {}; the cap is {}", a->value.text,
                               a->value.text, attemptsCap))
            .withHelp(fmt::format("use at most {} attempts (gRPC clients cap them at 5 too)", attemptsCap));
      return;
    }
    auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(&decl);
    if (!ew) return;
    const Tier &tier = tierOf(*ew);

    if (const Attribute *v = ew->attrs.find("version"); v && !std::regex_match(v->value.text, pinned))
      ctx.report(RuleID::UnpinnedVersion, v->value.range,
                 fmt::format("version \"{}\" does not name one exact bundle", v->value.text))
          .withHelp("pin a concrete version such as \"1.4.2\"; deploys must be reproducible and reversible");

    for (size_t j = 0; j < ew->routes.size(); ++j) {
      const Route &route = ew->routes[j];
      for (size_t i = 0; i < j; ++i) {
        const Route &earlier = ew->routes[i];
        if (!methodsSubsume(earlier, route) || !subsumes(earlier.path.text, route.path.text)) continue;
        LineColumn at = ctx.sm.lineColumn(earlier.keyword.file, earlier.keyword.begin);
        ctx.report(RuleID::ShadowedRoute, route.keyword,
                   fmt::format("route {} can never match: the route at {}:{} ({}) matches every request it would",
                               describeRoute(route), at.line, at.column, describeRoute(earlier)))
            .label(earlier.keyword, "this route comes first")
            .withHelp("move the more specific route above the general one, or remove it");
        break;
      }

      for (const RouteAction &action : route.actions) {
        if (action.kind != RouteAction::Kind::Forward) continue;
        auto *origin = llvm::dyn_cast_or_null<ResourceDecl>(action.origin.target);
        if (!route.require && origin)
          ctx.report(RuleID::UnauthenticatedOrigin, action.origin.name.range,
                     fmt::format("route {} forwards to `{}` without `require token`", describeRoute(route), origin->name.text))
              .withHelp("add `require token from <issuer>` to the route; the origin is reachable only through the edge");
        auto *retry = action.retry ? llvm::dyn_cast_or_null<RetryDecl>(action.retry->target) : nullptr;
        if (!retry) continue;
        if (allowsNonIdempotent(route) && !retry->attrs.find("idempotency_key"))
          ctx.report(RuleID::NonIdempotentRetry, action.retry->name.range,
                     fmt::format("route {} retries {} requests, which may then take effect twice",
                                 describeRoute(route), route.methods.empty() ? "POST and PATCH" : "non-idempotent"))
              .withHelp("set `idempotency_key = \"Idempotency-Key\"` on the retry (only requests carrying it are retried), or do not retry this route");
        RetrySpec w = RetrySpec::from(*retry);
        bool fetchesKeys = route.require && fetchesKeysAtEdge(*route.require);
        int64_t keyFetchMs = fetchesKeys ? kKeySetFetchTimeoutMs : 0;
        if (!w.perTryTimeoutMs) {
          ctx.report(RuleID::RetryTimeLimit, action.retry->name.range,
                     fmt::format("retry `{}` has no per_try_timeout, so its worst case has no bound", retry->name.text))
              .withHelp(fmt::format("add `per_try_timeout`; the {} tier allows {} in total", tier.name,
                                    formatMillis(tier.responseProviderWallMs)));
        } else if (keyFetchMs + w.worstCaseMs() > tier.responseProviderWallMs) {
          ctx.report(RuleID::RetryTimeLimit, action.retry->name.range,
                     fmt::format("worst case {} exceeds the {} wall-time limit of a responseProvider on the {} tier",
                                 arithmetic(w, keyFetchMs), formatMillis(tier.responseProviderWallMs), tier.name))
              .withHelp(fmt::format("lower `attempts`, `per_try_timeout` or the back-off, or choose a larger `tier`; the waits "
                                    "count at their caps because {}",
                                    kEdgeRetryCaveat));
        }
        int64_t subrequests = w.attempts + (fetchesKeys ? 1 : 0);
        if (subrequests > tier.responseProviderSubrequests)
          ctx.report(RuleID::SubrequestLimit, action.retry->name.range,
                     fmt::format("up to {} sub-requests ({} attempts{}) exceed the {} allowed on the {} tier", subrequests,
                                 w.attempts, subrequests > w.attempts ? " + 1 key-set fetch" : "",
                                 tier.responseProviderSubrequests, tier.name))
              .withHelp("lower `attempts`");
      }
    }
  });
}

} // namespace ward::analysis
