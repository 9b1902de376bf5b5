//===- W025 unused-declaration: a declaration nothing uses ----------------===//
#include "analysis/rules/Rule.h"
#include "ast/Walk.h"

#include <llvm/ADT/DenseSet.h>

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  // References from every file count as uses (a user's declaration may be used from anywhere).
  // Sized once: at most every declaration is used, and a set grown by
  // doubling rehashes each of them again at every step.
  size_t declarations = 0;
  for (auto &file : ctx.program.files) declarations += file->decls.size();
  llvm::DenseSet<const Decl *> used;
  used.reserve(declarations);
  for (auto &file : ctx.program.files)
    for (auto &decl : file->decls) {
      forEachRef(std::as_const(*decl), [&](const Ref &ref, RefSite) {
        if (ref.target) used.insert(ref.target);
      });
      forEachValue(std::as_const(*decl), [&](const Value &v) {
        if (v.target()) used.insert(v.target());
      });
    }
  ctx.forEachUserDecl([&](Decl &decl) {
    bool trackable = llvm::isa<IdentityDecl>(decl) || llvm::isa<ResourceDecl>(decl) || llvm::isa<RetryDecl>(decl) ||
                     llvm::isa<IssuerDecl>(decl) || llvm::isa<CapabilityDecl>(decl) ||
                     llvm::isa<IssuerTemplateDecl>(decl) || llvm::isa<ResourceTypeDecl>(decl);
    if (trackable && !used.count(&decl))
      ctx.report(RuleID::UnusedDeclaration, decl.name.range,
                 fmt::format("{} `{}` is declared but never used", declKindKeyword(decl.kind()).str(), decl.name.text))
          .withHelp("remove it, or use it in an `allow`, `grant`, route or backup");
  });
}

} // namespace

WARD_RULE_INFO(UnusedDeclaration, "W025", Level::Warning, "unused-declaration", "declaration that nothing uses", {},
               check, RuleStage::Program, RuleScope::WholeProgram)

} // namespace ward::analysis
