//===- W005 broad-scope: a grant's scope broader than its intents need ----===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void broaderThanNeeded(RuleContext &ctx, const Hold &h, const std::vector<const Need *> &served) {
  Scope narrowest = *served.front()->scope();
  for (const Need *n : served) narrowest = Scope::commonAncestor(narrowest, *n->scope());
  if (narrowest == h.scope || !h.scope.contains(narrowest)) return;
  const ResourceDecl *narrowResource = nullptr;
  for (const Need *n : served)
    if (n->resource() && ctx.model().scopeOf(*n->resource()) == narrowest) narrowResource = n->resource();
  std::string needed = narrowResource
                           ? fmt::format("the {} `{}`", narrowest.levelName().str(), narrowResource->name.text)
                           : fmt::format("the {} `{}`", narrowest.levelName().str(), narrowest.id());
  DiagnosticBuilder d = ctx.report(RuleID::BroadScope, h.grant->scope.name.range,
                                   fmt::format("`{}` is a {}, but the intents this grant serves need only {}",
                                               h.scopeResource->name.text, h.scope.levelName().str(), needed));
  if (narrowResource)
    d.withHelp(fmt::format("grant on `{}` instead", narrowResource->name.text))
        .suggest(h.grant->scope.name.range, narrowResource->name.text.str());
  else d.withHelp(fmt::format("declare a resource for `{}` and grant on it", narrowest.id()));
}

void check(RuleContext &ctx) {
  for (const Principal &p : ctx.model().principals()) {
    const std::vector<const Need *> needs = p.allNeeds();
    for (const Hold &h : p.grants) {
      if (grantsUnknownRole(h)) continue;
      std::vector<const Need *> served = servedBy(h, needs);
      if (!served.empty()) broaderThanNeeded(ctx, h, served); // a grant that serves nothing is W006's
    }
  }
}

} // namespace

WARD_RULE_INFO(BroadScope, "W005", Level::Warning, "broad-scope", "scope broader than the intents need", {}, check,
               RuleStage::Program, RuleScope::WholeProgram, RuleInput::PermissionModel)

} // namespace ward::analysis
