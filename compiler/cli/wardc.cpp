//===- wardc.cpp - The Ward policy compiler's command line ---------------===//
//
// Exit codes: 0 clean (warnings allowed unless --werror), 1 policy or syntax
// errors, 2 usage, I/O or internal errors.
//
//===----------------------------------------------------------------------===//
#include "diag/Printers.h"
#include "driver/Driver.h"

#include <llvm/Support/CommandLine.h>
#include <llvm/Support/WithColor.h>
#include <llvm/Support/raw_ostream.h>
#include <fmt/format.h>

#include <exception>

using namespace ward;
namespace cl = llvm::cl;

namespace {

enum ExitCode { Clean = 0, PolicyErrors = 1, UsageOrEnvironment = 2 };
enum class OutputFormat { Text, Json };
enum class ColorMode { Auto, Always, Never };

cl::OptionCategory kCategory("wardc options");
cl::SubCommand kCheck("check", "Parse, resolve and check policy files; print diagnostics");

cl::list<std::string> kInputs(cl::Positional, cl::desc("<file or directory>..."), cl::sub(kCheck), cl::cat(kCategory));
cl::opt<OutputFormat> kFormat("format", cl::desc("Diagnostic output format"), cl::init(OutputFormat::Text),
                              cl::values(clEnumValN(OutputFormat::Text, "text", "human-readable (default)"),
                                         clEnumValN(OutputFormat::Json, "json", "one JSON document on stdout")),
                              cl::sub(kCheck), cl::cat(kCategory));
cl::opt<bool> kWerror("werror", cl::desc("Treat warnings as errors"), cl::sub(kCheck), cl::cat(kCategory));
cl::opt<ColorMode> kColor("color", cl::desc("Colour in text output"), cl::init(ColorMode::Auto),
                          cl::values(clEnumValN(ColorMode::Auto, "auto", "when stderr is a terminal"),
                                     clEnumValN(ColorMode::Always, "always", "always"),
                                     clEnumValN(ColorMode::Never, "never", "never")),
                          cl::sub(kCheck), cl::cat(kCategory));
cl::opt<uint64_t> kMaxFileSize("max-file-size", cl::desc("Largest policy file accepted, in bytes"),
                               cl::init(32ull << 20), cl::sub(kCheck), cl::cat(kCategory));

void printVersion(llvm::raw_ostream &os) { os << "wardc " << WARD_VERSION << "\n"; }

int runCheck(const char *argv0) {
  if (kInputs.empty()) {
    llvm::errs() << "wardc check: error: no input files\n"
                 << "usage: wardc check [options] <file or directory>...\n";
    return UsageOrEnvironment;
  }
  static int anchor;
  LoadOptions options;
  options.stdlibDir = findStdlibDir(argv0, &anchor);
  options.maxFileSize = kMaxFileSize;

  Compilation compilation(options);
  std::vector<std::string> paths = expandInputs({kInputs.begin(), kInputs.end()}, compilation.diagnostics());
  compilation.check(paths);
  DiagnosticEngine &diags = compilation.diagnostics();

  if (kWerror) // promote before printing so every printer agrees
    for (const Diagnostic &d : diags.diagnostics())
      if (d.severity == Severity::Warning) const_cast<Diagnostic &>(d).severity = Severity::Error;

  if (kFormat == OutputFormat::Json) {
    llvm::outs() << llvm::formatv("{0:2}", diagnosticsToJson(compilation.sources(), diags)) << "\n";
  } else {
    llvm::raw_ostream &err = llvm::errs();
    // `has_colors` asks whether stderr is a terminal; `auto` follows it.
    err.enable_colors(kColor == ColorMode::Always || (kColor == ColorMode::Auto && err.has_colors()));
    printText(err, compilation.sources(), diags.diagnostics());
    printSummary(err, diags);
  }

  bool environment = std::any_of(diags.diagnostics().begin(), diags.diagnostics().end(), isEnvironmentError);
  if (environment) return UsageOrEnvironment;
  return diags.hasErrors() ? PolicyErrors : Clean;
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
                                     "  wardc check FILE|DIR...   check policies and print diagnostics\n",
                                     &errStream)) {
      llvm::errs() << errStream.str();
      return UsageOrEnvironment;
    }
    if (kCheck) return runCheck(argv[0]);
    llvm::errs() << "usage: wardc <command> [options]\n\ncommands:\n"
                 << "  check FILE|DIR...   check policies and print diagnostics\n\n"
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
