//===- Rename.cpp - Renaming a declaration everywhere it is named ---------===//
#include "lsp/Features.h"

#include <fmt/format.h>

namespace ward::lsp {
namespace {

/// A name Ward's lexer reads as one identifier (or dotted identifiers, for
/// the declarations whose names are qualified: `backup.operate`).
bool isValidName(llvm::StringRef name, bool qualified) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  name.split(parts, '.');
  if (parts.size() > 1 && !qualified) return false;
  for (llvm::StringRef part : parts) {
    if (part.empty() || !(std::isalpha(static_cast<unsigned char>(part.front())) || part.front() == '_')) return false;
    if (part.back() == '-') return false;
    for (char c : part)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

bool hasQualifiedName(DeclKind kind) {
  return kind == DeclKind::ResourceType || kind == DeclKind::Capability || kind == DeclKind::Retry ||
         kind == DeclKind::IssuerTemplate;
}

} // namespace

std::optional<std::string> cannotRename(const Program &program, const Decl &decl) {
  const SourceFile *file = program.file(decl.file);
  if (decl.name.empty()) return std::string("only named declarations can be renamed");
  if (file && file->isStdlib())
    return fmt::format("`{}` is declared in Ward's standard library, which cannot be changed", decl.name.text);
  return std::nullopt;
}

std::optional<std::string> renameProblem(const Program &program, const Decl &decl, llvm::StringRef newName) {
  if (std::optional<std::string> refusal = cannotRename(program, decl)) return refusal;
  if (!isValidName(newName, hasQualifiedName(decl.kind())))
    return fmt::format("`{}` is not a valid name here", newName.str());
  for (const auto &f : program.files)
    for (const auto &other : f->decls)
      if (other.get() != &decl && other->name.text == newName &&
          (other->kind() != DeclKind::Capability || decl.kind() != DeclKind::Capability))
        return fmt::format("`{}` is already declared in `{}`", newName.str(), f->path);
  return std::nullopt;
}

} // namespace ward::lsp
