//===- AstBuilder.cpp - ANTLR parse tree to Ward AST ----------------------===//
#include "parse/ParserInternals.h"
#include "source/Text.h"

#include <antlr4-runtime.h>
#include <fmt/format.h>

#include <cstdlib>

namespace ward::parse {
namespace {

using P = grammar::WardParser;

class AstBuilder {
public:
  AstBuilder(const SourceManager &sm, FileID file, DiagnosticEngine &diags)
      : file_(file), source_(sm.text(file)), diags_(diags) {}

  /// Builds every top-level declaration the parser recovered whole. One
  /// with a syntax error inside (or before its end: `errorOffsets`), or whose
  /// building reported an error, is left out and recorded as broken, so
  /// that the rest of the file is still checked.
  void build(P::FileContext *tree, SourceFile &out, const std::vector<uint32_t> &errorOffsets) {
    texts_ = &out.texts;
    std::vector<P::TopLevelContext *> tops = tree->topLevel();
    std::vector<bool> broken(tops.size());
    for (size_t i = 0; i < tops.size(); ++i) {
      SourceRange extent = contextRange(file_, tops[i]);
      // A parse without errors had no recovery to look for.
      if (!errorOffsets.empty()) broken[i] = broken[i] || containsRecovery(tops[i]);
      for (uint32_t at : errorOffsets) {
        if (at < extent.begin || at >= extent.end) continue;
        // "expected ..., found `edgeworker`" at a declaration's first token is
        // about the declaration before it, which the keyword cut short.
        if (at == extent.begin && i > 0) broken[i - 1] = true;
        else broken[i] = true;
      }
    }
    for (size_t i = 0; i < tops.size(); ++i) {
      P::TopLevelContext *top = tops[i];
      SourceRange extent = contextRange(file_, top);
      unsigned errorsBefore = diags_.errorCount();
      if (!broken[i]) {
        if (auto *c = top->importDecl()) {
          Import built = import(c);
          if (diags_.errorCount() == errorsBefore) {
            out.imports.push_back(std::move(built));
            continue;
          }
        } else if (std::unique_ptr<Decl> decl = declaration(top); decl && diags_.errorCount() == errorsBefore) {
          decl->file = file_;
          decl->range = extent;
          decl->keyword = tokenRange(file_, top->getStart());
          out.decls.push_back(std::move(decl));
          continue;
        }
      }
      out.brokenDecls.push_back(brokenDecl(top, extent));
    }
  }

private:
  // ---- leaves ---------------------------------------------------------------
  SourceRange range(antlr4::ParserRuleContext *ctx) { return contextRange(file_, ctx); }
  SourceRange range(antlr4::tree::TerminalNode *node) { return tokenRange(file_, node->getSymbol()); }
  llvm::StringRef text(antlr4::ParserRuleContext *ctx) {
    SourceRange r = range(ctx);
    return source_.slice(r.begin, r.end);
  }

  Name name(P::NameContext *ctx) { return {text(ctx), range(ctx)}; }
  Name qualified(P::QualifiedNameContext *ctx) {
    // Rebuild without interior spaces or comments: `std . azure` is `std.azure`.
    std::string joined;
    for (P::NameContext *part : ctx->name()) {
      if (!joined.empty()) joined += '.';
      joined += text(part).str();
    }
    llvm::StringRef written = text(ctx);
    return {written == joined ? written : texts_->keep(joined), range(ctx)};
  }
  Ref ref(P::NameContext *ctx) { return {name(ctx), nullptr}; }
  Ref ref(P::QualifiedNameContext *ctx) { return {qualified(ctx), nullptr}; }

  /// Decodes a string literal; reports malformed escapes at their position.
  Name string(antlr4::tree::TerminalNode *node) {
    SourceRange r = range(node);
    llvm::StringRef raw = source_.slice(r.begin, r.end);
    llvm::StringRef body = raw.size() >= 2 && raw.endswith("\"") ? raw.substr(1, raw.size() - 2) : raw.substr(1);
    std::string out = decodeStringBody(body, [&](const BadEscape &bad) {
      SourceRange at{file_, r.begin + 1 + uint32_t(bad.begin), r.begin + 1 + uint32_t(bad.end)};
      if (bad.unicode) {
        diags_.report(DiagID::InvalidEscape, at, "invalid unicode escape")
            .withHelp("write `\\u{` one to six hex digits `}` naming a Unicode scalar value, e.g. `\\u{e9}`");
        return;
      }
      diags_
          .report(DiagID::InvalidEscape, at,
                  fmt::format("unknown escape sequence `\\{}`", quoteForMessage(body.substr(bad.begin + 1, 1))))
          .withHelp("valid escapes are \\\" \\\\ \\/ \\n \\r \\t and \\u{hex}; write `\\\\` for a backslash");
    });
    return {out == body ? body : texts_->keep(out), r};
  }

