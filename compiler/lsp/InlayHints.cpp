//===- InlayHints.cpp - Computed values beside the code -------------------===//
//
// Beside each `retry X` of a route, the worst case the route may spend in
// it (the key-set fetch that may come first, every attempt timing out, every
// wait at its cap) against the tier's wall time: the computation rule W018
// checks. Beside each `require token from X`, the audiences a token must
// carry (the route's own, else the issuer's effective ones).
//
//===----------------------------------------------------------------------===//
#include "analysis/EdgeWorkersLimits.h"
#include "analysis/rules/EdgeSupport.h"
#include "lsp/Features.h"

#include <fmt/format.h>

namespace ward::lsp {

std::vector<InlayHint> inlayHints(const SourceFile &file, uint32_t begin, uint32_t end) {
  std::vector<InlayHint> out;
  for (const auto &decl : file.decls) {
    auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(decl.get());
    if (!ew || decl->range.end < begin || decl->range.begin > end) continue;
    const analysis::Tier &tier = analysis::tierOf(*ew);
    for (const Route &route : ew->routes) {
      if (route.require)
        if (auto *issuer = llvm::dyn_cast_or_null<IssuerDecl>(route.require->issuer.target)) {
          const std::vector<TextSetting> &own = route.require->settings.audiences;
          const std::vector<TextSetting> &audiences = own.empty() ? issuer->settings.audiences : own;
          std::vector<std::string> names;
          for (const TextSetting &a : audiences) names.push_back((*a).str());
          if (!names.empty()) out.push_back({route.require->issuer.name.range.end, "aud: " + llvm::join(names, ", ")});
        }
      for (const RouteAction &action : route.actions) {
        auto *retry = action.retry ? llvm::dyn_cast_or_null<RetryDecl>(action.retry->target) : nullptr;
        if (!retry || !retry->spec.perTryTimeoutMs) continue;
        int64_t keyFetchMs = analysis::fetchesKeysAtEdge(route) ? analysis::kKeySetFetchTimeoutMs : 0;
        out.push_back({action.retry->name.range.end,
                       fmt::format("≤ {} of {}", analysis::formatMillis(keyFetchMs + retry->spec.worstCaseMs()),
                                   analysis::formatMillis(tier.responseProviderWallMs))});
      }
    }
  }
  return out;
}

} // namespace ward::lsp
