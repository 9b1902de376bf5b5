#include "parse/Tokenizer.h"

#include <WardLexer.h>

#include <array>
#include <cassert>

namespace ward::parse {

using grammar::WardLexer;

ByteCharStream::ByteCharStream(llvm::StringRef bytes, std::string name)
    : bytes_(bytes), name_(std::move(name)), bom_(bytes.startswith("\xEF\xBB\xBF")) {}

void ByteCharStream::consume() {
  if (pos_ >= bytes_.size()) throw antlr4::IllegalStateException("cannot consume EOF");
  ++pos_;
}

size_t ByteCharStream::LA(ssize_t i) {
  // Same contract as ANTLRInputStream::LA.
  if (i == 0) return 0;
  ssize_t at = static_cast<ssize_t>(pos_) + (i > 0 ? i - 1 : i);
  if (at < 0 || at >= static_cast<ssize_t>(bytes_.size())) return antlr4::IntStream::EOF;
  if (bom_ && at < 3) return ' ';
  return static_cast<unsigned char>(bytes_[at]);
}

std::string ByteCharStream::getText(const antlr4::misc::Interval &interval) {
  if (interval.a < 0 || interval.b < interval.a) return "";
  size_t begin = static_cast<size_t>(interval.a), end = std::min(bytes_.size(), static_cast<size_t>(interval.b) + 1);
  return begin < end ? bytes_.slice(begin, end).str() : "";
}

namespace {

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
  Vocabulary() {
    ByteCharStream empty("", "");
    WardLexer lexer(&empty);
    const antlr4::dfa::Vocabulary &vocab = lexer.getVocabulary();
    for (size_t type = 1; type <= vocab.getMaxTokenType(); ++type) {
      std::string literal = vocab.getLiteralName(type);
      if (literal.size() < 3 || literal.front() != '\'') continue;
      std::string text = literal.substr(1, literal.size() - 2);
      if (std::isalpha(static_cast<unsigned char>(text[0]))) keywords.add(text, type);
      else if (text.size() == 1) punctuation[static_cast<unsigned char>(text[0])] = type;
    }
  }
};

const Vocabulary &vocabulary() {
  static const Vocabulary kVocabulary;
  return kVocabulary;
}

/// The lexer's character classes, one table lookup per byte: a large policy
/// is tens of megabytes, nearly all of it names, strings and spaces.
enum CharClass : uint8_t {
  kSpace = 1,       // WS: [ \t\r\n\f]
  kDigit = 2,       // [0-9]
  kLetter = 4,      // [a-zA-Z]
  kIdentPart = 8,   // [a-zA-Z0-9_-]: inside an IDENT
  kStringStop = 16, // ["\\\r\n]: ends a STRING's plain run
};
constexpr std::array<uint8_t, 256> kCharClasses = [] {
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
bool is(char c, CharClass cls) { return kCharClasses[static_cast<unsigned char>(c)] & cls; }
bool isDigit(char c) { return is(c, kDigit); }
bool isLetter(char c) { return is(c, kLetter); }

} // namespace

WardTokenizer::WardTokenizer(llvm::StringRef bytes, ByteCharStream *input) : s_(bytes), input_(input) {
  vocabulary(); // build before the first token, outside any hot loop
}

antlr4::TokenFactory<antlr4::CommonToken> *WardTokenizer::getTokenFactory() {
  return antlr4::CommonTokenFactory::DEFAULT.get();
}

void WardTokenizer::advance(size_t n) {
  for (size_t end = pos_ + n; pos_ < end; ++pos_) {
    if (s_[pos_] == '\n') {
      ++line_;
      column_ = 0;
    } else {
      ++column_;
    }
  }
}

std::unique_ptr<antlr4::Token> WardTokenizer::make(size_t type, size_t length, size_t channel) {
  auto token =
      std::make_unique<antlr4::CommonToken>(std::make_pair(this, input_), type, channel, pos_, pos_ + length - 1);
  token->setLine(line_);
  token->setCharPositionInLine(column_);
  advance(length);
  return token;
}

namespace {

// STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;  UNTERMINATED_STRING: the same without the closing quote.
size_t scanString(llvm::StringRef s_, size_t pos_, size_t &type) {
  size_t i = pos_ + 1;
  while (i < s_.size()) {
    char c = s_[i];
    if (!is(c, kStringStop)) {
      ++i;
      continue;
    }
    if (c == '"') {
      type = WardLexer::STRING;
      return i + 1 - pos_;
    }
    if (c == '\r' || c == '\n') break;
    if (c == '\\') {
      if (i + 1 >= s_.size() || s_[i + 1] == '\r' || s_[i + 1] == '\n') break;
      i += 2;
      continue;
    }
  }
  type = WardLexer::UNTERMINATED_STRING;
  return i - pos_;
}

// QUANTITY : DIGITS ('.' DIGITS)? ([a-zA-Z]+ | '%') ;  NUMBER : DIGITS ('.' DIGITS)? ;
size_t scanNumber(llvm::StringRef s_, size_t pos_, size_t &type) {
  size_t i = pos_;
  while (i < s_.size() && isDigit(s_[i])) ++i;
  if (i + 1 < s_.size() && s_[i] == '.' && isDigit(s_[i + 1])) {
    ++i;
    while (i < s_.size() && isDigit(s_[i])) ++i;
  }
  type = WardLexer::NUMBER;
  if (i < s_.size() && isLetter(s_[i])) {
    while (i < s_.size() && isLetter(s_[i])) ++i;
    type = WardLexer::QUANTITY;
  } else if (i < s_.size() && s_[i] == '%') {
    ++i;
    type = WardLexer::QUANTITY;
  }
  return i - pos_;
}

// IDENT : [a-zA-Z_] ([a-zA-Z0-9_-]* [a-zA-Z0-9_])? ; keywords win on equal length.
size_t scanIdentifier(llvm::StringRef s_, size_t pos_, size_t &type) {
  size_t i = pos_ + 1;
  while (i < s_.size() && is(s_[i], kIdentPart)) ++i;
  while (s_[i - 1] == '-') --i; // a name does not end with `-`
  llvm::StringRef text = s_.slice(pos_, i);
  size_t keyword = vocabulary().keywords.find(text);
  type = keyword != 0 ? keyword : static_cast<size_t>(WardLexer::IDENT);
  return i - pos_;
}

} // namespace

size_t skipSpace(llvm::StringRef s, size_t pos) {
  // WS : [ \t\r\n\f]+ -> skip ; a byte-order mark reads as spaces.
  if (pos < 3 && s.startswith("\xEF\xBB\xBF")) pos = 3;
  while (pos < s.size() && is(s[pos], kSpace)) ++pos;
  return pos;
}

ScannedToken scanToken(llvm::StringRef s, size_t pos) {
  char c = s[pos];
  size_t type = 0, length = 1;
  if (c == '"') {
    length = scanString(s, pos, type);
  } else if (isDigit(c)) {
    length = scanNumber(s, pos, type);
  } else if (isLetter(c) || c == '_') {
    length = scanIdentifier(s, pos, type);
  } else if (c == '/' && pos + 1 < s.size() && s[pos + 1] == '/') {
    // LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
    size_t end = s.find_first_of("\r\n", pos);
    return {WardLexer::LINE_COMMENT, (end == llvm::StringRef::npos ? s.size() : end) - pos, true};
  } else if (c == '/' && pos + 1 < s.size() && s[pos + 1] == '*') {
    // BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN) ;
    size_t end = s.find("*/", pos + 2);
    return {WardLexer::BLOCK_COMMENT, (end == llvm::StringRef::npos ? s.size() : end + 2) - pos, true};
  } else if (static_cast<unsigned char>(c) < 128 && vocabulary().punctuation[static_cast<unsigned char>(c)]) {
    type = vocabulary().punctuation[static_cast<unsigned char>(c)];
  } else {
    type = WardLexer::UNEXPECTED_CHAR;
  }
  return {type, length, false};
}

std::unique_ptr<antlr4::Token> WardTokenizer::nextToken() {
  size_t start = skipSpace(s_, pos_);
  advance(start - pos_);
  if (pos_ >= s_.size()) {
    auto eof = std::make_unique<antlr4::CommonToken>(std::make_pair(this, input_), antlr4::Token::EOF,
                                                     antlr4::Token::DEFAULT_CHANNEL, s_.size(), s_.size() - 1);
    eof->setLine(line_);
    eof->setCharPositionInLine(column_);
    return eof;
  }
  ScannedToken t = scanToken(s_, pos_);
  return make(t.type, t.length, t.hidden ? antlr4::Token::HIDDEN_CHANNEL : antlr4::Token::DEFAULT_CHANNEL);
}

} // namespace ward::parse