  Value number(antlr4::tree::TerminalNode *node, bool withUnit) {
    SourceRange r = range(node);
    return numberValue(source_.slice(r.begin, r.end), r, withUnit);
  }

  Value value(P::ValueContext *ctx) {
    Value v;
    if (auto *c = dynamic_cast<P::StringValueContext *>(ctx)) {
      Name s = string(c->STRING());
      v.kind = Value::Kind::String;
      v.text = s.text;
    } else if (auto *c = dynamic_cast<P::NumberValueContext *>(ctx)) {
      v = number(c->NUMBER(), false);
    } else if (auto *c = dynamic_cast<P::QuantityValueContext *>(ctx)) {
      v = number(c->QUANTITY(), true);
    } else if (auto *c = dynamic_cast<P::ListValueContext *>(ctx)) {
      v = list(c->list());
    } else if (auto *c = dynamic_cast<P::ObjectValueContext *>(ctx)) {
      v.kind = Value::Kind::Object;
      CompactVector<Field> fields;
      for (P::FieldContext *f : c->object()->field()) fields.push_back(field(f));
      v.setFields(std::move(fields));
    } else if (auto *c = dynamic_cast<P::CallValueContext *>(ctx)) {
      v.kind = Value::Kind::Call;
      v.text = qualified(c->qualifiedName()).text;
      CompactVector<Value> positional;
      CompactVector<Field> named;
      for (P::ArgumentContext *arg : c->argument()) {
        if (arg->name()) named.push_back({name(arg->name()), value(arg->value())});
        else positional.push_back(value(arg->value()));
      }
      v.setItems(std::move(positional));
      v.setFields(std::move(named));
    } else if (auto *c = dynamic_cast<P::RefValueContext *>(ctx)) {
      v.kind = Value::Kind::Ref;
      v.text = qualified(c->qualifiedName()).text;
    }
    v.range = range(ctx);
    return v;
  }

  Value list(P::ListContext *ctx) {
    Value v;
    v.kind = Value::Kind::List;
    v.range = range(ctx);
    CompactVector<Value> items;
    for (P::ValueContext *item : ctx->value()) items.push_back(value(item));
    v.setItems(std::move(items));
    return v;
  }

  Field field(P::FieldContext *ctx) {
    Name key = ctx->name() ? name(ctx->name()) : string(ctx->STRING());
    return {std::move(key), value(ctx->value())};
  }

  Attribute attribute(P::AttributeContext *ctx) { return {name(ctx->name()), value(ctx->value())}; }

  AttrList attrs(P::AttrBlockContext *ctx) {
    AttrList out;
    if (!ctx) return out;
    out.range = range(ctx);
    for (P::AttributeContext *a : ctx->attribute()) out.items.push_back(attribute(a));
    return out;
  }

  Import import(P::ImportDeclContext *ctx) {
    Import imp;
    imp.range = range(ctx);
    if (ctx->qualifiedName()) {
      imp.isModule = true;
      imp.target = qualified(ctx->qualifiedName());
    } else {
      imp.target = string(ctx->STRING());
    }
    return imp;
  }

