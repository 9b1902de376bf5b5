//===- Driver.h - One compilation, from paths to checked AST ----*- C++ -*-===//
//
// The CLI and (later) the language server are thin layers over this.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analysis/Rules.h"
#include "diag/Sarif.h"
#include "output/Artifacts.h"
#include "resolve/Loader.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ward {

/// Expands directories into the `*.ward` files below them (sorted, so the
/// result does not depend on the file system's order); keeps files as given.
std::vector<std::string> expandInputs(const std::vector<std::string> &args, DiagnosticEngine &diags);

/// Where the standard library lives: $WARD_STDLIB, else beside the binary
/// (`<bin>/stdlib` in the build tree, `<bin>/../share/ward/stdlib` installed).
std::string findStdlibDir(const char *argv0, void *anchor);

/// What `Compilation::build` did.
struct BuildOutcome {
  bool wrote = false;       // OUT was replaced with the new artifacts
  size_t artifactCount = 0; // besides manifest.json
};

class Compilation {
public:
  explicit Compilation(LoadOptions options) : options_(std::move(options)) {}

  /// `--werror`: warnings become errors before anything is printed or built.
  void setWarningsAsErrors(bool on) { warningsAsErrors_ = on; }

  /// Loads, parses, resolves and checks `inputs` (files, and directories
  /// for the `*.ward` files below them), then runs the
  /// least-privilege analysis (when the program is free of errors, so that
  /// rules see a complete model). Returns false on errors.
  ///
  /// May be called again (after an edit): everything is checked anew, but
  /// files whose text is unchanged are not parsed again, and the standard
  /// library and Azure's data are not read again.
  bool check(const std::vector<std::string> &inputs);

  /// An editor buffer: until removed, `path`'s text is `text`, whatever is on
  /// disk (the file need not exist). Takes effect at the next check().
  void setBuffer(llvm::StringRef path, std::string text) { cache_.setOverlay(path, std::move(text)); }
  void removeBuffer(llvm::StringRef path) { cache_.removeOverlay(path); }
  /// Files the last check() parsed, and files whose earlier parse it reused.
  unsigned filesParsed() const { return cache_.parsedLastLoad; }
  unsigned filesReused() const { return cache_.reusedLastLoad; }
  /// The rules the last check() ran (none when it stopped before the analysis).
  const std::vector<analysis::RuleID> &rulesRun() const { return rulesRun_; }

  /// After a clean check(): generates every artifact and writes them into
  /// `outDir` as a whole (a staging directory renamed into place), or writes
  /// nothing when generation reports an error. Diagnostics land in
  /// diagnostics(), sorted, with `--werror` applied.
  BuildOutcome build(llvm::StringRef outDir, llvm::StringRef compilerVersion);

  /// After a clean check(): every artifact build() would write, in memory,
  /// leaving diagnostics() as they are (the language server shows what a
  /// declaration generates); nullopt when the program has errors or
  /// generation reports one.
  std::optional<codegen::ArtifactSet> generate(llvm::StringRef compilerVersion);

  SourceManager &sources() { return sm_; }
  /// Azure's role and operation data; empty until a check got as far as the
  /// analysis.
  const analysis::AzureData &azureData() const;
  /// The same data, read now if the last check did not get as far as the
  /// analysis (the language server completes and explains role names while
  /// a file has errors); null when it cannot be read. Kept until the next check.
  std::shared_ptr<const analysis::AzureData> azureCatalogue();
  const analysis::Config &config() const { return config_; }
  DiagnosticEngine &diagnostics() { return diags_; }
  Program &program() { return program_; }

private:
  void finishDiagnostics();

  LoadOptions options_;
  bool warningsAsErrors_ = false;
  SourceManager sm_; // before cache_ and program_, which refer into it
  SourceCache cache_;
  DiagnosticEngine diags_;
  Program program_;
  analysis::Config config_;
  std::shared_ptr<const analysis::AzureData> azure_; // shared with other compilations
  std::unique_ptr<analysis::PermissionModel> model_; // built once the program checks clean
  std::vector<analysis::RuleID> rulesRun_;
};

/// Metadata of every code wardc can report (front end and rules), for SARIF.
std::vector<RuleMetadata> allRuleMetadata();
/// The paragraph of a rule doc page that describes it (for SARIF and --list-rules).
std::string ruleSummary(llvm::StringRef doc);

/// The documentation of a front-end or build code (E0321, G0001): its title,
/// default severity and what docs/diagnostics.md says of it; nullopt for an
/// unknown code.
std::optional<std::string> codeDoc(llvm::StringRef code);

} // namespace ward
