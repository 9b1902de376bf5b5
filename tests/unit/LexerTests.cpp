// WardTokenizer must produce exactly the tokens of the lexer ANTLR generates
// from grammar/Ward.g4: same types, channels, byte offsets, lines and columns.
#include "TestSupport.h"
#include "parse/Tokenizer.h"

#include <WardLexer.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <catch2/catch.hpp>

#include <random>

using namespace ward;
using namespace ward::test;

namespace {

std::vector<std::string> tokensOf(antlr4::TokenSource &source) {
  std::vector<std::string> out;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = source.nextToken();
    out.push_back(std::to_string(t->getType()) + "@" + std::to_string(t->getChannel()) + " " +
                  std::to_string(t->getStartIndex()) + ".." + std::to_string(t->getStopIndex()) + " " +
                  std::to_string(t->getLine()) + ":" + std::to_string(t->getCharPositionInLine()));
    if (t->getType() == antlr4::Token::EOF) return out;
  }
}

void requireSameTokens(const std::string &text, const std::string &what) {
  INFO(what);
  parse::ByteCharStream a(text, what), b(text, what);
  grammar::WardLexer generated(&a);
  generated.removeErrorListeners();
  parse::WardTokenizer tokenizer(text, &b);
  std::vector<std::string> expected = tokensOf(generated), actual = tokensOf(tokenizer);
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("token " << i);
    REQUIRE(actual[i] == expected[i]);
  }
}

void addWardFiles(const std::string &dir, std::vector<std::string> &out) {
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".ward" || llvm::sys::path::extension(it->path()) == ".md")
      out.push_back(it->path());
}

} // namespace

TEST_CASE("the tokenizer matches the generated lexer on every policy in the repository", "[lexer]") {
  std::vector<std::string> files;
  for (const char *dir : {"examples", "stdlib", "docs", "tests/sarif"}) addWardFiles(sourceDir() + "/" + dir, files);
  REQUIRE(files.size() > 40);
  for (const std::string &file : files) requireSameTokens(readFile(file), file);
}

TEST_CASE("the tokenizer matches the generated lexer on edge cases", "[lexer]") {
  const char *cases[] = {
      "",
      "   \n\t\r\n\f",
      "\xEF\xBB\xBFtenant t { id = \"x\" }\r\n",
      "\"unterminated",
      "\"unterminated\nnext",
      "\"ends with backslash\\",
      "\"backslash before newline\\\nx\"",
      "\"escaped \\\" quote\" \"\\\\\" \"\\u{1F600}\"",
      "\"caf\xC3\xA9\" caf\xC3\xA9",
      "/* unterminated comment",
      "/* a */ /**/ /*/ x */ // line\n//\n/",
      "1 12 1.5 1. 1.x .5 10% 10%% 30days 12mo 1.5h 3 d 0x1F",
      "a a-b a--b a- -a a_b _a route routes route-x data_actions data_actions2 import3",
      "{}[](),:.= ; @ # ' ` ~ ! $ ^ & * + | \\ < > ?",
      "\x01\x7F\xFF\xC3",
      "identity sp-orders-edge : service_principal { description = \"x\" }",
  };
  for (const char *c : cases) requireSameTokens(c, std::string("case: ") + c);
}

TEST_CASE("the tokenizer matches the generated lexer on random input", "[lexer]") {
  std::mt19937 rng(4242);
  const std::string alphabet = "abz_AZ09-./*\"\\\n\r\t {}[]()=,:%;@\xC3\xA9";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    size_t length = rng() % 200;
    for (size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
    requireSameTokens(text, "random round " + std::to_string(round));
  }
}

// Names and strings are scanned sixteen bytes at a time where sixteen bytes
// are left, a byte at a time near the end: every length, every place of the
// byte that ends them, and each kind of byte that may follow must give the
// generated lexer's tokens in both.
TEST_CASE("names and strings of every length end where the generated lexer ends them", "[lexer]") {
  const std::string nameBytes = "aZ9_-q", stringBytes = "a -Z/.{9";
  const std::string followers[] = {" ", "\n", "\r", "\t", "\"", "\\", "-",    "_",    ".",        "/",    "{",
                                   "@", "`",  "[",  "~",  "Z",  "0",  "\x7F", "\x80", "\xC3\xA9", "\xFF", ""};
  for (size_t lead = 0; lead < 3; ++lead)
    for (size_t length = 1; length <= 40; ++length)
      for (const std::string &follower : followers)
        for (const char *tail : {"", "                    x"}) { // the end near, or sixteen bytes on
          std::string name, body;
          for (size_t i = 0; i < length; ++i) {
            name += nameBytes[i % nameBytes.size()];
            body += stringBytes[i % stringBytes.size()];
          }
          std::string spaces(lead, ' ');
          requireSameTokens(spaces + "n" + name + follower + tail, "name of " + std::to_string(length));
          requireSameTokens(spaces + "\"" + body + follower + tail, "string of " + std::to_string(length));
          requireSameTokens(spaces + "\"" + body + "\\" + follower + body + "\"" + tail,
                            "escape in a string of " + std::to_string(length));
        }
}
