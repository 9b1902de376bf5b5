//===- Completion.cpp - What fits at the cursor ---------------------------===//
//
// By position: after `allow` an identity, after `to` a capability, after
// `on`/`protect`/`in`/`forward to` a resource, after `from` an issuer, after
// `retry` a retry policy, after `trigger by` an identity, after `identity x :`
// an identity kind; at the start of a line in a declaration's block, the
// attributes it takes that are not written yet; at the top level, the
// declaration keywords.
//
//===----------------------------------------------------------------------===//
#include "lsp/Features.h"
#include "sema/Schemas.h"

#include <set>

namespace ward::lsp {
namespace {

/// The word before the one being typed at `offset`, and whether the cursor
/// is the first word of its line.
struct Context {
  llvm::StringRef previous, beforePrevious;
  bool lineStart = false;
};

Context contextAt(llvm::StringRef text, uint32_t offset) {
  auto isWord = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; };
  size_t at = std::min<size_t>(offset, text.size());
  while (at > 0 && isWord(text[at - 1])) --at; // the word being typed
  // ... or the string being typed (a role name: `role "Virtual Mach`).
  size_t lineOfCursor = text.rfind('\n', at);
  lineOfCursor = lineOfCursor == llvm::StringRef::npos ? 0 : lineOfCursor + 1;
  llvm::StringRef beforeCursor = text.slice(lineOfCursor, offset);
  if (beforeCursor.count('"') % 2 == 1) at = lineOfCursor + beforeCursor.rfind('"');
  Context c;
  size_t lineBegin = text.rfind('\n', at); // searches before `at`
  lineBegin = lineBegin == llvm::StringRef::npos ? 0 : lineBegin + 1;
  c.lineStart = text.slice(lineBegin, at).trim().empty();
  auto wordBefore = [&](size_t &pos) {
    while (pos > 0 && (text[pos - 1] == ' ' || text[pos - 1] == '\t' || text[pos - 1] == '\n' || text[pos - 1] == '\r'))
      --pos;
    if (pos > 0 && llvm::StringRef(":[=").contains(text[pos - 1])) return llvm::StringRef(text.data() + --pos, 1);
    size_t end = pos;
    while (pos > 0 && isWord(text[pos - 1])) --pos;
    return text.slice(pos, end);
  };
  c.previous = wordBefore(at);
  c.beforePrevious = wordBefore(at);
  return c;
}

const sema::Schema *schemaOf(DeclKind kind) {
  switch (kind) {
  case DeclKind::Tenant: return &sema::tenantSchema();
  case DeclKind::Issuer: return &sema::issuerSchema();
  case DeclKind::IssuerTemplate: return &sema::issuerTemplateSchema();
  case DeclKind::Identity: return &sema::identitySchema();
  case DeclKind::ResourceType: return &sema::resourceTypeSchema();
  case DeclKind::Resource: return &sema::resourceSchema();
  case DeclKind::Capability: return &sema::capabilitySchema();
  case DeclKind::Retry: return &sema::retrySchema();
  case DeclKind::EdgeWorker: return &sema::edgeworkerSchema();
  default: return nullptr;
  }
}

void names(const Program &program, DeclKind kind, std::vector<CompletionItem> &out) {
  std::set<std::string> seen;
  for (const auto &file : program.files)
    for (const auto &decl : file->decls)
      if (decl->kind() == kind && !decl->name.empty() && seen.insert(decl->name.text.str()).second)
        out.push_back({decl->name.text.str(), CompletionItem::Name, declKindKeyword(kind).str()});
}

/// The attribute whose value (or list element) is being written at
/// `offset`: `key = |` or `key = [a, |`; null elsewhere.
const sema::AttrSpec *attributeBeingWritten(DeclKind kind, llvm::StringRef text, uint32_t offset) {
  const sema::Schema *schema = schemaOf(kind);
  if (!schema) return nullptr;
  llvm::StringRef before = text.take_front(std::min<size_t>(offset, text.size()));
  while (!before.empty() && (std::isalnum(static_cast<unsigned char>(before.back())) || before.back() == '_'))
    before = before.drop_back(); // what is being typed
  size_t eq = before.rfind('=');
  if (eq == llvm::StringRef::npos) return nullptr;
  llvm::StringRef value = before.substr(eq + 1).trim();
  if (!value.empty()) { // within a list of identifiers: `[RS256, `
    if (!value.consume_front("[") || value.contains(']')) return nullptr;
    auto listChar = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ',' || c == ' ';
    };
    if (!llvm::all_of(value, listChar)) return nullptr;
  }
  llvm::StringRef key = before.take_front(eq).rtrim();
  key = key.substr(key.find_last_of(" \t\n{") + 1);
  for (const sema::AttrSpec &spec : *schema)
    if (spec.key == key && !spec.check.values.empty()) return &spec;
  return nullptr;
}

