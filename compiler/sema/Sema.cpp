#include "sema/Sema.h"
#include "resolve/ParallelDecls.h"
#include "sema/KeySets.h"
#include "sema/Schemas.h"
#include "sema/Settings.h"
#include "sema/TimeZones.h"
#include "source/PhaseTimer.h"
#include "source/Text.h"

#include <fmt/format.h>
#include <llvm/ADT/DenseMap.h>

#include <map>

namespace ward {
namespace {

using namespace sema;

class DeclChecker {
public:
  DeclChecker(SemaContext &ctx, const SourceManager &sm) : ctx_(ctx), diags_(ctx.diags), sm_(sm) {}

  void check(Decl &decl) {
    // How messages name the declaration, worked out when one is reported;
    // an `allow` has no name, and its checks name what it refers to instead.
    auto describe = [&] { return decl.describe(sm_); };
    OwnerName owner(describe);
    SourceRange at = decl.name.empty() ? decl.keyword : decl.name.range;
    switch (decl.kind()) {
    case DeclKind::Tenant: checkAttributes(ctx_, decl.attrs, tenantSchema(), owner, at); break;
    case DeclKind::IssuerTemplate: issuerTemplate(llvm::cast<IssuerTemplateDecl>(decl), owner); break;
    case DeclKind::Issuer: issuer(llvm::cast<IssuerDecl>(decl), owner); break;
    case DeclKind::Identity: identity(llvm::cast<IdentityDecl>(decl), owner); break;
    case DeclKind::ResourceType: checkAttributes(ctx_, decl.attrs, resourceTypeSchema(), owner, at); break;
    case DeclKind::Resource: resource(llvm::cast<ResourceDecl>(decl), owner); break;
    case DeclKind::Capability: capability(llvm::cast<CapabilityDecl>(decl), owner); break;
    case DeclKind::Allow: allow(llvm::cast<AllowDecl>(decl)); break;
    case DeclKind::Grant: grant(llvm::cast<GrantDecl>(decl), owner); break;
    case DeclKind::Retry: checkAttributes(ctx_, decl.attrs, retrySchema(), owner, at); break;
    case DeclKind::EdgeWorker: edgeworker(llvm::cast<EdgeWorkerDecl>(decl), owner); break;
    case DeclKind::Backup: backup(llvm::cast<BackupDecl>(decl), owner); break;
    }
  }

private:
  void issuerTemplate(IssuerTemplateDecl &d, const OwnerName &owner) {
    checkAttributes(ctx_, d.attrs, issuerTemplateSchema(), owner, d.name.range);
  }

  /// Applies the template: its attributes with `{param}` replaced by the
  /// issuer's parameter values, overridden by the issuer's own attributes.
  void issuer(IssuerDecl &d, const OwnerName &owner) {
    const auto *tmpl = d.templateRef ? llvm::dyn_cast_or_null<IssuerTemplateDecl>(d.templateRef->target) : nullptr;
    if (d.templateRef && !tmpl) return; // unresolved template: already reported
    std::vector<std::string> params;
    if (tmpl)
      for (const Name &p : tmpl->params) params.push_back(p.text.str());

    std::vector<std::pair<std::string, std::string>> substitutions;
    for (const std::string &param : params) {
      Attribute *given = d.attrs.find(param);
      if (!given) {
        diags_
            .report(DiagID::MissingAttribute, d.name.range,
                    fmt::format("issuer `{}` needs `{}` for template `{}`", d.name.text, param, tmpl->name.text))
            .label(tmpl->name.range, "template declared here")
            .withHelp(fmt::format("add `{} = ...`", param));
        return;
      }
      std::string value;
      if (given->value.kind == Value::Kind::String) {
        value = given->value.text;
      } else if (given->value.kind == Value::Kind::Ref) {
        const Decl *target = ctx_.resolver.lookup(ctx_.file, Name{given->value.text, given->value.range},
                                                  {DeclKind::Tenant}, fmt::format("`{}`", param), ctx_.diags);
        if (!target) return;
        given->value.setTarget(target); // a use of the tenant, for navigation and rename
        const Attribute *id = target->attrs.find("id");
        if (!id || id->value.kind != Value::Kind::String) return; // the tenant's own error
        value = id->value.text;
      } else {
        diags_.report(DiagID::WrongValueType, given->value.range,
                      fmt::format("`{}` must be a string or a tenant, found {}", param, given->value.kindName().str()));
        return;
      }
      if (value.empty() || llvm::any_of(value, [](char c) {
            return c == '/' || c == '?' || c == '#' || c == '@' || std::isspace(static_cast<unsigned char>(c));
          })) {
        diags_.report(DiagID::OutOfRange, given->value.range,
                      fmt::format("`{}` must be a plain name or id without `/`, `?`, `#`, `@` or spaces", param));
        return;
      }
      substitutions.emplace_back("{" + param + "}", value);
    }

    AttrList effective;
    effective.range = d.attrs.range;
    if (tmpl)
      for (const Attribute &a : tmpl->attrs.items) {
        if (d.attrs.find(a.key().text)) continue;
        // Keys embedded by the issuer replace the template's key-set URL.
        if (a.key().text == "jwks" && d.attrs.find("jwks_file")) continue;
        Attribute copy = a;
        if (copy.value.kind == Value::Kind::String)
          if (!substitutions.empty()) {
            std::string s = copy.value.text.str();
            for (auto &[placeholder, value] : substitutions)
              for (size_t pos = s.find(placeholder); pos != std::string::npos;
                   pos = s.find(placeholder, pos + value.size()))
                s.replace(pos, placeholder.size(), value);
            if (s != copy.value.text) copy.value.text = d.effectiveTexts.keep(s);
          }
        effective.items.push_back(std::move(copy));
      }
    for (const Attribute &a : d.attrs.items)
      if (std::find(params.begin(), params.end(), a.key().text) == params.end()) effective.items.push_back(a);

    // Own attributes first (unknown keys, duplicates), then the merged set
    // (required keys, values) so that template defaults count.
    static const Schema ownSchema = [] {
      Schema s = issuerSchema();
      for (AttrSpec &spec : s) spec.required = false; // the template may provide it
      return s;
    }();
    unsigned before = diags_.errorCount();
    checkAttributes(ctx_, d.attrs, ownSchema, owner, d.name.range, params);
    if (diags_.errorCount() != before) return;
    checkAttributes(ctx_, effective, issuerSchema(), owner, d.name.range);
    if (!effective.find("jwks") && !effective.find("jwks_file"))
      diags_.report(DiagID::MissingAttribute, d.name.range, fmt::format("{} needs its signing keys", owner.str()))
          .withHelp("add `jwks = \"https://...\"` (fetched at the edge) or `jwks_file = \"keys.json\"` (embedded at "
                    "build time)");
    if (const Attribute *url = effective.find("jwks"); url && effective.find("jwks_file"))
      diags_
          .report(DiagID::ConflictingAttributes, url->key().range,
                  fmt::format("{} has both `jwks` and `jwks_file`", owner.str()))
          .withHelp("choose one: keys fetched at the edge, or keys embedded at build time");
    d.effective = std::move(effective);
    if (const Attribute *file = d.effective.find("jwks_file"); file && !d.effective.find("jwks"))
      d.embeddedKeys = loadKeySet(d.name.text, d.effective.strings("algorithms"), *file, sm_, diags_);
  }

