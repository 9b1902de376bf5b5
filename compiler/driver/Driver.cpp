#include "driver/Driver.h"
#include "Build.h"
#include "resolve/Resolver.h"
#include "sema/Sema.h"
#include "source/PhaseTimer.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Process.h>
#include <fmt/format.h>

#include <llvm/Support/Format.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <future>

namespace ward {

std::vector<std::string> expandInputs(const std::vector<std::string> &args, DiagnosticEngine &diags) {
  std::vector<std::string> out;
  for (const std::string &arg : args) {
    if (!llvm::sys::fs::is_directory(arg)) {
      out.push_back(arg); // the loader reports missing or unreadable files
      continue;
    }
    std::vector<std::string> found;
    std::error_code ec;
    for (llvm::sys::fs::recursive_directory_iterator it(arg, ec), end; it != end && !ec; it.increment(ec)) {
      if (llvm::sys::path::extension(it->path()) != ".ward") continue;
      if (it->type() == llvm::sys::fs::file_type::directory_file) continue;
      found.push_back(it->path());
    }
    if (ec) {
      diags.reportAtPath(DiagID::IoError, arg, fmt::format("cannot list directory: {}", ec.message()));
      continue;
    }
    if (found.empty()) {
      diags.reportAtPath(DiagID::NoInputs, arg, "no `.ward` files in this directory");
      continue;
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::string findStdlibDir(const char *argv0, void *anchor) {
  if (llvm::Optional<std::string> env = llvm::sys::Process::GetEnv("WARD_STDLIB")) return *env;
  std::string exe = llvm::sys::fs::getMainExecutable(argv0, anchor);
  llvm::StringRef binDir = llvm::sys::path::parent_path(exe);
  llvm::SmallString<256> candidate(binDir);
  llvm::sys::path::append(candidate, "stdlib");
  if (llvm::sys::fs::is_directory(candidate)) return std::string(candidate);
  candidate = binDir;
  llvm::sys::path::append(candidate, "..", "share", "ward", "stdlib");
  return std::string(candidate);
}

bool Compilation::check(const std::vector<std::string> &inputs) {
  PhaseTimer timer("phase");
  // A second check starts from nothing but the cached parses.
  model_.reset();
  azure_.reset(); // ward.json's catalogue may have changed
  rulesRun_.clear();
  diags_ = DiagnosticEngine();
  std::vector<std::string> paths = expandInputs(inputs, diags_);
  // First, so that its problems are reported whatever else is wrong.
  config_ = analysis::loadConfig(paths.empty() ? "." : paths.front(), diags_, &sm_);
  size_t loadDiagnostics = diags_.diagnostics().size();
  // Azure's role and operation data (tens of milliseconds of JSON) is read
  // while the policies are parsed and checked; it is used, and what reading
  // it reported is taken, only if the analysis runs. The future waits for
  // the reading on every way out of this function.
  struct AzureLoad {
    std::shared_ptr<const analysis::AzureData> data;
    DiagnosticEngine diags;
  };
  std::future<AzureLoad> azureLoad = std::async(std::launch::async, [this] {
    AzureLoad load;
    load.data = analysis::AzureData::load(options_.stdlibDir, config_, load.diags);
    return load;
  });
  Loader loader(sm_, diags_, options_, &cache_);
  program_ = loader.load(paths);
  timer.mark("parse");
  // Past syntax errors the parser recovered from, the whole declarations are
  // still checked. Not past a file it could not recover (not UTF-8, too
  // deep, too many errors) or an import that failed to load: every name
  // they declare would be unknown, and only noise would follow.
  auto notSyntax = [](const Diagnostic &d) {
    return d.severity == Severity::Error && (d.id < DiagID::SyntaxError || d.id > DiagID::TooManyErrors);
  };
  if (!program_.resolvable() ||
      std::any_of(diags_.diagnostics().begin() + loadDiagnostics, diags_.diagnostics().end(), notSyntax)) {
    finishDiagnostics();
    return false;
  }
  {
    // Its index of every declaration serves resolution and Sema's lookups
    // only: given back before the rules build the permission model.
    Resolver resolver(sm_, diags_, program_);
    resolver.run();
    timer.mark("resolve");
    runSema(program_, resolver, diags_, sm_);
    timer.mark("sema");
  }
  // The rules need checked values: they run when neither the policy nor
  // ward.json has errors, or when the only errors are syntax errors the
  // parser recovered from (then only the rules about single declarations).
  bool partial = !program_.allParsedCleanly();
  if (std::none_of(diags_.diagnostics().begin(), diags_.diagnostics().end(), notSyntax)) {
    AzureLoad load = azureLoad.get();
    diags_.commitAll(std::move(load.diags));
    azure_ = std::move(load.data);
    timer.mark("azure-data");
    // One permission model per compilation, built beside the rules: the
    // rules and the back ends share it.
    if (azure_) rulesRun_ = analysis::runAnalysis(program_, sm_, *azure_, config_, model_, diags_, partial);
    timer.mark("analysis");
  }
  finishDiagnostics();
  timer.mark("sort");
  return !diags_.hasErrors();
}

std::shared_ptr<const analysis::AzureData> Compilation::azureCatalogue() {
  if (!azure_) {
    DiagnosticEngine unreported; // the next check reports what is wrong with the data
    azure_ = analysis::AzureData::load(options_.stdlibDir, config_, unreported);
  }
  return azure_;
}

const analysis::AzureData &Compilation::azureData() const {
  static const analysis::AzureData none;
  return azure_ ? *azure_ : none;
}

void Compilation::finishDiagnostics() {
  if (warningsAsErrors_) diags_.promoteWarningsToErrors();
  diags_.sort(sm_);
}

BuildOutcome Compilation::build(llvm::StringRef outDir, llvm::StringRef compilerVersion) {
  BuildOutcome outcome;
  if (diags_.hasErrors() || !model_) return outcome; // only a program that checked clean is generated
  PhaseTimer timer("phase");
  codegen::ArtifactSet artifacts;
  // Written as they are made, so that memory does not grow with the output;
  // when the output cannot be staged, they are kept until writeAtomically,
  // which reports why (after generation, as for any other failure to write).
  llvm::consumeError(artifacts.streamTo(outDir));
  codegen::generateArtifacts(program_, sm_, *azure_, config_, *model_, compilerVersion, diags_, artifacts);
  analysis::applyCodeControls(program_, sm_, config_, diags_);
  finishDiagnostics();
  timer.mark("generate");
  if (diags_.hasErrors()) return outcome; // write only a complete set: the streamed part is removed
  llvm::Error written = artifacts.writeAtomically(outDir, sm_, compilerVersion);
  timer.mark("write");
  if (llvm::Error e = std::move(written)) {
    diags_.reportAtPath(DiagID::OutputFailed, outDir.str(), llvm::toString(std::move(e)))
        .withHelp("the previous contents of the output directory are unchanged");
    diags_.sort(sm_);
    return outcome;
  }
  outcome.wrote = true;
  outcome.artifactCount = artifacts.artifacts().size();
  return outcome;
}

std::optional<codegen::ArtifactSet> Compilation::generate(llvm::StringRef compilerVersion) {
  if (diags_.hasErrors() || !model_) return std::nullopt;
  DiagnosticEngine scratch; // what generation reports stays out of the check's diagnostics
  codegen::ArtifactSet artifacts;
  codegen::generateArtifacts(program_, sm_, *azure_, config_, *model_, compilerVersion, scratch, artifacts);
  if (scratch.hasErrors()) return std::nullopt;
  return artifacts;
}

std::string ruleSummary(llvm::StringRef doc) {
  llvm::SmallVector<llvm::StringRef, 16> paragraphs;
  doc.split(paragraphs, "\n\n");
  for (llvm::StringRef p : paragraphs) {
    p = p.trim();
    if (p.empty() || p.startswith("#") || p.startswith("Default level") || p.startswith("```")) continue;
    std::string joined = p.str();
    std::replace(joined.begin(), joined.end(), '\n', ' ');
    return joined;
  }
  return "";
}

namespace {
struct EmbeddedDoc {
  const char *name;
  const char *text;
};
const EmbeddedDoc kCodeDocs[] = {
#include "CodeDocs.inc"
};

/// The "typical cause and fix" cell of `code`'s row in docs/diagnostics.md.
std::string codeDescription(llvm::StringRef code) {
  llvm::StringRef table = kCodeDocs[0].text;
  std::string row = "| " + code.str() + " | ";
  size_t at = table.find(row);
  if (at == llvm::StringRef::npos) return "";
  llvm::StringRef line = table.drop_front(at + row.size()).take_until([](char c) { return c == '\n'; });
  llvm::StringRef description = line.split(" | ").second; // after the title cell
  description.consume_back("|");
  return description.trim().str();
}
} // namespace

std::optional<std::string> codeDoc(llvm::StringRef code) {
  for (DiagID id : allDiagIDs()) {
    const DiagInfo &info = diagInfo(id);
    if (!info.code.equals_insensitive(code)) continue;
    return fmt::format("# {} {}\n\nDefault severity: {}.\n\n{}\n\nSee docs/diagnostics.md for every code.\n",
                       info.code.str(), info.title.str(), severityName(info.defaultSeverity).str(),
                       codeDescription(info.code));
  }
  return std::nullopt;
}

std::vector<RuleMetadata> allRuleMetadata() {
  std::vector<RuleMetadata> out;
  for (DiagID id : allDiagIDs()) {
    const DiagInfo &info = diagInfo(id);
    std::string description = codeDescription(info.code);
    out.push_back({info.code.str(), info.title.str(), info.title.str(),
                   description.empty() ? fmt::format("{}.", info.title.str()) : description, *codeDoc(info.code),
                   severityName(info.defaultSeverity).str()});
  }
  for (const analysis::RuleInfo &rule : analysis::allRules()) {
    std::string doc = analysis::ruleDoc(rule.rule).str();
    std::string level =
        rule.defaultLevel == analysis::Level::Off ? "none" : analysis::levelName(rule.defaultLevel).str();
    out.push_back({rule.id.str(), rule.name.str(), rule.title.str(), ruleSummary(doc), doc, level});
  }
  return out;
}

} // namespace ward
