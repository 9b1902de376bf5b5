//===- EdgeRules.cpp - Routes, EdgeWorkers limits and retries -------------===//
#include "analysis/EdgeWorkersLimits.h"
#include "analysis/EdgeRetry.h"
#include "analysis/RuleContext.h"

#include <fmt/format.h>

#include <map>
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
// Indexed by EdgeWorkerTier.
const Tier kTiers[] = {{"basic", 4000, 50, 2}, {"dynamic", 8000, 50, 4}, {"enterprise", 10000, 50, 10}};

const Tier &tierOf(const EdgeWorkerDecl &ew) { return kTiers[static_cast<size_t>(*ew.settings.tier)]; }

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

std::string nonIdempotentMethods(const Route &r) {
  std::vector<std::string> methods;
  for (const Name &m : r.methods)
    if (m.text == "POST" || m.text == "PATCH") methods.push_back(m.text);
  return llvm::join(methods, " and ");
}

/// Whether a request on `route` may first fetch its issuer's key set.
bool fetchesKeysAtEdge(const Route &route) {
  if (!route.require) return false;
  auto *issuer = llvm::dyn_cast_or_null<IssuerDecl>(route.require->issuer.target);
  return issuer && issuer->keySetFetchedAtEdge();
}

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
               fmt::format("retry `{}` has no budget: when the origin struggles, every client retries at once", retry.name.text))
        .withHelp(fmt::format("add `{}`; at the edge, {}", budget, kEdgeRetryCaveat))
        .suggest(closingBrace, fmt::format(" {} ", budget));
  }
  if (spec.hasJitter() || spec.attempts < 2) return;
  const Value *backoff = spec.backoff;
  DiagnosticBuilder d = ctx.report(RuleID::RetryStorm, backoff ? backoff->range : retry.name.range,
                             fmt::format("retry `{}` backs off without jitter: clients that failed together retry together "
                                         "(and at the edge, where EdgeWorkers documents no timer, the back-off itself may "
                                         "not space them)",
                                         retry.name.text));
  if (backoff) {
    d.withHelp("add `jitter = full` to the back-off: it shortens waits at random and never lengthens them");
    if (spec.jitterWritten) d.suggest(spec.jitterWritten->range, "full");
    else d.suggest({backoff->range.file, backoff->range.end - 1, backoff->range.end - 1}, backoff->fields.empty() ? "jitter = full" : ", jitter = full");
    return;
  }
  int64_t waits = spec.attempts - 1;
  int64_t perWait = waitBudget ? (*waitBudget / waits) / 10 * 10 : 0;
  if (perWait < 10) {
    d.withHelp(waitBudget ? "there is no room for a back-off within the EdgeWorkers wall time (W018): lower `attempts` or "
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

} // namespace

void runEdgeRules(RuleContext &ctx) {
  // Where each retry runs: the wall-time room of every route that uses it.
  std::map<const RetryDecl *, std::vector<RetryUse>> uses;
  ctx.forEachUserDecl([&](Decl &decl) {
    auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(&decl);
    if (!ew) return;
    for (const Route &route : ew->routes)
      for (const RouteAction &action : route.actions)
        if (auto *retry = action.retry ? llvm::dyn_cast_or_null<RetryDecl>(action.retry->target) : nullptr)
          uses[retry].push_back({tierOf(*ew).responseProviderWallMs,
                                 fetchesKeysAtEdge(route) ? kKeySetFetchTimeoutMs : 0});
  });
  int64_t attemptsCap = ctx.config.intOption(RuleID::RetryAttempts, "max_attempts", 5);
  static const std::regex pinned(R"(^[0-9]+(\.[0-9]+)*([-_+~][0-9A-Za-z.]+)?$)");

  ctx.forEachUserDecl([&](Decl &decl) {
    if (auto *retry = llvm::dyn_cast<RetryDecl>(&decl)) {
      retryStorm(ctx, *retry, waitBudgetMs(retry->spec, uses[retry]));
      if (const RetrySpec &spec = retry->spec; spec.attemptsWritten && spec.attempts > attemptsCap)
        ctx.report(RuleID::RetryAttempts, spec.attemptsWritten->range,
                   fmt::format("{} attempts multiply the load on a failing origin by up to {}; the cap is {}", spec.attempts,
                               spec.attempts, attemptsCap))
            .withHelp(fmt::format("use at most {} attempts (gRPC clients cap them at 5 too)", attemptsCap));
      return;
    }
    auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(&decl);
    if (!ew) return;
    const Tier &tier = tierOf(*ew);

    if (const TextSetting &v = ew->settings.version; v && !std::regex_match(*v, pinned))
      ctx.report(RuleID::UnpinnedVersion, v.range(), fmt::format("version \"{}\" does not name one exact bundle", *v))
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
        if (allowsNonIdempotent(route) && !retry->spec.idempotencyKey)
          ctx.report(RuleID::NonIdempotentRetry, action.retry->name.range,
                     fmt::format("route {} names retry `{}`, but the bundle retries only idempotent methods and requests "
                                 "that carry the retry's `idempotency_key`, and `{}` has none: {} requests here are sent "
                                 "once, never retried",
                                 describeRoute(route), retry->name.text, retry->name.text,
                                 route.methods.empty() ? "POST and PATCH" : nonIdempotentMethods(route)))
              .withHelp("set `idempotency_key = \"Idempotency-Key\"` on the retry so that requests carrying that header "
                        "are retried (the origin must honour it), or remove `retry` from this route");
        const RetrySpec &w = retry->spec;
        bool fetchesKeys = fetchesKeysAtEdge(route);
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