  void identity(IdentityDecl &d, const OwnerName &owner) {
    static const std::vector<std::pair<std::string, IdentityKind>> kinds = {
        {"service_principal", IdentityKind::ServicePrincipal},
        {"managed_identity", IdentityKind::ManagedIdentity},
        {"group", IdentityKind::Group},
        {"user", IdentityKind::User}};
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](auto &k) { return k.first == d.kindName.text; });
    if (it == kinds.end()) {
      std::vector<std::string> names;
      for (auto &k : kinds) names.push_back(k.first);
      DiagnosticBuilder diag = diags_.report(DiagID::InvalidIdentityKind, d.kindName.range,
                                             fmt::format("unknown identity kind `{}`", d.kindName.text));
      auto close = closestNames(d.kindName.text, names);
      if (!close.empty())
        diag.withHelp(fmt::format("did you mean `{}`?", close.front())).suggest(d.kindName.range, close.front());
      else diag.withHelp("identity kinds are `service_principal`, `managed_identity`, `group` and `user`");
    } else {
      d.identityKind = it->second;
    }
    checkAttributes(ctx_, d.attrs, identitySchema(), owner, d.name.range);
    const Attribute *assigned = d.attrs.find("assigned");
    const Attribute *of = d.attrs.find("of");
    bool system = assigned && assigned->value.kind == Value::Kind::Ref && assigned->value.text == "system";
    if ((assigned || of) && d.identityKind != IdentityKind::ManagedIdentity)
      diags_.report(DiagID::InvalidTarget, (assigned ? assigned : of)->key().range,
                    fmt::format("`{}` applies to managed identities only", (assigned ? assigned : of)->key().text));
    else if (system && !of)
      diags_
          .report(DiagID::MissingAttribute, d.name.range,
                  fmt::format("system-assigned identity `{}` needs `of`, the resource it belongs to", d.name.text))
          .withHelp("add `of = <resource>`");
    else if (of && !system)
      diags_.report(DiagID::ConflictingAttributes, of->key().range, "`of` is only for system-assigned identities")
          .withHelp("add `assigned = system`, or remove `of`");
  }

  void resource(ResourceDecl &d, const OwnerName &owner) {
    checkAttributes(ctx_, d.attrs, resourceSchema(), owner, d.name.range);
    const ResourceTypeDecl *type = d.typeDecl();
    if (!type) return;
    const Attribute *level = type->attrs.find("level");
    llvm::StringRef lvl =
        level && level->value.kind == Value::Kind::Ref ? llvm::StringRef(level->value.text) : "resource";
    auto require = [&](const char *key, const char *why) {
      if (!d.attrs.find(key))
        diags_.report(DiagID::MissingAttribute, d.name.range, fmt::format("{} needs `{}`", owner.str(), key))
            .withHelp(fmt::format("add `{} = \"...\"`: {}", key, why));
    };
    if (lvl == "resource") {
      require("name", "the Azure resource name");
      require("resource_group", "the resource group that holds it");
    } else if (lvl == "resource_group" || lvl == "management_group") {
      require("name", "the group's name");
    } else if (lvl == "subscription") {
      require("subscription", "the subscription id");
    }
    if (const Attribute *origin = d.attrs.find("origin")) {
      if (!type->hasTrait("origin") && !type->hasTrait("relay")) {
        diags_
            .report(DiagID::InvalidTarget, origin->key().range,
                    fmt::format("`{}` resources cannot serve as an HTTP origin", type->name.text))
            .label(d.type.name.range, fmt::format("type `{}`", type->name.text));
      } else if (origin->value.kind == Value::Kind::String) {
        llvm::StringRef url = origin->value.text;
        if (url.startswith("http://"))
          diags_.report(DiagID::InvalidUrl, origin->value.range, "an origin must use https://")
              .withHelp("EdgeWorkers forward tokens and user data to the origin; serve it over TLS")
              .suggest({origin->value.range.file, origin->value.range.begin + 1, origin->value.range.begin + 8},
                       "https://");
      }
    }
  }

