#include "lsp/WardServer.h"

#include <fmt/format.h>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

namespace ward::lsp {
namespace {

bool isUnder(llvm::StringRef path, llvm::StringRef root) {
  return path.startswith(root) && (path.size() == root.size() || path[root.size()] == '/' || root.endswith("/"));
}

/// Code units of `bytes` in the negotiated encoding.
int64_t unitsOf(llvm::StringRef bytes, PositionEncoding encoding) {
  return positionOf(bytes, bytes.size(), encoding).character;
}

/// Rules whose findings mark code that can go (LSP tag Unnecessary).
bool marksUnnecessary(llvm::StringRef code) { return code == "W025" || code == "W028"; }

} // namespace

void WardServer::addRoot(const std::string &path) {
  if (std::find(roots_.begin(), roots_.end(), path) == roots_.end()) roots_.push_back(path);
}

void WardServer::open(const std::string &path, std::string text, int64_t version) {
  documents_[path] = {std::move(text), version};
}

bool WardServer::change(const std::string &path, const llvm::json::Array &changes, int64_t version) {
  auto doc = documents_.find(path);
  if (doc == documents_.end()) return false;
  std::string text = doc->second.text;
  for (const llvm::json::Value &c : changes) {
    const llvm::json::Object *change = c.getAsObject();
    llvm::Optional<llvm::StringRef> newText = change ? change->getString("text") : llvm::None;
    if (!newText) return false;
    const llvm::json::Object *range = change->getObject("range");
    if (!range) { // the whole document
      text = newText->str();
      continue;
    }
    std::optional<Position> start = positionFromJson(range->get("start")), end = positionFromJson(range->get("end"));
    if (!start || !end) return false;
    size_t from = offsetOf(text, *start, encoding_), to = offsetOf(text, *end, encoding_);
    if (to < from) return false;
    text.replace(from, to - from, newText->str());
  }
  doc->second = {std::move(text), version};
  return true;
}

void WardServer::close(const std::string &path) {
  documents_.erase(path);
  for (auto &[root, project] : projects_) project.compilation->removeBuffer(path); // the file on disk again
}

const std::string *WardServer::text(const std::string &path) const {
  auto doc = documents_.find(path);
  return doc == documents_.end() ? nullptr : &doc->second.text;
}

std::string WardServer::rootOf(const std::string &path) const {
  std::string root = path;            // a file outside every workspace folder is its own project
  for (const std::string &r : roots_) // the innermost folder that holds it
    if (!r.empty() && isUnder(path, r) && (root == path || r.size() > root.size())) root = r;
  return root;
}

WardServer::Project &WardServer::projectOf(const std::string &path) {
  std::string root = rootOf(path);
  Project &project = projects_[root];
  if (!project.compilation) {
    project.root = root;
    project.compilation = std::make_unique<Compilation>(options_);
  }
  return project;
}

llvm::json::Value WardServer::rangeToLsp(const SourceManager &sm, SourceRange r) const {
  auto position = [&](uint32_t offset) {
    llvm::StringRef text = sm.text(r.file);
    uint32_t start = sm.lineStart(r.file, offset);
    int64_t line = sm.lineColumn(r.file, offset).line - 1;
    return toJson({line, unitsOf(text.slice(start, std::min<size_t>(offset, text.size())), encoding_)});
  };
  return llvm::json::Object{{"start", position(r.begin)}, {"end", position(r.end)}};
}

llvm::json::Value WardServer::toLsp(const Diagnostic &d, const SourceManager &sm) const {
  int64_t severity = d.severity == Severity::Error ? 1 : d.severity == Severity::Warning ? 2 : 3;
  std::string message = d.message;
  if (!d.help().empty()) message += ("\nhelp: " + d.help()).str();
  llvm::json::Object out{{"range", rangeToLsp(sm, d.range)},
                         {"severity", severity},
                         {"code", d.code},
                         {"source", "wardc"},
                         {"message", message}};
  llvm::json::Array related;
  for (const Label &l : d.labels) {
    if (!l.range.valid() || llvm::StringRef(sm.displayPath(l.range.file)).startswith("<stdlib>")) continue;
    related.push_back(
        llvm::json::Object{{"location", llvm::json::Object{{"uri", uriFromPath(sm.displayPath(l.range.file))},
                                                           {"range", rangeToLsp(sm, l.range)}}},
                           {"message", l.message}});
  }
  if (!related.empty()) out["relatedInformation"] = std::move(related);
  if (marksUnnecessary(d.code)) out["tags"] = llvm::json::Array{1};
  return out;
}

std::vector<FileDiagnostics> WardServer::check(const std::string &path) {
  Project &project = projectOf(path);
  Compilation &c = *project.compilation;
  std::vector<std::string> inputs;
  bool onDisk = llvm::sys::fs::exists(project.root);
  if (onDisk) inputs.push_back(project.root); // a folder not yet on disk has only open documents
  for (const auto &[docPath, doc] : documents_)
    if (docPath == project.root || isUnder(docPath, project.root)) {
      c.setBuffer(docPath, doc.text);
      // An unsaved new file is an input too, and so is a file that is its own project.
      if (docPath != project.root || !onDisk) inputs.push_back(docPath);
    }
  c.check(inputs);
  project.artifacts.reset();
  std::map<std::string, FileDiagnostics> byFile;
  const SourceManager &sm = c.sources();
  for (const Diagnostic &d : c.diagnostics().diagnostics()) {
    if (d.suppressed || !d.range.valid()) continue;
    const std::string &file = sm.displayPath(d.range.file);
    if (llvm::StringRef(file).startswith("<stdlib>")) continue; // not the user's to fix
    FileDiagnostics &f = byFile[file];
    f.path = file;
    f.diagnostics.push_back(toLsp(d, sm));
  }
  std::vector<FileDiagnostics> out;
  std::set<std::string> published;
  for (auto &[file, diags] : byFile) {
    published.insert(file);
    out.push_back(std::move(diags));
  }
  for (const std::string &file : project.published)
    if (!published.count(file)) out.push_back({file, std::nullopt, {}}); // cleared
  // Every open document hears of each check, so its client knows which
  // version the (possibly empty) set belongs to.
  for (const auto &[docPath, doc] : documents_)
    if ((docPath == project.root || isUnder(docPath, project.root)) && !published.count(docPath) &&
        !project.published.count(docPath))
      out.push_back({docPath, std::nullopt, {}});
  project.published = std::move(published);
  for (FileDiagnostics &f : out)
    if (auto doc = documents_.find(f.path); doc != documents_.end()) f.version = doc->second.version;
  return out;
}

std::optional<std::vector<TextEdit>> WardServer::format(const std::string &path,
                                                        std::optional<format::LineRange> range) {
  std::string text;
  if (const std::string *open = this->text(path)) text = *open;
  else if (auto buffer = llvm::MemoryBuffer::getFile(path)) text = (*buffer)->getBuffer().str();
  else return std::nullopt;
  SourceManager sm;
  FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, path), path);
  DiagnosticEngine diags;
  format::FormatOptions options;
  options.lineWidth = analysis::loadConfig(path, diags).formatLineWidth;
  std::optional<std::string> formatted = format::formatFile(sm, id, options, diags, range);
  if (!formatted) return std::nullopt;
  if (*formatted == text) return std::vector<TextEdit>{};
  // One edit: the changed middle, between the common prefix and suffix.
  size_t prefix = 0;
  while (prefix < text.size() && prefix < formatted->size() && text[prefix] == (*formatted)[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < text.size() - prefix && suffix < formatted->size() - prefix &&
         text[text.size() - 1 - suffix] == (*formatted)[formatted->size() - 1 - suffix])
    ++suffix;
  // Whole UTF-8 characters only.
  while (prefix > 0 && (static_cast<unsigned char>(text[prefix]) & 0xC0) == 0x80) --prefix;
  while (suffix > 0 && (static_cast<unsigned char>(text[text.size() - suffix]) & 0xC0) == 0x80) --suffix;
  TextEdit edit{positionOf(text, prefix, encoding_), positionOf(text, text.size() - suffix, encoding_),
                formatted->substr(prefix, formatted->size() - suffix - prefix)};
  return std::vector<TextEdit>{edit};
}

