//===- Model.h - What each principal needs and would hold -------*- C++ -*-===//
//
// Needs come from intents: every `allow` (its capability's actions on the
// resource), every backup `trigger by` (on-demand backup on the vault) and
// every edge route that triggers a backup through a relay (the relay's
// managed identity triggers it on the vault).
// Holds are what the principal would have after deployment: the roles Ward
// generates from its `allow` intents (exactly their actions, at exactly their
// resources) plus every `grant`. Rules compare the two.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analysis/Permissions.h"
#include "ast/AST.h"
#include "resolve/Loader.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/StringSet.h>

#include <deque>
#include <map>

namespace ward::analysis {

/// Where needs come from: one intent (an `allow`, a backup trigger, a
/// relay's trigger route), shared by the need for each of its actions. The
/// action, the capability's name and the scope point into the checked AST and
/// the model, which outlive it: a large program has one need per action of
/// every `allow`, so needs hold no strings and no copies of their origin.
struct NeedOrigin {
  const Scope *scope = nullptr;
  const ResourceDecl *resource = nullptr;
  const Decl *source = nullptr; // the allow or backup declaration
  SourceRange range;            // where the intent is written
  llvm::StringRef via;          // "capability `backup.operate`"
  llvm::StringRef capability;   // implied needs: the capability that covers them
};

/// An action and whether it is a data action, as a capability lists it.
using ActionEntry = std::pair<llvm::StringRef, bool>;

/// One action a principal needs on one scope: two pointers, to its
/// capability's entry for the action (in the model, shared by every need
/// from that capability) and to its origin.
struct Need {
  const ActionEntry *entry = nullptr;
  const NeedOrigin *origin = nullptr;

  llvm::StringRef action() const { return entry->first; }
  bool data() const { return entry->second; }

  const Scope *scope() const { return origin->scope; }
  const ResourceDecl *resource() const { return origin->resource; }
  const Decl *source() const { return origin->source; }
  SourceRange range() const { return origin->range; }
  llvm::StringRef via() const { return origin->via; }
  llvm::StringRef capability() const { return origin->capability; }
};

struct Hold {
  const GrantDecl *grant = nullptr;
  const RoleDefinition *role = nullptr; // a built-in role grant
  PermissionSet explicitPermissions;    // an action-list grant
  Scope scope;
  const ResourceDecl *scopeResource = nullptr;
  bool allows(llvm::StringRef action, bool data) const;
  bool hasDataActions() const;
  /// The action patterns written in the policy (empty for a role grant).
  std::vector<std::pair<std::string, bool>> writtenActions() const;
};

struct Principal {
  const IdentityDecl *identity = nullptr;
  std::vector<Need> intents; // from `allow`: Ward generates roles for exactly these
  std::vector<Need> implied; // needed by other constructs (backup triggers)
  std::vector<Hold> grants;

  /// Covered by a generated role: an intent with the same action on a scope containing `need`'s.
  bool generatedCovers(const Need &need) const;
  bool grantsCover(const Need &need) const;
  std::vector<const Need *> allNeeds() const;
};

class PermissionModel {
public:
  static PermissionModel build(const Program &program, const RoleCatalog &roles);
  Scope scopeOf(const ResourceDecl &resource) const;
  const std::vector<Principal> &principals() const { return principals_; }

private:
  /// The scope of `resource`, computed once and kept for the needs.
  const Scope *sharedScope(const ResourceDecl &resource);
  /// `text`, kept once for all the needs that name it.
  llvm::StringRef keep(std::string text);

  /// The actions of `cap`, listed once for all the needs that come from it.
  const std::vector<ActionEntry> &actionsOf(const CapabilityDecl &cap);

  llvm::StringRef defaultSubscription_; // the tenant's, or a placeholder
  std::vector<Principal> principals_;
  // Hashed, not ordered: a large policy asks once per `allow`.
  llvm::DenseMap<const ResourceDecl *, std::unique_ptr<Scope>> scopes_;
  llvm::StringSet<> texts_;
  std::deque<NeedOrigin> origins_; // a deque: needs keep their origin's address
  // Growing the map moves the vectors, not their elements, which needs point to.
  llvm::DenseMap<const CapabilityDecl *, std::vector<ActionEntry>> actions_;
};

/// A capability's actions and data actions, as the AST holds them.
std::vector<ActionEntry> capabilityActions(const CapabilityDecl &cap);

} // namespace ward::analysis