  void capability(CapabilityDecl &d, const OwnerName &owner) {
    checkAttributes(ctx_, d.attrs, capabilitySchema(), owner, d.name.range);
    auto count = [&](const char *key) {
      const Attribute *a = d.attrs.find(key);
      return a && a->value.kind == Value::Kind::List ? a->value.items().size() : 0;
    };
    if (count("actions") + count("data_actions") == 0)
      diags_.report(DiagID::MissingAttribute, d.name.range, fmt::format("{} grants no action", owner.str()))
          .withHelp("add `actions = [...]` or `data_actions = [...]` with the Azure operations it needs");
  }

  void allow(AllowDecl &d) {
    if (d.condition && llvm::StringRef(d.condition->text).trim().empty())
      diags_.report(DiagID::OutOfRange, d.condition->range, "the `when` condition is empty")
          .withHelp("write an Azure ABAC condition, or remove `when`");
  }

  void grant(GrantDecl &d, const OwnerName &owner) {
    checkAttributes(ctx_, d.attrs, grantSchema(), owner, d.keyword);
    if (d.role && llvm::StringRef(d.role->text).trim().empty())
      diags_.report(DiagID::OutOfRange, d.role->range, "the role name is empty");
    for (const Value &a : d.actions) checkActionString(diags_, a, "a granted action");
    for (const Value &a : d.dataActions) checkActionString(diags_, a, "a granted data action");
  }

  void edgeworker(EdgeWorkerDecl &d, const OwnerName &owner) {
    checkAttributes(ctx_, d.attrs, edgeworkerSchema(), owner, d.name.range);
    for (Route &route : d.routes) this->route(route);
    for (size_t i = 1; i < d.defaults.size(); ++i)
      diags_.report(DiagID::DuplicateAttribute, d.defaults[i].range, fmt::format("{} has two defaults", owner.str()))
          .label(d.defaults[0].range, "first default here");
    for (RouteAction &action : d.defaults) this->action(action, nullptr);
  }

  void route(Route &r) {
    checkPathPattern(diags_, r.path);
    for (size_t i = 0; i < r.methods.size(); ++i) {
      checkHttpMethod(diags_, r.methods[i]);
      for (size_t j = 0; j < i; ++j)
        if (r.methods[j].text == r.methods[i].text)
          // Deleting ", GET" (from the end of the previous method) keeps the list well formed.
          diags_
              .report(DiagID::DuplicateAttribute, r.methods[i].range,
                      fmt::format("`{}` is listed twice", r.methods[i].text))
              .fix({r.methods[i].range.file, r.methods[i - 1].range.end, r.methods[i].range.end}, "");
    }
    checkAttributes(ctx_, r.attrs, routeSchema(),
                    OwnerName([&] { return fmt::format("route \"{}\"", quoteForMessage(r.path.text)); }), r.keyword);
    if (r.require) {
      checkAttributes(ctx_, r.require->attrs, tokenRequirementSchema(), "`require token`", r.require->range);
      if (const Attribute *scopes = r.require->attrs.find("scopes"))
        for (const Value &scope : scopes->value.items()) checkScopeToken(diags_, scope);
    }
    if (r.actions.empty())
      diags_
          .report(DiagID::MissingAttribute, r.keyword,
                  fmt::format("route \"{}\" does nothing", quoteForMessage(r.path.text)))
          .withHelp(
              "add one of `forward to <resource>`, `redirect <status> \"<location>\"`, `respond <status>` or `deny`");
    for (size_t i = 1; i < r.actions.size(); ++i)
      diags_.report(DiagID::SecondRouteAction, r.actions[i].range, "a route has exactly one action")
          .label(r.actions[0].range, "first action here")
          .withHelp("split this into two routes, or keep one action");
    for (RouteAction &action : r.actions) this->action(action, &r);
  }

  void action(RouteAction &a, const Route *route) {
    switch (a.kind) {
    case RouteAction::Kind::Forward: {
      const auto *res = llvm::dyn_cast_or_null<ResourceDecl>(a.origin().target);
      if (res && !res->attrs.find("origin")) {
        diags_
            .report(DiagID::InvalidTarget, a.origin().name.range,
                    fmt::format("`{}` has no HTTPS origin to forward to", res->name.text))
            .label(res->name.range, fmt::format("`{}` declared here without `origin`", res->name.text))
            .withHelp(res->typeDecl() && res->typeDecl()->hasTrait("origin")
                          ? "add `origin = \"https://<host>\"` to the resource"
                          : fmt::format("`{}` resources cannot be origins; forward to a resource that serves HTTPS",
                                        res->typeDecl() ? res->typeDecl()->name.text : "these"));
      }
      break;
    }
    case RouteAction::Kind::Redirect: {
      if (checkStatus(diags_, *a.status, "a redirect status", 300, 399) &&
          !llvm::is_contained(std::vector<double>{301, 302, 303, 307, 308}, a.status->number()))
        diags_
            .report(DiagID::InvalidStatus, a.status->range,
                    fmt::format("`{}` is not a redirect status", a.status->text))
            .withHelp("use 301, 302, 303, 307 or 308");
      llvm::StringRef location = a.text->text;
      if (location.startswith("/")) {
        if (location.startswith("//"))
          diags_.report(DiagID::InvalidUrl, a.text->range, "a location starting with `//` leaves the site")
              .withHelp("write a path (`/new`) or a full https:// URL");
      } else {
        checkUrl(diags_, location, a.text->range, "the redirect location", false);
      }
      redirectParameters(*a.text, route);
      break;
    }
    case RouteAction::Kind::Respond: {
      checkStatus(diags_, *a.status, "a response status", 100, 599);
      AttrList none; // no block written: checked as an empty one
      checkAttributes(ctx_, a.respond ? a.respond->attrs : none, respondSchema(), "`respond`", a.range);
      if (const Attribute *headers = a.attrs().find("headers"))
        for (const Field &header : headers->value.fields()) checkHeaderField(diags_, header);
      if (a.text && countCodePoints(a.text->text) > 2048)
        diags_.report(DiagID::OutOfRange, a.text->range, "a response body at the edge holds at most 2,048 characters")
            .withHelp("serve larger bodies from the origin");
      break;
    }
    case RouteAction::Kind::Deny:
      if (a.status) checkStatus(diags_, *a.status, "a deny status", 400, 599);
      if (a.text && countCodePoints(a.text->text) > 2048)
        diags_.report(DiagID::OutOfRange, a.text->range, "a deny reason holds at most 2,048 characters");
      break;
    case RouteAction::Kind::TriggerBackup:
    case RouteAction::Kind::PollBackup: relayAction(a, route); break;
    }
  }

