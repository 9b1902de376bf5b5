//===- Scanner.h - Ward.g4's lexer rules, by hand and inline -------*- C++ -*-===//
//
// Which token starts at a position: the scanning half of the tokenizer
// (Tokenizer.h), shared by WardTokenizer and the fast parser's lexing loop.
// In a header so that the loop inlines it: a call per token was a fifth of
// the cost of lexing. tests/unit/LexerTests.cpp compares the tokens with the
// generated lexer's.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "source/ByteScan.h"

#include <WardLexer.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Compiler.h>

#include <array>
#include <cassert>
#include <cstdint>
#include <string>

namespace ward::parse {

/// A token of Ward.g4's lexer rules: its type (WardLexer's), its length in
/// bytes, and whether it goes to the hidden channel (comments).
struct ScannedToken {
  size_t type, length;
  bool hidden;
};

/// Keywords by a hash of their length and first and last letters: an
/// identifier costs a probe or two and one comparison, not a hash over all
/// its bytes (a large policy has millions of identifiers).
class KeywordTable {
public:
  void add(std::string text, size_t type) {
    size_t at = slotOf(text);
    while (slots_[at].type != 0) at = (at + 1) % kSlots;
    slots_[at] = {std::move(text), type};
    assert(++count_ < kSlots / 2 && "the table has room to spare, so probes stay short");
  }
  /// The keyword's token type, or 0 when `text` is not a keyword.
  size_t find(llvm::StringRef text) const {
    for (size_t at = slotOf(text);; at = (at + 1) % kSlots) {
      const Slot &slot = slots_[at];
      if (slot.type == 0 || slot.text == text) return slot.type;
    }
  }

private:
  static constexpr size_t kSlots = 256;
  static size_t slotOf(llvm::StringRef text) {
    if (text.empty()) return 0;
    return (text.size() * 31 + static_cast<unsigned char>(text.front()) * 7 +
            static_cast<unsigned char>(text.back()) * 3) %
           kSlots;
  }
  struct Slot {
    std::string text;
    size_t type = 0; // 0: empty
  };
  std::array<Slot, kSlots> slots_;
  size_t count_ = 0;
};

/// Keyword and punctuation token types, read from the generated lexer's
/// vocabulary so that they cannot drift from Ward.g4.
struct Vocabulary {
  KeywordTable keywords;
  size_t punctuation[128] = {};
  Vocabulary(); // from the generated lexer (Tokenizer.cpp)
};
/// Built on first use; WardTokenizer's constructor builds it before any hot loop.
const Vocabulary &vocabulary();

namespace lexing {

/// The lexer's character classes, one table lookup per byte: a large policy
/// is tens of megabytes, nearly all of it names, strings and spaces.
enum CharClass : uint8_t {
  kSpace = 1,       // WS: [ \t\r\n\f]
  kDigit = 2,       // [0-9]
  kLetter = 4,      // [a-zA-Z]
  kIdentPart = 8,   // [a-zA-Z0-9_-]: inside an IDENT
  kStringStop = 16, // ["\\\r\n]: ends a STRING's plain run
};
inline constexpr std::array<uint8_t, 256> kCharClasses = [] {
  std::array<uint8_t, 256> table{};
  for (char c : {' ', '\t', '\r', '\n', '\f'}) table[static_cast<unsigned char>(c)] |= kSpace;
  for (int c = '0'; c <= '9'; ++c) table[c] |= kDigit | kIdentPart;
  for (int c = 'a'; c <= 'z'; ++c) table[c] |= kLetter | kIdentPart;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] |= kLetter | kIdentPart;
  table['_'] |= kIdentPart;
  table['-'] |= kIdentPart;
  for (char c : {'"', '\\', '\r', '\n'}) table[static_cast<unsigned char>(c)] |= kStringStop;
  return table;
}();
inline bool is(char c, CharClass cls) { return kCharClasses[static_cast<unsigned char>(c)] & cls; }
inline bool isDigit(char c) { return is(c, kDigit); }
inline bool isLetter(char c) { return is(c, kLetter); }

/// The first position at or after `i` that is not [a-zA-Z0-9_-] (IDENT's
/// inner bytes). Sixteen bytes a step where sixteen are left: a policy's
/// names (`orders-api-reader`, `rg-orders-prod`) are long.
inline size_t identifierPartEnd(llvm::StringRef s, size_t i) {
#if defined(WARD_HAS_BYTESCAN16)
  bool stopped = skipWhile16(s.data(), s.size(), i, [](__m128i bytes) {
    __m128i lower = _mm_or_si128(bytes, _mm_set1_epi8(0x20)); // 'A'..'Z' to 'a'..'z'; digits keep their value
    return _mm_or_si128(_mm_or_si128(bytesWithin(lower, 'a', 'z'), bytesWithin(bytes, '0', '9')),
                        _mm_or_si128(bytesEqual(bytes, '_'), bytesEqual(bytes, '-')));
  });
  if (stopped) return i;
#endif
  while (i < s.size() && is(s[i], kIdentPart)) ++i;
  return i;
}

/// The first position at or after `i` that holds one of ["\\\r\n] (what ends
/// a STRING's plain run), or the end of `s`.
inline size_t stringRunEnd(llvm::StringRef s, size_t i) {
#if defined(WARD_HAS_BYTESCAN16)
  bool stopped = skipUntil16(s.data(), s.size(), i, [](__m128i bytes) {
    return _mm_or_si128(_mm_or_si128(bytesEqual(bytes, '"'), bytesEqual(bytes, '\\')),
                        _mm_or_si128(bytesEqual(bytes, '\r'), bytesEqual(bytes, '\n')));
  });
  if (stopped) return i;
#endif
  while (i < s.size() && !is(s[i], kStringStop)) ++i;
  return i;
}

// STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;  UNTERMINATED_STRING: the same without the closing quote.
inline size_t scanString(llvm::StringRef s_, size_t pos_, size_t &type) {
  size_t i = pos_ + 1;
  while ((i = stringRunEnd(s_, i)) < s_.size()) {
    char c = s_[i];
    if (c == '"') {
      type = grammar::WardLexer::STRING;
      return i + 1 - pos_;
    }
    if (c == '\r' || c == '\n') break;
    if (c == '\\') {
      if (i + 1 >= s_.size() || s_[i + 1] == '\r' || s_[i + 1] == '\n') break;
      i += 2;
      continue;
    }
  }
  type = grammar::WardLexer::UNTERMINATED_STRING;
  return i - pos_;
}

// QUANTITY : DIGITS ('.' DIGITS)? ([a-zA-Z]+ | '%') ;  NUMBER : DIGITS ('.' DIGITS)? ;
inline size_t scanNumber(llvm::StringRef s_, size_t pos_, size_t &type) {
  size_t i = pos_;
  while (i < s_.size() && isDigit(s_[i])) ++i;
  if (i + 1 < s_.size() && s_[i] == '.' && isDigit(s_[i + 1])) {
    ++i;
    while (i < s_.size() && isDigit(s_[i])) ++i;
  }
  type = grammar::WardLexer::NUMBER;
  if (i < s_.size() && isLetter(s_[i])) {
    while (i < s_.size() && isLetter(s_[i])) ++i;
    type = grammar::WardLexer::QUANTITY;
  } else if (i < s_.size() && s_[i] == '%') {
    ++i;
    type = grammar::WardLexer::QUANTITY;
  }
  return i - pos_;
}

// IDENT : [a-zA-Z_] ([a-zA-Z0-9_-]* [a-zA-Z0-9_])? ; keywords win on equal length.
inline size_t scanIdentifier(llvm::StringRef s_, size_t pos_, size_t &type, const Vocabulary &vocab) {
  size_t i = identifierPartEnd(s_, pos_ + 1);
  while (s_[i - 1] == '-') --i; // a name does not end with `-`
  llvm::StringRef text = s_.slice(pos_, i);
  size_t keyword = vocab.keywords.find(text);
  type = keyword != 0 ? keyword : static_cast<size_t>(grammar::WardLexer::IDENT);
  return i - pos_;
}

} // namespace lexing