std::optional<WardServer::CheckedFile> WardServer::checked(const std::string &path) {
  Project &project = projectOf(path);
  if (project.compilation->program().files.empty()) check(path); // never checked
  Compilation &c = *project.compilation;
  for (const auto &file : c.program().files)
    if (c.sources().displayPath(file->id) == path) return CheckedFile{&c, file->id, c.sources().text(file->id)};
  return std::nullopt;
}

llvm::json::Value WardServer::location(const SourceManager &sm, SourceRange r) const {
  return llvm::json::Object{{"uri", uriFromPath(sm.displayPath(r.file))}, {"range", rangeToLsp(sm, r)}};
}

std::optional<WardServer::Cursor> WardServer::cursorAt(const std::string &path, Position pos) {
  auto at = checked(path);
  if (!at) return std::nullopt;
  return Cursor{at->c, at->file, symbolAt(at->c->program(), at->file, uint32_t(offsetOf(at->text, pos, encoding_)))};
}

llvm::json::Value WardServer::definition(const std::string &path, Position pos) {
  std::optional<Cursor> cursor = cursorAt(path, pos);
  if (!cursor) return nullptr;
  Compilation *c = cursor->compilation;
  std::optional<SymbolAt> &symbol = cursor->symbol;
  if (!symbol) return nullptr;
  const Decl &d = *symbol->decl;
  return location(c->sources(), d.name.empty() ? d.keyword : d.name.range);
}