  /// `trigger backup VM through RELAY` and `poll backup through RELAY`: a
  /// route (the relay's URLs hang off its path), a relay that can be reached,
  /// a VM Azure Backup protects, and the methods that fit (a trigger changes
  /// state, so POST; a poll reads, so GET or HEAD).
  void relayAction(RouteAction &a, const Route *route) {
    bool trigger = a.kind == RouteAction::Kind::TriggerBackup;
    const char *what = trigger ? "`trigger backup`" : "`poll backup`";
    if (!route) {
      diags_.report(DiagID::InvalidTarget, a.range, fmt::format("{} is a route's action, not a default", what))
          .withHelp("declare a route for it: `route POST \"/backups/<vm>\" { ... }`");
      return;
    }
    if (auto *relay = llvm::dyn_cast_or_null<ResourceDecl>(a.relay().target)) {
      const ResourceTypeDecl *type = relay->typeDecl();
      if (type && !type->hasTrait("relay"))
        diags_
            .report(DiagID::InvalidTarget, a.relay().name.range,
                    fmt::format("`{}` is a {}, not a relay; backups are triggered through an Azure Functions app",
                                relay->name.text, type->name.text))
            .withHelp("declare the relay as `resource <name> : azure.function_app { ... }`");
      else if (type && !relay->attrs.find("origin"))
        diags_
            .report(DiagID::MissingAttribute, a.relay().name.range,
                    fmt::format("relay `{}` has no `origin`, the HTTPS URL of its function app", relay->name.text))
            .label(relay->name.range, "declared here")
            .withHelp("add `origin = \"https://<app>.azurewebsites.net\"` to the resource");
    }
    if (trigger)
      if (auto *vm = llvm::dyn_cast_or_null<ResourceDecl>(a.backedUp().target))
        if (vm->typeDecl() && !vm->typeDecl()->hasTrait("backup_source"))
          diags_
              .report(DiagID::InvalidTarget, a.backedUp().name.range,
                      fmt::format("`{}` is a {}, which Azure Backup does not protect", vm->name.text,
                                  vm->typeDecl()->name.text))
              .withHelp("name a VM that a `backup` protects");
    std::vector<std::string> allowed =
        trigger ? std::vector<std::string>{"POST"} : std::vector<std::string>{"GET", "HEAD"};
    bool fits =
        !route->methods.empty() && std::all_of(route->methods.begin(), route->methods.end(),
                                               [&](const Name &m) { return llvm::is_contained(allowed, m.text); });
    if (!fits)
      diags_
          .report(DiagID::InvalidMethod, route->methods.empty() ? route->keyword : route->methods.front().range,
                  trigger ? "a route that triggers a backup answers POST only: a GET could be sent by a prefetcher "
                            "or a crawler, and every one would start a backup"
                          : "a route that polls a backup answers GET (and HEAD) only")
          .withHelp(trigger ? "write `route POST \"...\"`" : "write `route GET \"...\"`");
    if (!route->require)
      diags_
          .report(DiagID::BackupRelayIncomplete, a.range,
                  fmt::format("{} on a route without `require token`: anyone could {}", what,
                              trigger ? "start backups" : "read backup operations"))
          .withHelp("add `require token from <issuer> { roles = [...] }` to the route; the relay verifies the same "
                    "token again");
    if (!trigger) {
      std::vector<std::string> params = pathParameters(route->path.text);
      llvm::StringRef path = route->path.text;
      if (params.empty() || !path.endswith("{" + params.back() + "}") || params.size() != 1)
        diags_
            .report(DiagID::InvalidPathPattern, route->path.range,
                    "a route that polls a backup has one path parameter, its last segment: the operation's handle")
            .withHelp(fmt::format("write \"{}/{{handle}}\"", quoteForMessage(path.rtrim('/').str())));
    }
  }

  /// `{param}` in a redirect location is replaced by that segment of the
  /// matched path, so every one must be a parameter of the route's path.
  void redirectParameters(const Name &location, const Route *route) {
    std::vector<std::string> params = route ? pathParameters(route->path.text) : std::vector<std::string>{};
    for (const std::string &placeholder : locationPlaceholders(location.text)) {
      if (llvm::is_contained(params, placeholder)) continue;
      DiagnosticBuilder d = diags_.report(
          DiagID::InvalidUrl, location.range,
          route ? fmt::format("`{{{}}}` in the redirect location is not a parameter of the route's path \"{}\"",
                              placeholder, quoteForMessage(route->path.text))
                : fmt::format("`{{{}}}` in a default's redirect location has no path to come from", placeholder));
      if (!route) d.withHelp("write the location out, or redirect from a route whose path has the parameter");
      else if (params.empty()) d.withHelp("the path has no parameters: write the location out");
      else {
        std::vector<std::string> quoted;
        for (const std::string &p : params) quoted.push_back("`{" + p + "}`");
        d.withHelp(fmt::format("the path's parameters are {}", joinAlternatives(quoted, "and")));
      }
    }
  }

