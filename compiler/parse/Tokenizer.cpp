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

Vocabulary::Vocabulary() {
  // The grammar's fixed spellings, tabulated at build time (no lexer, and
  // no ATN, is built here: see grammar/GrammarTables.cpp).
  auto add = [&](const std::string &text, size_t type) {
    if (std::isalpha(static_cast<unsigned char>(text[0]))) keywords.add(text, type);
    else if (text.size() == 1) punctuation[static_cast<unsigned char>(text[0])] = type;
  };
#define WARD_LITERAL(token, text) add(text, WardLexer::token);
#include "GrammarTables.inc"
}

const Vocabulary &vocabulary() {
  static const Vocabulary kVocabulary;
  return kVocabulary;
}

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
