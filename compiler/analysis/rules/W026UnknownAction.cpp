//===- W026 unknown-action: an action or role not in the catalogue --------===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"
#include "source/Text.h"

namespace ward::analysis {
namespace {

void checkActionCatalogue(RuleContext &ctx, const Value &v, bool data) {
  if (v.kind != Value::Kind::String) return;
  switch (ctx.azure.operations.lookup(v.text, data)) {
  case OperationCatalog::Status::Known: return;
  case OperationCatalog::Status::KnownAsOtherKind:
    ctx.report(RuleID::UnknownAction, v.range,
               fmt::format("`{}` is a{} action, not a{} action", v.text, data ? " control-plane" : " data",
                           data ? " data" : " control-plane"))
        .withHelp(data ? "move it to `actions`" : "move it to `data_actions`");
    return;
  case OperationCatalog::Status::UncataloguedProvider: {
    DiagnosticBuilder d = ctx.report(RuleID::UnknownAction, v.range,
                                     fmt::format("provider `{}` is not in Ward's catalogue; `{}` cannot be checked",
                                                 llvm::StringRef(v.text).split('/').first.str(), v.text));
    if (d->severity == Severity::Error) d->severity = Severity::Note; // unknown to us is not wrong
    d.withHelp("add the operation to `catalog` in ward.json to have it checked");
    return;
  }
  case OperationCatalog::Status::Unknown: {
    DiagnosticBuilder d = ctx.report(RuleID::UnknownAction, v.range,
                                     fmt::format("unknown Azure {}action `{}`", data ? "data " : "", v.text));
    std::vector<std::string> close = ctx.azure.operations.closest(v.text, data);
    if (!close.empty()) {
      d.withHelp(fmt::format("did you mean {}?", listFew(close, 3, "or")));
      d.suggest(v.range, "\"" + close.front() + "\"");
    } else {
      d.withHelp(
          "check the spelling against the Azure RBAC permissions reference, or add it to `catalog` in ward.json");
    }
    return;
  }
  }
}

void check(RuleContext &ctx) {
  ctx.forEachUserDecl([&](Decl &decl) {
    if (auto *cap = llvm::dyn_cast<CapabilityDecl>(&decl)) {
      for (const TextSetting &a : cap->settings.actions) checkActionCatalogue(ctx, *a.written, false);
      for (const TextSetting &a : cap->settings.dataActions) checkActionCatalogue(ctx, *a.written, true);
    } else if (auto *grant = llvm::dyn_cast<GrantDecl>(&decl)) {
      for (const Value &v : grant->actions) checkActionCatalogue(ctx, v, false);
      for (const Value &v : grant->dataActions) checkActionCatalogue(ctx, v, true);
    }
  });
  for (const Principal &p : ctx.model().principals())
    for (const Hold &h : p.grants) {
      if (!grantsUnknownRole(h)) continue;
      DiagnosticBuilder d =
          ctx.report(RuleID::UnknownAction, h.grant->role->range,
                     fmt::format("unknown built-in role \"{}\"", quoteForMessage(h.grant->role->text)));
      std::vector<std::string> close = closestNames(h.grant->role->text, ctx.azure.roles.names());
      if (!close.empty())
        d.withHelp(fmt::format("did you mean \"{}\"?", close.front()))
            .suggest(h.grant->role->range, "\"" + close.front() + "\"");
    }
}

} // namespace

WARD_RULE_INFO(UnknownAction, "W026", Level::Error, "unknown-action", "Azure action not in the catalogue", {}, check,
               RuleStage::Program, RuleScope::Declarations, RuleInput::PermissionModel)

} // namespace ward::analysis
