//===- PrivilegeSupport.h - Shared by the least-privilege rules --*- C++ -*-===//
#pragma once

#include "analysis/RuleContext.h"

#include <string>
#include <utility>
#include <vector>

namespace ward::analysis {

using Operations = std::vector<std::pair<std::string, bool>>; // action, is a data action

/// Built-in roles that let their holder change almost anything (W002).
bool isOwnerClassRole(llvm::StringRef roleName);
/// A grant of a built-in role Azure does not have (W026 reports it; the
/// other rules skip it, as it grants nothing they could judge).
inline bool grantsUnknownRole(const Hold &h) { return h.grant->role && !h.role; }

/// The fix for an over-broad grant: declare the intent and let Ward generate
/// the minimal role.
std::string narrowAlternative(const Principal &p);
std::string describeScope(const Hold &h);
/// `a`, `b` and `c`; `a`, `b`, `c` and 2 more.
std::string listFew(const std::vector<std::string> &items, size_t limit = 3, llvm::StringRef conjunction = "and");
/// What a grant grants, for locating findings about it: its role or first action.
SourceRange grantWhatRange(const Hold &h);

/// Whether operation `action` can take effect at `scope`.
bool appliesAt(llvm::StringRef action, const Scope &scope);
/// The operations of `candidates` that `h` allows and no need matches.
std::vector<std::string> allowedButUnneeded(const Hold &h, const std::vector<const Need *> &needs,
                                            const Operations &candidates);
/// The dangerous operations `h` allows at its scope that no need matches,
/// named as the grant names them: the written action patterns of an
/// action-list grant, the catalogue's operations for a role.
std::vector<std::string> dangerousForGrant(const Hold &h, const std::vector<const Need *> &needs,
                                           const Operations &dangerous);

/// The needs that `h` serves: it allows their action at a scope containing theirs.
std::vector<const Need *> servedBy(const Hold &h, const std::vector<const Need *> &needs);

/// Operations that let a principal raise its own privileges (W003), and that
/// read keys, credentials or secrets (W004), resolved against the catalogue.
Operations escalationOperations(const RuleContext &ctx);
Operations exposureOperations(const RuleContext &ctx);

/// An escalation or credential read that the policy declares as an intent
/// (a capability of its own holding `roleAssignments/write`, say) may be the
/// point of that identity, so it is not an error; but a reviewer must see it,
/// so it is reported as a note naming the operations.
void reportDeclaredDanger(RuleContext &ctx, RuleID rule, const Principal &p, const Operations &dangerous,
                          const char *what);

} // namespace ward::analysis
