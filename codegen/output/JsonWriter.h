//===- JsonWriter.h - Deterministic JSON text -------------------*- C++ -*-===//
//
// The one writer of generated JSON (and of every policy value that reaches
// JavaScript): object keys sorted, numbers in their shortest round-trip form
// (`0.1`, not `0.10000000000000001`), strings escaped so that the text is
// also safe inside JavaScript source — U+2028 and U+2029 are escaped too.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/Support/JSON.h>

#include <string>

namespace ward::codegen {

/// `"..."` with JSON escapes plus \u2028 and \u2029.
std::string quoteJsonString(llvm::StringRef text);
/// The same, appended to `out`.
void appendJsonString(std::string &out, llvm::StringRef text);
/// Pretty-printed with two-space indentation and a final newline.
std::string writeJson(const llvm::json::Value &value);
/// The same text without the final newline, as if nested `indent` levels
/// deep: for embedding a value into generated JavaScript.
std::string writeJsonNested(const llvm::json::Value &value, unsigned indent);

} // namespace ward::codegen
