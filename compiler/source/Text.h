//===- Text.h - Small text utilities shared by every stage ------*- C++ -*-===//
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/JSON.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace ward {

/// Offset of the first byte that is not valid UTF-8, if any.
std::optional<size_t> findInvalidUtf8(llvm::StringRef bytes);

/// A malformed escape in a string literal's body: where it starts and ends
/// (byte offsets into the body) and whether it is a `\u{...}`.
struct BadEscape {
  size_t begin, end;
  bool unicode;
};
/// Appends code point `cp` (at most U+10FFFF, not a surrogate) in UTF-8.
void appendUtf8(std::string &out, uint32_t cp);
/// The value of a Ward string literal's body (between the quotes): escapes
/// `\" \\ \/ \n \r \t \u{hex}` decoded. A malformed escape goes to `bad`
/// and adds nothing.
std::string decodeStringBody(llvm::StringRef body, llvm::function_ref<void(const BadEscape &)> bad);
/// A string literal, quotes included, whose value is `value`, escaping only
/// what must be: `"`, `\`, and control characters.
std::string encodeStringLiteral(llvm::StringRef value);

/// The parts joined, in one allocation. For texts made once per declaration
/// or attribute of a large policy: llvm::Twine's str() goes through a stream
/// and costs several times more.
inline std::string concat(std::initializer_list<llvm::StringRef> parts) {
  size_t size = 0;
  for (llvm::StringRef part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (llvm::StringRef part : parts) out.append(part.data(), part.size());
  return out;
}

/// The candidates closest to `word` by edit distance (case-insensitive),
/// best first, at most `limit`; only those close enough to be a plausible typo.
std::vector<std::string> closestNames(llvm::StringRef word, llvm::ArrayRef<std::string> candidates, size_t limit = 1);

/// ASCII case-insensitive equality, as StringRef::equals_insensitive gives
/// it, but inline and byte by byte, lowering only bytes that differ: Azure
/// names and actions compare without case, nearly always spelled alike, and
/// the rules compare every need against every grant.
inline bool equalsIgnoringCase(llvm::StringRef a, llvm::StringRef b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && llvm::toLower(a[i]) != llvm::toLower(b[i])) return false;
  return true;
}
inline bool startsWithIgnoringCase(llvm::StringRef text, llvm::StringRef prefix) {
  return text.size() >= prefix.size() && equalsIgnoringCase(text.take_front(prefix.size()), prefix);
}
inline bool endsWithIgnoringCase(llvm::StringRef text, llvm::StringRef suffix) {
  return text.size() >= suffix.size() && equalsIgnoringCase(text.take_back(suffix.size()), suffix);
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
std::string joinAlternatives(llvm::ArrayRef<std::string> items, llvm::StringRef conjunction = "or");

/// A short, printable rendering of arbitrary user text for messages: control
/// characters escaped, long text elided in the middle.
std::string quoteForMessage(llvm::StringRef text, size_t maxChars = 40);

/// llvm::json::parse for files users hand us (ward.json, key sets): documents
/// nested deeper than `maxDepth` are refused first, because the parser
/// recurses once per level and a megabyte of `[` would overflow the stack.
/// `path` relative to the directory `base`, with `/` separators and `..`
/// where it lies outside; relative inputs are taken from the current
/// directory. For import hints and SARIF URIs.
std::string relativePath(llvm::StringRef path, llvm::StringRef base);

llvm::Expected<llvm::json::Value> parseJsonBounded(llvm::StringRef text, unsigned maxDepth = 64);

} // namespace ward
