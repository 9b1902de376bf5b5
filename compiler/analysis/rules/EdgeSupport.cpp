#include "analysis/rules/EdgeSupport.h"

#include <fmt/format.h>

namespace ward::analysis {

// Indexed by EdgeWorkerTier.
static const Tier kTiers[] = {{"basic", 4000, 50, 2}, {"dynamic", 8000, 50, 4}, {"enterprise", 10000, 50, 10}};

const Tier &tierOf(const EdgeWorkerDecl &ew) { return kTiers[static_cast<size_t>(*ew.settings.tier)]; }

std::string formatMillis(int64_t ms) {
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  if (ms > 1000) return fmt::format("{:.2f}s", double(ms) / 1000.0);
  return fmt::format("{}ms", ms);
}

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

std::string describeRoute(const Route &r) {
  std::string methods;
  for (const Name &m : r.methods) methods += (methods.empty() ? "" : ",") + m.text.str();
  return fmt::format("`{}{}`", methods.empty() ? "" : methods + " ", r.path.text);
}

bool allowsNonIdempotent(const Route &r) {
  if (r.methods.empty()) return true;
  return std::any_of(r.methods.begin(), r.methods.end(),
                     [](const Name &m) { return m.text == "POST" || m.text == "PATCH"; });
}

std::string nonIdempotentMethods(const Route &r) {
  std::vector<std::string> methods;
  for (const Name &m : r.methods)
    if (m.text == "POST" || m.text == "PATCH") methods.push_back(m.text.str());
  return llvm::join(methods, " and ");
}

bool fetchesKeysAtEdge(const Route &route) {
  if (!route.require) return false;
  auto *issuer = llvm::dyn_cast_or_null<IssuerDecl>(route.require->issuer.target);
  return issuer && issuer->keySetFetchedAtEdge();
}

} // namespace ward::analysis
