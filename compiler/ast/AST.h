//===- AST.h - The typed syntax tree of a Ward policy ------------*- C++ -*-===//
//
// Built from the ANTLR parse tree by compiler/parse; contains no ANTLR type.
// Every node carries a SourceRange. References (`Ref`) are filled in by the
// resolver; attribute values stay as written and are validated by Sema
// against per-declaration schemas.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/CompactVector.h"
#include "ast/HeapOptional.h"
#include "ast/NodeArena.h"
#include "ast/Settings.h"
#include "ast/TextStore.h"
#include "ast/TextView.h"
#include "source/SourceManager.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Casting.h>
#include <llvm/Support/JSON.h>

#include <cassert>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ward {

class Decl;

/// A name as written, with where it was written. The text points into the
/// source buffer or into a TextStore of the node's owner (see TextStore.h).
struct Name {
  TextView text;
  SourceRange range;
  bool empty() const { return text.empty(); }
};

/// A use of a declared name. `target` is set by the resolver.
struct Ref {
  Name name;
  const Decl *target = nullptr;
};

struct Field;

/// A literal or structured value on the right of `=`.
///
/// 36 bytes: a large policy holds a value for every attribute, field and
/// list element. A number's magnitude, a reference's target and a compound
/// value's elements share one slot, as no value has two of them.
struct Value {
  enum class Kind : uint8_t { String, Number, Quantity, List, Object, Call, Ref };
  TextView text; // String: decoded text; Ref/Call: dotted name; Number/Quantity: spelling
                 // (in the source buffer or a TextStore, as Name's)
  SourceRange range;
  Kind kind = Kind::String;
  bool isInteger = false; // Number and Quantity: written without a fraction

  Value() = default;
  Value(const Value &other);
  Value(Value &&other) noexcept
      : text(other.text), range(other.range), kind(other.kind), isInteger(other.isInteger),
        ownsElements_(std::exchange(other.ownsElements_, false)) {
    setPayload(other.payload());
    other.setPayload(0);
  }
  Value &operator=(const Value &other);
  Value &operator=(Value &&other) noexcept;
  ~Value() {
    if (ownsElements_) releaseElements();
  }

  /// List elements; Call positional arguments; empty for other kinds.
  llvm::ArrayRef<Value> items() const;
  llvm::MutableArrayRef<Value> items();
  /// Object fields; Call named arguments; empty for other kinds.
  llvm::ArrayRef<Field> fields() const;
  llvm::MutableArrayRef<Field> fields();
  /// Sets a List's elements or a Call's positional arguments.
  void setItems(CompactVector<Value> items);
  /// Sets an Object's fields or a Call's named arguments.
  void setFields(CompactVector<Field> fields);
  /// The elements, moved out; the value keeps none.
  CompactVector<Value> takeItems();

  /// Number and Quantity: the magnitude; 0 for other kinds.
  double number() const {
    if ((kind != Kind::Number && kind != Kind::Quantity) || ownsElements_) return 0;
    double magnitude;
    std::memcpy(&magnitude, payload_, sizeof magnitude);
    return magnitude;
  }
  void setNumber(double magnitude) {
    assert((kind == Kind::Number || kind == Kind::Quantity) && !ownsElements_ && "a magnitude is a number's");
    std::memcpy(payload_, &magnitude, sizeof magnitude);
  }
  /// Ref: the declaration it names, where a schema expects a reference and
  /// Sema resolved it; null otherwise, and for other kinds.
  const Decl *target() const {
    if (kind != Kind::Ref || ownsElements_) return nullptr;
    const Decl *decl;
    std::memcpy(&decl, payload_, sizeof decl);
    return decl;
  }
  void setTarget(const Decl *decl) {
    assert(kind == Kind::Ref && !ownsElements_ && "a target is a reference's");
    std::memcpy(payload_, &decl, sizeof decl);
  }

