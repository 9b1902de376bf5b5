#include "azure_rbac/RbacBackend.h"
#include "output/JsonWriter.h"

#include <fmt/format.h>
#include <llvm/Support/Parallel.h>

#include <map>
#include <set>
#include <utility>

namespace ward::codegen {

using analysis::Scope;

llvm::StringRef principalTypeOf(IdentityKind kind) {
  switch (kind) {
  case IdentityKind::Group: return "Group";
  case IdentityKind::User: return "User";
  case IdentityKind::ServicePrincipal:
  case IdentityKind::ManagedIdentity: return "ServicePrincipal";
  }
  return "ServicePrincipal";
}

/// A literal JSON string in an ARM template: ARM would evaluate a string that
/// starts with `[`, so such a string is escaped as `[[...`.
std::string armLiteral(llvm::StringRef text) { return text.startswith("[") ? "[" + text.str() : text.str(); }

/// A string literal inside an ARM expression: `'` is doubled.
std::string armQuote(llvm::StringRef text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

namespace {

/// Role names: the configured pattern, restricted to characters Azure and
/// file systems both accept. `{capability}` is accepted for `{role}`.
std::string roleName(const analysis::Config &config, const std::string &project, const std::string &role) {
  std::string name = config.roleNamePattern;
  auto replace = [&](llvm::StringRef key, const std::string &value) {
    for (size_t pos = name.find(key.str()); pos != std::string::npos; pos = name.find(key.str(), pos + value.size()))
      name.replace(pos, key.size(), value);
  };
  replace("{project}", project);
  replace("{role}", role);
  replace("{capability}", role);
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  return name;
}

std::vector<std::string> sortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

/// A role's actions and data actions, sorted and without duplicates: the key
/// under which principals share one role.
struct PermissionSet {
  std::vector<std::string> actions, dataActions;
  PermissionSet normalized() const { return {sortedUnique(actions), sortedUnique(dataActions)}; }
  bool operator<(const PermissionSet &o) const {
    return std::tie(actions, dataActions) < std::tie(o.actions, o.dataActions);
  }
};

/// Where a custom role may be assigned for an assignment at `scope`: its
/// resource group, or its subscription when `build.role_scope` says so.
/// Microsoft documents AssignableScopes as management groups, subscriptions
/// or resource groups; resource-level ones are possible but discouraged
/// because of the per-tenant custom role limit.
std::string assignableScope(const Scope &scope, const analysis::Config &config) {
  if (config.roleScope == analysis::Config::RoleScope::Subscription || scope.resourceGroup.empty())
    return fmt::format("/subscriptions/{}", scope.subscription);
  return fmt::format("/subscriptions/{}/resourceGroups/{}", scope.subscription, scope.resourceGroup);
}

std::string parameterName(const IdentityDecl &identity) {
  std::string name = "principalId_" + identity.name.text.str();
  for (char &c : name)
    if (c == '-' || c == '.') c = '_';
  return name;
}

} // namespace

RbacPlan planRbac(const Program &program, const analysis::PermissionModel &model, const analysis::AzureData &azure,
                  const analysis::Config &config, const std::string &project, DiagnosticEngine &diags) {
  RbacPlan plan;
  auto scopeOf = [&](const ResourceDecl &resource, SourceRange at) -> std::optional<Scope> {
    Scope s = model.scopeOf(resource);
    if (s.level != Scope::Level::ManagementGroup && s.subscription == "{subscription}") {
      diags
          .report(DiagID::BuildFailed, at,
                  fmt::format("`{}` has no subscription, so its Azure scope cannot be written", resource.name.text))
          .label(resource.name.range, "declared here")
          .withHelp("set `subscription` on the resource, or on the tenant");
      return std::nullopt;
    }
    if (s.level == Scope::Level::Subscription || s.level == Scope::Level::ManagementGroup) {
      diags
          .report(
              DiagID::BuildFailed, at,
              fmt::format(
                  "an assignment on the {} `{}` needs a {}-level deployment; rbac.json is a resource-group deployment",
                  s.levelName().str(), resource.name.text, s.levelName().str()))
          .withHelp("assign on the resource groups or resources the intents need");
      return std::nullopt;
    }
    return s;
  };

  // Every intent with its permission set: `allow` (a capability's actions)
  // and action-list `grant`s. Built-in role grants are referenced by GUID.
  struct Intent {
    const IdentityDecl *principal;
    const ResourceDecl *resource;
    Scope scope;
    PermissionSet permissions;
    const CapabilityDecl *capability = nullptr; // for `allow`
    const GrantDecl *grant = nullptr;           // for an action-list `grant`
    std::string condition;
    SourceRange source;
  };
  std::vector<Intent> intents;
  for (const auto &file : program.files)
    for (const auto &decl : file->decls) {
      if (auto *allow = llvm::dyn_cast<AllowDecl>(decl.get())) {
        auto *identity = llvm::dyn_cast_or_null<IdentityDecl>(allow->identity.target);
        auto *cap = llvm::dyn_cast_or_null<CapabilityDecl>(allow->capability.target);
        auto *resource = llvm::dyn_cast_or_null<ResourceDecl>(allow->resource.target);
        if (!identity || !cap || !resource) continue;
        std::optional<Scope> scope = scopeOf(*resource, allow->resource.name.range);
        if (!scope) continue;
        PermissionSet set;
        for (auto &[action, data] : analysis::capabilityActions(*cap))
          (data ? set.dataActions : set.actions).push_back(action.str());
        intents.push_back({identity, resource, *scope, set.normalized(), cap, nullptr,
                           allow->condition ? allow->condition->text.str() : "", allow->range});
      } else if (auto *grant = llvm::dyn_cast<GrantDecl>(decl.get())) {
        auto *identity = llvm::dyn_cast_or_null<IdentityDecl>(grant->identity.target);
        auto *resource = llvm::dyn_cast_or_null<ResourceDecl>(grant->scope.target);
        if (!identity || !resource) continue;
        std::optional<Scope> scope = scopeOf(*resource, grant->scope.name.range);
        if (!scope) continue;
        if (grant->role) {
          const analysis::RoleDefinition *builtin = azure.roles.byName(grant->role->text);
          if (!builtin) continue; // reported by the analysis (W026)
          auto role = std::make_unique<RoleSpec>();
          role->name = builtin->name;
          role->builtinId = builtin->id;
          role->sources.push_back(grant->range);
          plan.assignments.push_back({role.get(), identity, *scope, resource,
                                      fmt::format("Ward: grant to {} on {}", identity->name.text, resource->name.text),
                                      "", grant->range});
          plan.roles.push_back(std::move(role));
          continue;
        }
        PermissionSet set;
        for (const Value &v : grant->actions) set.actions.push_back(v.text.str());
        for (const Value &v : grant->dataActions) set.dataActions.push_back(v.text.str());
        intents.push_back({identity, resource, *scope, set.normalized(), nullptr, grant, "", grant->range});
      }
    }

  // One custom role per distinct permission set, shared by every principal
  // that needs it. Named after the capabilities that have exactly that set
  // (the first by name), or `grant-N` for a set only grants name.
  std::map<PermissionSet, RoleSpec *> bySet;
  std::map<PermissionSet, std::set<std::string>> capabilitiesOf;
  for (const Intent &i : intents)
    if (i.capability) capabilitiesOf[i.permissions].insert(i.capability->name.text.str());
  unsigned grantRoles = 0;
  auto roleFor = [&](const Intent &i) -> RoleSpec & {
    RoleSpec *&role = bySet[i.permissions];
    if (role) return *role;
    auto spec = std::make_unique<RoleSpec>();
    auto caps = capabilitiesOf.find(i.permissions);
    if (caps != capabilitiesOf.end()) {
      spec->name = roleName(config, project, *caps->second.begin());
      std::vector<std::string> quoted;
      for (const std::string &c : caps->second) quoted.push_back("`" + c + "`");
      std::string description =
          caps->second.size() == 1 && i.capability ? (*i.capability->settings.description).str() : "";
      spec->description = fmt::format("Generated by Ward: exactly the permissions of {}{}", llvm::join(quoted, ", "),
                                      description.empty() ? "" : ". " + description);
    } else {
      spec->name = roleName(config, project, fmt::format("grant-{}", ++grantRoles));
      spec->description = fmt::format("Generated by Ward from a `grant` to `{}` on `{}`", i.principal->name.text,
                                      i.resource->name.text);
    }
    spec->actions = i.permissions.actions;
    spec->dataActions = i.permissions.dataActions;
    role = spec.get();
    plan.roles.push_back(std::move(spec));
    return *role;
  };
  // Capabilities first (by name), so that role names do not depend on the
  // order of declarations; then grants in source order.
  std::vector<const Intent *> ordered;
  for (const Intent &i : intents) ordered.push_back(&i);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Intent *a, const Intent *b) {
    if (bool(a->capability) != bool(b->capability)) return bool(a->capability);
    return a->capability && a->capability->name.text < b->capability->name.text;
  });
  std::set<std::tuple<std::string, std::string, std::string>> assigned;
  for (const Intent *i : ordered) {
    RoleSpec &role = roleFor(*i);
    role.sources.push_back(i->capability ? i->capability->range : i->source);
    role.sources.push_back(i->source);
    role.assignableScopes.push_back(assignableScope(i->scope, config));
    // The same principal, role and scope twice is one assignment.
    if (!assigned.insert({i->scope.id(), i->principal->name.text.str(), role.name}).second) continue;
    std::string description =
        i->capability ? fmt::format("Ward: allow {} to {} on {}", i->principal->name.text, i->capability->name.text,
                                    i->resource->name.text)
                      : fmt::format("Ward: grant to {} on {}", i->principal->name.text, i->resource->name.text);
    plan.assignments.push_back({&role, i->principal, i->scope, i->resource, description, i->condition, i->source});
  }
  for (auto &role : plan.roles) {
    role->assignableScopes = sortedUnique(role->assignableScopes);
    std::sort(role->sources.begin(), role->sources.end(), [](SourceRange a, SourceRange b) {
      return std::make_pair(a.file, a.begin) < std::make_pair(b.file, b.begin);
    });
    role->sources.erase(
        std::unique(role->sources.begin(), role->sources.end(),
                    [](SourceRange a, SourceRange b) { return a.file == b.file && a.begin == b.begin; }),
        role->sources.end());
  }

