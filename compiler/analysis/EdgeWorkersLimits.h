//===- EdgeWorkersLimits.h - What generated bundles allow themselves ------===//
//
// Time budgets of the generated EdgeWorkers bundles that the rules must count
// in their proofs: one constant, read by the rule (W018) and written into
// main.js, so both agree.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>

namespace ward::analysis {

/// How long a generated bundle waits for an issuer's key set. responseProvider
/// may have to fetch it before forwarding, so W018 counts it in the worst case
/// of routes whose issuer's keys are fetched.
constexpr int64_t kKeySetFetchTimeoutMs = 1500;

} // namespace ward::analysis
