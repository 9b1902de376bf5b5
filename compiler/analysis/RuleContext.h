//===- RuleContext.h - What a rule sees and how it reports ------*- C++ -*-===//
#pragma once

#include "analysis/Model.h"
#include "analysis/Rules.h"

#include <llvm/Support/ErrorHandling.h>

#include <array>
#include <vector>

namespace ward::analysis {

/// Calls `f` on each declaration of the user's files, in source order (the
/// standard library is trusted, and its declarations are not the user's).
template <typename F> void forEachUserDecl(Program &program, F &&f) {
  for (auto &file : program.files)
    if (!file->isStdlib())
      for (auto &decl : file->decls) f(*decl);
}

/// The user's declarations by kind, each list in source order. A rule about
/// one kind reads its list: in a large policy, visiting every declaration to
/// ask its kind brings each of them into the cache, and the rules do that
/// many times over.
class UserDeclsByKind {
public:
  explicit UserDeclsByKind(Program &program);
  const std::vector<Decl *> &of(DeclKind kind) const { return lists_[static_cast<size_t>(kind)]; }

private:
  std::array<std::vector<Decl *>, kDeclKindCount> lists_;
};

class RuleContext {
public:
  RuleContext(Program &program, const SourceManager &sm, const AzureData &azure, const Config &config,
              DiagnosticEngine &diags, const PermissionModel *model, const UserDeclsByKind &byKind)
      : program(program), sm(sm), azure(azure), config(config), diags(diags), model_(model), byKind_(byKind) {}

  bool enabled(RuleID rule) const { return config.level(rule) != Level::Off; }
  /// Reports a finding at the rule's configured level. A rule that is off
  /// still gets a builder to fill in; it is thrown away.
  DiagnosticBuilder report(RuleID rule, SourceRange range, std::string message);
  /// Reports a finding about a value of `owner` that may be inherited (an
  /// issuer's template values live in the template's file). An inherited
  /// value's finding is placed on the owner's name, where the user can act and
  /// where a `ward-ignore` above the declaration silences it, with a label at
  /// the value; `inherited` tells the caller not to offer a fix-it there.
  DiagnosticBuilder reportOnValue(RuleID rule, const Decl &owner, SourceRange value, std::string message,
                                  bool *inherited = nullptr);

  /// Declarations of the user's files (the standard library is trusted).
  template <typename F> void forEachUserDecl(F &&f) { analysis::forEachUserDecl(program, f); }
  /// The user's declarations of one kind: `forEachUser<RetryDecl>([&](RetryDecl &r) {...})`.
  template <typename T, typename F> void forEachUser(F &&f) {
    for (Decl *decl : byKind_.of(T::kKind)) f(*llvm::cast<T>(decl));
  }
  const UserDeclsByKind &byKind() const { return byKind_; }

  Program &program;
  const SourceManager &sm;
  const AzureData &azure;
  const Config &config;
  DiagnosticEngine &diags;
  /// The permission model, for a rule that declares RuleInput::PermissionModel;
  /// the others run while it is being built, and reading it stops the compiler.
  const PermissionModel &model() const {
    if (!model_)
      llvm::report_fatal_error("a rule read the permission model without declaring RuleInput::PermissionModel");
    return *model_;
  }

private:
  const PermissionModel *model_;
  const UserDeclsByKind &byKind_;
};

/// A `ward-ignore` that names only known rules and codes and gives a reason;
/// only those silence findings (W027 reports the others).
bool isValidSuppression(const Suppression &s);
/// It names a code-generation warning (G0001), which exists only in `build`.
bool namesBuildCode(const Suppression &s);

/// "`azure.vm` resource `orders-vm`" and similar, for messages.
std::string quoteName(const Decl &decl);

} // namespace ward::analysis
