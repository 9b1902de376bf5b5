//===- ParserInternals.h - Shared by the parse library's files ---*- C++ -*-===//
#pragma once

#include "ast/AST.h"
#include "diag/Diagnostic.h"

#include <WardParser.h>

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

/// Builds the AST of a successfully parsed file.
void buildAst(const SourceManager &sm, FileID file, grammar::WardParser::FileContext *tree, SourceFile &out,
              DiagnosticEngine &diags);

} // namespace ward::parse