/// Inside the parentheses of a call value (`exponential(initial = 100ms, |`):
/// after `name =`, the values that argument accepts; else the arguments not
/// written yet. False when `offset` is not inside a known call.
bool callArguments(llvm::StringRef text, uint32_t offset, std::vector<CompletionItem> &out) {
  llvm::StringRef before = text.take_front(std::min<size_t>(offset, text.size()));
  size_t open = before.rfind('(');
  if (open == llvm::StringRef::npos || before.substr(open).contains(')')) return false;
  llvm::StringRef head = before.take_front(open).rtrim();
  size_t nameStart = head.find_last_not_of("abcdefghijklmnopqrstuvwxyz_0123456789");
  const sema::Schema *schema = sema::callSchema(head.substr(nameStart == llvm::StringRef::npos ? 0 : nameStart + 1));
  if (!schema) return false;
  llvm::StringRef args = before.substr(open + 1);
  if (args.count('"') % 2) return false; // inside a string
  size_t comma = args.find_last_of(',');
  llvm::StringRef current = comma == llvm::StringRef::npos ? args : args.substr(comma + 1);
  if (current.contains('=')) {
    llvm::StringRef key = current.split('=').first.trim();
    for (const sema::AttrSpec &spec : *schema)
      if (spec.key == key)
        for (const std::string &v : spec.check.values) out.push_back({v, CompletionItem::Value, spec.key});
    return true;
  }
  // The arguments already written, before the cursor and after it up to `)`.
  llvm::StringRef after = text.substr(before.size());
  std::string joined = args.str() + "," + after.take_until([](char c) { return c == ')'; }).str();
  llvm::SmallVector<llvm::StringRef, 8> pieces;
  llvm::StringRef(joined).split(pieces, ',');
  std::set<std::string> written;
  for (llvm::StringRef piece : pieces)
    if (piece.contains('=')) written.insert(piece.split('=').first.trim().str());
  for (const sema::AttrSpec &spec : *schema)
    if (!written.count(spec.key))
      out.push_back({spec.key, CompletionItem::Attribute, spec.required ? "required" : "optional"});
  return true;
}

/// Inside an open string of an `actions [...]` or `data_actions [...]` list:
/// the catalogue's operations that start with what is typed.
bool actionStrings(llvm::StringRef text, uint32_t offset, const CompletionCatalogs &catalogs,
                   std::vector<CompletionItem> &out) {
  llvm::StringRef before = text.take_front(std::min<size_t>(offset, text.size()));
  llvm::StringRef line = before.substr(before.rfind('\n') + 1);
  if (line.count('"') % 2 == 0 || !catalogs.actions) return false; // not inside a string
  llvm::StringRef typed = line.substr(line.rfind('"') + 1);
  size_t open = before.rfind('[');
  if (open == llvm::StringRef::npos || before.substr(open).contains(']')) return false;
  llvm::StringRef key = before.take_front(open).rtrim(" \t\r\n=").rtrim(" \t");
  bool data = key.endswith("data_actions");
  if (!data && !key.endswith("actions")) return false;
  for (const std::string &action : catalogs.actions(data)) {
    if (!llvm::StringRef(action).startswith_insensitive(typed)) continue;
    out.push_back({action, CompletionItem::Value, data ? "data action" : "action"});
    if (out.size() == 200) break; // the editor narrows as more is typed
  }
  return true;
}

} // namespace

