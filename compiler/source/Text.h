//===- Text.h - Small text utilities shared by every stage ------*- C++ -*-===//
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/DenseMapInfo.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/JSON.h>

#include <cstdint>
#include <cstring>
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
  if (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0) return true; // spelled alike: most often
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

/// Eight bytes at a time ("Bit Twiddling Hacks"): the shared constants, and
/// the tests for a byte, which are exact for "any of the eight".
inline constexpr uint64_t kEveryByte = 0x0101010101010101ull, kEveryHighBit = 0x8080808080808080ull;
/// Whether any of the eight bytes of `word` is below `bound` (at most 0x80).
inline bool wordHasByteBelow(uint64_t word, unsigned char bound) {
  return (word - kEveryByte * bound) & ~word & kEveryHighBit;
}
/// Whether any of the eight bytes of `word` is `byte`.
inline bool wordHasByte(uint64_t word, unsigned char byte) { return wordHasByteBelow(word ^ (kEveryByte * byte), 1); }
/// Calls `visit` with each eight bytes of `text` in turn, the last ones
/// padded with zero bytes.
template <typename Visit> void forEachWord(llvm::StringRef text, Visit visit) {
  size_t at = 0;
  for (uint64_t word; at + 8 <= text.size(); at += 8) {
    std::memcpy(&word, text.data() + at, 8);
    visit(word);
  }
  if (at < text.size()) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + at, text.size() - at);
    visit(word);
  }
}

/// Keys of an llvm::DenseMap or DenseSet of texts compared without case (as
/// equalsIgnoringCase), hashed as they stand: no lowered copy is made to
/// look one up, and eight bytes are hashed at a time.
struct IgnoringCaseInfo {
  static llvm::StringRef getEmptyKey() { return llvm::DenseMapInfo<llvm::StringRef>::getEmptyKey(); }
  static llvm::StringRef getTombstoneKey() { return llvm::DenseMapInfo<llvm::StringRef>::getTombstoneKey(); }
  static unsigned getHashValue(llvm::StringRef text) {
    // Each byte with 0x20 set: capitals and their small letters alike, which
    // is all equalsIgnoringCase forgives (that it also joins `@` and `` ` ``
    // costs a comparison on a rare collision, not a wrong answer). Cheaper
    // than lowering; the catalogue hashes tens of thousands of actions on
    // every start.
    constexpr uint64_t kFoldCase = 0x2020202020202020ull;
    uint64_t hash = text.size() * 0x9E3779B97F4A7C15ull;
    auto mix = [&](uint64_t word) {
      hash = (hash ^ (word | kFoldCase)) * 0xFF51AFD7ED558CCDull;
      hash ^= hash >> 29;
    };
    const char *bytes = text.data();
    size_t size = text.size(), at = 0;
    uint64_t word;
    for (; at + 8 <= size; at += 8) {
      std::memcpy(&word, bytes + at, 8);
      mix(word);
    }
    if (at < size) {
      // The last eight bytes again, overlapping, where the text has eight:
      // one load, not a copy of the few left.
      word = 0;
      if (size >= 8) std::memcpy(&word, bytes + size - 8, 8);
      else
        for (size_t i = 0; i < size; ++i) word |= uint64_t(static_cast<unsigned char>(bytes[i])) << (8 * i);
      mix(word);
    }
    // A last round, so that a DenseSet's bucket (the low bits) depends on
    // every byte: overlapping tails and folded case alone left many
    // near-identical actions in the same buckets.
    hash ^= hash >> 32;
    hash *= 0xFF51AFD7ED558CCDull;
    return static_cast<unsigned>(hash ^ (hash >> 29));
  }
  static bool isEqual(llvm::StringRef a, llvm::StringRef b) {
    // The empty and tombstone keys are told apart by where they point.
    if (isSpecial(a) || isSpecial(b)) return a.data() == b.data();
    return equalsIgnoringCase(a, b);
  }

private:
  static bool isSpecial(llvm::StringRef k) {
    return k.data() == getEmptyKey().data() || k.data() == getTombstoneKey().data();
  }
};

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
std::string joinAlternatives(llvm::ArrayRef<std::string> items, llvm::StringRef conjunction = "or");

/// A short, printable rendering of arbitrary user text for messages: control
/// characters escaped, long text elided in the middle.
std::string quoteForMessage(llvm::StringRef text, size_t maxChars = 40);

/// `path` relative to the directory `base`, with `/` separators and `..`
/// where it lies outside; relative inputs are taken from the current
/// directory. For import hints and SARIF URIs.
std::string relativePath(llvm::StringRef path, llvm::StringRef base);

/// llvm::json::parse for files users hand us (ward.json, key sets): documents
/// nested deeper than `maxDepth` are refused first, because the parser
/// recurses once per level and a megabyte of `[` would overflow the stack.
/// Escaped surrogate pairs are decoded as withAstralEscapesDecoded says.
llvm::Expected<llvm::json::Value> parseJsonBounded(llvm::StringRef text, unsigned maxDepth = 64);

/// llvm::json::parse, with escaped surrogate pairs decoded as
/// withAstralEscapesDecoded says: for JSON whose depth is bounded otherwise
/// (a language-server message).
llvm::Expected<llvm::json::Value> parseJson(llvm::StringRef text);

/// `json` with each escaped surrogate pair for a code point from U+20000 up
/// (`\uD840\uDC00` to `\uDBFF\uDFFF`) written out in UTF-8, or nothing
/// when it has none (the usual case: no copy is made). LLVM 14's llvm::json
/// ORs 0x10000 into such a pair's code point where UTF-16 adds it, and so
/// reads U+20000 as U+10000; raw UTF-8 it reads right. Escapes are read as
/// JSON reads them (`\\u` is a backslash, then `u`), and only in strings.
std::optional<std::string> withAstralEscapesDecoded(llvm::StringRef json);

} // namespace ward
