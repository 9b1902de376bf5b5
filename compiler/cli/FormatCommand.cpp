//===- FormatCommand.cpp - `wardc fmt` ------------------------------------===//
//
// Exit codes: 0 nothing to change (or changes written / printed), 1 a file
// would change (--check, --diff) or has syntax errors, 2 usage, I/O, or a
// format the formatter refused (F0001).
//
//===----------------------------------------------------------------------===//
#include "FormatCommand.h"
#include "diag/Printers.h"
#include "driver/Driver.h"
#include "format/Diff.h"
#include "format/Formatter.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

namespace ward {
namespace {

enum ExitCode { Clean = 0, WouldChange = 1, Environment = 2 };

/// Replaces `path` with `text` as a whole: a temporary file beside it, given
/// the original's permissions, renamed over it.
std::error_code writeAtomically(const std::string &path, llvm::StringRef text) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status)) return ec;
  llvm::SmallString<256> model(path);
  llvm::sys::path::remove_filename(model);
  llvm::sys::path::append(model, "." + llvm::sys::path::filename(path).str() + ".fmt-%%%%%%");
  int fd = -1;
  llvm::SmallString<256> temp;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, temp)) return ec;
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out << text;
    out.close();
    if (out.has_error()) {
      std::error_code ec = out.error();
      out.clear_error();
      llvm::sys::fs::remove(temp);
      return ec;
    }
  }
  if (std::error_code ec = llvm::sys::fs::setPermissions(temp, status.permissions())) {
    llvm::sys::fs::remove(temp);
    return ec;
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    return ec;
  }
  return {};
}

class Formatter {
public:
  explicit Formatter(const FormatCommand &command) : command_(command) {}

  int run() {
    if (command_.inputs.empty()) return usage("no input files");
    bool several = command_.inputs.size() > 1 ||
                   (command_.inputs.front() != "-" && llvm::sys::fs::is_directory(command_.inputs.front()));
    bool modeGiven = command_.write || command_.check || command_.diff;
    if (several && !modeGiven) return usage("several files: give -w, --check or --diff");
    if (command_.range && several) return usage("--range formats one file");
    if (command_.write && (command_.check || command_.diff)) return usage("-w writes; --check and --diff only report");

    DiagnosticEngine inputErrors;
    std::vector<std::string> files;
    for (const std::string &input : command_.inputs) {
      if (input == "-") files.push_back(input);
      else
        for (const std::string &f : expandInputs({input}, inputErrors)) files.push_back(f);
    }
    print(inputErrors, sources_);
    int exit = inputErrors.hasErrors() ? Environment : Clean;

    analysis::Config config =
        analysis::loadConfig(files.empty() || files.front() == "-" ? "." : files.front(), configErrors_, &sources_);
    print(configErrors_, sources_);
    if (configErrors_.hasErrors()) return Environment;
    options_.lineWidth = config.formatLineWidth;

    for (const std::string &file : files) exit = std::max(exit, formatOne(file));
    return exit;
  }

private:
  int usage(const std::string &problem) {
    llvm::errs() << "wardc fmt: error: " << problem << "\n"
                 << "usage: wardc fmt [-w | --check | --diff] [--range=FIRST:LAST] <file, directory or ->...\n";
    return Environment;
  }

  void print(const DiagnosticEngine &diags, const SourceManager &sm) {
    llvm::raw_ostream &err = llvm::errs();
    err.enable_colors(command_.color && err.has_colors());
    printText(err, sm, diags.diagnostics());
  }

  int formatOne(const std::string &path) {
    bool fromStdin = path == "-";
    std::string shown = fromStdin ? "<stdin>" : path;
    auto buffer = fromStdin ? llvm::MemoryBuffer::getSTDIN()
                            : llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!buffer) {
      llvm::errs() << shown << ": error[E0001]: cannot read: " << buffer.getError().message() << "\n";
      return Environment;
    }
    if ((*buffer)->getBufferSize() > command_.maxFileSize) {
      llvm::errs() << shown << ": error[E0002]: file is over the limit of " << command_.maxFileSize << " bytes\n";
      return Environment;
    }
    SourceManager sm;
    std::string original = (*buffer)->getBuffer().str();
    FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(original, shown), shown);
    DiagnosticEngine diags;
    std::optional<std::string> formatted = format::formatFile(sm, id, options_, diags, command_.range);
    print(diags, sm);
    if (!formatted) {
      bool refused = std::any_of(diags.diagnostics().begin(), diags.diagnostics().end(),
                                 [](const Diagnostic &d) { return d.id == DiagID::FormatRefused; });
      if (!refused) llvm::errs() << shown << ": not formatted: fix the syntax errors above first\n";
      return refused ? Environment : WouldChange;
    }
    bool changed = *formatted != original;
    if (command_.check) {
      if (changed) llvm::outs() << shown << "\n";
      return changed ? WouldChange : Clean;
    }
    if (command_.diff) {
      llvm::outs() << format::unifiedDiff(original, *formatted, "a/" + shown, "b/" + shown);
      return changed ? WouldChange : Clean;
    }
    if (command_.write && !fromStdin) {
      if (!changed) return Clean;
      if (std::error_code ec = writeAtomically(path, *formatted)) {
        llvm::errs() << shown << ": error[E0001]: cannot write: " << ec.message() << "\n";
        return Environment;
      }
      return Clean;
    }
    llvm::outs() << *formatted;
    return Clean;
  }

  const FormatCommand &command_;
  format::FormatOptions options_;
  SourceManager sources_;
  DiagnosticEngine configErrors_;
};

} // namespace

int runFormatCommand(const FormatCommand &command) { return Formatter(command).run(); }

} // namespace ward