llvm::json::Value WardServer::references(const std::string &path, Position pos, bool includeDeclaration) {
  std::optional<Cursor> cursor = cursorAt(path, pos);
  if (!cursor) return llvm::json::Array{};
  Compilation *c = cursor->compilation;
  std::optional<SymbolAt> &symbol = cursor->symbol;
  llvm::json::Array out;
  if (symbol)
    for (SourceRange r : referencesTo(c->program(), *symbol->decl, includeDeclaration))
      if (!llvm::StringRef(c->sources().displayPath(r.file)).startswith("<stdlib>"))
        out.push_back(location(c->sources(), r));
  return out;
}

llvm::json::Value WardServer::highlights(const std::string &path, Position pos) {
  std::optional<Cursor> cursor = cursorAt(path, pos);
  if (!cursor) return llvm::json::Array{};
  Compilation *c = cursor->compilation;
  FileID file = cursor->file;
  std::optional<SymbolAt> &symbol = cursor->symbol;
  llvm::json::Array out;
  if (symbol)
    for (SourceRange r : referencesTo(c->program(), *symbol->decl, true))
      if (r.file == file) out.push_back(llvm::json::Object{{"range", rangeToLsp(c->sources(), r)}});
  return out;
}

/// What the rule with ID `id` checks: its page's summary.
static std::string ruleHover(llvm::StringRef id) {
  const analysis::RuleInfo *rule = analysis::findRule(id);
  if (!rule) return "";
  return fmt::format("**{} {}** ({} by default): {}", rule->id.str(), rule->name.str(),
                     analysis::levelName(rule->defaultLevel).str(), ruleSummary(analysis::ruleDoc(rule->rule)));
}

llvm::json::Value WardServer::hover(const std::string &path, Position pos) {
  std::optional<Cursor> cursor = cursorAt(path, pos);
  if (!cursor) return nullptr;
  Compilation *c = cursor->compilation;
  FileID file = cursor->file;
  uint32_t offset = uint32_t(offsetOf(c->sources().text(file), pos, encoding_));
  auto covers = [&](SourceRange r) { return r.file == file && r.begin <= offset && offset <= r.end; };
  std::vector<std::string> parts;
  std::optional<SourceRange> range;
  if (cursor->symbol) {
    parts.push_back(hoverText(*cursor->symbol->decl, c->sources()));
    range = cursor->symbol->range;
  }
  // A built-in role: what it grants.
  for (const auto &decl : c->program().file(file)->decls)
    if (auto *grant = llvm::dyn_cast<GrantDecl>(decl.get()); grant && grant->role && covers(grant->role->range)) {
      auto azure = c->azureCatalogue();
      if (const analysis::RoleDefinition *role = azure ? azure->roles.byName(grant->role->text) : nullptr) {
        size_t actions = 0, dataActions = 0;
        for (const analysis::PermissionSet &p : role->permissions)
          actions += p.actions.size(), dataActions += p.dataActions.size();
        parts.push_back(fmt::format("Built-in role **{}**: {} action pattern{}, {} data action pattern{}.\n\n{}",
                                    role->name, actions, actions == 1 ? "" : "s", dataActions,
                                    dataActions == 1 ? "" : "s", role->description));
        range = grant->role->range;
      }
    }
  // Findings here, and rule IDs in `ward-ignore` comments: what the rule checks.
  for (const Diagnostic &d : c->diagnostics().diagnostics())
    if (d.id == DiagID::Rule && covers(d.range))
      if (std::string rule = ruleHover(d.code); !rule.empty() && !llvm::is_contained(parts, rule))
        parts.push_back(rule);
  for (const Suppression &s : c->program().file(file)->suppressions)
    for (const Name &id : s.ids)
      if (covers(id.range))
        if (std::string rule = ruleHover(id.text); !rule.empty()) {
          parts.push_back(rule);
          range = id.range;
        }
  if (parts.empty()) return nullptr;
  llvm::json::Object out{
      {"contents", llvm::json::Object{{"kind", "markdown"}, {"value", llvm::join(parts, "\n\n---\n\n")}}}};
  if (range) out["range"] = rangeToLsp(c->sources(), *range);
  return out;
}

