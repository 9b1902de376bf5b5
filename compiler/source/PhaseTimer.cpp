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

namespace {
/// User and system time of every thread of the process so far.
double processCpuMilliseconds() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval &t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}
} // namespace

PhaseTimer::PhaseTimer(llvm::StringRef prefix) : prefix_(prefix), last_(std::chrono::steady_clock::now()) {
  if (enabled()) lastCpu_ = processCpuMilliseconds();
}

void PhaseTimer::mark(llvm::StringRef phase) {
  if (!enabled()) return;
  auto now = std::chrono::steady_clock::now();
  double cpu = processCpuMilliseconds();
  report(prefix_, phase, std::chrono::duration<double, std::milli>(now - last_).count(), cpu - lastCpu_);
  last_ = now;
  lastCpu_ = cpu;
}

void PhaseTimer::report(llvm::StringRef prefix, llvm::StringRef phase, double milliseconds, double cpuMilliseconds) {
  if (!enabled()) return;
  // The process's peak RSS so far: which phase raised it is what memory work needs.
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  llvm::errs() << prefix << " "
               << llvm::format("%-10s %8.1f ms %8.1f MB peak", phase.str().c_str(), milliseconds,
                               usage.ru_maxrss / 1024.0);
  if (cpuMilliseconds >= 0) llvm::errs() << llvm::format(" %8.1f ms CPU", cpuMilliseconds);
  llvm::errs() << "\n";
}

} // namespace ward