  void backup(BackupDecl &d, const OwnerName &owner) {
    checkAttributes(ctx_, d.attrs, backupSchema(), owner, d.name.range);
    if (d.protections.empty())
      diags_.report(DiagID::MissingAttribute, d.name.range, fmt::format("{} protects nothing", owner.str()))
          .withHelp("add `protect <vm> in <vault>`");
    auto requireTrait = [&](const Ref &ref, const char *trait, const char *what, const char *example) {
      const auto *res = llvm::dyn_cast_or_null<ResourceDecl>(ref.target);
      if (!res || !res->typeDecl() || res->typeDecl()->hasTrait(trait)) return;
      diags_
          .report(
              DiagID::InvalidTarget, ref.name.range,
              fmt::format("`{}` is `{}`, but {} needs {}", res->name.text, res->typeDecl()->name.text, what, example))
          .label(res->type.name.range, "type given here");
    };
    for (Protection &p : d.protections) {
      for (Ref &item : p.items) requireTrait(item, "backup_source", "`protect`", "a virtual machine (`azure.vm`)");
      requireTrait(p.vault, "backup_vault", "`protect ... in`", "a Recovery Services vault (`azure.recovery_vault`)");
    }
    for (size_t i = 1; i < d.schedules.size(); ++i)
      diags_.report(DiagID::DuplicateAttribute, d.schedules[i].range, fmt::format("{} has two schedules", owner.str()))
          .label(d.schedules[0].range, "first schedule here")
          .withHelp("declare a second `backup` for a second schedule");
    for (BackupSchedule &s : d.schedules) schedule(s);
    backupLimits(d);
  }

  /// Azure Backup's documented limits for VM policies (docs/azure.md, "Limits checked",
  /// names the sources): retention counts per tier, instant-restore days, and
  /// the tier each schedule frequency needs.
  void backupLimits(BackupDecl &d) {
    const Attribute *retain = d.attrs.find("retain");
    std::map<std::string, const Value *> tiers;
    if (retain && retain->value.kind == Value::Kind::Object)
      for (const Field &f : retain->value.fields()) tiers[f.key().text.str()] = &f.value;
    struct Limit {
      const char *tier;
      int64_t min, max;
      const char *unit;
    };
    for (const Limit &l : {Limit{"daily", 7, 9999, "days"}, Limit{"weekly", 1, 5163, "weeks"},
                           Limit{"monthly", 1, 1188, "months"}, Limit{"yearly", 1, 99, "years"}}) {
      auto it = tiers.find(l.tier);
      // A value without its unit already has its one error (E0305).
      if (it == tiers.end() || !it->second->isInteger || !durationMillis(*it->second)) continue;
      int64_t count = static_cast<int64_t>(it->second->number());
      if (count < l.min || count > l.max)
        diags_.report(DiagID::OutOfRange, it->second->range,
                      fmt::format("Azure Backup keeps {} recovery points for {} to {} {}, not {}", l.tier, l.min, l.max,
                                  l.unit, count));
    }
    const BackupSchedule *schedule = d.schedules.empty() ? nullptr : &d.schedules.front();
    if (const Attribute *ir = d.attrs.find("instant_restore"); ir && ir->value.isInteger && durationMillis(ir->value)) {
      int64_t days = static_cast<int64_t>(ir->value.number());
      if (days < 1 || days > 30)
        diags_.report(
            DiagID::OutOfRange, ir->value.range,
            fmt::format("instant restore keeps snapshots 1 to 30 days (5 with a standard policy), not {}", days));
    }
    if (!schedule || tiers.empty()) return;
    if (schedule->kind == BackupSchedule::Kind::Weekly && tiers.count("daily"))
      diags_
          .report(DiagID::InvalidSchedule, tiers["daily"]->range,
                  "a weekly backup has no daily recovery points to keep")
          .withHelp("remove `daily`, or back up daily");
    if (schedule->kind != BackupSchedule::Kind::Weekly && !tiers.count("daily"))
      diags_
          .report(DiagID::InvalidSchedule, retain->value.range,
                  fmt::format("a {} backup needs `daily` retention",
                              schedule->kind == BackupSchedule::Kind::Hourly ? "hourly" : "daily"))
          .withHelp("add `daily = 30d` (7 days at least)");
    if (schedule->kind == BackupSchedule::Kind::Weekly && !tiers.count("weekly"))
      diags_.report(DiagID::InvalidSchedule, retain->value.range, "a weekly backup needs `weekly` retention")
          .withHelp("add `weekly = 12w`");
  }

  /// Azure Backup names time zones by their Windows ID ("UTC", "W. Europe
  /// Standard Time"); an IANA name would fail at deployment.
  void timeZone(const Name &zone) {
    llvm::StringRef id = zone.text;
    if (isWindowsTimeZone(id)) return;
    if (id.trim().empty()) {
      diags_.report(DiagID::InvalidSchedule, zone.range, "the time zone is empty")
          .withHelp("name a Windows time zone, e.g. \"UTC\" or \"W. Europe Standard Time\"");
      return;
    }
    if (std::optional<std::string> windows = windowsTimeZoneFor(id)) {
      diags_
          .report(
              DiagID::InvalidSchedule, zone.range,
              fmt::format("\"{}\" is an IANA time zone; Azure Backup takes Windows time zone IDs", quoteForMessage(id)))
          .withHelp(fmt::format("write \"{}\", the Windows time zone of {}", *windows, id.str()))
          .fix(zone.range, fmt::format("\"{}\"", *windows));
      return;
    }
    DiagnosticBuilder d = diags_.report(DiagID::InvalidSchedule, zone.range,
                                        fmt::format("\"{}\" is not a Windows time zone ID", quoteForMessage(id)));
    auto same = std::find_if(windowsTimeZones().begin(), windowsTimeZones().end(),
                             [&](const std::string &w) { return llvm::StringRef(w).equals_insensitive(id); });
    if (same != windowsTimeZones().end()) {
      d.withHelp(fmt::format("write \"{}\"", *same)).fix(zone.range, fmt::format("\"{}\"", *same));
      return;
    }
    std::vector<std::string> close = closestNames(id, windowsTimeZones());
    d.withHelp(close.empty() ? "Azure Backup takes Windows time zone IDs such as \"UTC\" or \"W. Europe Standard Time\""
                             : fmt::format("did you mean \"{}\"?", close.front()));
  }