static llvm::json::Value symbolJson(const Symbol &s, const std::function<llvm::json::Value(SourceRange)> &range) {
  llvm::json::Array children;
  for (const Symbol &child : s.children) children.push_back(symbolJson(child, range));
  return llvm::json::Object{{"name", s.name},
                            {"detail", s.detail},
                            {"kind", s.kind},
                            {"range", range(s.range)},
                            {"selectionRange", range(s.selection)},
                            {"children", std::move(children)}};
}

llvm::json::Value WardServer::documentSymbols(const std::string &path) {
  auto at = checked(path);
  if (!at) return llvm::json::Array{};
  llvm::json::Array out;
  for (const Symbol &s : ward::lsp::documentSymbols(at->syntax()))
    out.push_back(symbolJson(s, [&](SourceRange r) { return rangeToLsp(at->c->sources(), r); }));
  return out;
}

llvm::json::Value WardServer::foldingRanges(const std::string &path) {
  auto at = checked(path);
  if (!at) return llvm::json::Array{};
  llvm::json::Array out;
  for (auto [first, last] : foldingLines(at->syntax(), at->c->sources()))
    out.push_back(llvm::json::Object{{"startLine", int64_t(first)}, {"endLine", int64_t(last)}});
  return out;
}

llvm::json::Value WardServer::codeActions(const std::string &path, Position start, Position end) {
  auto at = checked(path);
  if (!at) return llvm::json::Array{};
  uint32_t begin = uint32_t(offsetOf(at->text, start, encoding_)),
           finish = uint32_t(offsetOf(at->text, end, encoding_));
  llvm::json::Array out;
  for (const QuickFix &fix : quickFixes(at->c->diagnostics().diagnostics(), at->file, begin, finish)) {
    llvm::json::Array edits;
    for (const FixIt &f : fix.diagnostic->fixits)
      edits.push_back(llvm::json::Object{{"range", rangeToLsp(at->c->sources(), f.range)}, {"newText", f.replacement}});
    out.push_back(llvm::json::Object{
        {"title", fix.title},
        {"kind", "quickfix"},
        {"isPreferred", fix.preferred},
        {"diagnostics", llvm::json::Array{toLsp(*fix.diagnostic, at->c->sources())}},
        {"edit", llvm::json::Object{{"changes", llvm::json::Object{{uriFromPath(path), std::move(edits)}}}}}});
  }
  // A rule's finding can be silenced where it is: `// ward-ignore ID: <reason>`
  // on the line before covers the construct that starts on the finding's line.
  for (const Diagnostic &d : at->c->diagnostics().diagnostics()) {
    if (d.id != DiagID::Rule || d.suppressed || d.range.file != at->file || d.range.end < begin ||
        d.range.begin > finish)
      continue;
    if (d.code == "W027" || d.code == "W028") continue; // about suppressions themselves
    uint32_t lineStart = at->c->sources().lineStart(at->file, d.range.begin);
    llvm::StringRef indent = at->text.substr(lineStart).take_while([](char ch) { return ch == ' ' || ch == '\t'; });
    Position lineBegin = positionOf(at->text, lineStart, encoding_);
    llvm::json::Object insert{{"range", llvm::json::Object{{"start", toJson(lineBegin)}, {"end", toJson(lineBegin)}}},
                              {"newText", indent.str() + "// ward-ignore " + d.code.str() + ": <reason>\n"}};
    out.push_back(llvm::json::Object{
        {"title", "Suppress " + d.code.str() + " here with `// ward-ignore` (give the reason)"},
        {"kind", "quickfix"},
        {"isPreferred", false},
        {"diagnostics", llvm::json::Array{toLsp(d, at->c->sources())}},
        {"edit", llvm::json::Object{
                     {"changes", llvm::json::Object{{uriFromPath(path), llvm::json::Array{std::move(insert)}}}}}}});
  }
  return out;
}

