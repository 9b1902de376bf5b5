//===- Dump.h - A file's syntax as text, without positions ------*- C++ -*-===//
//
// Everything the parser made of a file — declarations, names, values with
// their kinds and decoded texts, routes, actions, schedules, imports and
// `ward-ignore` suppressions — and nothing of where it was written. Two
// files with equal dumps mean the same; the formatter checks this after every
// format.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/AST.h"

#include <string>

namespace ward {

/// With `withRanges`, each line also gives the source ranges (byte offsets)
/// of what it shows: two parsers agree when their dumps with ranges are equal.
std::string dumpSyntax(const SourceFile &file, bool withRanges = false);

} // namespace ward
