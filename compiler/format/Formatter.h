//===- Formatter.h - One canonical layout for Ward files --------*- C++ -*-===//
//
// `wardc fmt` and the language server's formatting requests. The layout:
// 2-space indents; one member per line in a block of two or more (a block
// of one stays on one line when it fits); lists, objects and calls on one
// line when they fit, else one item per line; one space around `=` and `:`;
// no column alignment; LF line ends, one final newline, no byte-order mark;
// strings re-escaped without changing their values. Comments stay attached
// to the token they annotate, in order; blank lines between declarations and
// between block members are kept, collapsed to one.
//
// Every format is checked before it is returned: the result must parse to
// the same syntax (ast/Dump.h) with the same comments, or the formatter
// refuses with F0001 and returns nothing.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "diag/Diagnostic.h"
#include "parse/Parser.h"

#include <optional>
#include <string>

namespace ward::format {

struct FormatOptions {
  unsigned lineWidth = 100;
};

/// Lines `first`..`last` (1-based, inclusive): format only the top-level
/// declarations that overlap them.
struct LineRange {
  unsigned first = 0, last = 0;
};

/// Formats buffer `file` of `sm`. Syntax errors (the file is not formatted)
/// and a refused format (F0001) go to `diags`; returns the formatted text
/// otherwise. With `range`, only the declarations overlapping it change.
std::optional<std::string> formatFile(const SourceManager &sm, FileID file, const FormatOptions &options,
                                      DiagnosticEngine &diags, std::optional<LineRange> range = std::nullopt,
                                      const ParseOptions &parse = {});

/// The soundness check: what differs between `original` (buffer `file` of
/// `sm`, which parses cleanly) and `formatted` — the syntax or the comments —
/// as a message naming the first construct that differs, or nullopt when
/// they mean the same.
std::optional<std::string> soundnessProblem(const SourceManager &sm, FileID file, llvm::StringRef formatted);

} // namespace ward::format