std::variant<llvm::json::Value, std::string> WardServer::prepareRename(const std::string &path, Position pos) {
  std::optional<Cursor> cursor = cursorAt(path, pos);
  if (!cursor) return std::string("the file is not part of a checked project");
  Compilation *c = cursor->compilation;
  std::optional<SymbolAt> &symbol = cursor->symbol;
  if (!symbol) return std::string("there is no declared name here");
  if (std::optional<std::string> refusal = cannotRename(c->program(), *symbol->decl)) return *refusal;
  return llvm::json::Object{{"range", rangeToLsp(c->sources(), symbol->range)},
                            {"placeholder", symbol->decl->name.text.ref()}};
}

std::variant<llvm::json::Value, std::string> WardServer::rename(const std::string &path, Position pos,
                                                                llvm::StringRef newName) {
  std::optional<Cursor> cursor = cursorAt(path, pos);
  if (!cursor) return std::string("the file is not part of a checked project");
  Compilation *c = cursor->compilation;
  std::optional<SymbolAt> &symbol = cursor->symbol;
  if (!symbol) return std::string("there is no declared name here");
  if (std::optional<std::string> problem = renameProblem(c->program(), *symbol->decl, newName)) return *problem;
  std::map<std::string, llvm::json::Array> byUri;
  for (SourceRange r : referencesTo(c->program(), *symbol->decl, true))
    byUri[uriFromPath(c->sources().displayPath(r.file))].push_back(
        llvm::json::Object{{"range", rangeToLsp(c->sources(), r)}, {"newText", newName}});
  llvm::json::Object changes;
  for (auto &[uri, edits] : byUri) changes[uri] = std::move(edits);
  return llvm::json::Value(llvm::json::Object{{"changes", std::move(changes)}});
}

namespace {

constexpr size_t kCompletionLimit = 100;

/// The name, or the string from its opening quote, being typed before `offset`.
llvm::StringRef typedWordBefore(llvm::StringRef text, uint32_t offset) {
  size_t begin = std::min<size_t>(offset, text.size());
  size_t lineStart = text.rfind('\n', begin);
  lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
  if (text.slice(lineStart, begin).count('"') % 2 == 1) return text.slice(text.rfind('"', begin), begin);
  auto inWord = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || llvm::StringRef("_-./").contains(c);
  };
  while (begin > 0 && inWord(text[begin - 1])) --begin;
  return text.slice(begin, offset);
}

/// Whether `word`'s characters appear in `label` in order (case-insensitive),
/// as editors filter.
bool fuzzyMatches(llvm::StringRef label, llvm::StringRef word) {
  size_t at = 0;
  for (char c : word) {
    while (at < label.size() && llvm::toLower(label[at]) != llvm::toLower(c)) ++at;
    if (at++ >= label.size()) return false;
  }
  return true;
}

/// At most `limit` of `items` that match `word`: those it begins first, then
/// the fuzzy ones, each in their original order.
std::vector<CompletionItem> bestMatches(std::vector<CompletionItem> items, llvm::StringRef word, size_t limit) {
  std::vector<CompletionItem> prefixed, fuzzy;
  for (CompletionItem &item : items) {
    // Role names are completed with their quotes: `"Rea` begins `"Reader"`.
    if (llvm::StringRef(item.label).ltrim('"').startswith_insensitive(word.ltrim('"')))
      prefixed.push_back(std::move(item));
    else if (fuzzyMatches(item.label, word)) fuzzy.push_back(std::move(item));
  }
  for (CompletionItem &item : fuzzy) prefixed.push_back(std::move(item));
  if (prefixed.size() > limit) prefixed.erase(prefixed.begin() + static_cast<std::ptrdiff_t>(limit), prefixed.end());
  return prefixed;
}

} // namespace

