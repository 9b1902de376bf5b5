#include "diag/Printers.h"

namespace ward {

llvm::json::Object locationToJson(const SourceManager &sm, SourceRange range) {
  LineColumn start = sm.lineColumn(range.file, range.begin);
  LineColumn end = sm.lineColumn(range.file, range.end);
  return llvm::json::Object{
      {"file", sm.displayPath(range.file)},
      {"line", start.line},
      {"column", start.column},
      {"endLine", end.line},
      {"endColumn", end.column},
      {"offset", range.begin},
      {"length", range.end - range.begin},
  };
}

static llvm::json::Value diagnosticToJson(const SourceManager &sm, const Diagnostic &d) {
  llvm::json::Object out{
      {"severity", severityName(d.severity)},
      {"code", d.code},
      {"title", d.title},
      {"message", d.message},
  };
  if (d.range.valid()) out["location"] = locationToJson(sm, d.range);
  else if (!d.path().empty()) out["location"] = llvm::json::Object{{"file", d.path().str()}};
  else out["location"] = nullptr;

  struct Parts : DiagnosticPartVisitor {
    const SourceManager &sm;
    llvm::json::Array labels, fixes;
    explicit Parts(const SourceManager &sm) : sm(sm) {}
    void label(const Label &label, bool located) override {
      labels.push_back(
          llvm::json::Object{{"message", label.message},
                             {"location", located ? llvm::json::Value(locationToJson(sm, label.range)) : nullptr}});
    }
    void fixIt(const FixIt &fix) override {
      fixes.push_back(llvm::json::Object{{"location", locationToJson(sm, fix.range)},
                                         {"replacement", fix.replacement},
                                         {"applicability", fix.certain() ? "certain" : "suggestion"}});
    }
  } parts(sm);
  walkParts(d, parts);
  out["labels"] = std::move(parts.labels);
  out["help"] = d.help().empty() ? llvm::json::Value(nullptr) : llvm::json::Value(d.help());
  out["fixes"] = std::move(parts.fixes);
  out["suppressed"] = d.suppressed ? llvm::json::Value(llvm::json::Object{{"justification", d.justification().str()}})
                                   : llvm::json::Value(nullptr);
  return out;
}

llvm::json::Value diagnosticsToJson(const SourceManager &sm, const DiagnosticEngine &engine) {
  llvm::json::Array diags;
  unsigned suppressed = 0;
  for (const Diagnostic &d : engine.diagnostics()) {
    diags.push_back(diagnosticToJson(sm, d));
    suppressed += d.suppressed;
  }
  return llvm::json::Object{
      {"schema", "ward-diagnostics"},
      {"version", 1},
      {"diagnostics", std::move(diags)},
      {"summary", llvm::json::Object{{"errors", engine.errorCount()},
                                     {"warnings", engine.warningCount()},
                                     {"suppressed", suppressed}}},
  };
}

} // namespace ward