  void schedule(BackupSchedule &s) {
    if (s.zone) timeZone(*s.zone);
    switch (s.kind) {
    case BackupSchedule::Kind::Hourly: {
      if (auto every = checkDuration(diags_, *s.interval, "the hourly interval", {"h"}))
        if (!llvm::is_contained(std::vector<int64_t>{4, 6, 8, 12}, every->count))
          diags_.report(DiagID::InvalidSchedule, s.interval->range,
                        fmt::format("an hourly backup runs every 4h, 6h, 8h or 12h, not every {}", s.interval->text));
      checkClockTime(diags_, *s.windowStart, "the window start", true);
      if (auto window = checkDuration(diags_, *s.windowDuration, "the window length", {"h"}))
        if (window->count < 4 || window->count > 24)
          diags_.report(DiagID::InvalidSchedule, s.windowDuration->range,
                        fmt::format("the backup window lasts 4h to 24h, not {}", s.windowDuration->text));
      break;
    }
    case BackupSchedule::Kind::Daily: checkClockTime(diags_, *s.time, "the backup time", true); break;
    case BackupSchedule::Kind::Weekly: {
      checkClockTime(diags_, *s.time, "the backup time", true);
      static const std::vector<std::string> days = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                    "Thursday", "Friday", "Saturday"};
      if (s.days->items().empty())
        diags_.report(DiagID::InvalidSchedule, s.days->range, "a weekly backup needs at least one day");
      for (Value &day : s.days->items()) checkOneOf(diags_, day, "day of the week", days);
      break;
    }
    }
  }

public:
  /// Every sub-request the bundle will make must reach a hostname its Akamai
  /// property serves: EdgeWorkers' http-request fails with 400 for any other
  /// host. Settles the URL of each key set and origin the bundle requests
  /// (a `via` entry, or the target's own URL when the property serves its
  /// host) and reports the targets that have none. Runs after every
  /// declaration is checked, so issuers' effective values are known.
  void subrequests(EdgeWorkerDecl &ew) {
    for (const std::string &host : ew.attrs.strings("hostnames")) ew.hostnames.push_back(llvm::StringRef(host).lower());
    std::vector<const Decl *> reported; // one finding per target
    viaEntries(ew, reported);
    bool responseProvider = ew.answersAsOrigin();
    for (Route &route : ew.routes) {
      if (route.require)
        if (auto *issuer = llvm::dyn_cast_or_null<IssuerDecl>(route.require->issuer.target))
          if (issuer->keySetFetchedAtEdge())
            requireServed(ew, *issuer, *issuer->settings.jwks, route.require->issuer.name.range, reported);
      for (RouteAction &action : route.actions) {
        auto *relay = llvm::dyn_cast_or_null<ResourceDecl>(action.relay().target);
        bool relayed = action.kind == RouteAction::Kind::TriggerBackup || action.kind == RouteAction::Kind::PollBackup;
        if (relayed && relay && relay->settings.origin)
          requireServed(ew, *relay, *relay->settings.origin, action.relay().name.range, reported);
      }
      for (RouteAction &action : route.actions) {
        auto *res = llvm::dyn_cast_or_null<ResourceDecl>(action.origin().target);
        if (!responseProvider || action.kind != RouteAction::Kind::Forward || !res) continue;
        if (const TextSetting &origin = res->settings.origin)
          requireServed(ew, *res, *origin, action.origin().name.range, reported);
      }
    }
  }