llvm::json::Value WardServer::completion(const std::string &path, Position pos) {
  auto at = checked(path);
  if (!at) return llvm::json::Array{};
  llvm::json::Array out;
  std::shared_ptr<const analysis::AzureData> azure = at->c->azureCatalogue();
  CompletionCatalogs catalogs;
  if (azure) {
    catalogs.roles = azure->roles.names();
    catalogs.actions = [azure](bool data) {
      std::vector<std::string> actions;
      for (llvm::StringRef action : azure->operations.matching("*", data)) actions.push_back(action.str());
      return actions;
    };
  }
  uint32_t offset = uint32_t(offsetOf(at->text, pos, encoding_));
  std::vector<CompletionItem> items = completionsAt(at->c->program(), at->file, at->text, offset, catalogs);
  // A long list (every resource of a large workspace) is cut to the best
  // matches of the word typed so far, and marked incomplete: the client asks
  // again as the word grows, and each answer stays small and quick.
  bool incomplete = items.size() > kCompletionLimit;
  if (incomplete) items = bestMatches(std::move(items), typedWordBefore(at->text, offset), kCompletionLimit);
  for (const CompletionItem &item : items) {
    // LSP CompletionItemKind: Keyword 14, Reference 18, Property 10, EnumMember 20.
    int64_t kind = item.kind == CompletionItem::Keyword     ? 14
                   : item.kind == CompletionItem::Name      ? 18
                   : item.kind == CompletionItem::Attribute ? 10
                                                            : 20;
    llvm::json::Object entry{{"label", item.label}, {"kind", kind}, {"detail", item.detail}};
    if (item.kind == CompletionItem::Attribute) entry["insertText"] = item.label + " = ";
    out.push_back(std::move(entry));
  }
  if (incomplete) return llvm::json::Object{{"isIncomplete", true}, {"items", std::move(out)}};
  return out;
}

llvm::json::Value WardServer::diagnosticsOf(const std::string &path) {
  llvm::json::Array items;
  for (FileDiagnostics &f : check(path))
    if (f.path == path) items = std::move(f.diagnostics);
  return llvm::json::Object{{"kind", "full"}, {"items", std::move(items)}};
}

llvm::json::Value WardServer::workspaceSymbols(llvm::StringRef query) {
  for (const std::string &root : roots_)
    if (projects_.find(root) == projects_.end()) check(root); // a folder nothing was opened in yet
  llvm::json::Array out;
  for (auto &[root, project] : projects_) {
    Compilation &c = *project.compilation;
    for (const auto &file : c.program().files) {
      if (file->isStdlib()) continue;
      for (const Symbol &s : ward::lsp::documentSymbols(*file)) {
        if (!llvm::StringRef(s.name).contains_insensitive(query)) continue;
        out.push_back(llvm::json::Object{{"name", s.name},
                                         {"kind", s.kind},
                                         {"containerName", s.detail},
                                         {"location", location(c.sources(), s.selection)}});
      }
    }
  }
  return out;
}

std::vector<int64_t> WardServer::encodedTokens(const std::string &path) {
  auto at = checked(path);
  if (!at) return {};
  // Relative encoding: line delta, start delta (on the same line), length,
  // type, modifiers; a token over several lines (a block comment) is one per line.
  std::vector<int64_t> data;
  Position last;
  auto emit = [&](size_t begin, size_t end, const SemanticToken &t) {
    Position start = positionOf(at->text, begin, encoding_);
    int64_t length = positionOf(at->text, end, encoding_).character - start.character;
    data.push_back(start.line - last.line);
    data.push_back(start.line == last.line ? start.character - last.character : start.character);
    data.push_back(length);
    data.push_back(int64_t(t.type));
    data.push_back(int64_t(t.modifiers));
    last = start;
  };
  for (const SemanticToken &t : semanticTokens(at->c->program(), at->file, at->text)) {
    for (size_t begin = t.begin; begin < t.end;) {
      size_t nl = at->text.find('\n', begin);
      size_t end = nl == llvm::StringRef::npos || nl >= t.end ? t.end : nl;
      if (end > begin) emit(begin, end, t);
      begin = end + 1;
    }
  }
  return data;
}

