//===- W001 wildcard-action: a wildcard in an Azure action ----------------===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

/// Action strings the policy writes: in capabilities and action-list grants.
void writtenWildcards(RuleContext &ctx) {
  ctx.forEachUserDecl([&](Decl &decl) {
    std::vector<std::pair<const Value *, bool>> written;
    if (auto *cap = llvm::dyn_cast<CapabilityDecl>(&decl)) {
      for (const TextSetting &a : cap->settings.actions) written.emplace_back(a.written, false);
      for (const TextSetting &a : cap->settings.dataActions) written.emplace_back(a.written, true);
    } else if (auto *grant = llvm::dyn_cast<GrantDecl>(&decl)) {
      for (const Value &v : grant->actions) written.emplace_back(&v, false);
      for (const Value &v : grant->dataActions) written.emplace_back(&v, true);
    }
    for (auto [value, data] : written) {
      if (!llvm::StringRef(value->text).contains('*')) continue;
      size_t covered = ctx.azure.operations.matching(value->text, data).size();
      ctx.report(
             RuleID::WildcardAction, value->range,
             fmt::format("`{}` is a wildcard: it grants {} catalogued operation{} today and every one Azure adds later",
                         value->text, covered, covered == 1 ? "" : "s"))
          .withHelp("list the operations the intent needs, one by one");
    }
  });
}

/// Built-in roles granted with wildcard actions (owner-class roles are W002's).
void roleWildcards(RuleContext &ctx) {
  for (const Principal &p : ctx.model().principals())
    for (const Hold &h : p.grants) {
      if (!h.role || isOwnerClassRole(h.role->name)) continue;
      std::vector<std::string> wildcards;
      for (const PermissionSet &perm : h.role->permissions) {
        for (llvm::StringRef a : perm.actions)
          if (a.contains('*') && !a.endswith("/read")) wildcards.push_back(a.str());
        for (llvm::StringRef a : perm.dataActions)
          if (a.contains('*')) wildcards.push_back(a.str());
      }
      if (!wildcards.empty())
        ctx.report(RuleID::WildcardAction, grantWhatRange(h),
                   fmt::format("role `{}` grants wildcard actions ({})", h.role->name, listFew(wildcards, 2)))
            .withHelp(narrowAlternative(p));
    }
}

void check(RuleContext &ctx) {
  writtenWildcards(ctx);
  roleWildcards(ctx);
}

} // namespace

WARD_RULE_INFO(WildcardAction, "W001", Level::Error, "wildcard-action", "wildcard in an Azure action", {}, check,
               RuleStage::Program, RuleScope::Declarations, RuleInput::PermissionModel)

} // namespace ward::analysis
