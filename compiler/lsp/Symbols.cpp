//===- Symbols.cpp - The outline of a file, and what folds ----------------===//
#include "lsp/Features.h"

#include <fmt/format.h>

namespace ward::lsp {
namespace {

int symbolKind(DeclKind kind) {
  switch (kind) {
  case DeclKind::Tenant: return 3;          // Namespace
  case DeclKind::IssuerTemplate: return 11; // Interface
  case DeclKind::Issuer: return 20;         // Key
  case DeclKind::Identity: return 13;       // Variable
  case DeclKind::ResourceType: return 5;    // Class
  case DeclKind::Resource: return 23;       // Struct
  case DeclKind::Capability: return 6;      // Method
  case DeclKind::Allow:
  case DeclKind::Grant: return 25;     // Operator
  case DeclKind::Retry: return 12;     // Function
  case DeclKind::EdgeWorker: return 2; // Module
  case DeclKind::Backup: return 24;    // Event
  }
  return 13;
}

/// How an unnamed declaration is shown: `allow sp-a to vm.read on vm`.
std::string title(const Decl &d) {
  if (auto *a = llvm::dyn_cast<AllowDecl>(&d))
    return fmt::format("allow {} to {} on {}", a->identity.name.text, a->capability.name.text, a->resource.name.text);
  if (auto *g = llvm::dyn_cast<GrantDecl>(&d))
    return fmt::format("grant {} on {}", g->identity.name.text, g->scope.name.text);
  return d.name.text.str();
}

} // namespace

std::vector<Symbol> documentSymbols(const SourceFile &file) {
  std::vector<Symbol> out;
  for (const auto &decl : file.decls) {
    Symbol s{title(*decl),
             declKindKeyword(decl->kind()).str(),
             symbolKind(decl->kind()),
             decl->range,
             decl->name.empty() ? decl->keyword : decl->name.range,
             {}};
    if (auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(decl.get()))
      for (const Route &r : ew->routes) {
        std::string methods;
        for (const Name &m : r.methods) methods += (methods.empty() ? "" : ",") + m.text.str();
        s.children.push_back(
            {(methods.empty() ? "" : methods + " ") + r.path.text.str(), "route", 6, r.range, r.path.range, {}});
      }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::pair<unsigned, unsigned>> foldingLines(const SourceFile &file, const SourceManager &sm) {
  std::vector<std::pair<unsigned, unsigned>> out;
  auto add = [&](SourceRange r) {
    unsigned first = sm.lineColumn(r.file, r.begin).line, last = sm.lineColumn(r.file, r.end).line;
    if (last > first) out.emplace_back(first - 1, last - 1);
  };
  for (const auto &decl : file.decls) {
    add(decl->range);
    if (auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(decl.get()))
      for (const Route &r : ew->routes) add(r.range);
  }
  return out;
}

} // namespace ward::lsp