llvm::json::Value WardServer::semanticTokensOf(const std::string &path, std::optional<std::string> previousResultId) {
  std::vector<int64_t> data = encodedTokens(path);
  SemanticTokensResult &last = semanticTokens_[path];
  std::string resultId = std::to_string(++semanticResults_);
  llvm::json::Object out{{"resultId", resultId}};
  if (previousResultId && *previousResultId == last.id) {
    // One edit: what lies between the common prefix and the common suffix.
    size_t prefix = 0;
    while (prefix < data.size() && prefix < last.data.size() && data[prefix] == last.data[prefix]) ++prefix;
    size_t suffix = 0;
    while (suffix < data.size() - prefix && suffix < last.data.size() - prefix &&
           data[data.size() - 1 - suffix] == last.data[last.data.size() - 1 - suffix])
      ++suffix;
    llvm::json::Array inserted;
    for (size_t i = prefix; i < data.size() - suffix; ++i) inserted.push_back(data[i]);
    llvm::json::Array edits;
    if (prefix != data.size() || data.size() != last.data.size())
      edits.push_back(llvm::json::Object{{"start", int64_t(prefix)},
                                         {"deleteCount", int64_t(last.data.size() - suffix - prefix)},
                                         {"data", std::move(inserted)}});
    out["edits"] = std::move(edits);
  } else {
    out["data"] = llvm::json::Array(std::vector<llvm::json::Value>(data.begin(), data.end()));
  }
  last = {resultId, std::move(data)};
  return out;
}

llvm::json::Value WardServer::inlayHintsOf(const std::string &path, Position start, Position end) {
  auto at = checked(path);
  if (!at) return llvm::json::Array{};
  llvm::json::Array out;
  for (const InlayHint &hint : inlayHints(at->syntax(), uint32_t(offsetOf(at->text, start, encoding_)),
                                          uint32_t(offsetOf(at->text, end, encoding_))))
    out.push_back(llvm::json::Object{{"position", toJson(positionOf(at->text, hint.offset, encoding_))},
                                     {"label", hint.label},
                                     {"paddingLeft", true}});
  return out;
}

const codegen::ArtifactSet *WardServer::artifactsOf(const std::string &path) {
  if (!checked(path)) return nullptr;
  Project &project = projectOf(path);
  if (!project.artifacts) project.artifacts = project.compilation->generate(compilerVersion_);
  return *project.artifacts ? &**project.artifacts : nullptr;
}

llvm::json::Value WardServer::codeLenses(const std::string &path) {
  auto at = checked(path);
  const codegen::ArtifactSet *artifacts = artifactsOf(path);
  if (!at || !artifacts) return llvm::json::Array{};
  llvm::json::Array out;
  for (const GeneratedLens &lens : generatedLenses(at->syntax(), *artifacts))
    out.push_back(llvm::json::Object{
        {"range", rangeToLsp(at->c->sources(), lens.range)},
        {"command", llvm::json::Object{{"title", lens.title},
                                       {"command", "ward.showGenerated"},
                                       {"arguments", llvm::json::Array{uriFromPath(path), lens.artifact}}}}});
  return out;
}

static llvm::StringRef languageOf(llvm::StringRef artifact) {
  if (artifact.endswith(".js")) return "javascript";
  if (artifact.endswith(".json")) return "json";
  return "plaintext";
}

std::variant<llvm::json::Value, std::string> WardServer::generatedText(const std::string &path,
                                                                       llvm::StringRef artifact) {
  const codegen::ArtifactSet *artifacts = artifactsOf(path);
  if (!artifacts) return std::string("nothing is generated while the project has errors");
  auto it = artifacts->artifacts().find(artifact.str());
  if (it == artifacts->artifacts().end()) return "the project generates no " + artifact.str();
  if (llvm::StringRef(it->second.bytes).contains('\0')) return artifact.str() + " is not text";
  return llvm::json::Value(
      llvm::json::Object{{"path", artifact}, {"language", languageOf(artifact)}, {"text", it->second.bytes}});
}

bool WardServer::firstCheckOf(const std::string &path) const {
  auto it = projects_.find(rootOf(path));
  return it == projects_.end() || it->second.compilation->program().files.empty();
}

} // namespace ward::lsp
