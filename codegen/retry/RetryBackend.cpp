#include "retry/RetryBackend.h"

#include <fmt/format.h>
#include <llvm/Support/Parallel.h>

#include <cmath>
#include <set>

namespace ward::codegen {
namespace {

/// gRPC status for an HTTP status, per gRPC's HTTP-to-gRPC status mapping.
const char *grpcStatusForHttp(int64_t status) {
  switch (status) {
  case 400: return "INTERNAL";
  case 401: return "UNAUTHENTICATED";
  case 403: return "PERMISSION_DENIED";
  case 404: return "UNIMPLEMENTED";
  case 429:
  case 502:
  case 503:
  case 504: return "UNAVAILABLE";
  default: return "UNKNOWN";
  }
}

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }

} // namespace

std::string protobufDuration(int64_t millis) {
  if (millis % 1000 == 0) return fmt::format("{}s", millis / 1000);
  std::string s = fmt::format("{}.{:03d}", millis / 1000, millis % 1000);
  while (s.back() == '0') s.pop_back();
  return s + "s";
}

llvm::json::Value wardRetryJson(const RetrySpec &r) {
  llvm::json::Object backoff{{"kind", r.backoffKind}, {"jitter", r.jitter}};
  if (r.backoffKind == "constant") {
    backoff["delay_ms"] = r.initialMs;
  } else if (r.backoffKind == "exponential") {
    backoff["initial_ms"] = r.initialMs;
    backoff["max_ms"] = r.maxMs;
    backoff["multiplier"] = r.multiplier;
  }
  llvm::json::Array statuses, conditions, caps;
  for (int64_t s : r.statuses) statuses.push_back(s);
  for (llvm::StringRef c : r.conditions) conditions.push_back(c.str());
  for (int64_t c : r.backoffCaps()) caps.push_back(c);
  llvm::json::Value budget = nullptr;
  if (r.budgetRatio)
    budget = llvm::json::Object{{"ratio", round3(*r.budgetRatio)}, {"min_per_second", r.budgetMinPerSecond}};
  return llvm::json::Object{
      {"schema", "ward-retry"},
      {"version", 1},
      {"name", r.name},
      {"attempts", r.attempts},
      {"per_try_timeout_ms", r.perTryTimeoutMs ? llvm::json::Value(*r.perTryTimeoutMs) : llvm::json::Value(nullptr)},
      {"backoff", std::move(backoff)},
      {"backoff_caps_ms", std::move(caps)},
      {"retry_on", llvm::json::Object{{"statuses", std::move(statuses)}, {"conditions", std::move(conditions)}}},
      {"budget", std::move(budget)},
      {"idempotency_key", r.idempotencyKey ? llvm::json::Value(*r.idempotencyKey) : llvm::json::Value(nullptr)},
      {"worst_case_ms", r.perTryTimeoutMs ? llvm::json::Value(r.worstCaseMs()) : llvm::json::Value(nullptr)},
      // What an EdgeWorkers bundle can and cannot do with this policy.
      {"edge",
       llvm::json::Object{{"waits", "timer-only"}, {"budget_scope", "isolate"}, {"note", analysis::kEdgeRetryCaveat}}},
  };
}