  /// Quantity: the suffix as written (`ms`, `mo`, `%`, `days`), what follows
  /// the digits (QUANTITY in Ward.g4); not stored, as a policy holds a value
  /// per attribute.
  llvm::StringRef unit() const {
    if (kind != Kind::Quantity) return {};
    size_t digits = 0; // a plain loop: durations are checked by the hundred thousand
    while (digits < text.size() && ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.')) ++digits;
    return text.drop_front(digits);
  }
  llvm::StringRef kindName() const;
  /// The texts of a list's items, or this value's own text.
  std::vector<std::string> strings() const;

private:
  struct Elements;
  Elements *elements() const;
  Elements &ownElements();
  void releaseElements();
  void copyPayload(const Value &other);
  uint64_t payload() const {
    uint64_t bits;
    std::memcpy(&bits, payload_, sizeof bits);
    return bits;
  }
  void setPayload(uint64_t bits) { std::memcpy(payload_, &bits, sizeof bits); }

  // Whether the payload points to Elements (a compound value's, allocated
  // as NodeArena.h says) rather than holding a magnitude or a target. Kept
  // apart from `kind`, which the parsers set as they go: the destructor
  // must not read a magnitude as an address.
  bool ownsElements_ = false;
  // A number's magnitude, a reference's target, or the address of a
  // compound value's Elements (tagged in its lowest bit when a NodeArena's).
  // Two halves, read and written whole by memcpy: 4-byte aligned, it packs
  // after the text, range and kind.
  uint32_t payload_[2] = {0, 0};
  static_assert(sizeof(double) == sizeof(payload_) && sizeof(const Decl *) == sizeof(payload_),
                "a magnitude or a target fills the payload");
};

/// A key and its value: an attribute, or a field of an object or a call.
/// The key is written in the file of its value, so that file is not kept
/// twice: a large policy holds hundreds of thousands of keys (56 bytes an
/// entry, not 60).
class KeyedValue {
public:
  KeyedValue() = default;
  KeyedValue(const Name &key, Value value)
      : value(std::move(value)), keyText_(key.text), keyBegin_(key.range.begin), keyEnd_(key.range.end) {
    assert((!key.range.valid() || key.range.file == this->value.range.file) && "a key is in its value's file");
  }
  /// The key: an identifier, or a quoted key decoded (`"x-note" = ...`).
  Name key() const { return {keyText_, SourceRange{value.range.file, keyBegin_, keyEnd_}}; }