  size_t customRoles =
      std::count_if(plan.roles.begin(), plan.roles.end(), [](auto &r) { return r->builtinId.empty(); });
  if (customRoles > kMaxCustomRolesPerTenant && !intents.empty())
    diags
        .report(DiagID::BuildFailed, intents.front().source,
                fmt::format("the policy needs {} custom roles (one per distinct permission set); a Microsoft Entra "
                            "tenant holds at most {} custom roles for Azure resources",
                            customRoles, kMaxCustomRolesPerTenant))
        .withHelp("let principals share capabilities, or grant built-in roles where one fits exactly");
  return plan;
}

namespace {

// The current stable API version of Microsoft.Resources/deployments (arm-ttk:
// apiVersions should be recent, at most two years old).
constexpr const char *kDeploymentsApiVersion = "2025-04-01";

std::string roleDefinitionGuid(const RoleSpec &role) {
  return fmt::format("guid(subscription().id, 'ward-role', {})", armQuote(role.name));
}

/// The value of `roleDefinitionId` as seen from the outer template.
std::string roleDefinitionIdExpression(const RoleSpec &role) {
  if (!role.builtinId.empty())
    return fmt::format("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})]",
                       armQuote(role.builtinId));
  return fmt::format("[resourceId('Microsoft.Authorization/roleDefinitions', {})]", roleDefinitionGuid(role));
}

/// An assignment resource; `scope` relative to its deployment's resource group.
llvm::json::Object assignmentResource(const AssignmentSpec &a, const std::string &roleDefinitionId,
                                      const std::string &principalId) {
  llvm::json::Object properties{{"roleDefinitionId", roleDefinitionId},
                                {"principalId", principalId},
                                {"principalType", principalTypeOf(a.principal->identityKind)},
                                {"description", armLiteral(a.description)}};
  if (!a.condition.empty()) {
    properties["condition"] = armLiteral(a.condition);
    properties["conditionVersion"] = "2.0";
  }
  llvm::json::Object resource{{"type", "Microsoft.Authorization/roleAssignments"},
                              {"apiVersion", "2022-04-01"},
                              {"name", fmt::format("[guid({}, {}, {})]", armQuote(a.scope.id()),
                                                   armQuote(a.principal->name.text), armQuote(a.role->name))},
                              {"properties", std::move(properties)}};
  if (a.scope.level == Scope::Level::Resource)
    resource["scope"] = armLiteral(fmt::format("{}/{}", a.scope.resourceType, a.scope.name));
  return resource;
}

/// The role a deployment must wait for: a custom role defined in the same
/// template; none for a built-in role.
llvm::json::Array dependsOn(const RoleSpec &role) {
  return role.builtinId.empty() ? llvm::json::Array{roleDefinitionIdExpression(role)} : llvm::json::Array{};
}

/// The nested deployment that makes `assignments`, all in resource group
/// `group`, with the role definitions and principals passed in as parameters.
llvm::json::Object nestedDeployment(const std::string &group, const std::vector<const AssignmentSpec *> &assignments,
                                    const std::map<const IdentityDecl *, std::string> &principalIds) {
  llvm::json::Object innerParameters, passed;
  llvm::json::Array inner, deps;
  inner.reserve(assignments.size());
  std::map<std::string, std::string> roleParams, principalParams;
  for (const AssignmentSpec *a : assignments) {
    std::string rp = fmt::format("roleDefinitionId_{}", roleParams.size());
    if (roleParams.emplace(a->role->name, rp).second) {
      innerParameters[rp] = llvm::json::Object{{"type", "string"}};
      passed[rp] = llvm::json::Object{{"value", roleDefinitionIdExpression(*a->role)}};
      for (llvm::json::Value &d : dependsOn(*a->role)) deps.push_back(std::move(d));
    }
    std::string pp = fmt::format("principalId_{}", principalParams.size());
    if (principalParams.emplace(a->principal->name.text, pp).second) {
      innerParameters[pp] = llvm::json::Object{{"type", "string"}};
      passed[pp] = llvm::json::Object{{"value", principalIds.at(a->principal)}};
    }
  }
  for (const AssignmentSpec *a : assignments)
    inner.push_back(
        assignmentResource(*a, fmt::format("[parameters('{}')]", roleParams[a->role->name]),
                           fmt::format("[parameters('{}')]", principalParams[a->principal->name.text.str()])));
  llvm::json::Object nested{
      {"type", "Microsoft.Resources/deployments"},
      {"apiVersion", kDeploymentsApiVersion},
      {"name", armLiteral(fmt::format("ward-rbac-{}", group))},
      {"resourceGroup", armLiteral(group)},
      {"properties",
       llvm::json::Object{
           {"mode", "Incremental"},
           {"expressionEvaluationOptions", llvm::json::Object{{"scope", "inner"}}},
           {"parameters", std::move(passed)},
           {"template",
            llvm::json::Object{
                {"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
                {"contentVersion", "1.0.0.0"},
                {"parameters", std::move(innerParameters)},
                {"resources", std::move(inner)}}}}}};
  if (!deps.empty()) nested["dependsOn"] = std::move(deps);
  return nested;
}

} // namespace

void generateRbacArtifacts(const RbacPlan &plan, const analysis::Config &config, ArtifactSet &out) {
  if (plan.roles.empty()) return;

  // az CLI role files, one per custom role.
  for (const auto &role : plan.roles) {
    if (!role->builtinId.empty()) continue;
    llvm::json::Array actions, dataActions, scopes;
    for (const std::string &a : role->actions) actions.push_back(a);
    for (const std::string &a : role->dataActions) dataActions.push_back(a);
    for (const std::string &s : role->assignableScopes) scopes.push_back(s);
    out.addJson("azure/roles/" + role->name + ".json", "az-role-definition",
                llvm::json::Object{{"Name", role->name},
                                   {"IsCustom", true},
                                   {"Description", role->description},
                                   {"Actions", std::move(actions)},
                                   {"NotActions", llvm::json::Array{}},
                                   {"DataActions", std::move(dataActions)},
                                   {"NotDataActions", llvm::json::Array{}},
                                   {"AssignableScopes", std::move(scopes)}},
                role->sources);
  }

  // The ARM template. Its parameters (one per principal) are printed one by
  // one as well: a policy may have thousands of principals.
  std::vector<SourceRange> sources;
  std::map<std::string, std::string> parameters; // name -> printed value
  std::map<const IdentityDecl *, std::string> principalIds;
  for (const AssignmentSpec &a : plan.assignments) {
    sources.push_back(a.source);
    if (principalIds.count(a.principal)) continue;
    // Always a parameter (with the policy's `object_id` as its default when it
    // gives one): arm-ttk wants every `*Id` property to be an expression.
    std::string objectId = (*a.principal->settings.objectId).str();
    std::string param = parameterName(*a.principal);
    principalIds[a.principal] = fmt::format("[parameters('{}')]", param);
    llvm::json::Object parameter{
        {"type", "string"},
        {"metadata",
         llvm::json::Object{{"description", fmt::format("Object id of `{}` ({}){}", a.principal->name.text,
                                                        principalTypeOf(a.principal->identityKind).str(),
                                                        objectId.empty() ? "; the policy does not give it" : "")}}}};
    if (!objectId.empty()) parameter["defaultValue"] = armLiteral(objectId);
    parameters[param] = JsonArrayDocument::print(std::move(parameter));
  }

  JsonArrayDocument resources; // printed one by one: there may be thousands
  for (const auto &role : plan.roles) {
    if (!role->builtinId.empty()) continue;
    llvm::json::Array actions, dataActions, scopes;
    for (const std::string &a : role->actions) actions.push_back(a);
    for (const std::string &a : role->dataActions) dataActions.push_back(a);
    for (const std::string &s : role->assignableScopes) scopes.push_back(armLiteral(s));
    // Empty arrays are left out: `notActions` and `notDataActions` are never
    // used, and arm-ttk's "Template Should Not Contain Blanks" refuses them.
    llvm::json::Object permissions;
    if (!actions.empty()) permissions["actions"] = std::move(actions);
    if (!dataActions.empty()) permissions["dataActions"] = std::move(dataActions);
    resources.add(
        llvm::json::Object{{"type", "Microsoft.Authorization/roleDefinitions"},
                           {"apiVersion", "2022-04-01"},
                           {"name", "[" + roleDefinitionGuid(*role) + "]"},
                           {"properties", llvm::json::Object{{"roleName", armLiteral(role->name)},
                                                             {"description", armLiteral(role->description)},
                                                             {"type", "CustomRole"},
                                                             {"permissions", llvm::json::Array{std::move(permissions)}},
                                                             {"assignableScopes", std::move(scopes)}}}});
  }

  // Home resource group: configured, or the one with the most assignments.
  std::map<std::string, size_t> perGroup;
  for (const AssignmentSpec &a : plan.assignments) ++perGroup[a.scope.resourceGroup.str()];
  std::string home = config.homeResourceGroup;
  if (home.empty())
    for (auto &[group, count] : perGroup)
      if (home.empty() || count > perGroup[home]) home = group;

  std::map<std::string, std::vector<const AssignmentSpec *>> elsewhere;
  // Sorted by scope, principal and role; the scope's id is made once each.
  std::vector<std::pair<std::string, const AssignmentSpec *>> sorted;
  for (const AssignmentSpec &a : plan.assignments) sorted.emplace_back(a.scope.id(), &a);
  std::sort(sorted.begin(), sorted.end(), [](const auto &x, const auto &y) {
    return std::tie(x.first, x.second->principal->name.text, x.second->role->name) <
           std::tie(y.first, y.second->principal->name.text, y.second->role->name);
  });
  std::vector<const AssignmentSpec *> inHome;
  for (const auto &[scopeId, a] : sorted) {
    if (a->scope.resourceGroup == home) inHome.push_back(a);
    else elsewhere[a->scope.resourceGroup.str()].push_back(a);
  }
  // Each assignment's resource is printed on its own (there may be
  // thousands), in parallel, and added in order; a batch at a time, so that
  // the printed texts are not all held twice.
  constexpr size_t kBatch = 4096;
  std::vector<std::string> printed(kBatch);
  for (size_t first = 0; first < inHome.size(); first += kBatch) {
    size_t count = std::min(kBatch, inHome.size() - first);
    llvm::parallelForEachN(0, count, [&](size_t i) {
      const AssignmentSpec &a = *inHome[first + i];
      llvm::json::Object r = assignmentResource(a, roleDefinitionIdExpression(*a.role), principalIds.at(a.principal));
      llvm::json::Array deps = dependsOn(*a.role);
      if (!deps.empty()) r["dependsOn"] = std::move(deps);
      printed[i] = JsonArrayDocument::print(std::move(r));
    });
    for (size_t i = 0; i < count; ++i) resources.addPrinted(std::exchange(printed[i], {}));
  }
  // Other resource groups: a nested deployment each; values are passed in as
  // parameters, so the inner template is self-contained. Printed in
  // parallel, like the assignments above.
  std::vector<const std::pair<const std::string, std::vector<const AssignmentSpec *>> *> groups;
  for (const auto &entry : elsewhere) groups.push_back(&entry);
  for (size_t first = 0; first < groups.size(); first += kBatch) {
    size_t count = std::min(kBatch, groups.size() - first);
    llvm::parallelForEachN(0, count, [&](size_t i) {
      const auto &[group, assignments] = *groups[first + i];
      printed[i] = JsonArrayDocument::print(nestedDeployment(group, assignments, principalIds));
    });
    for (size_t i = 0; i < count; ++i) resources.addPrinted(std::exchange(printed[i], {}));
  }

  llvm::json::Object head{
      {"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
      {"contentVersion", "1.0.0.0"},
      {"metadata", llvm::json::Object{{"generator", "wardc"}, {"resourceGroup", home}}}};
  std::vector<JsonArrayDocument::PrintedMember> printedParameters;
  for (auto &[name, value] : parameters) printedParameters.push_back({name, std::move(value)});
  parameters.clear();
  std::string document = std::move(resources).finish(
      head, "resources", {{"parameters", JsonArrayDocument::printObject(std::move(printedParameters))}});
  out.add({"azure/rbac.json", "arm-template", std::move(document), std::move(sources)});
}

} // namespace ward::codegen
