#include "ast/Settings.h"

#include <algorithm>

namespace ward {

std::vector<int64_t> RetrySpec::backoffCaps() const {
  std::vector<int64_t> caps;
  double next = double(initialMs);
  for (int64_t i = 1; i < attempts; ++i) {
    caps.push_back(backoffKind == "none" ? 0 : std::min<int64_t>(static_cast<int64_t>(next), maxMs));
    next = std::min(next * multiplier, double(maxMs));
  }
  return caps;
}

int64_t RetrySpec::worstCaseMs() const {
  int64_t total = attempts * perTryTimeoutMs.value_or(0);
  for (int64_t c : backoffCaps()) total += c;
  return total;
}

} // namespace ward