/// The first position at or after `pos` that is not whitespace (WS, or a
/// byte-order mark at the start).
inline size_t skipSpace(llvm::StringRef s, size_t pos) {
  using namespace lexing;
  // WS : [ \t\r\n\f]+ -> skip ; a byte-order mark reads as spaces.
  if (pos < 3 && s.startswith("\xEF\xBB\xBF")) pos = 3;
  while (pos < s.size() && is(s[pos], kSpace)) ++pos;
  return pos;
}

/// The token of Ward.g4's lexer rules that starts at `pos` (not whitespace):
/// its type (WardLexer's), its length in bytes, and whether it goes to the
/// hidden channel (comments). WardTokenizer and the fast parser share it.
LLVM_ATTRIBUTE_ALWAYS_INLINE ScannedToken scanToken(llvm::StringRef s, size_t pos, const Vocabulary &vocab) {
  using namespace lexing;
  char c = s[pos];
  size_t type = 0, length = 1;
  if (c == '"') {
    length = scanString(s, pos, type);
  } else if (isDigit(c)) {
    length = scanNumber(s, pos, type);
  } else if (isLetter(c) || c == '_') {
    length = scanIdentifier(s, pos, type, vocab);
  } else if (c == '/' && pos + 1 < s.size() && s[pos + 1] == '/') {
    // LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
    size_t end = s.find_first_of("\r\n", pos);
    return {grammar::WardLexer::LINE_COMMENT, (end == llvm::StringRef::npos ? s.size() : end) - pos, true};
  } else if (c == '/' && pos + 1 < s.size() && s[pos + 1] == '*') {
    // BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN) ;
    size_t end = s.find("*/", pos + 2);
    return {grammar::WardLexer::BLOCK_COMMENT, (end == llvm::StringRef::npos ? s.size() : end + 2) - pos, true};
  } else if (static_cast<unsigned char>(c) < 128 && vocab.punctuation[static_cast<unsigned char>(c)]) {
    type = vocab.punctuation[static_cast<unsigned char>(c)];
  } else {
    type = grammar::WardLexer::UNEXPECTED_CHAR;
  }
  return {type, length, false};
}
inline ScannedToken scanToken(llvm::StringRef s, size_t pos) { return scanToken(s, pos, vocabulary()); }

} // namespace ward::parse
