//===- PhaseTimer.h - `WARD_TIME_PHASES=1` stage timings -------*- C++ -*-===//
//
// One timer for every stage that reports its time (the driver's phases, the
// parser's steps): benchmarks read these lines from stderr.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>

#include <chrono>

namespace ward {

class PhaseTimer {
public:
  /// Lines read "<prefix> <phase> <ms> ms": "phase parse", "  parse lex".
  explicit PhaseTimer(llvm::StringRef prefix);
  /// Prints the time since the previous mark (or construction) as `phase`.
  void mark(llvm::StringRef phase);
  /// Prints a time measured elsewhere (work done in parallel), in the same form.
  static void report(llvm::StringRef prefix, llvm::StringRef phase, double milliseconds);
  static bool enabled();

private:
  llvm::StringRef prefix_;
  std::chrono::steady_clock::time_point last_;
};

} // namespace ward
