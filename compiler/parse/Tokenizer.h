//===- Tokenizer.h - Bytes to ANTLR tokens, quickly --------------*- C++ -*-===//
//
// The lexer rules of grammar/Ward.g4 are the specification of Ward's tokens.
// ANTLR's generated C++ lexer implements them at about 16 MB/s, which made
// lexing the largest cost of `wardc check`; WardTokenizer implements the same
// rules by hand, several times faster. tests/unit/LexerTests.cpp runs both on
// every example, the standard library, a generated corpus and a set of edge
// cases and requires identical token streams (type, channel, offsets, line,
// column), so the grammar stays the single source of truth.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "parse/Scanner.h"

#include <antlr4-runtime.h>
#include <llvm/ADT/StringRef.h>

namespace ward::parse {

/// A CharStream over the source bytes, one symbol per byte, so that token
/// indices are byte offsets. A UTF-8 byte-order mark reads as three spaces.
class ByteCharStream : public antlr4::CharStream {
public:
  ByteCharStream(llvm::StringRef bytes, std::string name);
  void consume() override;
  size_t LA(ssize_t i) override;
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return pos_; }
  void seek(size_t index) override { pos_ = std::min(index, bytes_.size()); }
  size_t size() override { return bytes_.size(); }
  std::string getSourceName() const override { return name_; }
  std::string getText(const antlr4::misc::Interval &interval) override;
  std::string toString() const override { return bytes_.str(); }

private:
  llvm::StringRef bytes_;
  std::string name_;
  size_t pos_ = 0;
  bool bom_ = false;
};

// scanToken() and skipSpace(), which WardTokenizer and the fast parser
// share, are in Scanner.h.

/// Produces the tokens of Ward.g4's lexer rules from `input`'s bytes.
class WardTokenizer : public antlr4::TokenSource {
public:
  WardTokenizer(llvm::StringRef bytes, ByteCharStream *input);
  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() override { return column_; }
  antlr4::CharStream *getInputStream() override { return input_; }
  std::string getSourceName() override { return input_->getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override;

private:
  std::unique_ptr<antlr4::Token> make(size_t type, size_t length, size_t channel);
  void advance(size_t n);

  llvm::StringRef s_;
  ByteCharStream *input_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t column_ = 0;
};

} // namespace ward::parse
