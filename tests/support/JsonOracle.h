//===- JsonOracle.h - llvm::json as the oracle for JsonCursor ---*- C++ -*-===//
//
// Shared by the unit test and the fuzz target that compare the two readers.
// llvm::json takes some numbers RFC 8259 does not (`01`, `1.`, `.5`, `+1`)
// and refuses repeated keys, which the RFC allows; for text that touches
// either, it is no oracle, and the comparison is left out. It also decodes
// an escaped surrogate pair for a code point from U+20000 up wrongly: LLVM
// 14 ORs 0x10000 into the code point where it must add it, so
// "\ud840\udc00" reads as U+10000, not U+20000. For text with such a pair
// only the decision to accept is compared, not the decoded string.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "source/JsonCursor.h"
#include "source/Text.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/JSON.h>

#include <cctype>
#include <optional>
#include <string>

namespace ward::test {

inline bool hasNumberLlvmJsonReadsLaxly(llvm::StringRef s) {
  auto digit = [&](size_t i) { return i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); };
  for (size_t i = 0; i < s.size(); ++i) {
    bool digitBefore = i > 0 && digit(i - 1);
    if (s[i] == '0' && digit(i + 1) && !digitBefore) return true;                     // 01
    if (s[i] == '.' && !(digitBefore && digit(i + 1))) return true;                   // 1. and .5
    if (s[i] == '+' && !(i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E'))) return true; // +1
  }
  return false;
}

struct JsonVerdict {
  bool accepted = false;
  std::optional<std::string> string; // the decoded value, when the text is one string
  bool stringKnown = true;           // false: the oracle's decoding is not to be trusted
  bool operator==(const JsonVerdict &o) const {
    return accepted == o.accepted && (!stringKnown || !o.stringKnown || string == o.string);
  }
};

/// What llvm::json makes of `text`, or nothing where it is no oracle.
inline std::optional<JsonVerdict> llvmJsonVerdict(llvm::StringRef text) {
  if (hasNumberLlvmJsonReadsLaxly(text)) return std::nullopt;
  llvm::Expected<llvm::json::Value> tree = llvm::json::parse(text);
  if (!tree) {
    std::string message = llvm::toString(tree.takeError());
    if (message.find("Duplicate key") != std::string::npos) return std::nullopt;
    return JsonVerdict{};
  }
  JsonVerdict verdict{true, std::nullopt};
  if (auto s = tree->getAsString()) verdict.string = s->str();
  verdict.stringKnown = !withAstralEscapesDecoded(text); // such a pair in a string: Text.h
  return verdict;
}

/// What JsonCursor makes of `text`.
inline JsonVerdict cursorVerdict(llvm::StringRef text) {
  JsonCursor json(text);
  if (json.peek() == JsonCursor::Kind::String) {
    std::string decoded;
    if (json.readString(decoded) && json.finish()) return {true, decoded};
    return {};
  }
  return {json.skipValue() && json.finish(), std::nullopt};
}

/// The same, with a string read as a view (of the text, or of a decoded
/// copy): the way the role catalogue reads.
inline JsonVerdict cursorViewVerdict(llvm::StringRef text) {
  JsonCursor json(text);
  if (json.peek() == JsonCursor::Kind::String) {
    llvm::BumpPtrAllocator arena;
    llvm::StringSaver saver(arena);
    llvm::StringRef decoded;
    if (json.readString(decoded, saver) && json.finish()) return {true, decoded.str()};
    return {};
  }
  return {json.skipValue() && json.finish(), std::nullopt};
}

} // namespace ward::test
