#include "diag/Sarif.h"
#include "source/Text.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <fmt/format.h>

#include <map>

namespace ward {

std::string percentEncodePath(llvm::StringRef path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string defaultSarifRoot(llvm::StringRef cwd) {
  llvm::SmallString<256> dir(cwd);
  for (; !dir.empty(); dir = llvm::sys::path::parent_path(dir)) {
    llvm::SmallString<256> git(dir);
    llvm::sys::path::append(git, ".git");
    if (llvm::sys::fs::exists(git)) return std::string(dir);
    if (llvm::sys::path::parent_path(dir) == dir) break;
  }
  return cwd.str();
}

namespace {

constexpr llvm::StringLiteral kStdlibPrefix = "<stdlib>/";

bool inStdlib(const SourceManager &sm, SourceRange r) {
  return r.valid() && llvm::StringRef(sm.displayPath(r.file)).startswith(kStdlibPrefix);
}

llvm::StringRef levelOf(Severity s) {
  switch (s) {
  case Severity::Error: return "error";
  case Severity::Warning: return "warning";
  case Severity::Note: return "note";
  }
  return "error";
}

/// 64-bit FNV-1a: small, stable across platforms and releases.
uint64_t fnv1a(llvm::StringRef data, uint64_t hash = 0xcbf29ce484222325ull) {
  for (unsigned char c : data) hash = (hash ^ c) * 0x100000001b3ull;
  return hash;
}

class SarifWriter {
public:
  SarifWriter(const SourceManager &sm, const SarifOptions &options) : sm_(sm), options_(options) {}

  /// A path relative to the source root, with `/` separators and `..`
  /// where it lies outside: SARIF consumers such as GitHub code scanning
  /// resolve results against the repository, and an absolute URI would also
  /// differ from machine to machine.
  llvm::json::Object artifactLocation(llvm::StringRef path) {
    if (path.startswith(kStdlibPrefix))
      return llvm::json::Object{{"uri", percentEncodePath(path.drop_front(kStdlibPrefix.size()))},
                                {"uriBaseId", "WARD_STDLIB"}};
    llvm::SmallString<256> absolute(path);
    if (!llvm::sys::path::is_absolute(absolute) && !options_.cwd.empty()) {
      absolute = options_.cwd;
      llvm::sys::path::append(absolute, path);
    }
    llvm::sys::path::remove_dots(absolute, true);
    std::string relative = relativePath(absolute, options_.sourceRoot.empty() ? options_.cwd : options_.sourceRoot);
    return llvm::json::Object{{"uri", percentEncodePath(relative)}, {"uriBaseId", "SRCROOT"}};
  }

  llvm::json::Object region(SourceRange r) {
    LineColumn start = sm_.lineColumn(r.file, r.begin), end = sm_.lineColumn(r.file, r.end);
    return llvm::json::Object{
        {"startLine", start.line}, {"startColumn", start.column}, {"endLine", end.line}, {"endColumn", end.column}};
  }

  llvm::json::Object physical(SourceRange r) {
    return llvm::json::Object{{"artifactLocation", artifactLocation(sm_.displayPath(r.file))}, {"region", region(r)}};
  }

  /// Stable under edits elsewhere in the file: the rule, the file, and the
  /// text of the line and range, not their positions; repeats are numbered.
  std::string fingerprint(const Diagnostic &d) {
    std::string key = d.code.str() + "\n";
    if (d.range.valid()) {
      LineColumn lc = sm_.lineColumn(d.range.file, d.range.begin);
      key += sm_.displayPath(d.range.file) + "\n" + sm_.lineText(d.range.file, lc.line).trim().str() + "\n" +
             sm_.text(d.range.file).slice(d.range.begin, d.range.end).str();
    } else {
      key += d.path().str() + "\n" + d.message;
    }
    unsigned ordinal = seen_[key]++;
    return fmt::format("{:016x}:{}", fnv1a(key), ordinal + 1);
  }

private:
  const SourceManager &sm_;
  const SarifOptions &options_;
  std::map<std::string, unsigned> seen_;
};

} // namespace

llvm::json::Value diagnosticsToSarif(const SourceManager &sm, const DiagnosticEngine &engine,
                                     const std::vector<RuleMetadata> &rules, const SarifOptions &options) {
  SarifWriter writer(sm, options);
  std::map<std::string, size_t> ruleIndex;
  llvm::json::Array ruleArray;
  for (const RuleMetadata &r : rules) {
    ruleIndex[r.id] = ruleArray.size();
    ruleArray.push_back(llvm::json::Object{
        {"id", r.id},
        {"name", r.name},
        {"shortDescription", llvm::json::Object{{"text", r.shortDescription}}},
        {"fullDescription", llvm::json::Object{{"text", r.fullDescription}}},
        {"help", llvm::json::Object{{"text", r.help}, {"markdown", r.help}}},
        {"defaultConfiguration", llvm::json::Object{{"level", r.level}}},
    });
  }

  llvm::json::Array results, notifications;
  bool environmentOk = true;
  for (const Diagnostic &d : engine.diagnostics()) {
    if (isEnvironmentError(d)) environmentOk = false;
    std::string text = d.help().empty() ? d.message : concat({d.message, "\n\nhelp: ", d.help()});
    // Where the result is shown: its own range, or, for a finding located
    // in Ward's standard library (which is not in the user's repository),
    // the first of its labels in the user's files.
    SourceRange primary = d.range;
    std::vector<const Label *> labels;
    for (const Label &l : d.labels)
      if (l.range.valid()) labels.push_back(&l);
    if (inStdlib(sm, primary)) {
      auto user = std::find_if(labels.begin(), labels.end(), [&](const Label *l) { return !inStdlib(sm, l->range); });
      if (user != labels.end()) {
        primary = (*user)->range;
        text += fmt::format("\n\n(reported in Ward's standard library, {})", sm.displayPath(d.range.file));
      } else {
        primary = SourceRange{};
      }
    }
    llvm::json::Object location;
    if (primary.valid()) {
      location = llvm::json::Object{{"physicalLocation", writer.physical(primary)}};
    } else if (!d.path().empty() && !inStdlib(sm, d.range)) {
      // A file without a position (ward.json, an unreadable input): its first line.
      location = llvm::json::Object{
          {"physicalLocation", llvm::json::Object{{"artifactLocation", writer.artifactLocation(d.path().str())},
                                                  {"region", llvm::json::Object{{"startLine", 1}}}}}};
    } else {
      // Nothing in the repository to point at: a tool notification.
      llvm::json::Object notification{{"level", levelOf(d.severity)},
                                      {"message", llvm::json::Object{{"text", text}}},
                                      {"descriptor", llvm::json::Object{{"id", d.code}}}};
      if (auto it = ruleIndex.find(d.code.str()); it != ruleIndex.end())
        notification.getObject("descriptor")->try_emplace("index", static_cast<int64_t>(it->second));
      notifications.push_back(std::move(notification));
      continue;
    }
    llvm::json::Object result{
        {"ruleId", d.code}, {"level", levelOf(d.severity)}, {"message", llvm::json::Object{{"text", text}}}};
    if (auto it = ruleIndex.find(d.code.str()); it != ruleIndex.end())
      result["ruleIndex"] = static_cast<int64_t>(it->second);
    result["locations"] = llvm::json::Array{std::move(location)};
    struct Parts : DiagnosticPartVisitor {
      const SourceManager &sm;
      SarifWriter &writer;
      const Diagnostic &d;
      SourceRange primary;
      int64_t labelId = 0;
      llvm::json::Array related, fixes;
      Parts(const SourceManager &sm, SarifWriter &writer, const Diagnostic &d, SourceRange primary)
          : sm(sm), writer(writer), d(d), primary(primary) {}
      void label(const Label &l, bool located) override {
        ++labelId; // ids count every label, so they are stable whatever is shown
        if (!located || (l.range.file == primary.file && l.range.begin == primary.begin)) return;
        related.push_back(llvm::json::Object{{"id", labelId},
                                             {"physicalLocation", writer.physical(l.range)},
                                             {"message", llvm::json::Object{{"text", l.message}}}});
      }
      void fixIt(const FixIt &fix) override {
        // Only certain fixes: a consumer may apply SARIF fixes without asking.
        if (!fix.certain() || inStdlib(sm, fix.range)) return;
        fixes.push_back(llvm::json::Object{
            {"description", llvm::json::Object{{"text", d.help().empty() ? "apply the suggested edit" : d.help()}}},
            {"artifactChanges",
             llvm::json::Array{llvm::json::Object{
                 {"artifactLocation", writer.artifactLocation(sm.displayPath(fix.range.file))},
                 {"replacements", llvm::json::Array{llvm::json::Object{
                                      {"deletedRegion", writer.region(fix.range)},
                                      {"insertedContent", llvm::json::Object{{"text", fix.replacement}}}}}}}}}});
      }
    } parts(sm, writer, d, primary);
    walkParts(d, parts);
    if (!parts.related.empty()) result["relatedLocations"] = std::move(parts.related);
    result["partialFingerprints"] = llvm::json::Object{{"wardPrimaryLocation/v1", writer.fingerprint(d)}};
    if (d.suppressed)
      result["suppressions"] =
          llvm::json::Array{llvm::json::Object{{"kind", "inSource"}, {"justification", d.justification().str()}}};
    if (!parts.fixes.empty()) result["fixes"] = std::move(parts.fixes);
    results.push_back(std::move(result));
  }

  llvm::json::Object run{
      {"tool", llvm::json::Object{{"driver", llvm::json::Object{{"name", "wardc"},
                                                                {"version", options.toolVersion},
                                                                {"informationUri", options.informationUri},
                                                                {"rules", std::move(ruleArray)}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(results)},
      {"invocations", llvm::json::Array{[&] {
         llvm::json::Object invocation{{"executionSuccessful", environmentOk}};
         if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
         return invocation;
       }()}},
  };
  return llvm::json::Object{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(run)}},
  };
}

} // namespace ward
