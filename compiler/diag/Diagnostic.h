//===- Diagnostic.h - Diagnostics as data -----------------------*- C++ -*-===//
//
// A diagnostic is plain data: severity, stable code, primary range, message,
// labelled secondary ranges, help text and fix-its. Printers (text, JSON, and
// later SARIF and LSP) render the same data; nothing here formats output.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "diag/BlockList.h"
#include "source/SourceManager.h"

#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace ward {

enum class Severity { Note, Warning, Error };
llvm::StringRef severityName(Severity s);

enum class DiagID {
#define WARD_DIAG(Name, Code, Sev, Title) Name,
#include "diag/DiagnosticCodes.def"
#undef WARD_DIAG
  Rule, // a finding of an analysis rule; its code and title come from the rule
};

struct DiagInfo {
  llvm::StringRef code;
  Severity defaultSeverity;
  llvm::StringRef title;
};
const DiagInfo &diagInfo(DiagID id);
/// Every registered code, in code order (for documentation and SARIF rules).
std::vector<DiagID> allDiagIDs();

/// A secondary location with its own message ("`orders-vm` declared here").
struct Label {
  SourceRange range;
  std::string message;
};

/// Replace `range` with `replacement` (an insertion when the range is empty).
/// A certain fix is what the author meant beyond doubt (a unit the attribute
/// only takes, a duplicate removed); a suggestion is Ward's best guess (the
/// closest name, a chosen value). SARIF carries only certain fixes; the text
/// printer and the language server show both, marked.
struct FixIt {
  enum class Applicability { Certain, Suggestion };
  SourceRange range;
  std::string replacement;
  Applicability applicability = Applicability::Certain;
  bool certain() const { return applicability == Applicability::Certain; }
  enum class Edit { Insert, Delete, Replace };
  Edit edit() const {
    return range.begin == range.end ? Edit::Insert : replacement.empty() ? Edit::Delete : Edit::Replace;
  }
};

struct Diagnostic {
  DiagID id;
  Severity severity;
  llvm::StringRef code;  // from the static tables of diagnostics and rules
  llvm::StringRef title; // likewise
  SourceRange range;     // may be invalid for whole-run errors
  /// Suppressed in source (`// ward-ignore ID: reason`): not printed as text
  /// and not counted, but kept for JSON and SARIF with its justification.
  bool suppressed = false;
  std::string message;
  std::vector<Label> labels;
  std::vector<FixIt> fixits;

  /// The file of a diagnostic that has one but no buffer (I/O errors).
  llvm::StringRef path() const { return rare_ ? llvm::StringRef(rare_->path) : llvm::StringRef(); }
  void setPath(std::string path) { rare().path = std::move(path); }
  /// Why it is suppressed, as the `ward-ignore` comment says.
  llvm::StringRef justification() const { return rare_ ? llvm::StringRef(rare_->justification) : llvm::StringRef(); }
  void setJustification(std::string reason) { rare().justification = std::move(reason); }

  Diagnostic &label(SourceRange r, std::string msg) {
    labels.push_back({r, std::move(msg)});
    return *this;
  }
  /// The help line ("" when there is none).
  llvm::StringRef help() const {
    if (literalHelp_.data()) return literalHelp_;
    return rare_ ? llvm::StringRef(rare_->help) : llvm::StringRef();
  }
  Diagnostic &withHelp(std::string text) {
    rare().help = std::move(text);
    literalHelp_ = {};
    return *this;
  }
  /// A string literal is kept by reference, not copied: a rule may give the
  /// same help with each of tens of thousands of findings.
  template <size_t N> Diagnostic &withHelp(const char (&literal)[N]) {
    if (rare_) rare_->help.clear();
    literalHelp_ = llvm::StringRef(literal, N - 1);
    return *this;
  }
  Diagnostic &fix(SourceRange r, std::string replacement) {
    fixits.push_back({r, std::move(replacement), FixIt::Applicability::Certain});
    return *this;
  }
  Diagnostic &suggest(SourceRange r, std::string replacement) {
    fixits.push_back({r, std::move(replacement), FixIt::Applicability::Suggestion});
    return *this;
  }

private:
  // What most findings do without, kept apart: a large policy's tens of
  // thousands of findings are most of a check's memory after its tree, and
  // nearly all of them have a literal's help, no path and no justification.
  struct Rare {
    std::string path, justification, help;
  };
  /// A pointer that copies what it points to, so that a diagnostic copies
  /// (and moves) member by member with the compiler's own operations.
  class RarePtr {
  public:
    RarePtr() = default;
    RarePtr(const RarePtr &other) : rare_(other ? std::make_unique<Rare>(*other) : nullptr) {}
    RarePtr(RarePtr &&) noexcept = default;
    RarePtr &operator=(const RarePtr &other) {
      if (this != &other) rare_ = other ? std::make_unique<Rare>(*other) : nullptr;
      return *this;
    }
    RarePtr &operator=(RarePtr &&) noexcept = default;
    explicit operator bool() const { return rare_ != nullptr; }
    Rare &operator*() const { return *rare_; }
    Rare *operator->() const { return rare_.get(); }
    Rare &make() {
      if (!rare_) rare_ = std::make_unique<Rare>();
      return *rare_;
    }

