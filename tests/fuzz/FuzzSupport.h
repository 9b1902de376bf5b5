//===- FuzzSupport.h - Shared by the libFuzzer targets ----------*- C++ -*-===//
//
// Each target is a property, not only "does not crash": when a property
// fails the target calls abort() with what differed, and libFuzzer saves the
// input as a reproducer (tests/fuzz/regressions/TARGET/ keeps them as tests).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "resolve/Loader.h"

#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <string>

namespace ward::fuzz {

inline LoadOptions loadOptions() {
  LoadOptions options;
  options.stdlibDir = WARD_FUZZ_STDLIB; // the source tree's stdlib/, set by CMake
  return options;
}

/// Stops the run with both sides of a failed property on stderr.
[[noreturn]] inline void propertyFailed(const char *property, const std::string &expected, const std::string &actual) {
  llvm::errs() << "property failed: " << property << "\n--- expected\n"
               << expected << "\n--- actual\n"
               << actual << "\n";
  llvm::errs().flush();
  std::abort();
}

} // namespace ward::fuzz
