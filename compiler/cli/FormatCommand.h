//===- FormatCommand.h - `wardc fmt` -----------------------------*- C++ -*-===//
#pragma once

#include "format/Formatter.h"

#include <optional>
#include <string>
#include <vector>

namespace ward {

struct FormatCommand {
  std::vector<std::string> inputs; // files, directories (every `*.ward` below) or `-` (stdin)
  bool write = false;              // -w: rewrite changed files in place
  bool check = false;              // --check: list the files that would change
  bool diff = false;               // --diff: print what would change
  bool color = false;
  std::optional<format::LineRange> range;
  uint64_t maxFileSize = 32ull << 20;
};

/// Runs `wardc fmt`; returns the exit code.
int runFormatCommand(const FormatCommand &command);

} // namespace ward
