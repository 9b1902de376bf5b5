//===- Diff.h - Unified diffs of two texts ------------------------*- C++ -*-===//
#pragma once

#include <llvm/ADT/StringRef.h>

#include <string>

namespace ward::format {

/// `before` and `after` as a unified diff (`diff -u`, three lines of
/// context) between `fromPath` and `toPath`; "" when they are equal.
std::string unifiedDiff(llvm::StringRef before, llvm::StringRef after, llvm::StringRef fromPath,
                        llvm::StringRef toPath);

} // namespace ward::format