  // ---- declarations -----------------------------------------------------------
  std::unique_ptr<Decl> declaration(P::TopLevelContext *top) {
    if (auto *c = top->tenantDecl()) {
      auto d = std::make_unique<TenantDecl>();
      d->name = name(c->name());
      d->attrs = attrs(c->attrBlock());
      return d;
    }
    if (auto *c = top->issuerTemplateDecl()) {
      auto d = std::make_unique<IssuerTemplateDecl>();
      d->name = qualified(c->qualifiedName());
      for (P::NameContext *param : c->name()) d->params.push_back(name(param));
      d->attrs = attrs(c->attrBlock());
      return d;
    }
    if (auto *c = top->issuerDecl()) {
      auto d = std::make_unique<IssuerDecl>();
      d->name = name(c->name());
      if (c->qualifiedName()) d->templateRef = ref(c->qualifiedName());
      d->attrs = attrs(c->attrBlock());
      return d;
    }
    if (auto *c = top->identityDecl()) {
      auto d = std::make_unique<IdentityDecl>();
      d->name = name(c->name(0));
      d->kindName = name(c->name(1));
      d->attrs = attrs(c->attrBlock());
      return d;
    }
    if (auto *c = top->resourceTypeDecl()) {
      auto d = std::make_unique<ResourceTypeDecl>();
      d->name = qualified(c->qualifiedName());
      d->attrs = attrs(c->attrBlock());
      return d;
    }
    if (auto *c = top->resourceDecl()) {
      auto d = std::make_unique<ResourceDecl>();
      d->name = name(c->name());
      d->type = ref(c->qualifiedName());
      d->attrs = attrs(c->attrBlock());
      return d;
    }
    if (auto *c = top->capabilityDecl()) {
      auto d = std::make_unique<CapabilityDecl>();
      d->name = qualified(c->qualifiedName(0));
      d->resourceType = ref(c->qualifiedName(1));
      d->attrs = attrs(c->attrBlock());
      return d;
    }
    if (auto *c = top->allowDecl()) {
      auto d = std::make_unique<AllowDecl>();
      d->identity = ref(c->name(0));
      d->capability = ref(c->qualifiedName());
      d->resource = ref(c->name(1));
      if (c->STRING()) d->condition = string(c->STRING());
      return d;
    }
    if (auto *c = top->grantDecl()) return grant(c);
    if (auto *c = top->retryDecl()) {
      auto d = std::make_unique<RetryDecl>();
      d->name = qualified(c->qualifiedName());
      d->attrs = attrs(c->attrBlock());
      return d;
    }
    if (auto *c = top->edgeworkerDecl()) return edgeworker(c);
    if (auto *c = top->backupDecl()) return backup(c);
    return nullptr;
  }

  std::unique_ptr<Decl> grant(P::GrantDeclContext *c) {
    auto d = std::make_unique<GrantDecl>();
    d->identity = ref(c->name(0));
    d->scope = ref(c->name(1));
    d->attrs = attrs(c->attrBlock());
    P::GrantWhatContext *what = c->grantWhat();
    if (auto *w = dynamic_cast<P::GrantRoleContext *>(what)) {
      d->role = string(w->STRING());
    } else if (auto *w = dynamic_cast<P::GrantActionsContext *>(what)) {
      d->actions = list(w->list(0)).takeItems();
      if (w->list().size() > 1) d->dataActions = list(w->list(1)).takeItems();
    } else if (auto *w = dynamic_cast<P::GrantDataActionsContext *>(what)) {
      d->dataActions = list(w->list()).takeItems();
    }
    return d;
  }

  RouteAction action(P::ActionContext *ctx) {
    RouteAction a;
    a.range = range(ctx);
    if (auto *c = dynamic_cast<P::ForwardActionContext *>(ctx)) {
      a.kind = RouteAction::Kind::Forward;
      a.forwardTo = ref(c->name());
      if (c->qualifiedName()) a.retry = ref(c->qualifiedName());
    } else if (auto *c = dynamic_cast<P::RedirectActionContext *>(ctx)) {
      a.kind = RouteAction::Kind::Redirect;
      a.status = number(c->NUMBER(), false);
      a.text = string(c->STRING());
    } else if (auto *c = dynamic_cast<P::RespondActionContext *>(ctx)) {
      a.kind = RouteAction::Kind::Respond;
      a.status = number(c->NUMBER(), false);
      if (c->STRING()) a.text = string(c->STRING());
      a.setAttrs(attrs(c->attrBlock()));
    } else if (auto *c = dynamic_cast<P::DenyActionContext *>(ctx)) {
      a.kind = RouteAction::Kind::Deny;
      if (c->NUMBER()) a.status = number(c->NUMBER(), false);
      if (c->STRING()) a.text = string(c->STRING());
    } else if (auto *c = dynamic_cast<P::TriggerBackupActionContext *>(ctx)) {
      a.kind = RouteAction::Kind::TriggerBackup;
      BackupCall &call = a.backupCall.emplace();
      call.backedUp = ref(c->name(0));
      call.relay = ref(c->name(1));
    } else if (auto *c = dynamic_cast<P::PollBackupActionContext *>(ctx)) {
      a.kind = RouteAction::Kind::PollBackup;
      a.backupCall.emplace().relay = ref(c->name());
    }
    return a;
  }

