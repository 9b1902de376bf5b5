#include "TestSupport.h"

#include "diag/Printers.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/raw_ostream.h>

#include <catch2/catch.hpp>

#include <stdexcept>

namespace ward::test {

std::string sourceDir() { return WARD_SOURCE_DIR; }
std::string stdlibDir() { return sourceDir() + "/stdlib"; }

LoadOptions loadOptions() {
  LoadOptions o;
  o.stdlibDir = stdlibDir();
  return o;
}

std::string readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) throw std::runtime_error("cannot read " + path);
  return (*buffer)->getBuffer().str();
}

std::map<std::string, std::string> readTree(const std::string &root) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(root, ec), end; it != end && !ec; it.increment(ec)) {
    if (it->type() == llvm::sys::fs::file_type::directory_file) continue;
    files[it->path().substr(root.size() + 1)] = readFile(it->path());
  }
  return files;
}

TempDir::TempDir() {
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("ward-test", dir)) throw std::runtime_error("cannot create temp dir");
  path_ = std::string(dir);
}

TempDir::~TempDir() { llvm::sys::fs::remove_directories(path_); }

std::string TempDir::write(const std::string &name, const std::string &content) const {
  llvm::SmallString<256> full(path_);
  llvm::sys::path::append(full, name);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(full));
  std::error_code ec;
  llvm::raw_fd_ostream os(full, ec);
  if (ec) throw std::runtime_error("cannot write " + std::string(full));
  os << content;
  return std::string(full);
}

RunResult runProgram(const std::string &program, const std::vector<std::string> &args, unsigned timeoutSeconds) {
  llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(program);
  if (!path) throw std::runtime_error("cannot find " + program);
  TempDir capture;
  std::string outPath = capture.write("stdout", ""), errPath = capture.write("stderr", "");
  std::vector<llvm::StringRef> argv{*path};
  for (const std::string &a : args) argv.push_back(a);
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outPath),
                                                 llvm::StringRef(errPath)};
  std::string error;
  bool failed = false;
  RunResult result;
  result.exitCode = llvm::sys::ExecuteAndWait(*path, argv, llvm::None, redirects, timeoutSeconds, 0, &error, &failed);
  result.timedOut = result.exitCode == -2 || error.find("timed out") != std::string::npos;
  result.out = readFile(outPath);
  result.err = readFile(errPath);
  return result;
}

RunResult runWardc(const std::vector<std::string> &args, unsigned timeoutSeconds) {
  return runProgram(WARDC_PATH, args, timeoutSeconds);
}

std::vector<std::string> CheckResult::codes() const {
  std::vector<std::string> out;
  for (const Diagnostic &d : compilation->diagnostics().diagnostics()) out.push_back(d.code.str());
  return out;
}

bool CheckResult::frontEndOk() const {
  for (const Diagnostic &d : compilation->diagnostics().diagnostics())
    if (d.severity == Severity::Error && d.code[0] == 'E') return false;
  return true;
}

const Diagnostic *CheckResult::find(const std::string &code) const {
  for (const Diagnostic &d : compilation->diagnostics().diagnostics())
    if (d.code == code) return &d;
  return nullptr;
}

const Diagnostic *CheckResult::findUnsuppressed(const std::string &code) const {
  for (const Diagnostic &d : compilation->diagnostics().diagnostics())
    if (d.code == code && !d.suppressed) return &d;
  return nullptr;
}

bool CheckResult::has(const std::string &code, const std::string &messagePart) const {
  for (const Diagnostic &d : compilation->diagnostics().diagnostics())
    if (d.code == code && d.message.find(messagePart) != std::string::npos) return true;
  return false;
}

std::string CheckResult::text() const {
  std::string out;
  llvm::raw_string_ostream os(out);
  printText(os, compilation->sources(), compilation->diagnostics().diagnostics());
  return os.str();
}

LineColumn CheckResult::start(const Diagnostic &d) const {
  return compilation->sources().lineColumn(d.range.file, d.range.begin);
}

CheckResult check(const std::map<std::string, std::string> &files, std::vector<std::string> inputs) {
  CheckResult result;
  result.dir = std::make_unique<TempDir>();
  std::vector<std::string> paths;
  for (auto &[name, content] : files) {
    std::string path = result.dir->write(name, content);
    if (inputs.empty() || std::find(inputs.begin(), inputs.end(), name) != inputs.end()) paths.push_back(path);
  }
  LoadOptions options;
  options.stdlibDir = stdlibDir();
  result.compilation = std::make_unique<Compilation>(options);
  result.ok = result.compilation->check(paths);
  return result;
}

CheckResult checkSource(const std::string &source) { return check({{"main.ward", source}}); }

std::string applyFixIts(const std::string &source, const Diagnostic &d) {
  std::vector<FixIt> fixes = d.fixits;
  // From the end, so earlier offsets stay valid.
  std::sort(fixes.begin(), fixes.end(), [](const FixIt &a, const FixIt &b) { return a.range.begin > b.range.begin; });
  std::string out = source;
  for (const FixIt &f : fixes) {
    REQUIRE(f.range.file == d.range.file);
    REQUIRE(f.range.end <= out.size());
    out.replace(f.range.begin, f.range.end - f.range.begin, f.replacement);
  }
  return out;
}

void compareGolden(const std::string &golden, const std::string &actual) {
  std::string path = sourceDir() + "/tests/golden/" + golden;
  if (llvm::sys::Process::GetEnv("WARD_UPDATE_GOLDEN")) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    REQUIRE_FALSE(ec);
    os << actual;
  }
  CHECK(readFile(path) == actual);
}

uint64_t Mutator::next(uint64_t bound) {
  state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
  return bound == 0 ? 0 : (state_ >> 33) % bound;
}

std::string Mutator::mutate(std::string text) {
  static const std::string noise = "{}[]()\"=\\*/\n,.:{id}$<>\xe2\x80\xa8\x01";
  for (int m = 0, n = 1 + int(next(2)); m < n; ++m) {
    size_t at = next(text.size());
    switch (next(6)) {
    case 0: text.erase(at, next(40)); break;                      // drop a run
    case 1: text.insert(at, 1, noise[next(noise.size())]); break; // a stray character
    case 2:
    case 3: { // hostile text inside a string
      static const char *hostile[] = {"</script>", "${x}", "*/",        "\\\"",   "\\\\",
                                      "\\u{2028}", "\\n",  "__proto__", "'); x('"};
      size_t quote = text.find('"', at);
      if (quote != std::string::npos) text.insert(quote + 1, hostile[next(9)]);
      break;
    }
    case 4: { // a line twice
      size_t begin = text.rfind('\n', at), end = text.find('\n', at);
      begin = begin == std::string::npos ? 0 : begin + 1;
      if (end != std::string::npos) text.insert(end + 1, text.substr(begin, end + 1 - begin));
      break;
    }
    default: { // another number
      size_t digit = text.find_first_of("0123456789", at);
      if (digit != std::string::npos) text.replace(digit, 1, std::to_string(next(100000)));
      break;
    }
    }
  }
  return text;
}

} // namespace ward::test