std::vector<CompletionItem> completionsAt(const Program &program, FileID file, llvm::StringRef text, uint32_t offset,
                                          const CompletionCatalogs &catalogs) {
  std::vector<CompletionItem> out;
  if (actionStrings(text, offset, catalogs, out)) return out;
  Context c = contextAt(text, offset);
  const SourceFile *source = program.file(file);
  // The declaration being written: one that parsed, or one that did not
  // (while typing, the one under the cursor usually does not).
  const Decl *inside = nullptr;
  std::optional<DeclKind> insideKind;
  if (source) {
    for (const auto &decl : source->decls)
      if (decl->range.begin < offset && offset < decl->range.end) inside = decl.get(), insideKind = decl->kind();
    for (const BrokenDecl &broken : source->brokenDecls)
      if (broken.kind && broken.range.begin < offset && offset <= broken.range.end) insideKind = broken.kind;
  }

  llvm::StringRef p = c.previous;
  if (p == "allow" || p == "grant" || (p == "by" && c.beforePrevious == "trigger")) {
    names(program, DeclKind::Identity, out);
  } else if ((p == "to" && c.beforePrevious == "forward") || p == "through" ||
             (p == "backup" && c.beforePrevious == "trigger")) {
    names(program, DeclKind::Resource, out);
  } else if (p == "to") {
    names(program, DeclKind::Capability, out);
  } else if (p == "on" || p == "protect" || p == "in") {
    names(program, DeclKind::Resource, out);
  } else if (p == "from") {
    names(program, DeclKind::Issuer, out);
  } else if (p == "role") {
    for (const std::string &role : catalogs.roles)
      out.push_back({"\"" + role + "\"", CompletionItem::Value, "built-in role"});
  } else if (insideKind && callArguments(text, offset, out)) {
    // `backoff = exponential(initial = 100ms, |`: its arguments, or their values.
  } else if (const sema::AttrSpec *spec = insideKind ? attributeBeingWritten(*insideKind, text, offset) : nullptr) {
    // `tier = `, `algorithms = [RS256, `: the values the attribute accepts.
    for (const std::string &v : spec->check.values) out.push_back({v, CompletionItem::Value, spec->key});
  } else if (p == "retry" && insideKind == DeclKind::EdgeWorker) {
    names(program, DeclKind::Retry, out);
  } else if (p == ":" && insideKind == DeclKind::Identity) {
    for (const char *kind : {"service_principal", "managed_identity", "group", "user"})
      out.push_back({kind, CompletionItem::Value, "identity kind"});
  } else if (p == ":" && insideKind == DeclKind::Resource) {
    names(program, DeclKind::ResourceType, out);
  } else if (c.lineStart && insideKind) {
    std::set<std::string> written; // the keys typed so far (none known in a broken declaration)
    if (inside)
      for (const Attribute &a : inside->attrs.items) written.insert(a.key().text.str());
    if (const sema::Schema *schema = schemaOf(*insideKind))
      for (const sema::AttrSpec &spec : *schema)
        if (!written.count(spec.key))
          out.push_back({spec.key, CompletionItem::Attribute, spec.required ? "required" : "optional"});
    if (insideKind == DeclKind::EdgeWorker)
      for (const char *keyword : {"route", "default"}) out.push_back({keyword, CompletionItem::Keyword, ""});
    if (insideKind == DeclKind::Backup)
      for (const char *keyword : {"protect", "schedule", "trigger", "retain"})
        out.push_back({keyword, CompletionItem::Keyword, ""});
  } else if (c.lineStart) {
    for (const char *keyword : {"import", "tenant", "issuer", "identity", "resource", "capability", "allow", "grant",
                                "retry", "edgeworker", "backup"})
      out.push_back({keyword, CompletionItem::Keyword, "declaration"});
  }
  return out;
}

} // namespace ward::lsp
