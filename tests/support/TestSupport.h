//===- TestSupport.h - Helpers shared by Ward's tests -----------*- C++ -*-===//
#pragma once

#include "driver/Driver.h"

#include <llvm/Support/JSON.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <llvm/ADT/StringRef.h>

#include <ostream>

namespace llvm {
/// Lets Catch print AST texts (names and values are StringRefs) in failed checks.
inline std::ostream &operator<<(std::ostream &os, StringRef s) { return os.write(s.data(), s.size()); }
} // namespace llvm

namespace ward::test {

std::string sourceDir();
std::string stdlibDir();
/// Load options with the source tree's standard library.
LoadOptions loadOptions();
std::string readFile(const std::string &path);
/// Every file below `root` (relative path, `/`-separated) with its contents.
std::map<std::string, std::string> readTree(const std::string &root);

/// A fresh directory, removed (with its contents) on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  const std::string &path() const { return path_; }
  /// Writes `content` to `name` (relative; directories are created).
  std::string write(const std::string &name, const std::string &content) const;

private:
  std::string path_;
};

struct RunResult {
  int exitCode = -1;
  bool timedOut = false;
  std::string out, err;
};
/// Runs `program` (a path, or a name looked up on PATH) with `args`; stdout
/// and stderr are captured.
RunResult runProgram(const std::string &program, const std::vector<std::string> &args, unsigned timeoutSeconds = 120);
/// Runs the built wardc with `args`.
RunResult runWardc(const std::vector<std::string> &args, unsigned timeoutSeconds = 120);

/// Checks files in-process. `files` maps relative paths to contents; the
/// ones in `inputs` (default: every file) are the compilation's inputs.
struct CheckResult {
  std::unique_ptr<Compilation> compilation;
  std::unique_ptr<TempDir> dir;
  bool ok = false;
  std::vector<std::string> codes() const;
  /// No front-end error (E-codes): parsing, resolution and types are fine,
  /// whatever the least-privilege rules say.
  bool frontEndOk() const;
  bool has(const std::string &code, const std::string &messagePart = "") const;
  const Diagnostic *find(const std::string &code) const;
  /// The first finding with `code` that no `ward-ignore` suppressed.
  const Diagnostic *findUnsuppressed(const std::string &code) const;
  std::string text() const; // all diagnostics as the text printer renders them
  LineColumn start(const Diagnostic &d) const;
};
CheckResult check(const std::map<std::string, std::string> &files, std::vector<std::string> inputs = {});
/// `source` with the fix-its of `d` applied (they must all be in `source`'s
/// file, which is `d.range.file`).
std::string applyFixIts(const std::string &source, const Diagnostic &d);
/// Shorthand: one file `main.ward`.
CheckResult checkSource(const std::string &source);

/// Deterministic random edits of policy text, as a careless or hostile user
/// makes them: a run dropped, a stray character, hostile text inside a
/// string, a line twice, another number.
class Mutator {
public:
  explicit Mutator(uint64_t seed = 0x9e3779b97f4a7c15ull) : state_(seed) {}
  /// One to two edits of `text`.
  std::string mutate(std::string text);
  uint64_t next(uint64_t bound);

private:
  uint64_t state_;
};

/// Compares `actual` with tests/golden/`golden`. Regenerate with
/// WARD_UPDATE_GOLDEN=1 after an intended change, and review the diff like code.
void compareGolden(const std::string &golden, const std::string &actual);

} // namespace ward::test
