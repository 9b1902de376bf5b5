#include "driver/Driver.h"
#include "resolve/Resolver.h"
#include "sema/Sema.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Process.h>
#include <fmt/format.h>

#include <algorithm>

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

bool Compilation::check(const std::vector<std::string> &paths) {
  Loader loader(sm_, diags_, options_);
  program_ = loader.load(paths);
  // Resolution on a partial tree only produces follow-on noise.
  if (!program_.allParsedCleanly() || diags_.hasErrors()) {
    diags_.sort(sm_);
    return false;
  }
  Resolver resolver(sm_, diags_, program_);
  resolver.run();
  runSema(program_, resolver, diags_, sm_);
  if (!diags_.hasErrors()) {
    config_ = analysis::loadConfig(paths.empty() ? "." : paths.front(), diags_);
    if (!diags_.hasErrors() && azure_.load(options_.stdlibDir, config_, diags_))
      analysis::runAnalysis(program_, sm_, azure_, config_, diags_);
  }
  diags_.sort(sm_);
  return !diags_.hasErrors();
}

bool isEnvironmentError(const Diagnostic &d) {
  return d.id == DiagID::IoError || d.id == DiagID::FileTooLarge || d.id == DiagID::NoInputs ||
         d.id == DiagID::InvalidConfig;
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

std::vector<RuleMetadata> allRuleMetadata() {
  std::vector<RuleMetadata> out;
  for (DiagID id : allDiagIDs()) {
    const DiagInfo &info = diagInfo(id);
    out.push_back({info.code.str(), info.title.str(), info.title.str(),
                   fmt::format("{}. See docs/diagnostics.md.", info.title.str()),
                   fmt::format("{} ({}): see docs/diagnostics.md", info.title.str(), info.code.str()),
                   severityName(info.defaultSeverity).str()});
  }
  for (const analysis::RuleInfo &rule : analysis::allRules()) {
    std::string doc = analysis::ruleDoc(rule.rule).str();
    std::string level = rule.defaultLevel == analysis::Level::Off ? "none" : analysis::levelName(rule.defaultLevel).str();
    out.push_back({rule.id.str(), rule.name.str(), rule.title.str(), ruleSummary(doc), doc, level});
  }
  return out;
}

} // namespace ward
