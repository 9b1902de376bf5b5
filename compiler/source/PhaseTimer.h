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
  /// Prints the time since the previous mark (or construction) as `phase`,
  /// and the CPU time of all threads in it: their ratio is how much of the
  /// phase ran in parallel.
  void mark(llvm::StringRef phase);
  /// Prints a time measured elsewhere (work done in parallel), in the same
  /// form; `cpuMilliseconds` below zero prints no CPU time.
  static void report(llvm::StringRef prefix, llvm::StringRef phase, double milliseconds, double cpuMilliseconds = -1);
  static bool enabled();

private:
  llvm::StringRef prefix_;
  std::chrono::steady_clock::time_point last_;
  double lastCpu_ = 0; // the process's CPU milliseconds at the last mark
};

} // namespace ward
