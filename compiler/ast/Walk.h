//===- Walk.h - Every reference and value of a declaration ------*- C++ -*-===//
//
// One walk over the syntax, so that the resolver, the rules that count uses,
// the code generators and the re-check that clears old results all see the
// same references in the same order.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/AST.h"

#include <llvm/ADT/STLFunctionalExtras.h>

namespace ward {

/// Where a reference stands in the syntax, which fixes what it must name.
enum class RefSite {
  IssuerTemplate,  // issuer x : <template>
  ResourceType,    // resource x : <type>
  CapabilityType,  // capability x on <type>
  AllowIdentity,   // allow <identity> to ...
  AllowResource,   // allow ... on <resource>
  AllowCapability, // allow ... to <capability> (per the resource's type; after AllowResource)
  GrantIdentity,   // grant <identity> ...
  GrantScope,      // grant ... on <resource>
  TokenIssuer,     // require token from <issuer>
  ForwardOrigin,   // forward to <resource>
  ForwardRetry,    // forward ... retry <retry>
  BackupTarget,    // trigger backup <resource>
  BackupRelay,     // trigger backup ... through <resource>, poll backup through <resource>
  Protected,       // protect <resource>
  Vault,           // protect ... in <resource>
  Trigger,         // trigger by <identity>
};

struct RefSiteInfo {
  DeclKind kind;            // what the reference must name
  llvm::StringRef position; // how messages name the place: "`forward to`"
};
const RefSiteInfo &refSiteInfo(RefSite site);

/// Calls `visit` for every reference written in `decl`, in source order
/// except that an allow's resource comes before its capability.
void forEachRef(Decl &decl, llvm::function_ref<void(Ref &, RefSite)> visit);
void forEachRef(const Decl &decl, llvm::function_ref<void(const Ref &, RefSite)> visit);

/// Calls `visit` for every value written in `decl` (attribute values, route
/// and token-requirement attributes, statuses, grant action lists, schedule
/// values), and for every value nested in those.
void forEachValue(Decl &decl, llvm::function_ref<void(Value &)> visit);
void forEachValue(const Decl &decl, llvm::function_ref<void(const Value &)> visit);

/// Calls `visit` with the range of `decl` and of every construct inside it
/// that a `ward-ignore` on the line before can cover: attributes, routes,
/// token requirements, actions, protections and schedules.
void forEachConstructRange(const Decl &decl, llvm::function_ref<void(SourceRange)> visit);

/// Forgets what the resolver and Sema wrote into `file` (reference targets,
/// effective settings, settled URLs, ...), so that it can be checked again
/// as if freshly parsed.
void clearSemantics(SourceFile &file);

} // namespace ward
