//===- Permissions.h - Azure RBAC semantics ---------------------*- C++ -*-===//
//
// Azure's evaluation of role permissions, as a library: action matching
// (case-insensitive, one `*` replacing whole segments), effective permissions
// (Actions minus NotActions — not a deny), data actions kept apart, the scope
// hierarchy, the built-in roles and the catalogue of known operations. The
// rules and the RBAC backend both stand on it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "source/Text.h"

#include <llvm/ADT/DenseSet.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/ADT/StringSet.h>
#include <llvm/Support/Allocator.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ward::analysis {

/// True when `pattern` (which may hold one `*`, standing for one or more
/// whole segments) matches `action`. Case-insensitive, as Azure compares.
bool actionMatches(llvm::StringRef pattern, llvm::StringRef action);
/// True when `action` is well-formed: segments separated by `/`, at most one
/// `*`, and `*` only as a whole segment.
bool isWellFormedAction(llvm::StringRef action);
/// The resource provider namespace (`Microsoft.Compute`), lower-cased.
std::string providerOf(llvm::StringRef action);

/// One `permissions[]` entry of a role definition, or a grant's own actions.
/// Views: of the role catalogue's text, or of the grant's.
struct PermissionSet {
  std::vector<llvm::StringRef> actions, notActions, dataActions, notDataActions;
  /// Effective permission: some pattern of Actions matches and none of NotActions.
  bool allows(llvm::StringRef action, bool dataAction) const;
  bool hasDataActions() const { return !dataActions.empty(); }
};

/// Views of the text of the catalogue that holds it.
struct RoleDefinition {
  llvm::StringRef id;   // the role definition GUID
  llvm::StringRef name; // roleName
  llvm::StringRef description;
  std::vector<PermissionSet> permissions;
  bool allows(llvm::StringRef action, bool dataAction) const;
  bool hasDataActions() const;
};

class RoleCatalog {
public:
  /// Reads the vendored `built-in-roles.json`.
  llvm::Error load(llvm::StringRef path);
  /// The same, from a copy of `text`; `path` names it in errors.
  llvm::Error read(llvm::StringRef text, llvm::StringRef path);
  const RoleDefinition *byName(llvm::StringRef name) const; // case-insensitive
  std::vector<std::string> names() const;
  const std::vector<RoleDefinition> &roles() const { return roles_; }

private:
  llvm::Error readKept(std::shared_ptr<const llvm::MemoryBuffer> file, llvm::StringRef path);

  // The roles are views of the file, and of the decoded copies of its few
  // strings with escapes: every process reads the catalogue, and a copy of
  // each of its 20,000 action strings cost more than the rest of the read.
  // Shared by copies of the catalogue, which hold the same views.
  std::shared_ptr<const llvm::MemoryBuffer> file_;
  std::shared_ptr<llvm::BumpPtrAllocator> decoded_;
  std::vector<RoleDefinition> roles_;
  llvm::StringMap<size_t> byLowerName_;
};

/// Every operation Ward knows: the documented lists of the providers it
/// targets, every concrete action a built-in role names, and a project's own
/// additions.
class OperationCatalog {
public:
  llvm::Error loadDirectory(llvm::StringRef dir); // `<Provider>.txt`: "action\tName" lines
  void addRoles(const RoleCatalog &roles);
  void add(llvm::StringRef operation, bool dataAction);

  enum class Status { Known, KnownAsOtherKind, Unknown, UncataloguedProvider };
  /// A pattern is known when it matches at least one catalogued operation.
  Status lookup(llvm::StringRef action, bool dataAction) const;
  /// Up to `limit` catalogued operations closest to `action`, same provider.
  std::vector<std::string> closest(llvm::StringRef action, bool dataAction, size_t limit = 3) const;
  /// Catalogued operations matching `pattern` (for "which dangerous actions
  /// does this grant allow"), as documented; views that live as long as the
  /// catalogue or a copy of it.
  std::vector<llvm::StringRef> matching(llvm::StringRef pattern, bool dataAction) const;
  size_t size() const { return actions_.size() + dataActions_.size(); }

private:
  /// `text`, kept as long as this catalogue and its copies.
  llvm::StringRef keep(llvm::StringRef text);
  const std::vector<llvm::StringRef> &list(bool data) const { return data ? dataActions_ : actions_; }

  std::vector<llvm::StringRef> actions_, dataActions_; // as documented, in the order added
  // The same, and their providers' namespaces, for lookups without case.
  llvm::DenseSet<llvm::StringRef, IgnoringCaseInfo> knownActions_, knownDataActions_, providers_;
  // The spellings, kept. A copy shares the arenas it was made with and adds
  // to one of its own (a project's catalogue is the shipped one and its own
  // operations), so that no arena is written by two catalogues.
  std::vector<std::shared_ptr<llvm::BumpPtrAllocator>> spellings_;
};

/// A point in Azure's scope hierarchy.
struct Scope {
  enum class Level { ManagementGroup, Subscription, ResourceGroup, Resource };
  // Views of the checked AST's settings (or of static text): a large policy
  // has a scope per resource it names, and the model outlives none of them.
  Level level = Level::Resource;
  llvm::StringRef managementGroup;
  llvm::StringRef subscription;
  llvm::StringRef resourceGroup;
  llvm::StringRef resourceType; // ARM type, e.g. Microsoft.Compute/virtualMachines
  llvm::StringRef name;

  /// The ARM scope id: `/subscriptions/<s>/resourceGroups/<rg>/providers/<type>/<name>`.
  std::string id() const;
  /// True when `other` is this scope or lies below it. Management groups are
  /// taken to contain every subscription: their membership is not in the policy.
  bool contains(const Scope &other) const;
  bool operator==(const Scope &o) const { return contains(o) && o.contains(*this); }
  /// The narrowest scope containing both.
  static Scope commonAncestor(const Scope &a, const Scope &b);
  llvm::StringRef levelName() const;
};

} // namespace ward::analysis
