//===- W017 shadowed-route: a route an earlier route always wins over ------===//
#include "analysis/rules/EdgeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

/// Path-pattern subsumption: does every path that `narrow` matches also match `broad`?
bool subsumes(llvm::StringRef broad, llvm::StringRef narrow) {
  llvm::SmallVector<llvm::StringRef, 8> b, n;
  broad.drop_front().split(b, '/');
  narrow.drop_front().split(n, '/');
  auto isParam = [](llvm::StringRef s) { return s.startswith("{") && s.endswith("}"); };
  for (size_t i = 0;; ++i) {
    // `/a/*` matches `/a/` and everything below it, not `/a` itself.
    if (i < b.size() && b[i] == "*") return i < n.size();
    if (i == b.size() || i == n.size()) return i == b.size() && i == n.size();
    if (n[i] == "*") return false; // `narrow` matches paths of any length here
    if (isParam(b[i])) {
      if (n[i].empty()) return false;
      continue;
    }
    if (isParam(n[i]) || b[i] != n[i]) return false;
  }
}

bool methodsSubsume(const Route &broad, const Route &narrow) {
  if (broad.methods.empty()) return true;
  if (narrow.methods.empty()) return false;
  return std::all_of(narrow.methods.begin(), narrow.methods.end(), [&](const Name &m) {
    return std::any_of(broad.methods.begin(), broad.methods.end(), [&](const Name &b) { return b.text == m.text; });
  });
}

void check(RuleContext &ctx) {
  ctx.forEachUser<EdgeWorkerDecl>([&](EdgeWorkerDecl &ew) {
    for (size_t j = 0; j < ew.routes.size(); ++j) {
      const Route &route = ew.routes[j];
      for (size_t i = 0; i < j; ++i) {
        const Route &earlier = ew.routes[i];
        if (!methodsSubsume(earlier, route) || !subsumes(earlier.path.text, route.path.text)) continue;
        LineColumn at = ctx.sm.lineColumn(earlier.keyword.file, earlier.keyword.begin);
        ctx.report(RuleID::ShadowedRoute, route.keyword,
                   fmt::format("route {} can never match: the route at {}:{} ({}) matches every request it would",
                               describeRoute(route), at.line, at.column, describeRoute(earlier)))
            .label(earlier.keyword, "this route comes first")
            .withHelp("move the more specific route above the general one, or remove it");
        break;
      }
    }
  });
}

} // namespace

WARD_RULE_INFO(ShadowedRoute, "W017", Level::Warning, "shadowed-route", "route shadowed by an earlier route", {}, check)

} // namespace ward::analysis