private:
  void viaEntries(EdgeWorkerDecl &ew, std::vector<const Decl *> &reported) {
    const Attribute *via = ew.attrs.find("via");
    if (!via || via->value.kind != Value::Kind::Object) return;
    for (const Field &entry : via->value.fields()) {
      const Decl *target =
          ctx_.resolver.lookup(ctx_.file, entry.key(), {DeclKind::Issuer, DeclKind::Resource}, "`via`", ctx_.diags);
      if (!target || entry.value.kind != Value::Kind::String) continue;
      llvm::StringRef url = entry.value.text;
      std::string host = urlHost(url);
      if (!hostServed(host, ew.hostnames)) {
        reported.push_back(target);
        diags_
            .report(DiagID::SubrequestNotServed, entry.value.range,
                    fmt::format("`via` sends the sub-requests for `{}` to `{}`, which edgeworker `{}`'s property does "
                                "not serve ({})",
                                entry.key().text, host, ew.name.text, servedList(ew)))
            .withHelp(fmt::format("add \"{}\" to `hostnames` if the property serves it, or use a hostname it serves",
                                  quoteForMessage(host)));
        continue;
      }
      llvm::StringRef afterHost =
          url.drop_front(url.find("://") + 3).drop_until([](char c) { return c == '/' || c == '?' || c == '#'; });
      if (llvm::isa<ResourceDecl>(target) && !afterHost.empty() && afterHost != "/") {
        reported.push_back(target);
        diags_
            .report(DiagID::InvalidUrl, entry.value.range,
                    fmt::format("an origin reached `via` the property is a scheme and host only, found \"{}\"",
                                quoteForMessage(url)))
            .withHelp(fmt::format("the request's own path and query are appended; write \"https://{}\"", host));
        continue;
      }
      ew.via.push_back({target, afterHost == "/" ? url.drop_back() : url, entry.value.range});
    }
  }

  /// `what` is requested from `url`: fine when a `via` entry names it or the
  /// property serves the URL's host (then that URL is recorded), else E0321.
  void requireServed(EdgeWorkerDecl &ew, const Decl &target, llvm::StringRef url, SourceRange use,
                     std::vector<const Decl *> &reported) {
    if (!ew.subrequestUrl(&target).empty() || llvm::is_contained(reported, &target)) return;
    std::string host = urlHost(url);
    if (hostServed(host, ew.hostnames)) {
      ew.via.push_back({&target, url.rtrim('/'), use});
      return;
    }
    reported.push_back(&target);
    bool issuer = llvm::isa<IssuerDecl>(target);
    auto *resource = llvm::dyn_cast<ResourceDecl>(&target);
    bool relay = resource && resource->typeDecl() && resource->typeDecl()->hasTrait("relay");
    std::string what = issuer  ? fmt::format("fetches the key set of issuer `{}` from", target.name.text)
                       : relay ? fmt::format("calls relay `{}` at", target.name.text)
                               : fmt::format("forwards through responseProvider to `{}` at", target.name.text);
    std::string consequence = issuer
                                  ? "so the fetch would fail with 400 and every request with a token would answer 503"
                                  : "so every forwarded request would fail";
    std::string example = ew.hostnames.empty() ? "<hostname>" : ew.hostnames.front();
    if (example.rfind("*.", 0) == 0) example = "keys" + example.substr(1);
    std::string help =
        issuer
            ? fmt::format(
                  "serve the key set through the property: add `via = {{ {} = \"https://{}/<path>\" }}` and a "
                  "property rule forwarding that path to {} (docs/edgeworkers.md, \"Property rules\"), or embed "
                  "the keys with `jwks_file`",
                  target.name.text, example, url.str())
            : fmt::format("serve the origin through a property hostname whose origin is {} and name it: `via = {{ {} = "
                          "\"https://<that hostname>\" }}`",
                          host, target.name.text);
    if (ew.hostnames.empty())
      help = "declare `hostnames = [...]`, the hostnames the EdgeWorker's property serves; then " + help;
    diags_
        .report(DiagID::SubrequestNotServed, use,
                fmt::format("edgeworker `{}` {} `{}`, which its property does not serve ({}); EdgeWorkers "
                            "sub-requests reach only hostnames served through Akamai, {}",
                            ew.name.text, what, host, servedList(ew), consequence))
        .label(target.name.range, fmt::format("`{}` declared here", target.name.text))
        .withHelp(help);
  }

  static std::string servedList(const EdgeWorkerDecl &ew) {
    if (ew.hostnames.empty()) return "it declares no `hostnames`";
    return "it serves " + llvm::join(ew.hostnames, ", ");
  }

  SemaContext &ctx_;
  DiagnosticEngine &diags_;
  const SourceManager &sm_;
};

/// Azure Backup keeps one protected item per VM: one vault, one policy. A VM
/// that two `protect` statements name (in two vaults, or under two schedules)
/// cannot be deployed.
void onceProtected(const BackupDecl &backup, llvm::DenseMap<const Decl *, const Ref *> &seen, DiagnosticEngine &diags) {
  for (const Protection &p : backup.protections)
    for (const Ref &item : p.items) {
      if (!item.target) continue;
      auto [it, first] = seen.try_emplace(item.target, &item);
      if (first) continue;
      diags
          .report(DiagID::ConflictingAttributes, item.name.range,
                  fmt::format("`{}` is protected twice; Azure Backup keeps one protected item per VM, in one vault "
                              "under one policy",
                              item.name.text))
          .label(it->second->name.range, "first protected here")
          .withHelp("protect each VM in one `backup`; to keep more recovery points, extend that backup's `retain`");
    }
}

/// A relay's managed identity: the system-assigned identity declared `of`
/// it, else the user-assigned one its `identity` attribute names.
void relayIdentities(Program &program) {
  llvm::DenseMap<const Decl *, const IdentityDecl *> systemAssigned; // looked up, never walked
  for (auto &file : program.files)
    for (auto &decl : file->decls)
      if (auto *id = llvm::dyn_cast<IdentityDecl>(decl.get()))
        if (const Attribute *of = id->attrs.find("of"); of && of->value.target())
          systemAssigned.try_emplace(of->value.target(), id);
  for (auto &file : program.files)
    for (auto &decl : file->decls) {
      auto *res = llvm::dyn_cast<ResourceDecl>(decl.get());
      if (!res) continue;
      if (auto found = systemAssigned.find(res); found != systemAssigned.end()) res->managedIdentity = found->second;
      else if (const Attribute *identity = res->attrs.find("identity"))
        res->managedIdentity = llvm::dyn_cast_or_null<IdentityDecl>(identity->value.target());
    }
}

