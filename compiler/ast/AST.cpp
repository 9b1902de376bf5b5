#include "ast/AST.h"
#include "source/Text.h"

#include <fmt/format.h>

namespace ward {

const Ref RouteAction::kNoRef{};
const AttrList RouteAction::kNoAttrs{};

Value::Value(const Value &other) : text(other.text), range(other.range), kind(other.kind), isInteger(other.isInteger) {
  copyPayload(other);
}

Value &Value::operator=(const Value &other) {
  // Through a copy: `other` may be one of this value's own elements.
  if (this != &other) *this = Value(other);
  return *this;
}

void Value::copyPayload(const Value &other) {
  if (!other.ownsElements_) {
    setPayload(other.payload());
    return;
  }
  const Elements &from = *other.elements();
  Elements &to = ownElements();
  to.items = from.items;
  to.fields = from.fields;
}

Value::Elements &Value::ownElements() {
  if (Elements *existing = elements()) return *existing;
  bool inArena = false;
  Elements *fresh = new (allocateNode(sizeof(Elements), alignof(Elements), inArena)) Elements();
  setPayload(reinterpret_cast<uintptr_t>(fresh) | (inArena ? 1 : 0));
  ownsElements_ = true;
  return *fresh;
}

void Value::releaseElements() {
  Elements *e = elements();
  bool inArena = payload() & 1;
  e->~Elements();
  freeNode(e, inArena);
  setPayload(0);
  ownsElements_ = false;
}

void Value::setItems(CompactVector<Value> items) {
  assert((kind == Kind::List || kind == Kind::Call) && "items are a list's or a call's");
  if (items.empty() && !ownsElements_) return; // nothing to keep: an empty list takes no memory
  ownElements().items = std::move(items);
}

void Value::setFields(CompactVector<Field> fields) {
  assert((kind == Kind::Object || kind == Kind::Call) && "fields are an object's or a call's");
  if (fields.empty() && !ownsElements_) return;
  ownElements().fields = std::move(fields);
}

CompactVector<Value> Value::takeItems() {
  Elements *e = elements();
  return e ? std::move(e->items) : CompactVector<Value>();
}

llvm::StringRef Value::kindName() const {
  switch (kind) {
  case Kind::String: return "a string";
  case Kind::Number: return "a number";
  case Kind::Quantity: return unit() == "%" ? "a percentage" : "a quantity with a unit";
  case Kind::List: return "a list";
  case Kind::Object: return "an object";
  case Kind::Call: return "a function-style value";
  case Kind::Ref: return "a name";
  }
  return "a value";
}

const Attribute *AttrList::find(llvm::StringRef key) const {
  for (const Attribute &a : items)
    if (a.key().text == key) return &a;
  return nullptr;
}

std::string AttrList::string(llvm::StringRef key) const {
  const Attribute *a = find(key);
  return a && a->value.kind == Value::Kind::String ? a->value.text.str() : "";
}

std::vector<std::string> AttrList::strings(llvm::StringRef key) const {
  const Attribute *a = find(key);
  return a ? a->value.strings() : std::vector<std::string>{};
}

std::vector<std::string> Value::strings() const {
  if (kind != Kind::List) return {text.str()};
  std::vector<std::string> out;
  for (const Value &item : items()) out.push_back(item.text.str());
  return out;
}

llvm::StringRef declKindKeyword(DeclKind kind) {
  switch (kind) {
  case DeclKind::Tenant: return "tenant";
  case DeclKind::IssuerTemplate: return "issuer template";
  case DeclKind::Issuer: return "issuer";
  case DeclKind::Identity: return "identity";
  case DeclKind::ResourceType: return "resource type";
  case DeclKind::Resource: return "resource";
  case DeclKind::Capability: return "capability";
  case DeclKind::Allow: return "allow";
  case DeclKind::Grant: return "grant";
  case DeclKind::Retry: return "retry";
  case DeclKind::EdgeWorker: return "edgeworker";
  case DeclKind::Backup: return "backup";
  }
  return "declaration";
}

llvm::StringRef declKindNoun(DeclKind kind) {
  switch (kind) {
  case DeclKind::Tenant: return "a tenant";
  case DeclKind::IssuerTemplate: return "an issuer template";
  case DeclKind::Issuer: return "an issuer";
  case DeclKind::Identity: return "an identity";
  case DeclKind::ResourceType: return "a resource type";
  case DeclKind::Resource: return "a resource";
  case DeclKind::Capability: return "a capability";
  case DeclKind::Allow: return "an allow rule";
  case DeclKind::Grant: return "a grant";
  case DeclKind::Retry: return "a retry policy";
  case DeclKind::EdgeWorker: return "an edgeworker";
  case DeclKind::Backup: return "a backup";
  }
  return "a declaration";
}

std::string Decl::describe(const SourceManager &sm) const {
  // Made for every declaration the type checks see: by concatenation, which
  // is several times cheaper than formatting.
  if (!name.empty()) return concat({declKindKeyword(kind()), " `", name.text, "`"});
  LineColumn lc = sm.lineColumn(file, range.begin);
  return fmt::format("{} at {}:{}", declKindKeyword(kind()).str(), lc.line, lc.column);
}

bool ResourceTypeDecl::hasTrait(llvm::StringRef trait) const { return llvm::is_contained(settings.traits, trait); }

void EdgeWorkerDecl::clearSemantics() {
  settings = {};
  hostnames.clear();
  via.clear();
  for (Route &r : routes) {
    if (r.require) r.require->settings = {};
    for (RouteAction &a : r.actions) {
      if (a.respond) a.respond->headers.clear();
      if (a.backupCall) a.backupCall->backup = nullptr;
    }
  }
  for (RouteAction &a : defaults)
    if (a.respond) a.respond->headers.clear();
}

llvm::StringRef EdgeWorkerDecl::subrequestUrl(const Decl *target) const {
  for (const SubrequestRoute &r : via)
    if (r.target == target) return r.url;
  return "";
}

bool EdgeWorkerDecl::forwardsWithRetry() const {
  return llvm::any_of(routes, [](const Route &r) {
    return llvm::any_of(r.actions,
                        [](const RouteAction &a) { return a.kind == RouteAction::Kind::Forward && a.retry; });
  });
}

bool EdgeWorkerDecl::callsRelay() const {
  return llvm::any_of(routes, [](const Route &r) {
    return llvm::any_of(r.actions, [](const RouteAction &a) {
      return a.kind == RouteAction::Kind::TriggerBackup || a.kind == RouteAction::Kind::PollBackup;
    });
  });
}

std::vector<std::string> pathParameters(llvm::StringRef pattern) {
  std::vector<std::string> out;
  llvm::SmallVector<llvm::StringRef, 8> segments;
  pattern.split(segments, '/');
  for (llvm::StringRef segment : segments)
    if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}')
      out.push_back(segment.drop_front().drop_back().str());
  return out;
}

std::vector<std::string> locationPlaceholders(llvm::StringRef location) {
  std::vector<std::string> out;
  for (size_t open = location.find('{'); open != llvm::StringRef::npos; open = location.find('{', open + 1)) {
    size_t close = location.find('}', open);
    if (close == llvm::StringRef::npos) break;
    out.push_back(location.slice(open + 1, close).str());
  }
  return out;
}

} // namespace ward
