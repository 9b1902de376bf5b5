//===- PrivilegeRules.cpp - Least and sufficient privilege ---------------===//
#include "analysis/RuleContext.h"
#include "source/Text.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace ward::analysis {
namespace {

const std::set<std::string> kOwnerClassRoles = {"owner", "contributor", "user access administrator",
                                                "role based access control administrator"};

/// The fix for an over-broad grant: declare the intent and let Ward generate
/// the minimal role.
std::string narrowAlternative(const Principal &p) {
  const std::string &name = p.identity->name.text;
  std::set<std::string> intentActions;
  for (const Need &n : p.intents) intentActions.insert(n.action);
  std::set<std::string> triggerCaps;
  for (const Need &n : p.implied)
    if (!p.generatedCovers(n))
      triggerCaps.insert(fmt::format("`allow {} to backup.operate on {}`", name, n.resource->name.text));
  if (!triggerCaps.empty())
    return fmt::format("declare {} instead: Ward generates a role with exactly the {} actions an on-demand backup needs",
                       *triggerCaps.begin(), p.implied.size() / std::max<size_t>(1, triggerCaps.size()));
  if (!intentActions.empty())
    return fmt::format("`{}` needs {} action{} for its intents, and Ward already generates a role with exactly those "
                       "from its `allow` rules; remove this grant",
                       name, intentActions.size(), intentActions.size() == 1 ? "" : "s");
  return fmt::format("declare what `{}` needs with `allow {} to <capability> on <resource>`; Ward generates a role "
                     "with exactly those actions",
                     name, name);
}

std::string describeScope(const Hold &h) { return fmt::format("`{}`", h.scopeResource->name.text); }

std::string listFew(const std::vector<std::string> &items, size_t limit = 3, llvm::StringRef conjunction = "and") {
  std::vector<std::string> quoted;
  for (size_t i = 0; i < items.size() && i < limit; ++i) quoted.push_back("`" + items[i] + "`");
  if (items.size() <= limit) return joinAlternatives(quoted, conjunction);
  return llvm::join(quoted, ", ") + fmt::format(" and {} more", items.size() - limit);
}

/// The operations of `candidates` that `h` allows and no need matches.
std::vector<std::string> allowedButUnneeded(const Hold &h, const std::vector<const Need *> &needs,
                                            const std::vector<std::pair<std::string, bool>> &candidates) {
  std::vector<std::string> out;
  for (const auto &[action, data] : candidates) {
    if (!h.allows(action, data)) continue;
    bool needed = std::any_of(needs.begin(), needs.end(), [&, &action = action, data = data](const Need *n) {
      return n->data == data && actionMatches(n->action, action);
    });
    if (!needed) out.push_back(action);
  }
  return out;
}

/// Whether operation `action` can take effect at `scope`: at a resource, only
/// that resource type's own operations (and Microsoft.Authorization's, which
/// apply at every scope) do; at a resource group or above, all do.
bool appliesAt(llvm::StringRef action, const Scope &scope) {
  if (scope.level != Scope::Level::Resource || action.startswith_insensitive("Microsoft.Authorization/")) return true;
  llvm::StringRef type = scope.resourceType;
  return action.size() > type.size() && action.startswith_insensitive(type) && action[type.size()] == '/';
}

/// The dangerous operations `h` allows at its scope that no need matches,
/// named as the grant names them: the written action patterns of an
/// action-list grant, the catalogue's operations for a role.
std::vector<std::string> dangerousForGrant(const Hold &h, const std::vector<const Need *> &needs,
                                           const std::vector<std::pair<std::string, bool>> &dangerous) {
  std::vector<std::pair<std::string, bool>> atScope;
  for (const auto &op : dangerous)
    if (appliesAt(op.first, h.scope)) atScope.push_back(op);
  std::vector<std::string> operations = allowedButUnneeded(h, needs, atScope);
  if (h.role) return operations;
  std::vector<std::string> written;
  for (const auto &[pattern, data] : h.writtenActions())
    for (const std::string &op : operations)
      if (actionMatches(pattern, op) && !llvm::is_contained(written, pattern)) written.push_back(pattern);
  return written;
}

SourceRange grantWhatRange(const Hold &h) {
  if (h.grant->role) return h.grant->role->range;
  if (!h.grant->actions.empty()) return h.grant->actions.front().range;
  if (!h.grant->dataActions.empty()) return h.grant->dataActions.front().range;
  return h.grant->keyword;
}

void checkActionCatalogue(RuleContext &ctx, const Value &v, bool data) {
  if (v.kind != Value::Kind::String) return;
  switch (ctx.azure.operations.lookup(v.text, data)) {
  case OperationCatalog::Status::Known: return;
  case OperationCatalog::Status::KnownAsOtherKind:
    ctx.report(RuleID::UnknownAction, v.range,
               fmt::format("`{}` is a{} action, not a{} action", v.text, data ? " control-plane" : " data",
                           data ? " data" : " control-plane"))
        .withHelp(data ? "move it to `actions`" : "move it to `data_actions`");
    return;
  case OperationCatalog::Status::UncataloguedProvider: {
    DiagnosticBuilder d = ctx.report(RuleID::UnknownAction, v.range,
                               fmt::format("provider `{}` is not in Ward's catalogue; `{}` cannot be checked",
                                           llvm::StringRef(v.text).split('/').first.str(), v.text));
    if (d->severity == Severity::Error) d->severity = Severity::Note; // unknown to us is not wrong
    d.withHelp("add the operation to `catalog` in ward.json to have it checked");
    return;
  }
  case OperationCatalog::Status::Unknown: {
    DiagnosticBuilder d = ctx.report(RuleID::UnknownAction, v.range,
                               fmt::format("unknown Azure {}action `{}`", data ? "data " : "", v.text));
    std::vector<std::string> close = ctx.azure.operations.closest(v.text, data);
    if (!close.empty()) {
      d.withHelp(fmt::format("did you mean {}?", listFew(close, 3, "or")));
      d.suggest(v.range, "\"" + close.front() + "\"");
    } else {
      d.withHelp("check the spelling against the Azure RBAC permissions reference, or add it to `catalog` in ward.json");
    }
    return;
  }
  }
}

/// An escalation or credential read that the policy declares as an intent
/// (a capability of its own holding `roleAssignments/write`, say) may be the
/// point of that identity, so it is not an error; but a reviewer must see it,
/// so it is reported as a note naming the operations.
void declaredDanger(RuleContext &ctx, const Principal &p, const std::vector<std::pair<std::string, bool>> &escalation,
                    const std::vector<std::pair<std::string, bool>> &exposure) {
  std::map<const Decl *, std::pair<std::vector<std::string>, std::vector<std::string>>> bySource;
  for (const Need &n : p.intents) {
    auto matches = [&](const std::vector<std::pair<std::string, bool>> &ops) {
      return std::any_of(ops.begin(), ops.end(), [&](auto &op) {
        // Most needs are concrete operations: compare the strings first.
        return op.second == n.data && (llvm::StringRef(n.action).equals_insensitive(op.first) ||
                                       (llvm::StringRef(n.action).contains('*') && actionMatches(n.action, op.first)));
      });
    };
    auto &[esc, exp] = bySource[n.source];
    if (matches(escalation) && !llvm::is_contained(esc, n.action)) esc.push_back(n.action);
    if (matches(exposure) && !llvm::is_contained(exp, n.action)) exp.push_back(n.action);
  }
  for (auto &[source, found] : bySource) {
    auto *allow = llvm::dyn_cast<AllowDecl>(source);
    if (!allow) continue;
    auto note = [&](RuleID rule, const std::vector<std::string> &ops, const char *what) {
      if (ops.empty()) return;
      DiagnosticBuilder d = ctx.report(rule, allow->capability.name.range,
                                 fmt::format("`{}` lets `{}` {}: {}", allow->capability.name.text, p.identity->name.text,
                                             what, listFew(ops)));
      if (d->severity == Severity::Error) d->severity = Severity::Note; // declared on purpose, shown for review
      d.withHelp("an intent the policy declares is allowed; make sure this identity is meant to do this, and keep it "
                 "to the narrowest resource");
    };
    note(RuleID::PrivilegeEscalation, found.first, "escalate privileges");
    note(RuleID::CredentialExposure, found.second, "read keys or secrets");
  }
}

} // namespace

