//===- ParserInternals.h - Shared by the parse library's files ---*- C++ -*-===//
#pragma once

#include "ast/AST.h"
#include "diag/Diagnostic.h"
#include "parse/Parser.h"

#include <llvm/ADT/STLFunctionalExtras.h>

#include <WardParser.h>

#include <set>

namespace ward::parse {

/// The byte text of `token` in `source` (token indices are byte offsets).
llvm::StringRef tokenText(llvm::StringRef source, antlr4::Token *token);
SourceRange tokenRange(FileID file, antlr4::Token *token);
SourceRange contextRange(FileID file, antlr4::ParserRuleContext *ctx);

/// Error strategy that reports syntax errors as Ward diagnostics in plain
/// words ("expected `}` to close `edgeworker api` opened at 3:1").
std::shared_ptr<antlr4::DefaultErrorStrategy> makeErrorStrategy(const SourceManager &sm, FileID file,
                                                                DiagnosticEngine &diags, unsigned maxErrors,
                                                                unsigned &errorCount);

/// Keywords the `name` rule also accepts.
const std::set<size_t> &softKeywords();
/// Keywords that start a top-level declaration.
const std::set<size_t> &declarationKeywords();
/// Mends two shapes of mistake before parsing, so that each is one error
/// instead of a cascade: a declaration that starts at the beginning of a line
/// while a block is still open (a `}` forgotten mid-file; closers are
/// inserted before it) and a top-level construct written inside a block (its
/// tokens are set aside). Returns the number of errors reported.
class RepairableTokenStream : public antlr4::CommonTokenStream {
public:
  using antlr4::CommonTokenStream::CommonTokenStream;
  /// Inserts a synthetic token before the token at `index` (after fill()).
  void insertBefore(size_t index, std::unique_ptr<antlr4::Token> token);
};
/// What the structure repair does at a declaration keyword that starts a line
/// and is followed by a name while a bracket is open: at column 0 it closes
/// the open blocks (a `}` was forgotten); elsewhere, but for `retry` (also a
/// route action's word) and `import`, it sets the construct aside.
enum class StructureRepair { None, CloseBlocks, SetAside };
StructureRepair repairAt(size_t keywordType, bool atColumnZero);
/// `all` is the stream's tokens as lexed; `tokens` receives the insertions.
unsigned repairStructure(const SourceManager &sm, FileID file, RepairableTokenStream &tokens,
                         const std::vector<antlr4::Token *> &all, DiagnosticEngine &diags);
/// A file that parsed without an error, as the formatter sees it: the
/// parse tree and every token, comments included, in source order.
struct ParseTreeView {
  grammar::WardParser::FileContext *tree;
  const std::vector<antlr4::Token *> &tokens;
};
/// parseFile, and `visit` with the parse tree when the file has no error
/// (the tree lives only during the call).
std::unique_ptr<SourceFile> parseFileWithTree(const SourceManager &sm, FileID file, DiagnosticEngine &diags,
                                              const ParseOptions &options,
                                              llvm::function_ref<void(const ParseTreeView &)> visit);

/// `// ward-ignore W004, W006: reason` in the comment `text` at `range`, if it is one.
void collectSuppression(llvm::StringRef text, SourceRange range, std::vector<Suppression> &out);
/// A NUMBER or QUANTITY token's value: its text, magnitude and unit.
Value numberValue(llvm::StringRef text, SourceRange range, bool withUnit);

/// The fast path (FastParser.cpp): parses a file free of lexical and syntax
/// errors into `out`'s imports, declarations and suppressions, reporting
/// nothing (`complete`). On anything else the ANTLR parser parses the file
/// and reports what is wrong; when the file is lexically clean and the doubt
/// comes after two or more whole top-level constructs, `out` holds all of
/// them but the last, and the ANTLR parser need only start at `resumeAt`,
/// the offset of that last one (its decisions and errors from there on are
/// those of a parse of the whole file).
struct FastParse {
  bool complete = false;
  uint32_t resumeAt = 0; // 0: parse the whole file
  unsigned parts = 1;    // how many parts a complete parse was made in, in parallel
};
FastParse parseFast(llvm::StringRef text, FileID file, const ParseOptions &options, SourceFile &out);

/// Builds the AST of a parsed file: every declaration that parsed whole
/// (no recovery inside, no error at one of `errorOffsets` in its range);
/// the others go to `out.brokenDecls`.
void buildAst(const SourceManager &sm, FileID file, grammar::WardParser::FileContext *tree, SourceFile &out,
              DiagnosticEngine &diags, const std::vector<uint32_t> &errorOffsets);

} // namespace ward::parse
