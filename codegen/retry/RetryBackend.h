//===- RetryBackend.h - Retry-throttle configurations -----------*- C++ -*-===//
//
// Per `retry`: Ward's own JSON (docs/retry-json.md), a gRPC service config
// (gRFC A6 retryPolicy + retryThrottling) and an Envoy route retry_policy with
// a cluster retry budget. What a format cannot express is dropped with a
// warning that names it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analysis/EdgeRetry.h"
#include "ast/AST.h"
#include "diag/Diagnostic.h"
#include "output/Artifacts.h"

#include <optional>

namespace ward::codegen {

/// `0.1s`, `1s`, `1.5s`: the protobuf JSON form of a duration.
std::string protobufDuration(int64_t millis);

/// Ward's retry JSON (`retry/<name>.json`), which bundles embed as well.
llvm::json::Value wardRetryJson(const RetrySpec &retry);

void generateRetryArtifacts(const std::vector<const RetryDecl *> &retries, ArtifactSet &out, DiagnosticEngine &diags);

} // namespace ward::codegen