void runPrivilegeRules(RuleContext &ctx) {
  // Action strings written in the policy: wildcards and the catalogue.
  ctx.forEachUserDecl([&](Decl &decl) {
    std::vector<std::pair<const Value *, bool>> written;
    if (auto *cap = llvm::dyn_cast<CapabilityDecl>(&decl)) {
      for (const TextSetting &a : cap->settings.actions) written.emplace_back(a.written, false);
      for (const TextSetting &a : cap->settings.dataActions) written.emplace_back(a.written, true);
    } else if (auto *grant = llvm::dyn_cast<GrantDecl>(&decl)) {
      for (const Value &v : grant->actions) written.emplace_back(&v, false);
      for (const Value &v : grant->dataActions) written.emplace_back(&v, true);
    }
    for (auto [value, data] : written) {
      checkActionCatalogue(ctx, *value, data);
      if (llvm::StringRef(value->text).contains('*')) {
        std::vector<std::string> covered = ctx.azure.operations.matching(value->text, data);
        ctx.report(RuleID::WildcardAction, value->range,
                   fmt::format("`{}` is a wildcard: it grants {} catalogued operation{} today and every one Azure adds later",
                               value->text, covered.size(), covered.size() == 1 ? "" : "s"))
            .withHelp("list the operations the intent needs, one by one");
      }
    }
  });

  // Dangerous operations, resolved against the catalogue once per run:
  // privilege escalation, and reading keys, credentials or secrets.
  std::vector<std::pair<std::string, bool>> escalationActions = {
      {"Microsoft.Authorization/roleAssignments/write", false},
      {"Microsoft.Authorization/roleDefinitions/write", false},
      {"Microsoft.Authorization/elevateAccess/action", false}};
  for (const std::string &a : ctx.azure.operations.matching("*/assign/action", false)) escalationActions.emplace_back(a, false);
  std::vector<std::pair<std::string, bool>> exposureActions;
  for (auto [pattern, data] : {std::pair<const char *, bool>{"*/listKeys/action", false},
                               {"*/listCredentials/action", false},
                               {"Microsoft.KeyVault/vaults/secrets/getSecret/action", true}})
    for (const std::string &a : ctx.azure.operations.matching(pattern, data)) exposureActions.emplace_back(a, data);

  // Every catalogued operation, for what a built-in role grants beyond the needs.
  std::vector<std::pair<std::string, bool>> catalogued;
  for (bool data : {false, true})
    for (const std::string &op : ctx.azure.operations.matching("*", data)) catalogued.emplace_back(op, data);

  for (const Principal &p : ctx.model.principals()) {
    const std::string &who = p.identity->name.text;
    declaredDanger(ctx, p, escalationActions, exposureActions);
    const std::vector<const Need *> needs = p.allNeeds();
    if (p.identity->identityKind == IdentityKind::User) {
      for (const Hold &h : p.grants)
        ctx.report(RuleID::UserAssignment, h.grant->identity.name.range,
                   fmt::format("`{}` is a user: assign permissions to a group the user belongs to", who))
            .label(p.identity->name.range, "declared as a user here")
            .withHelp("declare an `identity ... : group` and grant or allow it instead");
      std::set<const Decl *> seen;
      for (const Need &n : p.intents)
        if (seen.insert(n.source).second)
          ctx.report(RuleID::UserAssignment, llvm::cast<AllowDecl>(n.source)->identity.name.range,
                     fmt::format("`{}` is a user: assign permissions to a group the user belongs to", who))
              .withHelp("declare an `identity ... : group` and allow it instead");
    }

    for (const Need &n : p.intents)
      if (n.data && n.scope.level == Scope::Level::ManagementGroup)
        ctx.report(RuleID::DataActionsAtMgScope, n.range,
                   fmt::format("{} has data actions, which Azure cannot assign at management-group scope", n.via))
            .withHelp("allow it on the subscription, resource group or resource that holds the data");

    for (const Hold &h : p.grants) {
      SourceRange at = grantWhatRange(h);
      if (h.grant->role && !h.role) {
        DiagnosticBuilder d = ctx.report(RuleID::UnknownAction, h.grant->role->range,
                                   fmt::format("unknown built-in role \"{}\"", quoteForMessage(h.grant->role->text)));
        std::vector<std::string> close = closestNames(h.grant->role->text, ctx.azure.roles.names());
        if (!close.empty()) d.withHelp(fmt::format("did you mean \"{}\"?", close.front())).suggest(h.grant->role->range, "\"" + close.front() + "\"");
        continue;
      }
      if (h.role) {
        if (kOwnerClassRoles.count(llvm::StringRef(h.role->name).lower()))
          ctx.report(RuleID::OwnerClassRole, at,
                     fmt::format("`{}` is an owner-class role: it lets `{}` change almost anything in {}", h.role->name,
                                 who, describeScope(h)))
              .label(p.identity->name.range, fmt::format("`{}` declared here", who))
              .withHelp(narrowAlternative(p));
        std::vector<std::string> wildcards;
        for (const PermissionSet &perm : h.role->permissions) {
          for (const std::string &a : perm.actions)
            if (llvm::StringRef(a).contains('*') && !llvm::StringRef(a).endswith("/read")) wildcards.push_back(a);
          for (const std::string &a : perm.dataActions)
            if (llvm::StringRef(a).contains('*')) wildcards.push_back(a);
        }
        if (!wildcards.empty() && !kOwnerClassRoles.count(llvm::StringRef(h.role->name).lower()))
          ctx.report(RuleID::WildcardAction, at,
                     fmt::format("role `{}` grants wildcard actions ({})", h.role->name, listFew(wildcards, 2)))
              .withHelp(narrowAlternative(p));
      }
      if (h.hasDataActions() && h.scope.level == Scope::Level::ManagementGroup)
        ctx.report(RuleID::DataActionsAtMgScope, at,
                   fmt::format("this grant has data actions, which Azure cannot assign at management-group scope ({})",
                               describeScope(h)))
            .withHelp("grant it on the subscription, resource group or resource that holds the data");

      // What can this grant do that is dangerous and no intent needs?
      std::vector<std::string> escalating = dangerousForGrant(h, needs, escalationActions);
      if (!escalating.empty())
        ctx.report(RuleID::PrivilegeEscalation, at,
                   fmt::format("this grant lets `{}` escalate its own privileges: {}", who, listFew(escalating)))
            .withHelp(narrowAlternative(p));
      std::vector<std::string> exposing = dangerousForGrant(h, needs, exposureActions);
      if (!exposing.empty())
        ctx.report(RuleID::CredentialExposure, at,
                   fmt::format("this grant lets `{}` read keys or secrets no intent needs: {}", who, listFew(exposing)))
            .withHelp(narrowAlternative(p));

      // Which needs does the grant serve? None: unused. Some: is its scope too broad?
      std::vector<const Need *> served;
      for (const Need *n : needs)
        if (h.allows(n->action, n->data) && h.scope.contains(n->scope)) served.push_back(n);
      if (served.empty()) {
        ctx.report(RuleID::UnusedPermission, at,
                   fmt::format("no intent of `{}` uses this grant on {}", who, describeScope(h)))
            .withHelp("remove the grant, or declare the intent that needs it with `allow`");
        continue;
      }
      // A built-in role that serves some needs still grants what none uses.
      if (h.role) {
        std::vector<std::pair<std::string, bool>> atScope;
        for (const auto &op : catalogued)
          if (appliesAt(op.first, h.scope)) atScope.push_back(op);
        std::vector<std::string> unused = allowedButUnneeded(h, needs, atScope);
        // Name the resource's own operations first; Microsoft.Authorization's apply everywhere.
        std::stable_partition(unused.begin(), unused.end(), [](const std::string &op) {
          return !llvm::StringRef(op).startswith_insensitive("Microsoft.Authorization/");
        });
        if (!unused.empty())
          ctx.report(RuleID::UnusedPermission, at,
                     fmt::format("role `{}` lets `{}` perform {} operation{} on {} that no intent uses, such as {}",
                                 h.role->name, who, unused.size(), unused.size() == 1 ? "" : "s", describeScope(h),
                                 listFew(unused, 2)))
              .withHelp(narrowAlternative(p));
      }
      for (const auto &[action, data] : h.writtenActions()) {
        bool used = std::any_of(served.begin(), served.end(),
                                [&, &action = action, data = data](const Need *n) { return n->data == data && actionMatches(action, n->action); });
        // One cause, one finding: an action W026 reports as unknown or of the
        // other kind gets W026's fix, not a second one that deletes it.
        if (used || ctx.azure.operations.lookup(action, data) != OperationCatalog::Status::Known) continue;
        auto &list = data ? h.grant->dataActions : h.grant->actions;
        for (const Value &v : list)
          if (v.text == action)
            ctx.report(RuleID::UnusedPermission, v.range, fmt::format("no intent of `{}` uses `{}`", who, action))
                .withHelp("remove it from the grant")
                .fix(v.range, "");
      }
      Scope narrowest = served.front()->scope;
      for (const Need *n : served) narrowest = Scope::commonAncestor(narrowest, n->scope);
      if (!(narrowest == h.scope) && h.scope.contains(narrowest)) {
        const ResourceDecl *narrowResource = nullptr;
        for (const Need *n : served)
          if (n->resource && ctx.model.scopeOf(*n->resource) == narrowest) narrowResource = n->resource;
        std::string needed = narrowResource ? fmt::format("the {} `{}`", narrowest.levelName().str(), narrowResource->name.text)
                                            : fmt::format("the {} `{}`", narrowest.levelName().str(), narrowest.id());
        DiagnosticBuilder d = ctx.report(RuleID::BroadScope, h.grant->scope.name.range,
                                   fmt::format("`{}` is a {}, but the intents this grant serves need only {}",
                                               h.scopeResource->name.text, h.scope.levelName().str(), needed));
        if (narrowResource)
          d.withHelp(fmt::format("grant on `{}` instead", narrowResource->name.text))
              .suggest(h.grant->scope.name.range, narrowResource->name.text);
        else
          d.withHelp(fmt::format("declare a resource for `{}` and grant on it", narrowest.id()));
      }
    }

    // Sufficient privilege: needs that no generated role and no grant covers.
    std::map<const Decl *, std::vector<const Need *>> missing;
    for (const Need &n : p.implied)
      if (!p.generatedCovers(n) && !p.grantsCover(n)) missing[n.source].push_back(&n);
    for (auto &[source, needs] : missing) {
      std::vector<std::string> actions;
      for (const Need *n : needs) actions.push_back(n->action);
      ctx.report(RuleID::InsufficientPrivilege, needs.front()->range,
                 fmt::format("`{}` is to trigger the {}, but lacks {} action{} on `{}`: {}", who, needs.front()->via,
                             actions.size(), actions.size() == 1 ? "" : "s", needs.front()->resource->name.text,
                             listFew(actions, 2)))
          .label(p.identity->name.range, fmt::format("`{}` declared here", who))
          .withHelp(fmt::format("add `allow {} to backup.operate on {}`", who, needs.front()->resource->name.text));
    }
  }
}

} // namespace ward::analysis
