//===- Features.h - What the editor asks about a checked program -*- C++ -*-===//
//
// Protocol-free answers over a compilation's program: each feature in its
// own file (Navigation.cpp, Hover.cpp, Symbols.cpp, CodeActions.cpp), as
// clangd keeps them. WardServer turns them into LSP JSON.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "diag/Diagnostic.h"
#include "output/Artifacts.h"
#include "resolve/Loader.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ward::lsp {

/// A declared name at a position: where it is written there, and the
/// declaration it means (the one declared there, or the one referred to).
struct SymbolAt {
  SourceRange range;
  const Decl *decl = nullptr;
};
std::optional<SymbolAt> symbolAt(const Program &program, FileID file, uint32_t offset);

/// Every place that names `decl`, its declaration first when asked for.
std::vector<SourceRange> referencesTo(const Program &program, const Decl &decl, bool includeDeclaration);

/// Why `decl` cannot be renamed at all (unnamed, or in the standard library).
std::optional<std::string> cannotRename(const Program &program, const Decl &decl);
/// Why `decl` cannot be renamed to `newName` (that, or an invalid or taken
/// name), or nullopt.
std::optional<std::string> renameProblem(const Program &program, const Decl &decl, llvm::StringRef newName);

/// Markdown: the declaration and what Sema made of it (an issuer's effective
/// settings, a retry's worst case, a capability's actions).
std::string hoverText(const Decl &decl, const SourceManager &sm);

/// The outline of a file: declarations, and an edgeworker's routes.
struct Symbol {
  std::string name, detail;
  int kind; // LSP SymbolKind
  SourceRange range, selection;
  std::vector<Symbol> children;
};
std::vector<Symbol> documentSymbols(const SourceFile &file);
/// Lines that fold: every declaration and route that spans several.
std::vector<std::pair<unsigned, unsigned>> foldingLines(const SourceFile &file, const SourceManager &sm);

/// What may be typed at `offset` of `text` (file `file` of the program as
/// last checked): names of the right kind, attributes, keywords.
struct CompletionItem {
  enum Kind { Keyword, Name, Attribute, Value } kind;
  std::string label;
  std::string detail;
  CompletionItem(std::string label, Kind kind, std::string detail)
      : kind(kind), label(std::move(label)), detail(std::move(detail)) {}
};
struct CompletionCatalogs {
  std::vector<std::string> roles;                             // built-in role names
  std::function<std::vector<std::string>(bool data)> actions; // catalogued operations
};
std::vector<CompletionItem> completionsAt(const Program &program, FileID file, llvm::StringRef text, uint32_t offset,
                                          const CompletionCatalogs &catalogs);

/// A token to colour: byte offsets, an index into semanticTokenTypes() and
/// a bit set over semanticTokenModifiers().
struct SemanticToken {
  enum Type {
    Keyword,
    String,
    Number,
    Comment,
    Namespace,
    Interface,
    EnumMember,
    Variable,
    Type,
    Struct,
    Method,
    Function,
    Event,
    Property
  };
  enum Modifier : unsigned { Declaration = 1, DefaultLibrary = 2 };
  uint32_t begin, end;
  int type;
  unsigned modifiers;
};
const std::vector<std::string> &semanticTokenTypes();
const std::vector<std::string> &semanticTokenModifiers();
std::vector<SemanticToken> semanticTokens(const Program &program, FileID file, llvm::StringRef text);

/// A computed value shown after `offset`: a route's retry worst case, a
/// token requirement's audiences.
struct InlayHint {
  uint32_t offset;
  std::string label;
};
std::vector<InlayHint> inlayHints(const SourceFile &file, uint32_t begin, uint32_t end);

/// A lens over a declaration: one artifact it generates, titled with what
/// matters in it (a bundle's size, a role's action counts), and the artifact
/// whose text opening the lens shows.
struct GeneratedLens {
  SourceRange range; // the declaration's keyword
  std::string title;
  std::string artifact; // its path under the build's output directory
};
std::vector<GeneratedLens> generatedLenses(const SourceFile &file, const codegen::ArtifactSet &artifacts);

/// The fix-its of the diagnostics of `file` that overlap [begin, end).
struct QuickFix {
  std::string title;
  bool preferred; // a certain fix
  const Diagnostic *diagnostic;
};
std::vector<QuickFix> quickFixes(const DiagnosticList &diags, FileID file, uint32_t begin, uint32_t end);

} // namespace ward::lsp
