//===- RetryModel.h - A retry policy's values and worst case ----*- C++ -*-===//
//
// Read once from a checked `retry` declaration; used by the edge rules (W018,
// W019) to prove limits and by the backends to write configurations, so both
// agree on the arithmetic.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/AST.h"

#include <optional>
#include <string>
#include <vector>

namespace ward::analysis {

/// What retries do at the edge, said the same way in the retry JSON and in
/// the W018 and W020 messages: EdgeWorkers documents no timer API, and the
/// budget of a generated bundle is counted per isolate.
inline constexpr const char *kEdgeRetryCaveat =
    "EdgeWorkers documents no timer, so a bundle waits between attempts only where the runtime has one and otherwise "
    "retries at once; the retry budget is counted per isolate, not across the network";

struct RetrySpec {
  const RetryDecl *decl = nullptr;
  std::string name;
  int64_t attempts = 1;
  std::optional<int64_t> perTryTimeoutMs;
  std::string backoffKind = "none"; // exponential | constant | none
  int64_t initialMs = 0, maxMs = 0;
  double multiplier = 2.0;
  std::string jitter = "none";
  std::vector<int64_t> statuses;
  std::vector<std::string> conditions; // timeout, reset, connect_failure
  std::optional<double> budgetRatio;
  int64_t budgetMinPerSecond = 0;
  std::optional<std::string> idempotencyKey;

  static RetrySpec from(const RetryDecl &decl);
  /// The upper bound of each wait between attempts (jitter only shortens them).
  std::vector<int64_t> backoffCaps() const;
  /// Every attempt timing out and every wait at its cap (0 per attempt when unbounded).
  int64_t worstCaseMs() const;
  bool hasJitter() const { return backoffKind != "none" && jitter != "none"; }
};

} // namespace ward::analysis
