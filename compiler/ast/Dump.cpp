#include "ast/Dump.h"

#include <fmt/format.h>

namespace ward {
namespace {

class Dumper {
public:
  explicit Dumper(bool ranges) : ranges_(ranges) {}
  std::string out;

  void file(const SourceFile &f) {
    for (const Import &i : f.imports)
      line("import", (i.isModule ? "module " : "file ") + quoted(i.target.text) + at(i.target.range) + at(i.range));
    for (const Suppression &s : f.suppressions) {
      std::string ids;
      for (const Name &id : s.ids) ids += id.text.str() + at(id.range) + " ";
      line("ward-ignore", ids + quoted(s.reason) + at(s.range));
    }
    for (const auto &d : f.decls) decl(*d);
  }

private:
  bool ranges_;
  int depth_ = 0;

  /// ` @begin-end`, when positions are dumped.
  std::string at(SourceRange r) const { return ranges_ ? fmt::format(" @{}-{}", r.begin, r.end) : ""; }

  static std::string quoted(llvm::StringRef s) { return fmt::format("{:?}", std::string_view(s.data(), s.size())); }
  void line(llvm::StringRef what, llvm::StringRef text = "") {
    out.append(static_cast<size_t>(depth_) * 2, ' ');
    out.append(what.data(), what.size());
    if (!text.empty()) {
      out += ' ';
      out.append(text.data(), text.size());
    }
    out += '\n';
  }
  struct Nest {
    Dumper &d;
    explicit Nest(Dumper &d) : d(d) { ++d.depth_; }
    ~Nest() { --d.depth_; }
  };

  void value(const Value &v, const std::string &label) {
    std::string where = at(v.range);
    switch (v.kind) {
    case Value::Kind::String: line(label, "string " + quoted(v.text) + where); return;
    case Value::Kind::Number: line(label, "number " + v.text.str() + where); return;
    case Value::Kind::Quantity: line(label, "quantity " + v.text.str() + where); return;
    case Value::Kind::Ref: line(label, "ref " + v.text.str() + where); return;
    case Value::Kind::List: line(label, "list" + where); break;
    case Value::Kind::Object: line(label, "object" + where); break;
    case Value::Kind::Call: line(label, "call " + v.text.str() + where); break;
    }
    Nest n(*this);
    for (const Value &item : v.items()) value(item, "item");
    for (const Field &f : v.fields()) value(f.value, "field " + quoted(f.key().text) + at(f.key().range));
  }
  void attrs(const AttrList &list) {
    if (list.range.valid()) line("block", at(list.range));
    Nest n(*this);
    for (const Attribute &a : list.items)
      value(a.value, "attr " + a.key().text.str() + at(a.key().range) + at(a.range()));
  }
  void ref(llvm::StringRef label, const Ref &r) { line(label, r.name.text.str() + at(r.name.range)); }
  template <typename OptionalName> void optionalName(llvm::StringRef label, const OptionalName &n) {
    if (n) line(label, quoted(n->text) + at(n->range));
  }
  void action(const RouteAction &a) {
    static const char *kKinds[] = {"forward", "redirect", "respond", "deny", "trigger backup", "poll backup"};
    line(kKinds[static_cast<int>(a.kind)], at(a.range));
    Nest n(*this);
    if (a.kind == RouteAction::Kind::Forward) ref("origin", a.origin());
    if (a.kind == RouteAction::Kind::TriggerBackup) ref("backed up", a.backedUp());
    if (a.kind == RouteAction::Kind::TriggerBackup || a.kind == RouteAction::Kind::PollBackup) ref("relay", a.relay());
    if (a.retry) ref("retry", *a.retry);
    if (a.status) value(*a.status, "status");
    optionalName("text", a.text);
    attrs(a.attrs());
  }
  void route(const Route &r) {
    std::string methods;
    for (const Name &m : r.methods) methods += m.text.str() + at(m.range) + " ";
    line("route", methods + quoted(r.path.text) + at(r.path.range) + at(r.keyword) + at(r.range));
    Nest n(*this);
    if (r.require) {
      ref("require token from", r.require->issuer);
      if (ranges_) line("extent", at(r.require->range));
      Nest m(*this);
      attrs(r.require->attrs);
    }
    for (const RouteAction &a : r.actions) action(a);
    attrs(r.attrs);
  }
  void schedule(const BackupSchedule &s) {
    static const char *kKinds[] = {"hourly", "daily", "weekly"};
    line("schedule", kKinds[static_cast<int>(s.kind)] + at(s.range));
    Nest n(*this);
    for (auto [label, v] : {std::pair<const char *, const HeapOptional<Value> *>{"every", &s.interval},
                            {"for", &s.windowDuration},
                            {"on", &s.days}})
      if (*v) value(**v, label);
    optionalName("from", s.windowStart);
    optionalName("at", s.time);
    optionalName("zone", s.zone);
  }

  void decl(const Decl &d) {
    line(declKindKeyword(d.kind()), d.name.text.str() + at(d.name.range) + at(d.keyword) + at(d.range));
    Nest n(*this);
    switch (d.kind()) {
    case DeclKind::IssuerTemplate:
      for (const Name &p : llvm::cast<IssuerTemplateDecl>(d).params) line("param", p.text.str() + at(p.range));
      break;
    case DeclKind::Issuer:
      if (auto &t = llvm::cast<IssuerDecl>(d).templateRef) ref("template", *t);
      break;
    case DeclKind::Identity:
      line("kind", llvm::cast<IdentityDecl>(d).kindName.text.str() + at(llvm::cast<IdentityDecl>(d).kindName.range));
      break;
    case DeclKind::Resource: ref("type", llvm::cast<ResourceDecl>(d).type); break;
    case DeclKind::Capability: ref("on", llvm::cast<CapabilityDecl>(d).resourceType); break;
    case DeclKind::Allow: {
      auto &a = llvm::cast<AllowDecl>(d);
      ref("identity", a.identity), ref("capability", a.capability), ref("resource", a.resource);
      optionalName("when", a.condition);
      break;
    }
    case DeclKind::Grant: {
      auto &g = llvm::cast<GrantDecl>(d);
      ref("identity", g.identity);
      optionalName("role", g.role);
      for (const Value &v : g.actions) value(v, "action");
      for (const Value &v : g.dataActions) value(v, "data action");
      ref("scope", g.scope);
      break;
    }
    case DeclKind::EdgeWorker: {
      auto &e = llvm::cast<EdgeWorkerDecl>(d);
      for (const Route &r : e.routes) route(r);
      for (const RouteAction &a : e.defaults) {
        line("default");
        Nest m(*this);
        action(a);
      }
      break;
    }
    case DeclKind::Backup: {
      auto &b = llvm::cast<BackupDecl>(d);
      for (const Protection &p : b.protections) {
        line("protect", at(p.range));
        Nest m(*this);
        for (const Ref &item : p.items) ref("item", item);
        ref("in", p.vault);
      }
      for (const BackupSchedule &s : b.schedules) schedule(s);
      for (const Ref &t : b.triggers) ref("trigger by", t);
      break;
    }
    default: break;
    }
    attrs(d.attrs);
  }
};

} // namespace

std::string dumpSyntax(const SourceFile &file, bool withRanges) {
  Dumper d(withRanges);
  d.file(file);
  return d.out;
}

} // namespace ward
