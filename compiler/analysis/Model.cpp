#include "analysis/Model.h"

#include <fmt/format.h>

namespace ward::analysis {

std::vector<ActionEntry> capabilityActions(const CapabilityDecl &cap) {
  std::vector<ActionEntry> out;
  for (const TextSetting &a : cap.settings.actions) out.emplace_back(*a, false);
  for (const TextSetting &a : cap.settings.dataActions) out.emplace_back(*a, true);
  return out;
}

bool Hold::allows(llvm::StringRef action, bool data) const {
  return role ? role->allows(action, data) : explicitPermissions.allows(action, data);
}

bool Hold::hasDataActions() const { return role ? role->hasDataActions() : explicitPermissions.hasDataActions(); }

std::vector<std::pair<std::string, bool>> Hold::writtenActions() const {
  std::vector<std::pair<std::string, bool>> out;
  for (llvm::StringRef a : explicitPermissions.actions) out.emplace_back(a, false);
  for (llvm::StringRef a : explicitPermissions.dataActions) out.emplace_back(a, true);
  return out;
}

bool Principal::generatedCovers(const Need &need) const {
  return std::any_of(intents.begin(), intents.end(), [&](const Need &i) {
    return i.data() == need.data() && actionMatches(i.action(), need.action()) && i.scope()->contains(*need.scope());
  });
}

bool Principal::grantsCover(const Need &need) const {
  return std::any_of(grants.begin(), grants.end(), [&](const Hold &h) {
    return h.scope.contains(*need.scope()) && h.allows(need.action(), need.data());
  });
}

std::vector<const Need *> Principal::allNeeds() const {
  std::vector<const Need *> out;
  out.reserve(intents.size() + implied.size());
  for (const Need &n : intents) out.push_back(&n);
  for (const Need &n : implied) out.push_back(&n);
  return out;
}

const Scope *PermissionModel::sharedScope(const ResourceDecl &resource) {
  std::unique_ptr<Scope> &slot = scopes_[&resource];
  if (!slot) slot = std::make_unique<Scope>(scopeOf(resource));
  return slot.get();
}

const std::vector<ActionEntry> &PermissionModel::actionsOf(const CapabilityDecl &cap) {
  auto [known, first] = actions_.try_emplace(&cap);
  if (first) known->second = capabilityActions(cap);
  return known->second;
}

llvm::StringRef PermissionModel::keep(std::string text) { return texts_.insert(text).first->getKey(); }

Scope PermissionModel::scopeOf(const ResourceDecl &resource) const {
  Scope s;
  const ResourceTypeDecl *type = resource.typeDecl();
  const ResourceSettings &settings = resource.settings;
  s.subscription = *settings.subscription;
  if (s.subscription.empty()) s.subscription = defaultSubscription_;
  switch (type ? type->settings.level : ScopeLevel::Resource) {
  case ScopeLevel::ManagementGroup:
    s.level = Scope::Level::ManagementGroup;
    s.managementGroup = *settings.name;
    break;
  case ScopeLevel::Subscription: s.level = Scope::Level::Subscription; break;
  case ScopeLevel::ResourceGroup:
    s.level = Scope::Level::ResourceGroup;
    s.resourceGroup = *settings.name;
    break;
  case ScopeLevel::Resource:
    s.level = Scope::Level::Resource;
    s.resourceGroup = *settings.resourceGroup;
    s.resourceType = type ? *type->settings.armType : "";
    s.name = *settings.name;
    break;
  }
  return s;
}

/// Room for `more` needs at once, still growing geometrically: a capability
/// adds its actions together, and one push at a time would reallocate a
/// principal's needs several times per `allow`.
static void roomFor(std::vector<Need> &needs, size_t more) {
  size_t wanted = needs.size() + more;
  if (wanted > needs.capacity()) needs.reserve(std::max(wanted, 2 * needs.capacity()));
}

PermissionModel PermissionModel::build(const Program &program, const RoleCatalog &roles) {
  PermissionModel model;

  llvm::DenseMap<const IdentityDecl *, size_t> index;
  auto principal = [&](const Ref &ref) -> Principal * {
    const auto *identity = llvm::dyn_cast_or_null<IdentityDecl>(ref.target);
    if (!identity) return nullptr;
    auto [it, inserted] = index.try_emplace(identity, model.principals_.size());
    if (inserted) model.principals_.push_back(Principal{identity, {}, {}, {}});
    return &model.principals_[it->second];
  };

  // The capability a backup trigger needs: `backup.operate` on the vault's
  // type; a relay, which builds its URLs itself, `backup.on_demand`.
  // And the subscription a resource without its own belongs to: the tenant's.
  std::map<const Decl *, const CapabilityDecl *> backupOperateByType, onDemandByType;
  for (const auto &file : program.files)
    for (const auto &decl : file->decls)
      if (auto *cap = llvm::dyn_cast<CapabilityDecl>(decl.get())) {
        if (cap->name.text == "backup.operate") backupOperateByType[cap->resourceType.target] = cap;
        if (cap->name.text == "backup.on_demand") onDemandByType[cap->resourceType.target] = cap;
      } else if (auto *tenant = llvm::dyn_cast<TenantDecl>(decl.get()); tenant && model.defaultSubscription_.empty()) {
        model.defaultSubscription_ = *tenant->settings.subscription;
      }
  if (model.defaultSubscription_.empty()) model.defaultSubscription_ = "{subscription}";
  auto implyCapability = [&](Principal &p, const std::map<const Decl *, const CapabilityDecl *> &byType,
                             const ResourceDecl &vault, const Decl *source, SourceRange range, std::string via) {
    auto found = byType.find(vault.typeDecl());
    if (found == byType.end()) return;
    const NeedOrigin &origin = model.origins_.emplace_back(NeedOrigin{
        model.sharedScope(vault), &vault, source, range, model.keep(std::move(via)), found->second->name.text});
    const std::vector<ActionEntry> &actions = model.actionsOf(*found->second);
    roomFor(p.implied, actions.size());
    for (const ActionEntry &action : actions) p.implied.push_back({&action, &origin});
  };

  // Per capability, once: how its needs are described.
  llvm::DenseMap<const CapabilityDecl *, llvm::StringRef> viaOf;
  for (const auto &file : program.files) {
    for (const auto &declPtr : file->decls) {
      const Decl *decl = declPtr.get();
      if (auto *allow = llvm::dyn_cast<AllowDecl>(decl)) {
        Principal *p = principal(allow->identity);
        auto *cap = llvm::dyn_cast_or_null<CapabilityDecl>(allow->capability.target);
        auto *res = llvm::dyn_cast_or_null<ResourceDecl>(allow->resource.target);
        if (!p || !cap || !res) continue;
        auto [known, first] = viaOf.try_emplace(cap);
        if (first) known->second = model.keep(fmt::format("capability `{}`", cap->name.text));
        const NeedOrigin &origin = model.origins_.emplace_back(
            NeedOrigin{model.sharedScope(*res), res, allow, allow->range, known->second, cap->name.text});
        const std::vector<ActionEntry> &actions = model.actionsOf(*cap);
        roomFor(p->intents, actions.size());
        for (const ActionEntry &action : actions) p->intents.push_back({&action, &origin});
      } else if (auto *grant = llvm::dyn_cast<GrantDecl>(decl)) {
        Principal *p = principal(grant->identity);
        auto *res = llvm::dyn_cast_or_null<ResourceDecl>(grant->scope.target);
        if (!p || !res) continue;
        Hold hold;
        hold.grant = grant;
        hold.scope = model.scopeOf(*res);
        hold.scopeResource = res;
        if (grant->role) {
          hold.role = roles.byName(grant->role->text);
        } else {
          for (const Value &v : grant->actions) hold.explicitPermissions.actions.push_back(v.text);
          for (const Value &v : grant->dataActions) hold.explicitPermissions.dataActions.push_back(v.text);
        }
        p->grants.push_back(std::move(hold));
      } else if (auto *backup = llvm::dyn_cast<BackupDecl>(decl)) {
        for (const Ref &trigger : backup->triggers) {
          Principal *p = principal(trigger);
          if (!p) continue;
          for (const Protection &protection : backup->protections) {
            auto *vault = llvm::dyn_cast_or_null<ResourceDecl>(protection.vault.target);
            if (!vault) continue;
            implyCapability(*p, backupOperateByType, *vault, backup, trigger.name.range,
                            fmt::format("on-demand backup of `{}`", backup->name.text));
          }
        }
      } else if (auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(decl)) {
        for (const Route &route : ew->routes)
          for (const RouteAction &a : route.actions) {
            auto *relay = llvm::dyn_cast_or_null<ResourceDecl>(a.relay().target);
            if (a.kind != RouteAction::Kind::TriggerBackup || !a.backup() || !relay || !relay->managedIdentity)
              continue;
            Principal *p = principal(Ref{relay->managedIdentity->name, relay->managedIdentity});
            for (const Protection &protection : a.backup()->protections) {
              auto *vault = llvm::dyn_cast_or_null<ResourceDecl>(protection.vault.target);
              bool covers =
                  llvm::any_of(protection.items, [&](const Ref &item) { return item.target == a.backedUp().target; });
              if (vault && covers)
                implyCapability(*p, onDemandByType, *vault, ew, a.range,
                                fmt::format("on-demand backup of `{}` through relay `{}`", a.backedUp().name.text,
                                            relay->name.text));
            }
          }
      }
    }
  }
  return model;
}

} // namespace ward::analysis
