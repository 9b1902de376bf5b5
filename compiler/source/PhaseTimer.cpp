#include "source/PhaseTimer.h"

#include <llvm/Support/Format.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/raw_ostream.h>

namespace ward {

bool PhaseTimer::enabled() {
  static const bool kEnabled = llvm::sys::Process::GetEnv("WARD_TIME_PHASES").hasValue();
  return kEnabled;
}

PhaseTimer::PhaseTimer(llvm::StringRef prefix) : prefix_(prefix), last_(std::chrono::steady_clock::now()) {}

void PhaseTimer::mark(llvm::StringRef phase) {
  if (!enabled()) return;
  auto now = std::chrono::steady_clock::now();
  llvm::errs() << prefix_ << " "
               << llvm::format("%-10s %8.1f ms\n", phase.str().c_str(),
                               std::chrono::duration<double, std::milli>(now - last_).count());
  last_ = now;
}

} // namespace ward
