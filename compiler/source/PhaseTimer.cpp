#include "source/PhaseTimer.h"

#include <llvm/Support/Format.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/raw_ostream.h>

#include <sys/resource.h>

namespace ward {

bool PhaseTimer::enabled() {
  static const bool kEnabled = llvm::sys::Process::GetEnv("WARD_TIME_PHASES").hasValue();
  return kEnabled;
}

PhaseTimer::PhaseTimer(llvm::StringRef prefix) : prefix_(prefix), last_(std::chrono::steady_clock::now()) {}

void PhaseTimer::mark(llvm::StringRef phase) {
  if (!enabled()) return;
  auto now = std::chrono::steady_clock::now();
  report(prefix_, phase, std::chrono::duration<double, std::milli>(now - last_).count());
  last_ = now;
}

void PhaseTimer::report(llvm::StringRef prefix, llvm::StringRef phase, double milliseconds) {
  if (!enabled()) return;
  // The process's peak RSS so far: which phase raised it is what memory work needs.
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  llvm::errs() << prefix << " "
               << llvm::format("%-10s %8.1f ms %8.1f MB peak\n", phase.str().c_str(), milliseconds,
                               usage.ru_maxrss / 1024.0);
}

} // namespace ward
