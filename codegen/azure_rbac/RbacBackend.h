//===- RbacBackend.h - Custom roles and assignments for Azure ---*- C++ -*-===//
//
// One custom role per distinct permission set (a capability's actions, or an
// action-list grant's), shared by every principal that needs it, assignable
// at the resource groups (or subscriptions) its assignments are in, and
// assigned at exactly the resources the intents name; built-in roles of
// grants by their real GUID. Written as
// az CLI role files and as one ARM template (2019-04-01, resource-group
// deployment) whose assignments outside its resource group sit in nested
// deployments, since a role assignment must match its deployment's scope.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analysis/Model.h"
#include "analysis/Rules.h"
#include "output/Artifacts.h"

namespace ward::codegen {

struct RoleSpec {
  std::string name;
  std::string description;
  std::vector<std::string> actions, dataActions;
  std::vector<std::string> assignableScopes; // ARM scope ids, sorted
  std::string builtinId;                     // set for a built-in role (no definition is generated)
  std::vector<SourceRange> sources;
};

struct AssignmentSpec {
  const RoleSpec *role = nullptr;
  const IdentityDecl *principal = nullptr;
  analysis::Scope scope;
  const ResourceDecl *resource = nullptr;
  std::string description;
  std::string condition; // ABAC, from `allow ... when`
  SourceRange source;
};

/// Custom roles for Azure resources per Microsoft Entra tenant (Azure RBAC
/// limits; 2,000 in specialized clouds).
constexpr size_t kMaxCustomRolesPerTenant = 5000;

struct RbacPlan {
  std::vector<std::unique_ptr<RoleSpec>> roles;
  std::vector<AssignmentSpec> assignments;
};

/// Works out every role and assignment; reports G0002 for what cannot be generated.
RbacPlan planRbac(const Program &program, const analysis::PermissionModel &model, const analysis::AzureData &azure,
                  const analysis::Config &config, const std::string &project, DiagnosticEngine &diags);
void generateRbacArtifacts(const RbacPlan &plan, const analysis::Config &config, ArtifactSet &out);

std::string armLiteral(llvm::StringRef text);
std::string armQuote(llvm::StringRef text);

/// `principalType` of an identity kind.
llvm::StringRef principalTypeOf(IdentityKind kind);

} // namespace ward::codegen
