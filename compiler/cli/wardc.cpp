//===- wardc.cpp - The Ward policy compiler's command line ---------------===//
//
// Exit codes: 0 clean (warnings allowed unless --werror), 1 policy or syntax
// errors, 2 usage, I/O or internal errors.
//
//===----------------------------------------------------------------------===//
#include "FormatCommand.h"
#include "lsp/LspServer.h"
#include "diag/Printers.h"
#include "driver/Driver.h"
#include "source/PhaseTimer.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/WithColor.h>
#include <llvm/Support/raw_ostream.h>
#include <fmt/format.h>

#include <exception>
#include <limits>
#include <unistd.h>

using namespace ward;
namespace cl = llvm::cl;

namespace {

enum ExitCode { Clean = 0, PolicyErrors = 1, UsageOrEnvironment = 2 };
enum class OutputFormat { Text, Json, Sarif };
enum class ColorMode { Auto, Always, Never };

cl::OptionCategory kCategory("wardc options");
cl::SubCommand kCheck("check", "Parse, resolve and check policy files; print diagnostics");
cl::SubCommand kBuild("build", "Check policy files and generate every artifact into an output directory");
cl::SubCommand kExplain("explain",
                        "Print the documentation of a rule or code (e.g. `wardc explain W004`, `wardc explain E0321`)");
cl::opt<std::string> kExplainRule(cl::Positional, cl::desc("<rule ID or name, or diagnostic code>"), cl::sub(kExplain),
                                  cl::cat(kCategory));

cl::SubCommand kFmt("fmt", "Format policy files in Ward's one layout (stdout, or -w in place; --check for CI)");
cl::list<std::string> kFmtInputs(cl::Positional, cl::desc("<file, directory or - for stdin>..."), cl::sub(kFmt),
                                 cl::cat(kCategory));
cl::opt<bool> kFmtWrite("w", cl::desc("Rewrite files that change, in place"), cl::sub(kFmt), cl::cat(kCategory));
cl::opt<bool> kFmtCheck("check", cl::desc("Print the files that would change; exit 1 if any would"), cl::sub(kFmt),
                        cl::cat(kCategory));
cl::opt<bool> kFmtDiff("diff", cl::desc("Print a unified diff of what would change; exit 1 if anything would"),
                       cl::sub(kFmt), cl::cat(kCategory));
cl::opt<std::string> kFmtRange("range", cl::desc("Format only the declarations overlapping lines FIRST to LAST"),
                               cl::value_desc("FIRST:LAST"), cl::sub(kFmt), cl::cat(kCategory));

cl::SubCommand kLsp("lsp", "Run the language server (LSP 3.17 over stdin and stdout)");
cl::opt<std::string> kLspLog("log", cl::desc("Write a trace of every message to FILE"), cl::value_desc("FILE"),
                             cl::sub(kLsp), cl::cat(kCategory));

cl::list<std::string> kInputs(cl::Positional, cl::desc("<file or directory>..."), cl::sub(kCheck), cl::sub(kBuild),
                              cl::cat(kCategory));
cl::opt<std::string> kOutDir("o", cl::desc("Output directory (replaced atomically)"), cl::value_desc("dir"),
                             cl::sub(kBuild), cl::cat(kCategory));
cl::opt<OutputFormat> kFormat("format", cl::desc("Diagnostic output format"), cl::init(OutputFormat::Text),
                              cl::values(clEnumValN(OutputFormat::Text, "text", "human-readable (default)"),
                                         clEnumValN(OutputFormat::Json, "json", "one JSON document on stdout"),
                                         clEnumValN(OutputFormat::Sarif, "sarif", "SARIF 2.1.0 on stdout")),
                              cl::sub(kCheck), cl::sub(kBuild), cl::cat(kCategory));
cl::opt<bool> kWerror("werror", cl::desc("Treat warnings as errors"), cl::sub(kCheck), cl::sub(kBuild),
                      cl::cat(kCategory));
cl::opt<ColorMode> kColor("color", cl::desc("Colour in text output"), cl::init(ColorMode::Auto),
                          cl::values(clEnumValN(ColorMode::Auto, "auto", "when stderr is a terminal"),
                                     clEnumValN(ColorMode::Always, "always", "always"),
                                     clEnumValN(ColorMode::Never, "never", "never")),
                          cl::sub(kCheck), cl::sub(kBuild), cl::sub(kFmt), cl::cat(kCategory));
cl::opt<bool> kListRules("list-rules", cl::desc("List every rule with its ID, default level and title"),
                         cl::sub(kCheck), cl::sub(*cl::TopLevelSubCommand), cl::cat(kCategory));
cl::opt<std::string> kSarifRoot("sarif-root",
                                cl::desc("Directory SARIF paths are relative to (default: the git top level, else the "
                                         "current directory)"),
                                cl::value_desc("dir"), cl::sub(kCheck), cl::sub(kBuild), cl::cat(kCategory));
cl::opt<uint64_t> kMaxFileSize("max-file-size", cl::desc("Largest policy file accepted, in bytes"),
                               cl::init(32ull << 20), cl::sub(kCheck), cl::sub(kBuild), cl::sub(kFmt),
                               cl::cat(kCategory));

void printVersion(llvm::raw_ostream &os) { os << "wardc " << WARD_VERSION << "\n"; }

int listRules() {
  llvm::outs() << llvm::formatv("{0,-6} {1,-8} {2,-33} {3}\n", "ID", "LEVEL", "NAME", "TITLE");
  for (const analysis::RuleInfo &rule : analysis::allRules())
    llvm::outs() << llvm::formatv("{0,-6} {1,-8} {2,-33} {3}\n", rule.id, analysis::levelName(rule.defaultLevel),
                                  rule.name, rule.title);
  llvm::outs() << "\nLevels and options are set per rule in ward.json; `wardc explain <ID>` shows a rule's page.\n";
  return Clean;
}

int runFmt() {
  FormatCommand command;
  command.inputs.assign(kFmtInputs.begin(), kFmtInputs.end());
  command.write = kFmtWrite;
  command.check = kFmtCheck;
  command.diff = kFmtDiff;
  command.color = kColor != ColorMode::Never;
  command.maxFileSize = kMaxFileSize;
  if (!kFmtRange.empty()) {
    auto [first, last] = llvm::StringRef(kFmtRange).split(':');
    format::LineRange range;
    if (first.getAsInteger(10, range.first) || last.getAsInteger(10, range.last) || range.first == 0 ||
        range.last < range.first) {
      llvm::errs() << "wardc fmt: error: --range takes FIRST:LAST, 1-based lines with FIRST <= LAST\n";
      return UsageOrEnvironment;
    }
    command.range = range;
  }
  return runFormatCommand(command);
}

int runLsp(const char *argv0) {
  static int anchor;
  LoadOptions options;
  options.stdlibDir = findStdlibDir(argv0, &anchor);
  std::unique_ptr<llvm::raw_fd_ostream> log;
  if (!kLspLog.empty()) {
    std::error_code ec;
    log = std::make_unique<llvm::raw_fd_ostream>(kLspLog, ec, llvm::sys::fs::OF_Append);
    if (ec) {
      llvm::errs() << "wardc lsp: error: cannot open the log " << kLspLog << ": " << ec.message() << "\n";
      return UsageOrEnvironment;
    }
  }
  lsp::Transport transport(STDIN_FILENO, llvm::outs(), log.get());
  return lsp::runServer(transport, options, WARD_VERSION);
}

int runExplain() {
  if (const analysis::RuleInfo *rule = analysis::findRule(kExplainRule)) {
    llvm::outs() << analysis::ruleDoc(rule->rule);
    return Clean;
  }
  if (std::optional<std::string> doc = codeDoc(kExplainRule)) {
    llvm::outs() << *doc;
    return Clean;
  }
  llvm::errs() << "wardc explain: error: unknown rule or code `" << kExplainRule << "`\n"
               << "`wardc --list-rules` lists the rules; docs/diagnostics.md lists the E and G codes.\n";
  return UsageOrEnvironment;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kFreeAtExit = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kFreeAtExit = true;
#else
constexpr bool kFreeAtExit = false;
#endif
#else
constexpr bool kFreeAtExit = false;
#endif

int runCompile(const char *argv0, bool build) {
  const char *command = build ? "build" : "check";
  if (!build && kListRules) return listRules();
  if (kInputs.empty()) {
    llvm::errs() << "wardc " << command << ": error: no input files\n"
                 << "usage: wardc " << command << " [options] <file or directory>..." << (build ? " -o <dir>" : "")
                 << "\n";
    return UsageOrEnvironment;
  }
  if (build && kOutDir.empty()) {
    llvm::errs()
        << "wardc build: error: no output directory\nusage: wardc build [options] <file or directory>... -o <dir>\n";
    return UsageOrEnvironment;
  }
  static int anchor;
  LoadOptions options;
  options.stdlibDir = findStdlibDir(argv0, &anchor);
  options.maxFileSize = kMaxFileSize;

  // Not freed at exit (see below): allocated, not on the stack.
  auto owned = std::make_unique<Compilation>(options);
  Compilation &compilation = *owned;
  compilation.setWarningsAsErrors(kWerror);
  bool clean = compilation.check({kInputs.begin(), kInputs.end()});
  BuildOutcome outcome;
  if (build && clean) outcome = compilation.build(kOutDir, WARD_VERSION);
  DiagnosticEngine &diags = compilation.diagnostics();

  if (kFormat == OutputFormat::Json) {
    llvm::outs() << llvm::formatv("{0:2}", diagnosticsToJson(compilation.sources(), diags)) << "\n";
  } else if (kFormat == OutputFormat::Sarif) {
    SarifOptions sarif;
    sarif.toolVersion = WARD_VERSION;
    llvm::SmallString<256> cwd;
    if (!llvm::sys::fs::current_path(cwd)) sarif.cwd = std::string(cwd);
    if (!kSarifRoot.empty()) {
      llvm::SmallString<256> root(kSarifRoot);
      llvm::sys::fs::make_absolute(root);
      sarif.sourceRoot = std::string(root);
    } else {
      sarif.sourceRoot = defaultSarifRoot(sarif.cwd);
    }
    llvm::outs() << llvm::formatv("{0:2}", diagnosticsToSarif(compilation.sources(), diags, allRuleMetadata(), sarif))
                 << "\n";
  } else {
    // Buffered: thousands of diagnostics are written in a few system calls.
    llvm::raw_fd_ostream err(STDERR_FILENO, /*shouldClose=*/false, /*unbuffered=*/false);
    // `has_colors` asks whether stderr is a terminal; `auto` follows it.
    err.enable_colors(kColor == ColorMode::Always || (kColor == ColorMode::Auto && err.has_colors()));
    PhaseTimer timer("phase");
    printText(err, compilation.sources(), diags.diagnostics());
    printSummary(err, diags);
    err.flush();
    timer.mark("print");
    if (outcome.wrote)
      err << "wrote " << outcome.artifactCount << " artifacts and manifest.json to " << kOutDir << "\n";
    else if (build) err << "nothing was written; " << kOutDir << " is unchanged\n";
  }

  bool environment = std::any_of(diags.diagnostics().begin(), diags.diagnostics().end(),
                                 [](const Diagnostic &d) { return isEnvironmentError(d); });
  int status = environment ? UsageOrEnvironment : diags.hasErrors() ? PolicyErrors : Clean;
  // The process ends now: the system takes the program's memory back at once,
  // where destructors would walk every node of it (clang does the same).
  // Sanitizer builds free everything, so that leaks still show.
  if (!kFreeAtExit) (void)owned.release();
  return status;
}

} // namespace

int main(int argc, char **argv) {
  try {
    cl::HideUnrelatedOptions(kCategory);
    cl::SetVersionPrinter(printVersion);
    std::string parseErrors;
    llvm::raw_string_ostream errStream(parseErrors);
    if (!cl::ParseCommandLineOptions(argc, argv,
                                     "Ward policy compiler\n\n"
                                     "  wardc check FILE|DIR...          check policies and print diagnostics\n"
                                     "  wardc build FILE|DIR... -o DIR   check, then generate every artifact into DIR\n"
                                     "  wardc fmt FILE|DIR|-...          format policies (-w, --check, --diff)\n"
                                     "  wardc explain RULE               print the documentation of a rule\n",
                                     &errStream)) {
      llvm::errs() << errStream.str();
      return UsageOrEnvironment;
    }
    // Source positions are 32-bit offsets (SourceRange): a larger file could
    // not be located, so no limit may let one in.
    if (kMaxFileSize > std::numeric_limits<uint32_t>::max()) {
      llvm::errs() << "wardc: error: --max-file-size is at most " << std::numeric_limits<uint32_t>::max()
                   << " bytes (4 GiB - 1): positions in a policy are 32-bit offsets\n";
      return UsageOrEnvironment;
    }
    if (kListRules && !kCheck) return listRules();
    if (kCheck) return runCompile(argv[0], false);
    if (kBuild) return runCompile(argv[0], true);
    if (kFmt) return runFmt();
    if (kLsp) return runLsp(argv[0]);
    if (kExplain) {
      if (kExplainRule.empty()) {
        llvm::errs() << "usage: wardc explain <rule ID or name>\n";
        return UsageOrEnvironment;
      }
      return runExplain();
    }
    llvm::errs() << "usage: wardc <command> [options]\n\ncommands:\n"
                 << "  check FILE|DIR...          check policies and print diagnostics\n"
                 << "  build FILE|DIR... -o DIR   check, then generate every artifact into DIR\n"
                 << "  fmt FILE|DIR|-...          format policies (-w, --check, --diff)\n"
                 << "  explain RULE               print the documentation of a rule\n\n"
                 << "Run `wardc <command> --help` for the options of a command.\n";
    return UsageOrEnvironment;
  } catch (const std::exception &e) {
    llvm::errs() << "wardc: internal error: " << e.what() << "\n";
    return UsageOrEnvironment;
  } catch (...) {
    llvm::errs() << "wardc: internal error\n";
    return UsageOrEnvironment;
  }
}
