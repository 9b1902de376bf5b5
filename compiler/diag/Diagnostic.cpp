#include "diag/Diagnostic.h"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <tuple>

namespace ward {

llvm::StringRef severityName(Severity s) {
  switch (s) {
  case Severity::Note: return "note";
  case Severity::Warning: return "warning";
  case Severity::Error: return "error";
  }
  return "error";
}

static const DiagInfo kInfos[] = {
#define WARD_DIAG(Name, Code, Sev, Title) {Code, Severity::Sev, Title},
#include "diag/DiagnosticCodes.def"
#undef WARD_DIAG
};

const DiagInfo &diagInfo(DiagID id) {
  static const DiagInfo kRuleInfo{"", Severity::Warning, "analysis rule"};
  return id == DiagID::Rule ? kRuleInfo : kInfos[static_cast<size_t>(id)];
}

std::vector<DiagID> allDiagIDs() {
  std::vector<DiagID> ids;
  for (size_t i = 0; i < std::size(kInfos); ++i) ids.push_back(static_cast<DiagID>(i));
  return ids;
}

DiagnosticBuilder::~DiagnosticBuilder() {
  if (engine_) engine_->commit(std::move(diag_));
}

DiagnosticBuilder DiagnosticEngine::report(DiagID id, SourceRange range, std::string message) {
  const DiagInfo &info = diagInfo(id);
  Diagnostic d;
  d.id = id;
  d.severity = info.defaultSeverity;
  d.code = info.code;
  d.title = info.title;
  d.range = range;
  d.message = std::move(message);
  return DiagnosticBuilder(this, std::move(d));
}

DiagnosticBuilder DiagnosticEngine::reportRule(llvm::StringRef code, llvm::StringRef title, Severity severity,
                                               SourceRange range, std::string message) {
  Diagnostic d;
  d.id = DiagID::Rule;
  d.severity = severity;
  d.code = code;
  d.title = title;
  d.range = range;
  d.message = std::move(message);
  return DiagnosticBuilder(this, std::move(d));
}

DiagnosticBuilder DiagnosticEngine::reportAtPath(DiagID id, std::string path, std::string message) {
  DiagnosticBuilder b = report(id, SourceRange{}, std::move(message));
  b->setPath(std::move(path));
  return b;
}

unsigned DiagnosticEngine::errorCount() const {
  return std::count_if(diags_.begin(), diags_.end(),
                       [](const Diagnostic &d) { return d.severity == Severity::Error && !d.suppressed; });
}

unsigned DiagnosticEngine::warningCount() const {
  return std::count_if(diags_.begin(), diags_.end(),
                       [](const Diagnostic &d) { return d.severity == Severity::Warning && !d.suppressed; });
}

void DiagnosticEngine::sort(const SourceManager &sm) {
  // References, not copies: a key is made twice per comparison.
  auto key = [&](const Diagnostic &d) {
    llvm::StringRef path = d.range.valid() ? llvm::StringRef(sm.displayPath(d.range.file)) : d.path();
    return std::make_tuple(path, d.range.begin, d.range.end, d.code, llvm::StringRef(d.message));
  };
  // Sorted as indexes, then moved into place along the permutation's
  // cycles: sorting the diagnostics themselves would take a buffer of half
  // of them (tens of megabytes on a large policy), at the run's peak.
  std::vector<uint32_t> order(diags_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key(diags_[a]) < key(diags_[b]); });
  for (uint32_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    // Position `at` takes the diagnostic at order[at]; the cycle closes at `start`.
    Diagnostic first = std::move(diags_[start]);
    uint32_t at = start;
    while (order[at] != start) {
      uint32_t from = order[at];
      diags_[at] = std::move(diags_[from]);
      order[at] = at;
      at = from;
    }
    diags_[at] = std::move(first);
    order[at] = at;
  }
}

void DiagnosticEngine::promoteWarningsToErrors() {
  for (Diagnostic &d : diags_)
    if (d.severity == Severity::Warning && !d.suppressed) d.severity = Severity::Error;
}

void walkParts(const Diagnostic &d, DiagnosticPartVisitor &visitor) {
  for (const Label &l : d.labels) visitor.label(l, l.range.valid());
  for (const FixIt &f : d.fixits)
    if (f.range.valid()) visitor.fixIt(f);
}

bool isEnvironmentError(const Diagnostic &d) {
  return d.id == DiagID::IoError || d.id == DiagID::FileTooLarge || d.id == DiagID::NoInputs ||
         d.id == DiagID::InvalidConfig || d.id == DiagID::OutputFailed;
}

} // namespace ward
