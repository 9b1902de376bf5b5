//===- Settings.cpp - Typed settings from checked attributes --------------===//
//
// The one place after the schema checks where attributes are read by name:
// everything later reads the typed settings built here.
//
//===----------------------------------------------------------------------===//
#include "sema/Settings.h"
#include "sema/ValueChecks.h"

#include <algorithm>

namespace ward::sema {
namespace {

const Value *valueOf(const AttrList &attrs, llvm::StringRef key) {
  const Attribute *a = attrs.find(key);
  return a ? &a->value : nullptr;
}

const Value *fieldOf(const Value *object, llvm::StringRef key) {
  if (!object) return nullptr;
  for (const Field &f : object->fields())
    if (f.key().text == key) return &f.value;
  return nullptr;
}

bool isText(const Value *v) { return v && (v->kind == Value::Kind::String || v->kind == Value::Kind::Ref); }

TextSetting textOf(const Value *v) { return isText(v) ? TextSetting{v} : TextSetting{}; }
TextSetting text(const AttrList &attrs, llvm::StringRef key) { return textOf(valueOf(attrs, key)); }

std::vector<TextSetting> texts(const Value *v) {
  std::vector<TextSetting> out;
  if (v && v->kind == Value::Kind::List)
    for (const Value &item : v->items())
      if (isText(&item)) out.push_back(textOf(&item));
  return out;
}
std::vector<TextSetting> texts(const AttrList &attrs, llvm::StringRef key) { return texts(valueOf(attrs, key)); }

/// The whole part of `number`, if an int64_t holds it. A value out of range
/// has its error from the value checks already; converting it would be
/// undefined behaviour.
std::optional<int64_t> wholePart(double number) {
  constexpr double kLimit = 9223372036854775808.0; // 2^63
  if (!(number > -kLimit && number < kLimit)) return std::nullopt;
  return static_cast<int64_t>(number);
}

NumberSetting wholeOf(const Value *v) {
  if (!v || (v->kind != Value::Kind::Number && v->kind != Value::Kind::Quantity)) return {};
  std::optional<int64_t> whole = wholePart(v->number());
  if (!whole) return {};
  return {*whole, v};
}

NumberSetting millisOf(const Value *v) {
  if (!v || v->kind != Value::Kind::Quantity) return {};
  std::optional<int64_t> ms = durationMillis(*v);
  return ms ? NumberSetting{*ms, v} : NumberSetting{};
}
NumberSetting millis(const AttrList &attrs, llvm::StringRef key) { return millisOf(valueOf(attrs, key)); }

IssuerSettings issuerSettings(const AttrList &effective) {
  IssuerSettings s;
  s.issuer = text(effective, "issuer");
  s.jwks = text(effective, "jwks");
  s.jwksFile = text(effective, "jwks_file");
  s.jwksMaxAgeMs = millis(effective, "jwks_max_age");
  s.maxLifetimeMs = millis(effective, "max_lifetime");
  s.tokenLifetimeMs = millis(effective, "token_lifetime");
  s.clockSkewMs = millis(effective, "clock_skew");
  s.audiences = texts(effective, "audiences");
  s.algorithms = texts(effective, "algorithms");
  return s;
}

ScopeLevel scopeLevel(llvm::StringRef level) {
  if (level == "management_group") return ScopeLevel::ManagementGroup;
  if (level == "subscription") return ScopeLevel::Subscription;
  if (level == "resource_group") return ScopeLevel::ResourceGroup;
  return ScopeLevel::Resource;
}

RetrySpec retrySpec(const RetryDecl &decl) {
  RetrySpec r;
  r.decl = &decl;
  r.name = decl.name.text;
  if (NumberSetting attempts = wholeOf(valueOf(decl.attrs, "attempts"))) {
    r.attempts = *attempts;
    r.attemptsWritten = attempts.written;
  }
  if (NumberSetting timeout = millis(decl.attrs, "per_try_timeout")) r.perTryTimeoutMs = *timeout;
  if (const Value *call = valueOf(decl.attrs, "backoff"); call && call->kind == Value::Kind::Call) {
    r.backoff = call;
    r.backoffKind = call->text;
    if (call->text == "constant") {
      r.initialMs = r.maxMs = *millisOf(fieldOf(call, "delay"));
      r.multiplier = 1.0;
    } else {
      r.initialMs = *millisOf(fieldOf(call, "initial"));
      r.maxMs = *millisOf(fieldOf(call, "max"));
      if (const Value *m = fieldOf(call, "multiplier")) r.multiplier = m->number();
    }
    if (const Value *j = fieldOf(call, "jitter")) {
      r.jitter = j->text;
      r.jitterWritten = j;
    }
  }
  if (const Value *on = valueOf(decl.attrs, "on")) {
    r.statuses.reserve(on->items().size()); // grown one status at a time, each list took three allocations
    r.conditions.reserve(on->items().size());
    for (const Value &v : on->items()) {
      if (v.kind != Value::Kind::Number) r.conditions.push_back(v.text);
      else if (std::optional<int64_t> status = wholePart(v.number())) r.statuses.push_back(*status);
    }
  }
  std::sort(r.statuses.begin(), r.statuses.end());
  r.statuses.erase(std::unique(r.statuses.begin(), r.statuses.end()), r.statuses.end());
  std::sort(r.conditions.begin(), r.conditions.end());
  r.conditions.erase(std::unique(r.conditions.begin(), r.conditions.end()), r.conditions.end());
  if (const Value *budget = valueOf(decl.attrs, "budget")) {
    r.hasBudget = true;
    if (const Value *ratio = fieldOf(budget, "ratio"))
      r.budgetRatio = ratio->unit() == "%" ? ratio->number() / 100.0 : ratio->number();
    if (const Value *floor = fieldOf(budget, "min_per_second")) r.budgetMinPerSecond = *wholeOf(floor);
  }
  if (TextSetting key = text(decl.attrs, "idempotency_key")) r.idempotencyKey = *key;
  return r;
}

EdgeWorkerSettings edgeWorkerSettings(const AttrList &attrs) {
  EdgeWorkerSettings s;
  s.id = wholeOf(valueOf(attrs, "id"));
  s.version = text(attrs, "version");
  s.description = text(attrs, "description");
  if (TextSetting tier = text(attrs, "tier")) {
    s.tier.written = tier.written;
    s.tier.value = *tier == "enterprise" ? EdgeWorkerTier::Enterprise
                   : *tier == "dynamic"  ? EdgeWorkerTier::Dynamic
                                         : EdgeWorkerTier::Basic;
  }
  if (TextSetting log = text(attrs, "log_failures")) s.logFailures = *log == "true";
  return s;
}

TokenRequirementSettings tokenRequirementSettings(const AttrList &attrs) {
  TokenRequirementSettings s;
  s.scopes = texts(attrs, "scopes");
  s.audiencesWritten = valueOf(attrs, "audiences") != nullptr;
  s.audiences = texts(attrs, "audiences");
  s.roles = texts(attrs, "roles");
  if (const Value *claims = valueOf(attrs, "claims"))
    for (const Field &f : claims->fields()) s.claims.emplace_back(f.key().text, f.value.strings());
  return s;
}

void headersOf(RouteAction &action) {
  if (const Value *headers = valueOf(action.attrs(), "headers"))
    for (const Field &f : headers->fields()) action.respond->headers.emplace_back(f.key().text, f.value.text);
}

BackupSettings backupSettings(const AttrList &attrs) {
  BackupSettings s;
  if (const Value *retain = valueOf(attrs, "retain")) {
    s.retainWritten = true;
    s.retain = retain;
    s.dailyDays = wholeOf(fieldOf(retain, "daily"));
    s.weeklyWeeks = wholeOf(fieldOf(retain, "weekly"));
    s.monthlyMonths = wholeOf(fieldOf(retain, "monthly"));
    s.yearlyYears = wholeOf(fieldOf(retain, "yearly"));
  }
  if (NumberSetting days = wholeOf(valueOf(attrs, "instant_restore"))) s.instantRestoreDays = days;
  return s;
}

} // namespace

void buildSettings(Decl &decl) {
  switch (decl.kind()) {
  case DeclKind::Tenant: {
    auto &d = llvm::cast<TenantDecl>(decl);
    d.settings = {text(d.attrs, "id"), text(d.attrs, "subscription"), text(d.attrs, "region"),
                  text(d.attrs, "resource_group")};
    break;
  }
  case DeclKind::Issuer: {
    auto &d = llvm::cast<IssuerDecl>(decl);
    d.settings = issuerSettings(d.effective);
    break;
  }
  case DeclKind::Identity: {
    auto &d = llvm::cast<IdentityDecl>(decl);
    d.settings = {text(d.attrs, "object_id"), text(d.attrs, "client_id")};
    break;
  }
  case DeclKind::ResourceType: {
    auto &d = llvm::cast<ResourceTypeDecl>(decl);
    d.settings.armType = text(d.attrs, "arm_type");
    d.settings.level = scopeLevel(*text(d.attrs, "level"));
    for (const TextSetting &trait : texts(d.attrs, "traits")) d.settings.traits.push_back((*trait).str());
    break;
  }
  case DeclKind::Resource: {
    auto &d = llvm::cast<ResourceDecl>(decl);
    d.settings = {text(d.attrs, "subscription"), text(d.attrs, "resource_group"), text(d.attrs, "name"),
                  text(d.attrs, "origin"), text(d.attrs, "edge_origin")};
    break;
  }
  case DeclKind::Capability: {
    auto &d = llvm::cast<CapabilityDecl>(decl);
    d.settings = {texts(d.attrs, "actions"), texts(d.attrs, "data_actions"), text(d.attrs, "description")};
    break;
  }
  case DeclKind::Retry: {
    auto &d = llvm::cast<RetryDecl>(decl);
    d.spec = retrySpec(d);
    break;
  }
  case DeclKind::EdgeWorker: {
    auto &d = llvm::cast<EdgeWorkerDecl>(decl);
    d.settings = edgeWorkerSettings(d.attrs);
    for (Route &r : d.routes) {
      if (r.require) r.require->settings = tokenRequirementSettings(r.require->attrs);
      for (RouteAction &a : r.actions) headersOf(a);
    }
    for (RouteAction &a : d.defaults) headersOf(a);
    break;
  }
  case DeclKind::Backup: {
    auto &d = llvm::cast<BackupDecl>(decl);
    d.settings = backupSettings(d.attrs);
    break;
  }
  default: break;
  }
}

} // namespace ward::sema
