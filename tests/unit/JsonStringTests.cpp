// Every policy value that reaches generated JSON or JavaScript goes through
// appendJsonString. Its escapes are fixed here, byte by byte, against a plain
// restatement of the rules, with each byte that needs one at every place in
// and around the sixteen-byte blocks the writer scans at once.
#include "output/JsonWriter.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include <map>
#include <random>

using namespace ward::codegen;

namespace {

const std::map<unsigned char, std::string> kShortEscapes = {{'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\r', "\\r"},
                                                            {'\t', "\\t"}, {'\b', "\\b"},  {'\f', "\\f"}};

/// The rules, one byte at a time: JSON's escapes; control characters, DEL,
/// `<` and `>` as \u00XX; U+2028 and U+2029 as \u2028 and \u2029.
std::string expectedQuote(const std::string &text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0xA8 || static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else if (auto escape = kShortEscapes.find(c); escape != kShortEscapes.end()) {
      out += escape->second;
    } else if (c < 0x20 || c == 0x7F || c == '<' || c == '>') {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

} // namespace

TEST_CASE("JSON strings escape what JSON and JavaScript need, and nothing else", "[json]") {
  CHECK(quoteJsonString("plain text, é and 𝄞") == "\"plain text, é and 𝄞\"");
  CHECK(quoteJsonString("a\"b\\c\nd\te\x01\x7F") == "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\"");
  CHECK(quoteJsonString("</script><!--") == "\"\\u003c/script\\u003e\\u003c!--\"");
  CHECK(quoteJsonString("line\xE2\x80\xA8para\xE2\x80\xA9") == "\"line\\u2028para\\u2029\"");
  CHECK(quoteJsonString("\xE2\x80\xA6 \xE2\x80") == "\"\xE2\x80\xA6 \xE2\x80\""); // other U+20xx, and a cut-off one
  CHECK(quoteJsonString(std::string("nul\0byte", 8)) == "\"nul\\u0000byte\"");
}

TEST_CASE("each byte that needs an escape is found wherever it sits in a long text", "[json]") {
  const std::vector<std::string> specials = {"\"", "\\", "\n",           "\x01",         "\x1F", "\x7F",    "<",
                                             ">",  " ",  "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2", "\xC3\xA9"};
  for (size_t length : {1u, 15u, 16u, 17u, 31u, 32u, 33u, 47u, 70u})
    for (size_t at = 0; at < length; ++at)
      for (const std::string &special : specials) {
        std::string text(length, 'x');
        text.replace(at, std::min(special.size(), length - at), special.substr(0, length - at));
        INFO("length " << length << ", at " << at);
        CHECK(quoteJsonString(text) == expectedQuote(text));
      }
  std::mt19937 random(7);
  for (int round = 0; round < 2000; ++round) {
    std::string text(random() % 100, '\0');
    for (char &c : text) {
      unsigned pick = random() % 10;
      c = pick < 7 ? static_cast<char>('a' + random() % 26) : static_cast<char>(random() % 256);
    }
    INFO("round " << round);
    CHECK(quoteJsonString(text) == expectedQuote(text));
  }
}
