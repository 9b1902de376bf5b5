// Re-check after an edit, as the language server does it: one Compilation
// checks a corpus, then one file's text changes (an editor buffer) and the
// compilation checks again. Prints the cold check, the re-check and, for
// comparison, a fresh compilation of the edited corpus (medians of 5).
//   ward-recheck STDLIB_DIR INPUT_DIR FILE_TO_EDIT
#include "driver/Driver.h"

#include <llvm/Support/MemoryBuffer.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>

using namespace ward;

static double secondsOf(const std::function<void()> &work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fmt::print(stderr, "usage: ward-recheck STDLIB_DIR INPUT_DIR FILE_TO_EDIT\n");
    return 2;
  }
  LoadOptions options;
  options.stdlibDir = argv[1];
  options.maxFileSize = 256u << 20;
  std::vector<std::string> inputs{argv[2]};
  std::string file = argv[3];
  auto text = llvm::MemoryBuffer::getFile(file);
  if (!text) {
    fmt::print(stderr, "cannot read {}\n", file);
    return 2;
  }
  std::string original = (*text)->getBuffer().str();

  Compilation kept(options);
  double cold = secondsOf([&] { kept.check(inputs); });
  std::vector<double> recheck, fresh;
  unsigned parsed = 0, reused = 0;
  for (int run = 0; run < 5; ++run) {
    // An edit that changes a value and shifts every position after it.
    std::string edited = fmt::format("// edit {}\n", run) + original;
    kept.setBuffer(file, edited);
    recheck.push_back(secondsOf([&] { kept.check(inputs); }));
    parsed = kept.filesParsed(), reused = kept.filesReused();
    Compilation once(options);
    once.setBuffer(file, edited);
    fresh.push_back(secondsOf([&] { once.check(inputs); }));
  }
  fmt::print("{:>12} {:>12} {:>12} {:>8} {:>8} {:>8}\n", "cold_s", "recheck_s", "fresh_s", "parsed", "reused",
             "errors");
  fmt::print("{:>12.3f} {:>12.3f} {:>12.3f} {:>8} {:>8} {:>8}\n", cold, median(recheck), median(fresh), parsed, reused,
             kept.diagnostics().errorCount());
  return 0;
}
