#include "ast/Walk.h"

namespace ward {

const RefSiteInfo &refSiteInfo(RefSite site) {
  static const RefSiteInfo kInfo[] = {
      {DeclKind::IssuerTemplate, "an issuer's `:`"},
      {DeclKind::ResourceType, "a resource's `:`"},
      {DeclKind::ResourceType, "`capability ... on`"},
      {DeclKind::Identity, "`allow`"},
      {DeclKind::Resource, "`allow ... on`"},
      {DeclKind::Capability, "`allow ... to`"},
      {DeclKind::Identity, "`grant`"},
      {DeclKind::Resource, "`grant ... on`"},
      {DeclKind::Issuer, "`require token from`"},
      {DeclKind::Resource, "`forward to`"},
      {DeclKind::Retry, "`forward ... retry`"},
      {DeclKind::Resource, "`trigger backup`"},
      {DeclKind::Resource, "`backup ... through`"},
      {DeclKind::Resource, "`protect`"},
      {DeclKind::Resource, "`protect ... in`"},
      {DeclKind::Identity, "`trigger by`"},
  };
  return kInfo[static_cast<size_t>(site)];
}

void forEachRef(Decl &decl, llvm::function_ref<void(Ref &, RefSite)> visit) {
  auto action = [&](RouteAction &a) {
    if (a.backupCall && a.kind == RouteAction::Kind::TriggerBackup)
      visit(a.backupCall->backedUp, RefSite::BackupTarget);
    if (a.backupCall && (a.kind == RouteAction::Kind::TriggerBackup || a.kind == RouteAction::Kind::PollBackup))
      visit(a.backupCall->relay, RefSite::BackupRelay);
    if (a.kind != RouteAction::Kind::Forward) return;
    if (a.forwardTo) visit(*a.forwardTo, RefSite::ForwardOrigin);
    if (a.retry) visit(*a.retry, RefSite::ForwardRetry);
  };
  switch (decl.kind()) {
  case DeclKind::Issuer:
    if (auto &d = llvm::cast<IssuerDecl>(decl); d.templateRef) visit(*d.templateRef, RefSite::IssuerTemplate);
    break;
  case DeclKind::Resource: visit(llvm::cast<ResourceDecl>(decl).type, RefSite::ResourceType); break;
  case DeclKind::Capability: visit(llvm::cast<CapabilityDecl>(decl).resourceType, RefSite::CapabilityType); break;
  case DeclKind::Allow: {
    auto &d = llvm::cast<AllowDecl>(decl);
    visit(d.identity, RefSite::AllowIdentity);
    visit(d.resource, RefSite::AllowResource);
    visit(d.capability, RefSite::AllowCapability);
    break;
  }
  case DeclKind::Grant: {
    auto &d = llvm::cast<GrantDecl>(decl);
    visit(d.identity, RefSite::GrantIdentity);
    visit(d.scope, RefSite::GrantScope);
    break;
  }
  case DeclKind::EdgeWorker: {
    auto &d = llvm::cast<EdgeWorkerDecl>(decl);
    for (Route &route : d.routes) {
      if (route.require) visit(route.require->issuer, RefSite::TokenIssuer);
      for (RouteAction &a : route.actions) action(a);
    }
    for (RouteAction &a : d.defaults) action(a);
    break;
  }
  case DeclKind::Backup: {
    auto &d = llvm::cast<BackupDecl>(decl);
    for (Protection &p : d.protections) {
      for (Ref &item : p.items) visit(item, RefSite::Protected);
      visit(p.vault, RefSite::Vault);
    }
    for (Ref &trigger : d.triggers) visit(trigger, RefSite::Trigger);
    break;
  }
  default: break;
  }
}

void forEachRef(const Decl &decl, llvm::function_ref<void(const Ref &, RefSite)> visit) {
  forEachRef(const_cast<Decl &>(decl), [&](Ref &ref, RefSite site) { visit(ref, site); });
}

static void visitNested(Value &v, llvm::function_ref<void(Value &)> visit) {
  visit(v);
  for (Value &item : v.items()) visitNested(item, visit);
  for (Field &f : v.fields()) visitNested(f.value, visit);
}

void forEachValue(Decl &decl, llvm::function_ref<void(Value &)> visit) {
  auto attrs = [&](AttrList &list) {
    for (Attribute &a : list.items) visitNested(a.value, visit);
  };
  auto action = [&](RouteAction &a) {
    if (a.status) visitNested(*a.status, visit);
    if (a.respond) attrs(a.respond->attrs);
  };
  attrs(decl.attrs);
  if (auto *d = llvm::dyn_cast<GrantDecl>(&decl)) {
    for (Value &v : d->actions) visitNested(v, visit);
    for (Value &v : d->dataActions) visitNested(v, visit);
  } else if (auto *d = llvm::dyn_cast<EdgeWorkerDecl>(&decl)) {
    for (Route &r : d->routes) {
      attrs(r.attrs);
      if (r.require) attrs(r.require->attrs);
      for (RouteAction &a : r.actions) action(a);
    }
    for (RouteAction &a : d->defaults) action(a);
  } else if (auto *d = llvm::dyn_cast<BackupDecl>(&decl)) {
    for (BackupSchedule &s : d->schedules)
      for (HeapOptional<Value> *v : {&s.interval, &s.windowDuration, &s.days})
        if (*v) visitNested(**v, visit);
  }
}

void forEachValue(const Decl &decl, llvm::function_ref<void(const Value &)> visit) {
  forEachValue(const_cast<Decl &>(decl), [&](Value &v) { visit(v); });
}

void forEachConstructRange(const Decl &decl, llvm::function_ref<void(SourceRange)> visit) {
  visit(decl.range);
  for (const Attribute &a : decl.attrs.items) visit(a.range());
  if (auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(&decl)) {
    for (const Route &r : ew->routes) {
      visit(r.range);
      if (r.require) visit(r.require->range);
      for (const RouteAction &a : r.actions) visit(a.range);
    }
    for (const RouteAction &a : ew->defaults) visit(a.range);
  } else if (auto *b = llvm::dyn_cast<BackupDecl>(&decl)) {
    for (const Protection &p : b->protections) visit(p.range);
    for (const BackupSchedule &s : b->schedules) visit(s.range);
  }
}

void clearSemantics(SourceFile &file) {
  for (auto &decl : file.decls) {
    forEachRef(*decl, [](Ref &ref, RefSite) { ref.target = nullptr; });
    forEachValue(*decl, [](Value &v) {
      if (v.kind == Value::Kind::Ref) v.setTarget(nullptr);
    });
    decl->clearSemantics();
  }
  for (const Suppression &s : file.suppressions) s.used = false;
}

} // namespace ward
