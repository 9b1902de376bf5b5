#include "source/JsonCursor.h"
#include "source/ByteScan.h"
#include "source/Text.h"

#include <fmt/format.h>

#include <array>
#include <cstring>

namespace ward {

namespace {
// Containers nest on the reader's stack (skipValue recurses): a hostile file
// of a million `[` must stop with an error, not overflow it.
constexpr unsigned kMaxDepth = 256;

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

JsonCursor::JsonCursor(llvm::StringRef text) : text_(text) {
  if (std::optional<size_t> bad = findInvalidUtf8(text)) {
    at_ = *bad;
    fail("invalid UTF-8");
  }
}

bool JsonCursor::fail(const char *what) {
  if (error_.empty()) error_ = fmt::format("{} at byte {}", what, at_);
  at_ = text_.size();
  return false;
}

/// The bytes that end a run of plain text in a string: the closing quote,
/// a backslash, and control characters (an error).
static const std::array<bool, 256> kStringStop = [] {
  std::array<bool, 256> stop{};
  for (int c = 0; c < 0x20; ++c) stop[c] = true;
  stop['"'] = stop['\\'] = true;
  return stop;
}();

/// Where the run of plain string text starting at `from` ends: at the first
/// byte of kStringStop, or at the end. Eight bytes at a time, with the bit
/// tricks of "Bit Twiddling Hacks" (whether a word has a zero byte, or one
/// below n): the role definitions every check reads are a megabyte of
/// strings, most of them long descriptions.
static size_t plainRun(llvm::StringRef text, size_t from) {
  size_t at = from;
#if defined(WARD_HAS_BYTESCAN16)
  if (skipUntil16(text.data(), text.size(), at, [](__m128i bytes) {
        return _mm_or_si128(_mm_or_si128(bytesEqual(bytes, '"'), bytesEqual(bytes, '\\')), bytesAtMost(bytes, 0x1F));
      }))
    return at;
#endif
  for (; at + 8 <= text.size(); at += 8) {
    uint64_t w;
    std::memcpy(&w, text.data() + at, 8);
    if (wordHasByte(w, '"') || wordHasByte(w, '\\') || wordHasByteBelow(w, 0x20)) break;
  }
  while (at < text.size() && !kStringStop[static_cast<unsigned char>(text[at])]) ++at;
  return at;
}

void JsonCursor::skipSpace() {
  if (at_ >= text_.size() || !isJsonSpace(text_[at_])) return; // most calls: a token is next
  ++at_;
#if defined(WARD_HAS_BYTESCAN16)
  // Pretty-printed JSON (the role data) starts each line with a dozen
  // spaces: sixteen bytes a step.
  if (skipWhile16(text_.data(), text_.size(), at_, [](__m128i bytes) {
        return _mm_or_si128(_mm_or_si128(bytesEqual(bytes, ' '), bytesEqual(bytes, '\n')),
                            _mm_or_si128(bytesEqual(bytes, '\t'), bytesEqual(bytes, '\r')));
      }))
    return;
#endif
  while (at_ < text_.size() && isJsonSpace(text_[at_])) ++at_;
}

bool JsonCursor::expect(char c, const char *what) {
  skipSpace();
  if (at_ < text_.size() && text_[at_] == c) {
    ++at_;
    return true;
  }
  return fail(at_ >= text_.size() ? "unexpected end" : what);
}

JsonCursor::Kind JsonCursor::peek() {
  skipSpace();
  if (failed() || at_ >= text_.size()) return Kind::Invalid;
  char c = text_[at_];
  if (c == '{') return Kind::Object;
  if (c == '[') return Kind::Array;
  if (c == '"') return Kind::String;
  if (c == '-' || isDigit(c)) return Kind::Number;
  if (c == 't' || c == 'f' || c == 'n') return Kind::Literal;
  return Kind::Invalid;
}

bool JsonCursor::enter(char open, const char *what) {
  if (failed()) return false;
  if (depth_ == kMaxDepth) return fail("nested too deeply");
  if (!expect(open, what)) return false;
  ++depth_;
  first_ = true;
  return true;
}

bool JsonCursor::enterObject() { return enter('{', "expected '{'"); }
bool JsonCursor::enterArray() { return enter('[', "expected '['"); }

bool JsonCursor::more(char close, bool &another) {
  skipSpace();
  if (at_ < text_.size() && text_[at_] == close) {
    ++at_;
    --depth_;
    first_ = false; // the container just closed was a value of its parent
    another = false;
    return true;
  }
  if (!first_ && !expect(',', close == '}' ? "expected ',' or '}'" : "expected ',' or ']'")) return false;
  first_ = false;
  another = true;
  return true;
}

bool JsonCursor::nextKey(llvm::StringRef &key) {
  bool another = false;
  if (failed() || depth_ == 0 || !more('}', another) || !another) return false;
  skipSpace();
  if (at_ >= text_.size() || text_[at_] != '"') return fail("expected a key");
  return stringView(key, keyScratch_) && expect(':', "expected ':'");
}

bool JsonCursor::nextElement() {
  bool another = false;
  return !failed() && depth_ > 0 && more(']', another) && another;
}

bool JsonCursor::readString(std::string &out) {
  out.clear();
  if (peek() != Kind::String) return fail("expected a string");
  return string(&out);
}

bool JsonCursor::readString(llvm::StringRef &out, llvm::StringSaver &saver) {
  out = {};
  if (peek() != Kind::String) return fail("expected a string");
  std::string decoded;
  if (!stringView(out, decoded)) return false;
  if (out.data() == decoded.data()) out = saver.save(out);
  return true;
}

bool JsonCursor::stringView(llvm::StringRef &out, std::string &scratch) {
  size_t begin = at_ + 1, end = plainRun(text_, begin);
  if (end < text_.size() && text_[end] == '"') {
    out = text_.slice(begin, end);
    at_ = end + 1;
    return true;
  }
  // An escape, or an error that string() reports where it stands.
  scratch.clear();
  if (!string(&scratch)) return false;
  out = scratch;
  return true;
}

bool JsonCursor::hex4(unsigned &value) {
  value = 0;
  for (int i = 0; i < 4; ++i, ++at_) {
    if (at_ >= text_.size()) return fail("unterminated escape");
    char c = text_[at_];
    unsigned digit = isDigit(c)               ? c - '0'
                     : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                     : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                              : 16;
    if (digit == 16) return fail("expected four hex digits after \\u");
    value = value * 16 + digit;
  }
  return true;
}

bool JsonCursor::string(std::string *out) {
  ++at_; // the opening quote
  for (;;) {
    size_t run = plainRun(text_, at_);
    if (out) out->append(text_.data() + at_, run - at_);
    at_ = run;
    if (at_ >= text_.size()) return fail("unterminated string");
    char c = text_[at_++];
    if (c == '"') return true;
    if (c != '\\') {
      --at_;
      return fail("control character in a string");
    }
    if (at_ >= text_.size()) return fail("unterminated escape");
    char e = text_[at_++];
    unsigned cp = 0;
    switch (e) {
    case '"': cp = '"'; break;
    case '\\': cp = '\\'; break;
    case '/': cp = '/'; break;
    case 'b': cp = '\b'; break;
    case 'f': cp = '\f'; break;
    case 'n': cp = '\n'; break;
    case 'r': cp = '\r'; break;
    case 't': cp = '\t'; break;
    case 'u': {
      if (!hex4(cp)) return false;
      // A surrogate pair is one character; a lone surrogate is not one at
      // all, and becomes U+FFFD (RFC 8259 §8.2 leaves it to the reader).
      if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(at_).startswith("\\u")) {
        size_t pair = at_;
        at_ += 2;
        unsigned low = 0;
        if (!hex4(low)) return false;
        if (low >= 0xDC00 && low <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        else at_ = pair; // the next escape stands on its own
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      break;
    }
    default: --at_; return fail("unknown escape");
    }
    if (out) appendUtf8(*out, cp);
  }
}

bool JsonCursor::number() {
  // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  auto digits = [&] {
    size_t start = at_;
    while (at_ < text_.size() && isDigit(text_[at_])) ++at_;
    return at_ > start;
  };
  if (text_[at_] == '-') ++at_;
  if (at_ < text_.size() && text_[at_] == '0') ++at_;
  else if (!digits()) return fail("expected a digit");
  if (at_ < text_.size() && text_[at_] == '.') {
    ++at_;
    if (!digits()) return fail("expected a digit after '.'");
  }
  if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
    ++at_;
    if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) ++at_;
    if (!digits()) return fail("expected a digit in the exponent");
  }
  return true;
}

bool JsonCursor::literal(llvm::StringRef word) {
  if (!text_.substr(at_).startswith(word)) return fail("expected a value");
  at_ += word.size();
  return true;
}

bool JsonCursor::skipValue() {
  llvm::StringRef ignored;
  switch (peek()) {
  case Kind::Object:
    if (!enterObject()) return false;
    while (nextKey(ignored))
      if (!skipValue()) return false;
    return !failed();
  case Kind::Array:
    if (!enterArray()) return false;
    while (nextElement())
      if (!skipValue()) return false;
    return !failed();
  case Kind::String: return string(nullptr);
  case Kind::Number: return number();
  case Kind::Literal: return literal(text_[at_] == 't' ? "true" : text_[at_] == 'f' ? "false" : "null");
  case Kind::Invalid: return failed() ? false : fail(at_ >= text_.size() ? "unexpected end" : "expected a value");
  }
  return false;
}

bool JsonCursor::finish() {
  skipSpace();
  if (failed()) return false;
  if (depth_ != 0) return fail("unclosed container");
  if (at_ != text_.size()) return fail("unexpected text after the value");
  return true;
}

} // namespace ward
