//===- Printers.h - Render diagnostics for people and machines --*- C++ -*-===//
#pragma once

#include "diag/Diagnostic.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace ward {

/// clang/rustc-style text: `file:line:col: error[E0204]: message`, the source
/// line with carets under the range, labelled notes, then `help:`.
/// Colours are used when `os` has colours enabled.
void printText(llvm::raw_ostream &os, const SourceManager &sm, const DiagnosticList &diags);
void printSummary(llvm::raw_ostream &os, const DiagnosticEngine &engine);

/// One JSON document (schema: docs/diagnostics-json.md).
llvm::json::Value diagnosticsToJson(const SourceManager &sm, const DiagnosticEngine &engine);
/// A location object of that schema; shared with other machine printers.
llvm::json::Object locationToJson(const SourceManager &sm, SourceRange range);

} // namespace ward
