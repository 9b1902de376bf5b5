// The hand-written tokenizer produces exactly the tokens of the lexer ANTLR
// generates from grammar/Ward.g4, on any bytes.
#include "FuzzSupport.h"
#include "parse/Tokenizer.h"

#include <WardLexer.h>

namespace {

std::string tokensOf(antlr4::TokenSource &source) {
  std::string out;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = source.nextToken();
    out += std::to_string(t->getType()) + "@" + std::to_string(t->getChannel()) + " " +
           std::to_string(t->getStartIndex()) + ".." + std::to_string(t->getStopIndex()) + " " +
           std::to_string(t->getLine()) + ":" + std::to_string(t->getCharPositionInLine()) + "\n";
    if (t->getType() == antlr4::Token::EOF) return out;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  ward::parse::ByteCharStream a(text, "fuzz"), b(text, "fuzz");
  ward::grammar::WardLexer generated(&a);
  generated.removeErrorListeners();
  ward::parse::WardTokenizer tokenizer(text, &b);
  std::string expected = tokensOf(generated), actual = tokensOf(tokenizer);
  if (expected != actual) ward::fuzz::propertyFailed("tokenizer == generated lexer", expected, actual);
  return 0;
}
