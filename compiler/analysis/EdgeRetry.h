//===- EdgeRetry.h - What retries do at the edge -----------------*- C++ -*-===//
//
// A retry's values and worst case are in RetryDecl::spec (ast/Settings.h).
//
//===----------------------------------------------------------------------===//
#pragma once

namespace ward::analysis {

/// What retries do at the edge, said the same way in the retry JSON and in
/// the W018 and W020 messages: EdgeWorkers documents no timer API, and the
/// budget of a generated bundle is counted per isolate.
inline constexpr const char *kEdgeRetryCaveat =
    "EdgeWorkers documents no timer, so a bundle waits between attempts only where the runtime has one and otherwise "
    "retries at once; the retry budget is counted per isolate, not across the network";

} // namespace ward::analysis