  Value value;

private:
  TextView keyText_;
  uint32_t keyBegin_ = 0, keyEnd_ = 0;
};

struct Field : KeyedValue {
  using KeyedValue::KeyedValue;
};

/// A compound value's elements: a list's, an object's, or a call's two
/// kinds of argument.
struct Value::Elements {
  CompactVector<Value> items;
  CompactVector<Field> fields;
};
inline Value::Elements *Value::elements() const {
  return ownsElements_ ? reinterpret_cast<Elements *>(static_cast<uintptr_t>(payload()) & ~uintptr_t(1)) : nullptr;
}
inline llvm::ArrayRef<Value> Value::items() const {
  const Elements *e = elements();
  return e ? llvm::ArrayRef<Value>(e->items.begin(), e->items.end()) : llvm::ArrayRef<Value>();
}
inline llvm::MutableArrayRef<Value> Value::items() {
  Elements *e = elements();
  return e ? llvm::MutableArrayRef<Value>(e->items.begin(), e->items.end()) : llvm::MutableArrayRef<Value>();
}
inline llvm::ArrayRef<Field> Value::fields() const {
  const Elements *e = elements();
  return e ? llvm::ArrayRef<Field>(e->fields.begin(), e->fields.end()) : llvm::ArrayRef<Field>();
}
inline llvm::MutableArrayRef<Field> Value::fields() {
  Elements *e = elements();
  return e ? llvm::MutableArrayRef<Field>(e->fields.begin(), e->fields.end()) : llvm::MutableArrayRef<Field>();
}
inline Value &Value::operator=(Value &&other) noexcept {
  if (this == &other) return *this;
  // Everything taken from `other` before this value's elements go, as
  // `other` may be one of them.
  llvm::StringRef otherText = other.text;
  SourceRange otherRange = other.range;
  Kind otherKind = other.kind;
  bool otherIsInteger = other.isInteger;
  bool otherOwns = std::exchange(other.ownsElements_, false);
  uint64_t otherPayload = other.payload();
  other.setPayload(0);
  if (ownsElements_) releaseElements();
  text = otherText;
  range = otherRange;
  kind = otherKind;
  isInteger = otherIsInteger;
  ownsElements_ = otherOwns;
  setPayload(otherPayload);
  return *this;
}

template <typename T> SourceRange Setting<T>::range() const { return written ? written->range : SourceRange{}; }
inline SourceRange TextSetting::range() const { return written ? written->range : SourceRange{}; }
inline llvm::StringRef TextSetting::operator*() const { return written ? written->text.ref() : llvm::StringRef(); }
template <typename T> llvm::StringRef Setting<T>::spelling() const {
  return written ? llvm::StringRef(written->text) : llvm::StringRef();
}

struct Attribute : KeyedValue {
  using KeyedValue::KeyedValue;
  /// From the key to the end of the value; a trailing `,` is not part of it.
  /// Worked out, not stored: a large policy holds hundreds of thousands.
  SourceRange range() const {
    SourceRange keyRange = key().range;
    return SourceRange{keyRange.file, keyRange.begin, value.range.end};
  }
};

// What a large policy holds hundreds of thousands of; docs/performance.md
// has the figures. On the 64-bit targets Ward builds for.
static_assert(sizeof(Name) == 24 && sizeof(Value) == 36 && sizeof(Attribute) == 56 && sizeof(Field) == 56,
              "a node grew: a 1,000,000-line policy holds about a million of these");

/// An attribute block `{ key = value ... }`.
struct AttrList {
  CompactVector<Attribute> items;
  SourceRange range; // the braces; invalid when no block was written
  const Attribute *find(llvm::StringRef key) const;
  Attribute *find(llvm::StringRef key) {
    return const_cast<Attribute *>(static_cast<const AttrList &>(*this).find(key));
  }
  /// The text of a string attribute, or "" when absent or not a string.
  std::string string(llvm::StringRef key) const;
  /// The texts of a list attribute (or of a single value); empty when absent.
  std::vector<std::string> strings(llvm::StringRef key) const;
};

enum class DeclKind {
  Tenant,
  IssuerTemplate,
  Issuer,
  Identity,
  ResourceType,
  Resource,
  Capability,
  Allow,
  Grant,
  Retry,
  EdgeWorker,
  Backup,
};
constexpr size_t kDeclKindCount = static_cast<size_t>(DeclKind::Backup) + 1;
llvm::StringRef declKindKeyword(DeclKind kind); // `resource`, `edgeworker`, ...
llvm::StringRef declKindNoun(DeclKind kind);    // "a resource", "an issuer template", ...

class Decl {
public:
  virtual ~Decl() = default;
  DeclKind kind() const { return kind_; }

  Name name;         // empty for `allow` and `grant`
  SourceRange range; // the whole declaration
  SourceRange keyword;
  AttrList attrs;
  FileID file = 0;