  std::unique_ptr<Decl> edgeworker(P::EdgeworkerDeclContext *c) {
    auto d = std::make_unique<EdgeWorkerDecl>();
    d->name = name(c->name());
    for (P::EdgeworkerMemberContext *member : c->edgeworkerMember()) {
      if (auto *a = member->attribute()) {
        d->attrs.items.push_back(attribute(a));
      } else if (auto *def = member->defaultDecl()) {
        RouteAction act = action(def->action());
        act.range = range(def);
        d->defaults.push_back(std::move(act));
      } else if (auto *r = member->routeDecl()) {
        d->routes.push_back(route(r));
      }
    }
    d->attrs.range = range(c);
    return d;
  }

  Route route(P::RouteDeclContext *c) {
    Route r;
    r.range = range(c);
    r.keyword = range(c->ROUTE());
    for (P::NameContext *method : c->name()) r.methods.push_back(name(method));
    r.path = string(c->STRING());
    for (P::RouteMemberContext *member : c->routeMember()) {
      if (auto *req = member->requireStmt()) {
        TokenRequirement t;
        t.issuer = ref(req->name());
        t.attrs = attrs(req->attrBlock());
        t.range = range(req);
        if (r.require) {
          diags_.report(DiagID::DuplicateAttribute, t.range, "a route can require only one token")
              .label(r.require->range, "first `require token` here")
              .withHelp("split the route, or accept one issuer per route");
          continue;
        }
        r.require = std::move(t);
      } else if (auto *act = member->action()) {
        r.actions.push_back(action(act));
      } else if (auto *a = member->attribute()) {
        r.attrs.items.push_back(attribute(a));
      }
    }
    return r;
  }

  std::unique_ptr<Decl> backup(P::BackupDeclContext *c) {
    auto d = std::make_unique<BackupDecl>();
    d->name = name(c->name());
    for (P::BackupMemberContext *member : c->backupMember()) {
      if (auto *m = dynamic_cast<P::ProtectStmtContext *>(member)) {
        Protection p;
        p.range = range(m);
        auto names = m->name();
        for (size_t i = 0; i + 1 < names.size(); ++i) p.items.push_back(ref(names[i]));
        p.vault = ref(names.back());
        d->protections.push_back(std::move(p));
      } else if (auto *m = dynamic_cast<P::ScheduleStmtContext *>(member)) {
        d->schedules.push_back(schedule(m->schedule()));
      } else if (auto *m = dynamic_cast<P::TriggerStmtContext *>(member)) {
        for (P::NameContext *n : m->name()) d->triggers.push_back(ref(n));
      } else if (auto *m = dynamic_cast<P::BackupAttributeContext *>(member)) {
        d->attrs.items.push_back(attribute(m->attribute()));
      }
    }
    d->attrs.range = range(c);
    return d;
  }

  BackupSchedule schedule(P::ScheduleContext *ctx) {
    BackupSchedule s;
    s.range = range(ctx);
    P::ZoneContext *zone = nullptr;
    if (auto *c = dynamic_cast<P::HourlyScheduleContext *>(ctx)) {
      s.kind = BackupSchedule::Kind::Hourly;
      s.interval = number(c->QUANTITY(0), true);
      s.windowStart = string(c->STRING());
      s.windowDuration = number(c->QUANTITY(1), true);
      zone = c->zone();
    } else if (auto *c = dynamic_cast<P::DailyScheduleContext *>(ctx)) {
      s.kind = BackupSchedule::Kind::Daily;
      s.time = string(c->STRING());
      zone = c->zone();
    } else if (auto *c = dynamic_cast<P::WeeklyScheduleContext *>(ctx)) {
      s.kind = BackupSchedule::Kind::Weekly;
      s.days = list(c->list());
      s.time = string(c->STRING());
      zone = c->zone();
    }
    if (zone) s.zone = string(zone->STRING());
    return s;
  }

