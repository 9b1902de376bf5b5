//===- RetryBackend.h - Retry-throttle configurations -----------*- C++ -*-===//
//
// Per `retry`: Ward's own JSON (docs/retry-json.md), a gRPC service config
// (gRFC A6 retryPolicy + retryThrottling) and an Envoy route retry_policy with
// a cluster retry budget. What a format cannot express is dropped with a
// warning that names it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/AST.h"
#include "diag/Diagnostic.h"
#include "output/Artifacts.h"

#include <optional>

namespace ward::codegen {

/// A retry declaration with its values read out (Sema has checked them).
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
  /// Every attempt timing out and every back-off at its maximum.
  int64_t worstCaseMs() const;
  /// The upper bound of each back-off (jitter only shortens them).
  std::vector<int64_t> backoffCaps() const;
};

/// `0.1s`, `1s`, `1.5s`: the protobuf JSON form of a duration.
std::string protobufDuration(int64_t millis);

void generateRetryArtifacts(const std::vector<const RetryDecl *> &retries, ArtifactSet &out, DiagnosticEngine &diags);

} // namespace ward::codegen
