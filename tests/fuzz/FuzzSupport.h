//===- FuzzSupport.h - Shared by the libFuzzer targets ----------*- C++ -*-===//
//
// Each target is a property, not only "does not crash": when a property
// fails the target calls abort() with what differed, and libFuzzer saves the
// input as a reproducer (tests/fuzz/regressions/TARGET/ keeps them as tests).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "resolve/Loader.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace ward::fuzz {

inline LoadOptions loadOptions() {
  LoadOptions options;
  options.stdlibDir = WARD_FUZZ_STDLIB; // the source tree's stdlib/, set by CMake
  return options;
}

/// Writes the input to `name` in a directory of this process's own (made on
/// first use, under the system's temporary directory) and returns that
/// directory: for inputs Ward reads from disk (ward.json, key sets).
inline std::string writeToPrivateDir(const char *name, const uint8_t *data, size_t size) {
  static const std::string dir = [] {
    llvm::SmallString<128> made;
    if (llvm::sys::fs::createUniqueDirectory("ward-fuzz", made)) std::abort();
    return std::string(made);
  }();
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  return dir;
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