  private:
    std::unique_ptr<Rare> rare_;
  };
  Rare &rare() { return rare_.make(); }
  llvm::StringRef literalHelp_; // when set, the help: a literal's, which lives as long as the program
  RarePtr rare_;
};

/// True when a diagnostic is about the environment (I/O, limits, ward.json,
/// the output directory) rather than the policy: the CLI exits with 2 for
/// those, and SARIF records the run as not successful. Decided here only.
bool isEnvironmentError(const Diagnostic &d);

class DiagnosticEngine;

/// An engine's diagnostics: in blocks of 512 (about 120 KB), so that a stage
/// reporting tens of thousands never holds a doubled vector's spare room or
/// two copies at the run's peak (BlockList.h).
using DiagnosticList = BlockList<Diagnostic, 512>;

/// A diagnostic being written: labels, help and fixes are added to it, and it
/// joins the engine when the builder goes out of scope (as clang's
/// DiagnosticBuilder does), so no caller holds a reference into the engine's
/// storage while another diagnostic is reported. A builder without an engine
/// (a rule that is switched off) is discarded.
class DiagnosticBuilder {
public:
  DiagnosticBuilder(DiagnosticEngine *engine, Diagnostic diag) : engine_(engine), diag_(std::move(diag)) {}
  DiagnosticBuilder(DiagnosticBuilder &&other) noexcept : engine_(other.engine_), diag_(std::move(other.diag_)) {
    other.engine_ = nullptr;
  }
  DiagnosticBuilder(const DiagnosticBuilder &) = delete;
  DiagnosticBuilder &operator=(const DiagnosticBuilder &) = delete;
  DiagnosticBuilder &operator=(DiagnosticBuilder &&) = delete;
  ~DiagnosticBuilder();

  DiagnosticBuilder &label(SourceRange r, std::string msg) {
    diag_.label(r, std::move(msg));
    return *this;
  }
  DiagnosticBuilder &withHelp(std::string text) {
    diag_.withHelp(std::move(text));
    return *this;
  }
  template <size_t N> DiagnosticBuilder &withHelp(const char (&literal)[N]) {
    diag_.withHelp(literal);
    return *this;
  }
  DiagnosticBuilder &fix(SourceRange r, std::string replacement) {
    diag_.fix(r, std::move(replacement));
    return *this;
  }
  DiagnosticBuilder &suggest(SourceRange r, std::string replacement) {
    diag_.suggest(r, std::move(replacement));
    return *this;
  }
  /// The diagnostic as written so far (its severity may still be changed).
  Diagnostic *operator->() { return &diag_; }
  Diagnostic &operator*() { return diag_; }

private:
  DiagnosticEngine *engine_;
  Diagnostic diag_;
};

/// The walk over a diagnostic's parts that every printer shares: each label
/// in order (`located` when it has a position), then each fix-it that has a
/// position (one without is never shown).
struct DiagnosticPartVisitor {
  virtual ~DiagnosticPartVisitor() = default;
  virtual void label(const Label &label, bool located) {}
  virtual void fixIt(const FixIt &fix) {}
};
void walkParts(const Diagnostic &d, DiagnosticPartVisitor &visitor);

/// Collects diagnostics from every stage. Stages report; drivers print.
class DiagnosticEngine {
public:
  DiagnosticBuilder report(DiagID id, SourceRange range, std::string message);
  DiagnosticBuilder reportAtPath(DiagID id, std::string path, std::string message);
  /// `code` and `title` must outlive the diagnostic: a rule's, from its static table.
  DiagnosticBuilder reportRule(llvm::StringRef code, llvm::StringRef title, Severity severity, SourceRange range,
                               std::string message);
  /// A builder that is never committed (for rules that are off).
  static DiagnosticBuilder discarded() { return DiagnosticBuilder(nullptr, Diagnostic{}); }
  void commit(Diagnostic diag) { diags_.push_back(std::move(diag)); }
  /// Commits everything `other` collected (work done apart, on another
  /// thread), in its order, giving back `other`'s storage as it goes.
  void commitAll(DiagnosticEngine &&other) { diags_.append(std::move(other.diags_)); }
  /// Commits every engine of `others` (work done apart, in parallel), in
  /// their order.
  void commitAll(std::vector<DiagnosticEngine> &&others) {
    for (DiagnosticEngine &other : others) commitAll(std::move(other));
  }
  size_t size() const { return diags_.size(); }
  DiagnosticList &mutableDiagnostics() { return diags_; }

  const DiagnosticList &diagnostics() const { return diags_; }
  unsigned errorCount() const;
  unsigned warningCount() const;
  bool hasErrors() const { return errorCount() > 0; }
  /// `--werror`: every warning becomes an error, before anything is printed,
  /// so that every printer and the exit code agree.
  void promoteWarningsToErrors();

  /// Orders diagnostics by file, then position, then code, so output does not
  /// depend on the order the stages ran in.
  void sort(const SourceManager &sm);

private:
  DiagnosticList diags_;
};

} // namespace ward
