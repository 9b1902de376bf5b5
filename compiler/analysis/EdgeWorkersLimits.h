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

/// How long a generated bundle waits for a backup relay's answer. W018 counts
/// it (after a key-set fetch) against the tier's responseProvider wall time.
constexpr int64_t kRelayCallTimeoutMs = 6000;

/// The generated relay's own budgets, inside that wait: its key-set fetch,
/// its managed-identity token and each Azure Resource Manager call. A poll
/// makes two ARM calls (the operation, then its job), a trigger one.
constexpr int64_t kRelayKeySetTimeoutMs = 1000;
constexpr int64_t kRelayIdentityTimeoutMs = 1000;
constexpr int64_t kRelayArmTimeoutMs = 2000;
static_assert(kRelayKeySetTimeoutMs + kRelayIdentityTimeoutMs + 2 * kRelayArmTimeoutMs <= kRelayCallTimeoutMs,
              "a relay's poll must answer before the edge stops waiting");

} // namespace ward::analysis