  /// Short human description: "resource `orders-vm`", "allow at 3:1".
  std::string describe(const SourceManager &sm) const;
  /// Forgets what Sema filled in (reference targets are cleared by the walk
  /// in Walk.h), so that the declaration can be checked again.
  virtual void clearSemantics() {}

protected:
  explicit Decl(DeclKind kind) : kind_(kind) {}

private:
  DeclKind kind_;
};

template <DeclKind K> class DeclOf : public Decl {
public:
  static constexpr DeclKind kKind = K;
  DeclOf() : Decl(K) {}
  static bool classof(const Decl *d) { return d->kind() == K; }
};

class TenantDecl : public DeclOf<DeclKind::Tenant> {
public:
  TenantSettings settings; // filled by Sema
  void clearSemantics() override { settings = {}; }
};

class IssuerTemplateDecl : public DeclOf<DeclKind::IssuerTemplate> {
public:
  CompactVector<Name> params;
};

class IssuerDecl : public DeclOf<DeclKind::Issuer> {
public:
  std::optional<Ref> templateRef; // `issuer entra : issuers.entra_v2 { ... }`
  /// The settings after applying the template (placeholders substituted,
  /// the issuer's own attributes overriding); filled by Sema, which reads
  /// `settings` from them.
  AttrList effective;
  TextStore effectiveTexts; // the template's placeholders, substituted
  IssuerSettings settings;
  /// The public keys of `jwks_file`, read and filtered by Sema.
  std::optional<llvm::json::Array> embeddedKeys;
  /// The bundle fetches the key set at the edge (`jwks`, and no `jwks_file`
  /// embeds it). Meaningful once Sema has run.
  bool keySetFetchedAtEdge() const { return settings.jwks && !settings.jwksFile; }
  void clearSemantics() override {
    effective = {};
    effectiveTexts = {};
    settings = {};
    embeddedKeys.reset();
  }
};

enum class IdentityKind { ServicePrincipal, ManagedIdentity, Group, User };
class IdentityDecl : public DeclOf<DeclKind::Identity> {
public:
  Name kindName;
  IdentityKind identityKind = IdentityKind::ServicePrincipal; // set by Sema
  IdentitySettings settings;                                  // filled by Sema
  void clearSemantics() override {
    identityKind = IdentityKind::ServicePrincipal;
    settings = {};
  }
};

class ResourceTypeDecl : public DeclOf<DeclKind::ResourceType> {
public:
  ResourceTypeSettings settings; // filled by Sema
  bool hasTrait(llvm::StringRef trait) const;
  void clearSemantics() override { settings = {}; }
};

class ResourceDecl : public DeclOf<DeclKind::Resource> {
public:
  Ref type;
  ResourceSettings settings; // filled by Sema
  /// A relay's managed identity: the system-assigned identity declared `of`
  /// it, or the user-assigned one its `identity` names; filled by Sema.
  const IdentityDecl *managedIdentity = nullptr;
  const ResourceTypeDecl *typeDecl() const { return llvm::cast_or_null<ResourceTypeDecl>(type.target); }
  void clearSemantics() override {
    settings = {};
    managedIdentity = nullptr;
  }
};

class CapabilityDecl : public DeclOf<DeclKind::Capability> {
public:
  Ref resourceType;
  CapabilitySettings settings; // filled by Sema
  void clearSemantics() override { settings = {}; }
};

class AllowDecl : public DeclOf<DeclKind::Allow> {
public:
  Ref identity;
  Ref capability;
  Ref resource;
  HeapOptional<Name> condition; // the ABAC condition string, decoded
};

class GrantDecl : public DeclOf<DeclKind::Grant> {
public:
  Ref identity;
  HeapOptional<Name> role; // a built-in role by name
  CompactVector<Value> actions;
  CompactVector<Value> dataActions;
  Ref scope;
};

class RetryDecl : public DeclOf<DeclKind::Retry> {
public:
  RetrySpec spec; // filled by Sema
  void clearSemantics() override { spec = {}; }
};

class BackupDecl;

/// What `trigger backup of <vm> via <relay>` and `poll backups via <relay>`
/// name; apart from the action, which most routes write without them.
struct BackupCall {
  Ref backedUp;                       // TriggerBackup: the VM
  Ref relay;                          // TriggerBackup, PollBackup: the relay app
  const BackupDecl *backup = nullptr; // TriggerBackup: the one protecting the VM; by Sema
};

/// A `respond`'s attribute block, and the headers Sema reads from it.
struct RespondParts {
  AttrList attrs;
  CompactVector<std::pair<std::string, std::string>> headers; // filled by Sema, in source order
};

/// What a route (or the default) does with a request.
struct RouteAction {
  enum class Kind { Forward, Redirect, Respond, Deny, TriggerBackup, PollBackup };
  Kind kind = Kind::Deny;
  SourceRange range;
  HeapOptional<Ref> forwardTo;         // Forward: the origin
  HeapOptional<Ref> retry;             // Forward
  HeapOptional<BackupCall> backupCall; // TriggerBackup, PollBackup
  HeapOptional<Value> status;          // Redirect, Respond, Deny (a Number)
  HeapOptional<Name> text;             // Redirect: location; Respond: body; Deny: reason
  /// Respond: the attribute block, when one is written (kept apart: most
  /// actions of a large policy write none).
  HeapOptional<RespondParts> respond;