/// What a backup trigger needs beyond its own route: a VM under a scheduled
/// `backup` (on-demand points extend a protection, they do not create one), a
/// relay with a managed identity (the only credential in the pattern), and a
/// route that polls through the same relay (where the 202's Location points).
void backupTriggers(EdgeWorkerDecl &ew, const llvm::DenseMap<const Decl *, const BackupDecl *> &protectedBy,
                    DiagnosticEngine &diags) {
  for (Route &route : ew.routes)
    for (RouteAction &a : route.actions) {
      if (a.kind != RouteAction::Kind::TriggerBackup) continue;
      auto *vm = llvm::dyn_cast_or_null<ResourceDecl>(a.backedUp().target);
      auto *relay = llvm::dyn_cast_or_null<ResourceDecl>(a.relay().target);
      if (vm) {
        auto found = protectedBy.find(vm);
        if (found == protectedBy.end())
          diags
              .report(DiagID::BackupRelayIncomplete, a.backedUp().name.range,
                      fmt::format("`{}` is backed up on demand here, but no `backup` protects it", vm->name.text))
              .label(vm->name.range, "declared here")
              .withHelp(fmt::format("protect it with a schedule: `backup <name> {{ protect {} in <vault> schedule = "
                                    "daily at \"02:00\" ... }}`",
                                    vm->name.text));
        else if (found->second->schedules.empty())
          diags
              .report(DiagID::BackupRelayIncomplete, a.backedUp().name.range,
                      fmt::format("`{}` is backed up on demand here, but backup `{}` that protects it has no schedule",
                                  vm->name.text, found->second->name.text))
              .label(found->second->name.range, "declared here")
              .withHelp("add `schedule = daily at \"02:00\" zone \"UTC\"` (or hourly, weekly) to that backup");
        else a.backupCall->backup = found->second; // a VM was named: the call exists
      }
      if (!relay) continue;
      const IdentityDecl *identity = relay->managedIdentity;
      if (identity && !identity->attrs.find("of") && !identity->attrs.find("client_id"))
        diags
            .report(DiagID::MissingAttribute, identity->name.range,
                    fmt::format("user-assigned identity `{}` of relay `{}` has no `client_id`; the relay asks the "
                                "identity endpoint for its token by it",
                                identity->name.text, relay->name.text))
            .withHelp("add `client_id = \"<GUID>\"`, the identity's client ID");
      if (!relay->managedIdentity)
        diags
            .report(DiagID::BackupRelayIncomplete, a.relay().name.range,
                    fmt::format("relay `{}` has no managed identity to trigger backups with", relay->name.text))
            .label(relay->name.range, "declared here")
            .withHelp(fmt::format("declare `identity <name> : managed_identity {{ assigned = system  of = {} }}`, or "
                                  "name a user-assigned one with `identity = <name>` on the resource",
                                  relay->name.text));
      bool polled = llvm::any_of(ew.routes, [&](const Route &r) {
        return llvm::any_of(r.actions, [&](const RouteAction &b) {
          return b.kind == RouteAction::Kind::PollBackup && b.relay().target == relay;
        });
      });
      if (!polled)
        diags
            .report(DiagID::BackupRelayIncomplete, a.range,
                    fmt::format("nothing polls the backups relay `{}` starts: the 202 answer points callers at a "
                                "route that polls it",
                                relay->name.text))
            .withHelp(fmt::format("add `route GET \"{}/{{handle}}\" {{ require token from ...  poll backup through "
                                  "{} }}`",
                                  quoteForMessage(llvm::StringRef(route.path.text).rtrim('/').str()),
                                  relay->name.text));
    }
}

/// Checks every declaration and builds its settings. Resource types first:
/// checking the others asks for their traits. The others are independent of
/// one another (each writes only itself, and reads the resolver's tables and
/// the types), so they are checked in parallel.
void checkDeclarations(Program &program, const Resolver &resolver, DiagnosticEngine &diags, const SourceManager &sm) {
  for (bool types : {true, false})
    forEachDeclInParallel(
        program, sm, diags, [&](const Decl &decl) { return llvm::isa<ResourceTypeDecl>(decl) == types; },
        [&](SourceFile &file, Decl &decl, DiagnosticEngine &found) {
          SemaContext ctx{found, resolver, file.id};
          DeclChecker(ctx, sm).check(decl);
          buildSettings(decl);
        });
}

} // namespace

void runSema(Program &program, Resolver &resolver, DiagnosticEngine &diags, const SourceManager &sm) {
  PhaseTimer timer("  sema");
  checkDeclarations(program, resolver, diags, sm);
  timer.mark("declarations");
  llvm::DenseMap<const Decl *, const BackupDecl *> protectedBy; // looked up, never walked
  // Beside the EdgeWorkers' sub-requests, which read neither: the relays'
  // identities, and which backup protects a VM first (that depends on the
  // order of the backups, so it is one task). Its findings are committed
  // after the sub-requests', as if it had run after them.
  DiagnosticEngine protectionFindings;
  auto relaysAndProtections = [&] {
    relayIdentities(program);
    llvm::DenseMap<const Decl *, const Ref *> protectedVms; // looked up, never walked
    for (auto &file : program.files)
      for (auto &decl : file->decls)
        if (auto *backup = llvm::dyn_cast<BackupDecl>(decl.get())) {
          onceProtected(*backup, protectedVms, protectionFindings);
          for (const Protection &p : backup->protections)
            for (const Ref &item : p.items)
              if (item.target) protectedBy.try_emplace(item.target, backup);
        }
  };
  // Each EdgeWorker's sub-requests are its own (it reads the settings of
  // the issuers and origins it names).
  forEachDeclInParallel(
      program, sm, diags, [](const Decl &decl) { return llvm::isa<EdgeWorkerDecl>(decl); },
      [&](SourceFile &file, Decl &decl, DiagnosticEngine &found) {
        SemaContext ctx{found, resolver, file.id};
        DeclChecker(ctx, sm).subrequests(llvm::cast<EdgeWorkerDecl>(decl));
      },
      relaysAndProtections);
  diags.commitAll(std::move(protectionFindings));
  timer.mark("subrequests, relays and protections");
  // Each EdgeWorker's backup triggers are its own too.
  forEachDeclInParallel(
      program, sm, diags, [](const Decl &decl) { return llvm::isa<EdgeWorkerDecl>(decl); },
      [&](SourceFile &, Decl &decl, DiagnosticEngine &found) {
        backupTriggers(llvm::cast<EdgeWorkerDecl>(decl), protectedBy, found);
      });
  timer.mark("triggers");
}

} // namespace ward
