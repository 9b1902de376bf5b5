#include "diag/Sarif.h"

#include <llvm/ADT/SmallString.h>
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

namespace {

constexpr llvm::StringLiteral kStdlibPrefix = "<stdlib>/";

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

  llvm::json::Object artifactLocation(llvm::StringRef path) {
    if (path.startswith(kStdlibPrefix))
      return llvm::json::Object{{"uri", percentEncodePath(path.drop_front(kStdlibPrefix.size()))}, {"uriBaseId", "WARD_STDLIB"}};
    llvm::SmallString<256> p(path);
    llvm::sys::path::remove_dots(p, true);
    llvm::StringRef rel = p;
    if (!options_.sourceRoot.empty() && rel.consume_front(options_.sourceRoot) && rel.consume_front("/"))
      return llvm::json::Object{{"uri", percentEncodePath(rel)}, {"uriBaseId", "SRCROOT"}};
    if (llvm::sys::path::is_absolute(p)) return llvm::json::Object{{"uri", "file://" + percentEncodePath(p)}};
    return llvm::json::Object{{"uri", percentEncodePath(p)}, {"uriBaseId", "SRCROOT"}};
  }

  llvm::json::Object region(SourceRange r) {
    LineColumn start = sm_.lineColumn(r.file, r.begin), end = sm_.lineColumn(r.file, r.end);
    return llvm::json::Object{{"startLine", start.line}, {"startColumn", start.column}, {"endLine", end.line}, {"endColumn", end.column}};
  }

  llvm::json::Object physical(SourceRange r) {
    return llvm::json::Object{{"artifactLocation", artifactLocation(sm_.displayPath(r.file))}, {"region", region(r)}};
  }

  /// Stable under edits elsewhere in the file: the rule, the file, and the
  /// text of the line and range, not their positions; repeats are numbered.
  std::string fingerprint(const Diagnostic &d) {
    std::string key = d.code + "\n";
    if (d.range.valid()) {
      LineColumn lc = sm_.lineColumn(d.range.file, d.range.begin);
      key += sm_.displayPath(d.range.file) + "\n" + sm_.lineText(d.range.file, lc.line).trim().str() + "\n" +
             sm_.text(d.range.file).slice(d.range.begin, d.range.end).str();
    } else {
      key += d.path + "\n" + d.message;
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

  llvm::json::Array results;
  bool environmentOk = true;
  for (const Diagnostic &d : engine.diagnostics()) {
    llvm::json::Object result{{"ruleId", d.code},
                              {"level", levelOf(d.severity)},
                              {"message", llvm::json::Object{{"text", d.help.empty() ? d.message : d.message + "\n\nhelp: " + d.help}}}};
    if (auto it = ruleIndex.find(d.code); it != ruleIndex.end()) result["ruleIndex"] = static_cast<int64_t>(it->second);
    if (d.range.valid())
      result["locations"] = llvm::json::Array{llvm::json::Object{{"physicalLocation", writer.physical(d.range)}}};
    else if (!d.path.empty())
      result["locations"] = llvm::json::Array{
          llvm::json::Object{{"physicalLocation", llvm::json::Object{{"artifactLocation", writer.artifactLocation(d.path)}}}}};
    if (d.code.rfind("E000", 0) == 0) environmentOk = false;
    llvm::json::Array related;
    for (size_t i = 0; i < d.labels.size(); ++i) {
      if (!d.labels[i].range.valid()) continue;
      related.push_back(llvm::json::Object{{"id", static_cast<int64_t>(i + 1)},
                                           {"physicalLocation", writer.physical(d.labels[i].range)},
                                           {"message", llvm::json::Object{{"text", d.labels[i].message}}}});
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    result["partialFingerprints"] = llvm::json::Object{{"wardPrimaryLocation/v1", writer.fingerprint(d)}};
    if (d.suppressed)
      result["suppressions"] = llvm::json::Array{llvm::json::Object{{"kind", "inSource"}, {"justification", d.justification}}};
    llvm::json::Array fixes;
    for (const FixIt &fix : d.fixits) {
      if (!fix.range.valid()) continue;
      fixes.push_back(llvm::json::Object{
          {"description", llvm::json::Object{{"text", d.help.empty() ? "apply the suggested edit" : d.help}}},
          {"artifactChanges",
           llvm::json::Array{llvm::json::Object{
               {"artifactLocation", writer.artifactLocation(sm.displayPath(fix.range.file))},
               {"replacements", llvm::json::Array{llvm::json::Object{
                                    {"deletedRegion", writer.region(fix.range)},
                                    {"insertedContent", llvm::json::Object{{"text", fix.replacement}}}}}}}}}});
    }
    if (!fixes.empty()) result["fixes"] = std::move(fixes);
    results.push_back(std::move(result));
  }

  llvm::json::Object run{
      {"tool", llvm::json::Object{{"driver", llvm::json::Object{{"name", "wardc"},
                                                                {"version", options.toolVersion},
                                                                {"informationUri", options.informationUri},
                                                                {"rules", std::move(ruleArray)}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(results)},
      {"invocations", llvm::json::Array{llvm::json::Object{{"executionSuccessful", environmentOk}}}},
  };
  return llvm::json::Object{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(run)}},
  };
}

} // namespace ward
