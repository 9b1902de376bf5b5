//===- Parser.h - Source text to AST ----------------------------*- C++ -*-===//
#pragma once

#include "ast/AST.h"
#include "diag/Diagnostic.h"

#include <memory>

namespace ward {

/// Whether valid files are parsed by the fast parser: yes, unless the
/// environment says `WARD_PARSER=antlr` (to compare the two, or to rule one out).
bool fastParserByDefault();

struct ParseOptions {
  /// Brackets, braces and parentheses nest at most this deep. Deeper input is
  /// rejected before parsing, so no input can exhaust the stack.
  unsigned maxNesting = 64;
  /// Stop reporting (and parsing) a file after this many syntax errors.
  unsigned maxErrors = 50;
  /// Try the fast parser first; any file it does not accept (every file with
  /// an error among them) is parsed by the ANTLR parser, as it is without it.
  bool fastPath = fastParserByDefault();
  /// A valid file of at least this many bytes is read and parsed by the
  /// fast parser in parts, on as many threads as there are cores; the AST
  /// is the same as from one piece.
  size_t parallelBytes = size_t(1) << 20;
  /// Whether a file of `bytes` is parsed in parts (and so uses every core by itself).
  bool parsesInParts(size_t bytes) const { return bytes >= parallelBytes; }
};

/// Parses buffer `file` of `sm`. Lexical and syntax errors go to `diags`.
/// After an error the returned file has `parsedCleanly == false`; when the
/// parser recovered (`recovered`), it holds every declaration that parsed
/// whole and lists the others in `brokenDecls`; otherwise it holds nothing.
std::unique_ptr<SourceFile> parseFile(const SourceManager &sm, FileID file, DiagnosticEngine &diags,
                                      const ParseOptions &options = {});

/// The AST of `file` if the fast parser takes it whole (UTF-8 without NUL,
/// and no error of any kind), which is then what parseFile gives; nothing
/// otherwise. It reports nothing and only reads `sm`, so that several files
/// can be parsed this way at once; the others go to parseFile.
std::unique_ptr<SourceFile> parseIfValid(const SourceManager &sm, FileID file, const ParseOptions &options = {});

} // namespace ward
