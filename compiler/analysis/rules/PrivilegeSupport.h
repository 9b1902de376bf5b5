//===- PrivilegeSupport.h - Shared by the least-privilege rules --*- C++ -*-===//
#pragma once

#include "analysis/RuleContext.h"

#include <string>
#include <utility>
#include <vector>

namespace ward::analysis {

/// Action, is a data action: views of the catalogue or of static text, which
/// outlive every rule.
using Operations = std::vector<ActionEntry>; // as Model.h lists a capability's

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

/// W003 and W004: `rule` for every principal whose declared intents include
/// `dangerous` operations (a note, `declared`: "escalate privileges"), and
/// for every grant that allows some no intent needs (`granted`: "escalate
/// its own privileges").
void checkDangerousOperations(RuleContext &ctx, RuleID rule, const Operations &dangerous, const char *declared,
                              const char *granted);

} // namespace ward::analysis