static llvm::json::Value grpcServiceConfig(const RetrySpec &r, DiagnosticEngine &diags) {
  auto dropped = [&](const std::string &what) {
    diags.report(DiagID::NotExpressible, r.decl->name.range,
                 fmt::format("retry `{}`: the gRPC service config cannot express {}; it is left out of `{}.grpc.json`",
                             r.name, what, r.name));
  };
  llvm::json::Object methodConfig{{"name", llvm::json::Array{llvm::json::Object{}}}};
  if (r.attempts < 2) {
    dropped("a single attempt (maxAttempts must be more than 1), so no retryPolicy is written");
  } else {
    int64_t maxAttempts = r.attempts;
    if (maxAttempts > 5) {
      dropped(fmt::format("{} attempts (clients cap maxAttempts at 5)", r.attempts));
      maxAttempts = 5;
    }
    std::set<std::string> codes;
    for (int64_t s : r.statuses) codes.insert(grpcStatusForHttp(s));
    for (llvm::StringRef c : r.conditions) codes.insert(c == "timeout" ? "DEADLINE_EXCEEDED" : "UNAVAILABLE");
    llvm::json::Array codeList;
    for (const std::string &c : codes) codeList.push_back(c);
    int64_t initial = std::max<int64_t>(r.initialMs, 1), maximum = std::max<int64_t>(r.maxMs, initial);
    if (r.backoffKind == "none") dropped("retrying without back-off (the backoff must be positive: 1ms is written)");
    if (r.jitter != "full" && r.backoffKind != "none")
      dropped(fmt::format("`jitter = {}` (gRPC always draws each back-off uniformly below its cap, i.e. full jitter)",
                          r.jitter));
    methodConfig["retryPolicy"] = llvm::json::Object{
        {"maxAttempts", maxAttempts},
        {"initialBackoff", protobufDuration(initial)},
        {"maxBackoff", protobufDuration(maximum)},
        {"backoffMultiplier", r.multiplier},
        {"retryableStatusCodes", std::move(codeList)},
    };
  }
  if (r.perTryTimeoutMs) {
    // The call's deadline bounds every attempt and back-off together.
    methodConfig["timeout"] = protobufDuration(r.worstCaseMs());
    dropped(fmt::format("`per_try_timeout` (gRPC has no per-attempt timeout; the call `timeout` is set to the "
                        "worst case, {}, instead)",
                        protobufDuration(r.worstCaseMs())));
  }
  if (r.idempotencyKey) dropped("`idempotency_key` (gRPC retries a method whatever its idempotency)");
  llvm::json::Object config{{"methodConfig", llvm::json::Array{std::move(methodConfig)}}};
  if (r.budgetRatio) {
    // A6 throttling: a failure costs one token, a success earns `tokenRatio`;
    // retries stop below half of `maxTokens`. The floor sets the bucket size.
    int64_t maxTokens = std::clamp<int64_t>(r.budgetMinPerSecond > 0 ? r.budgetMinPerSecond * 10 : 10, 1, 1000);
    config["retryThrottling"] =
        llvm::json::Object{{"maxTokens", maxTokens}, {"tokenRatio", std::max(0.001, round3(*r.budgetRatio))}};
  }
  return config;
}