  /// Whether ANTLR's error recovery touched `ctx`: an exception, a token it
  /// skipped or conjured (error nodes), or a closer the structure repair
  /// inserted (a zero-width token).
  static bool containsRecovery(antlr4::tree::ParseTree *node) {
    if (antlr4::tree::TerminalNode *leaf = dynamic_cast<antlr4::tree::TerminalNode *>(node)) {
      antlr4::Token *t = leaf->getSymbol();
      return dynamic_cast<antlr4::tree::ErrorNode *>(node) || t->getStartIndex() == INVALID_INDEX ||
             t->getStopIndex() < t->getStartIndex();
    }
    auto *ctx = static_cast<antlr4::ParserRuleContext *>(node);
    if (ctx->exception) return true;
    return std::any_of(ctx->children.begin(), ctx->children.end(), containsRecovery);
  }

  /// What is known of a declaration that did not parse: its keyword, range
  /// and, when the parser got that far, its name.
  BrokenDecl brokenDecl(P::TopLevelContext *top, SourceRange extent) {
    BrokenDecl b;
    b.range = extent;
    if (top->importDecl()) b.isImport = true;
    b.kind = top->tenantDecl()           ? std::optional<DeclKind>(DeclKind::Tenant)
             : top->issuerTemplateDecl() ? std::optional<DeclKind>(DeclKind::IssuerTemplate)
             : top->issuerDecl()         ? std::optional<DeclKind>(DeclKind::Issuer)
             : top->identityDecl()       ? std::optional<DeclKind>(DeclKind::Identity)
             : top->resourceTypeDecl()   ? std::optional<DeclKind>(DeclKind::ResourceType)
             : top->resourceDecl()       ? std::optional<DeclKind>(DeclKind::Resource)
             : top->capabilityDecl()     ? std::optional<DeclKind>(DeclKind::Capability)
             : top->allowDecl()          ? std::optional<DeclKind>(DeclKind::Allow)
             : top->grantDecl()          ? std::optional<DeclKind>(DeclKind::Grant)
             : top->retryDecl()          ? std::optional<DeclKind>(DeclKind::Retry)
             : top->edgeworkerDecl()     ? std::optional<DeclKind>(DeclKind::EdgeWorker)
             : top->backupDecl()         ? std::optional<DeclKind>(DeclKind::Backup)
                                         : std::nullopt;
    auto *decl = top->children.empty() ? nullptr : dynamic_cast<antlr4::ParserRuleContext *>(top->children.front());
    if (!decl || b.isImport || top->allowDecl() || top->grantDecl()) return b;
    for (antlr4::tree::ParseTree *child : decl->children) {
      if (auto *n = dynamic_cast<P::NameContext *>(child); n && !containsRecovery(n)) b.name = name(n);
      else if (auto *q = dynamic_cast<P::QualifiedNameContext *>(child); q && !containsRecovery(q))
        b.name = qualified(q);
      else continue;
      break;
    }
    return b;
  }

  FileID file_;
  llvm::StringRef source_;
  DiagnosticEngine &diags_;
  TextStore *texts_ = nullptr; // the file's, for texts the source does not hold as written
};

} // namespace

/// The value of a number's digits. Nearly every number in a policy is a
/// short whole number, and a policy has one in nearly every declaration:
/// those are summed exactly (up to 15 digits a double holds them all, as
/// strtod would give them), and only the rest go through strtod.
static double magnitudeOf(llvm::StringRef digits, bool whole) {
  if (whole && digits.size() <= 15) {
    uint64_t whole = 0;
    for (char c : digits) whole = whole * 10 + static_cast<uint64_t>(c - '0');
    return static_cast<double>(whole);
  }
  std::string terminated = digits.str();
  return std::strtod(terminated.c_str(), nullptr);
}

Value numberValue(llvm::StringRef text, SourceRange range, bool withUnit) {
  Value v;
  v.range = range;
  v.text = text; // a span of the source
  size_t digitsEnd = 0;
  while (digitsEnd < v.text.size() &&
         (std::isdigit(static_cast<unsigned char>(v.text[digitsEnd])) || v.text[digitsEnd] == '.'))
    ++digitsEnd;
  llvm::StringRef magnitude = v.text.take_front(digitsEnd);
  v.kind = withUnit ? Value::Kind::Quantity : Value::Kind::Number;
  v.isInteger = !magnitude.contains('.');
  v.setNumber(magnitudeOf(magnitude, v.isInteger));
  return v;
}

void buildAst(const SourceManager &sm, FileID file, P::FileContext *tree, SourceFile &out, DiagnosticEngine &diags,
              const std::vector<uint32_t> &errorOffsets) {
  AstBuilder(sm, file, diags).build(tree, out, errorOffsets);
}

} // namespace ward::parse