  /// Respond: the attribute block (`headers`); an empty one otherwise.
  const AttrList &attrs() const { return respond ? respond->attrs : kNoAttrs; }
  /// Keeps `attrs` when a block was written.
  void setAttrs(AttrList attrs) {
    if (attrs.range.valid() || !attrs.items.empty()) respond.emplace(RespondParts{std::move(attrs), {}});
  }
  /// Respond: the headers Sema read from `attrs`, in source order.
  llvm::ArrayRef<std::pair<std::string, std::string>> headers() const {
    return respond
               ? llvm::ArrayRef<std::pair<std::string, std::string>>(respond->headers.begin(), respond->headers.end())
               : llvm::ArrayRef<std::pair<std::string, std::string>>();
  }

  /// Forward: the origin; an empty reference for the other actions (kept
  /// apart: most actions of a large policy forward to nothing).
  const Ref &origin() const { return forwardTo ? *forwardTo : kNoRef; }
  /// The backup call's parts, or an empty reference (no backup) when the
  /// action makes none.
  const Ref &backedUp() const { return backupCall ? backupCall->backedUp : kNoRef; }
  const Ref &relay() const { return backupCall ? backupCall->relay : kNoRef; }
  const BackupDecl *backup() const { return backupCall ? backupCall->backup : nullptr; }

private:
  static const Ref kNoRef;
  static const AttrList kNoAttrs;
};

struct TokenRequirement {
  Ref issuer;
  AttrList attrs; // scopes, audiences, claims, roles
  SourceRange range;
  TokenRequirementSettings settings; // filled by Sema
};

/// The names of a path pattern's `{param}` segments, in order.
std::vector<std::string> pathParameters(llvm::StringRef pattern);
/// The names of the `{param}` placeholders of a redirect location, in order.
std::vector<std::string> locationPlaceholders(llvm::StringRef location);

struct Route {
  CompactVector<Name> methods; // empty: any method
  Name path;                   // the pattern, decoded
  HeapOptional<TokenRequirement> require;
  CompactVector<RouteAction> actions; // Sema requires exactly one
  AttrList attrs;
  SourceRange range;
  SourceRange keyword;
};

/// How a sub-request reaches an issuer's key set or an origin: a URL on a
/// hostname the EdgeWorker's Akamai property serves (EdgeWorkers sub-requests
/// reach nothing else).
struct SubrequestRoute {
  const Decl *target = nullptr; // an IssuerDecl or a ResourceDecl
  llvm::StringRef url;          // a view of the `via` entry or the target's URL, as written
  SourceRange range;            // the `via` entry
};

class EdgeWorkerDecl : public DeclOf<DeclKind::EdgeWorker> {
public:
  CompactVector<Route> routes;
  EdgeWorkerSettings settings;         // filled by Sema
  CompactVector<RouteAction> defaults; // Sema allows at most one
  /// `hostnames`: what the property serves, lower case; filled by Sema.
  std::vector<std::string> hostnames;
  /// `via` entries, and the served URLs Sema settled on for every issuer
  /// key set and origin the bundle requests; filled by Sema.
  std::vector<SubrequestRoute> via;
  /// The URL a sub-request for `target` uses, or "" when it has none.
  llvm::StringRef subrequestUrl(const Decl *target) const;
  /// Some route forwards with `retry`, so the bundle answers as the origin
  /// (responseProvider) and requests the origin itself.
  bool forwardsWithRetry() const;
  /// Some route triggers or polls a backup through a relay, which the
  /// bundle calls from responseProvider.
  bool callsRelay() const;
  /// The bundle answers as the origin for some routes (responseProvider).
  bool answersAsOrigin() const { return forwardsWithRetry() || callsRelay(); }
  void clearSemantics() override;
};

struct BackupSchedule {
  enum class Kind { Hourly, Daily, Weekly };
  Kind kind = Kind::Daily;
  SourceRange range;
  HeapOptional<Value> interval;       // Hourly: `every 4h`
  HeapOptional<Name> windowStart;     // Hourly: `from "08:00"`
  HeapOptional<Value> windowDuration; // Hourly: `for 12h`
  HeapOptional<Name> time;            // Daily, Weekly: `at "02:00"`
  HeapOptional<Value> days;           // Weekly: `on [Sunday, Wednesday]`
  HeapOptional<Name> zone;
};

struct Protection {
  CompactVector<Ref> items;
  Ref vault;
  SourceRange range;
};

class BackupDecl : public DeclOf<DeclKind::Backup> {
public:
  CompactVector<Protection> protections;
  CompactVector<BackupSchedule> schedules; // Sema allows at most one
  CompactVector<Ref> triggers;
  BackupSettings settings; // filled by Sema
  void clearSemantics() override { settings = {}; }
};

struct Import {
  bool isModule = false; // `import std.azure` vs `import "file.ward"`
  Name target;
  SourceRange range;
  FileID resolved = 0; // set by the loader
};

/// `// ward-ignore W004, W006: reason` — silences those rules for the
/// construct that starts on the next line.
struct Suppression {
  std::vector<Name> ids;
  std::string reason;
  SourceRange range; // the comment
  mutable bool used = false;
};

/// A top-level declaration (or import) that did not parse and was left out
/// of the file's declarations, so that the rest of the file is still checked.
struct BrokenDecl {
  Name name; // empty when the parser did not get as far as the name
  SourceRange range;
  bool isImport = false;
  std::optional<DeclKind> kind; // what it declares (unset for an import)
};

/// One parsed file (a user file or a stdlib module).
struct SourceFile {
  FileID id = 0;
  std::string path;       // as displayed
  std::string moduleName; // `std.azure` for stdlib modules; empty for user files
  /// Texts of its nodes that the buffer does not hold as written, and the
  /// nodes' lists when the fast parser built them (NodeArena.h). Declared
  /// before the nodes, so that it is destroyed after them.
  TextStore texts;
  std::vector<Import> imports;
  std::vector<std::unique_ptr<Decl>> decls;
  std::vector<Suppression> suppressions;
  std::vector<BrokenDecl> brokenDecls;
  /// The text its names and values point into, kept alive with the tree:
  /// the source manager may be given an edited text meanwhile.
  std::shared_ptr<const llvm::MemoryBuffer> buffer;
  bool parsedCleanly = true; // no lexical or syntax error
  /// Errors, but the parser recovered: every declaration that parsed whole
  /// is in `decls` and the others are in `brokenDecls`. Unset when nothing
  /// of the file could be used (not UTF-8, nesting too deep, too many errors).
  bool recovered = false;
  bool isStdlib() const { return !moduleName.empty(); }
};

} // namespace ward