static llvm::json::Value envoyConfig(const RetrySpec &r, DiagnosticEngine &diags) {
  auto dropped = [&](const std::string &what) {
    diags.report(
        DiagID::NotExpressible, r.decl->name.range,
        fmt::format("retry `{}`: Envoy cannot express {}; it is left out of `{}.envoy.json`", r.name, what, r.name));
  };
  std::vector<std::string> retryOn;
  if (!r.statuses.empty()) retryOn.push_back("retriable-status-codes");
  for (llvm::StringRef c : r.conditions) {
    if (c == "timeout") retryOn.push_back("gateway-error"); // per-try timeouts count as gateway errors
    else if (c == "reset") retryOn.push_back("reset");
    else if (c == "connect_failure") retryOn.push_back("connect-failure");
  }
  std::sort(retryOn.begin(), retryOn.end());
  retryOn.erase(std::unique(retryOn.begin(), retryOn.end()), retryOn.end());
  llvm::json::Object policy{{"retry_on", llvm::join(retryOn, ",")}, {"num_retries", r.attempts - 1}};
  if (!r.statuses.empty()) {
    llvm::json::Array codes;
    for (int64_t s : r.statuses) codes.push_back(s);
    policy["retriable_status_codes"] = std::move(codes);
  }
  if (r.perTryTimeoutMs) policy["per_try_timeout"] = protobufDuration(*r.perTryTimeoutMs);
  if (r.backoffKind != "none") {
    int64_t base = std::max<int64_t>(r.initialMs, 1);
    policy["retry_back_off"] = llvm::json::Object{{"base_interval", protobufDuration(base)},
                                                  {"max_interval", protobufDuration(std::max(r.maxMs, base))}};
    if (r.multiplier != 2.0)
      dropped(fmt::format("`multiplier = {}` (Envoy doubles the interval on every retry)", r.multiplier));
    if (r.jitter != "full") dropped(fmt::format("`jitter = {}` (Envoy always uses full jitter)", r.jitter));
  }
  if (r.idempotencyKey) {
    // Only requests carrying the key are retried.
    policy["retriable_request_headers"] =
        llvm::json::Array{llvm::json::Object{{"name", *r.idempotencyKey}, {"present_match", true}}};
  }
  llvm::json::Object out{{"route", llvm::json::Object{{"retry_policy", std::move(policy)}}}};
  if (r.budgetRatio) {
    // Envoy's budget bounds retries in flight, not retries per second
    // (cluster.circuit_breakers.thresholds.retry_budget: budget_percent of
    // active and pending requests, min_retry_concurrency): a different
    // quantity, said as a note so that nobody reads it as the same limit.
    DiagnosticBuilder note = diags.report(
        DiagID::NotExpressible, r.decl->name.range,
        fmt::format(
            "retry `{}`: Envoy's retry budget limits concurrent retries, not retries per second; `{}.envoy.json` "
            "allows retries in flight up to {}% of active requests{}",
            r.name, r.name, round3(*r.budgetRatio * 100.0),
            r.budgetMinPerSecond > 0 ? fmt::format(", and at least {}", r.budgetMinPerSecond) : std::string()));
    note->severity = Severity::Note;
    note.withHelp("Ward's budget (and the EdgeWorkers bundle's) counts retries per second; see docs/retry-json.md");
    llvm::json::Object budget{{"budget_percent", llvm::json::Object{{"value", round3(*r.budgetRatio * 100.0)}}}};
    if (r.budgetMinPerSecond > 0) budget["min_retry_concurrency"] = r.budgetMinPerSecond;
    out["cluster"] = llvm::json::Object{
        {"circuit_breakers",
         llvm::json::Object{{"thresholds", llvm::json::Array{llvm::json::Object{
                                               {"priority", "DEFAULT"}, {"retry_budget", std::move(budget)}}}}}}};
  }
  return out;
}

void generateRetryArtifacts(const std::vector<const RetryDecl *> &retries, ArtifactSet &out, DiagnosticEngine &diags) {
  // Each policy's three files are made on their own, in parallel (a large
  // project has thousands of policies), then added with their notes in
  // order; a batch at a time, so that a streaming build holds one batch.
  struct Made {
    std::string ward, grpc, envoy;
    DiagnosticEngine diags;
  };
  constexpr size_t kBatch = 1024;
  std::vector<Made> made(std::min(kBatch, retries.size()));
  for (size_t first = 0; first < retries.size(); first += kBatch) {
    size_t count = std::min(kBatch, retries.size() - first);
    llvm::parallelForEachN(0, count, [&](size_t i) {
      const RetrySpec &spec = retries[first + i]->spec;
      made[i] = {};
      made[i].ward = toJsonText(wardRetryJson(spec));
      made[i].grpc = toJsonText(grpcServiceConfig(spec, made[i].diags));
      made[i].envoy = toJsonText(envoyConfig(spec, made[i].diags));
    });
    for (size_t i = 0; i < count; ++i) {
      const RetryDecl &retry = *retries[first + i];
      std::vector<SourceRange> sources{retry.range};
      std::string base = "retry/" + retry.spec.name.str();
      out.add({base + ".json", "ward-retry", std::move(made[i].ward), sources});
      out.add({base + ".grpc.json", "grpc-service-config", std::move(made[i].grpc), sources});
      out.add({base + ".envoy.json", "envoy-retry-policy", std::move(made[i].envoy), sources});
      diags.commitAll(std::move(made[i].diags));
    }
  }
}

} // namespace ward::codegen
