//===- Navigation.cpp - Definition, references, highlights ----------------===//
#include "ast/Walk.h"
#include "lsp/Features.h"

namespace ward::lsp {
namespace {

bool contains(SourceRange r, FileID file, uint32_t offset) {
  return r.file == file && r.begin <= offset && offset <= r.end;
}

/// Calls `visit(range, target)` for every name in `decl` that refers to a declaration.
template <typename F> void forEachUse(const Decl &decl, F &&visit) {
  forEachRef(decl, [&](const Ref &ref, RefSite) {
    if (ref.target) visit(ref.name.range, ref.target);
  });
  forEachValue(decl, [&](const Value &v) {
    if (v.target()) visit(v.range, v.target());
  });
}

} // namespace

std::optional<SymbolAt> symbolAt(const Program &program, FileID file, uint32_t offset) {
  const SourceFile *source = program.file(file);
  if (!source) return std::nullopt;
  for (const auto &decl : source->decls) {
    if (!contains(decl->range, file, offset)) continue;
    if (!decl->name.empty() && contains(decl->name.range, file, offset)) return SymbolAt{decl->name.range, decl.get()};
    std::optional<SymbolAt> found;
    forEachUse(*decl, [&](SourceRange range, const Decl *target) {
      if (!found && contains(range, file, offset)) found = SymbolAt{range, target};
    });
    return found;
  }
  return std::nullopt;
}

std::vector<SourceRange> referencesTo(const Program &program, const Decl &decl, bool includeDeclaration) {
  std::vector<SourceRange> out;
  if (includeDeclaration && !decl.name.empty()) out.push_back(decl.name.range);
  for (const auto &file : program.files)
    for (const auto &d : file->decls)
      forEachUse(*d, [&](SourceRange range, const Decl *target) {
        if (target == &decl) out.push_back(range);
      });
  return out;
}

std::vector<QuickFix> quickFixes(const DiagnosticList &diags, FileID file, uint32_t begin, uint32_t end) {
  std::vector<QuickFix> out;
  for (const Diagnostic &d : diags) {
    if (d.suppressed || d.fixits.empty() || d.range.file != file || d.range.end < begin || d.range.begin > end)
      continue;
    bool inFile = std::all_of(d.fixits.begin(), d.fixits.end(), [&](const FixIt &f) { return f.range.file == file; });
    if (!inFile) continue; // an edit in the standard library is not the user's to make
    bool certain = std::all_of(d.fixits.begin(), d.fixits.end(), [](const FixIt &f) { return f.certain(); });
    std::string title = d.help().empty() ? "apply the suggested edit" : d.help().str();
    out.push_back({d.code.str() + ": " + title, certain, &d});
  }
  return out;
}

} // namespace ward::lsp
