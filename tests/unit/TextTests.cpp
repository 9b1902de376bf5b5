#include "source/SourceManager.h"
#include "source/Text.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/ConvertUTF.h>
#include <llvm/Support/MemoryBuffer.h>
#include <catch2/catch.hpp>

#include <random>
#include <set>

using namespace ward;

TEST_CASE("closestNames finds plausible typos only", "[text]") {
  std::vector<std::string> names = {"sp-orders-edge", "mi-backup-runner", "orders-vm"};
  CHECK(closestNames("sp-order-edge", names) == std::vector<std::string>{"sp-orders-edge"});
  CHECK(closestNames("ORDERS-VM", names) == std::vector<std::string>{"orders-vm"});
  CHECK(closestNames("completely-different", names).empty());
  CHECK(closestNames("vm", {"kv"}).empty());
}

TEST_CASE("findInvalidUtf8 reports the first bad byte", "[text]") {
  CHECK_FALSE(findInvalidUtf8("plain ascii").has_value());
  CHECK_FALSE(findInvalidUtf8("caf\xC3\xA9 \xE2\x9C\x93").has_value());
  CHECK(findInvalidUtf8("ok\xFF rest") == std::optional<size_t>(2));
  CHECK(findInvalidUtf8("trunc\xE2\x9C") == std::optional<size_t>(5));
  CHECK(findInvalidUtf8("\xC0\xAF").has_value()); // overlong encoding of '/'
}

TEST_CASE("findInvalidUtf8 agrees with LLVM's byte-by-byte check on random text", "[text]") {
  // Mostly ASCII with UTF-8 sequences, broken ones and stray high bytes at
  // every alignment of the eight-byte fast path.
  std::mt19937 random(42);
  const char *pieces[] = {"abcdefgh", "x",    "\xC3\xA9", "\xE2\x9C\x93", "\xF0\x9F\x98\x80", "\xC3",
                          "\xE2\x9C", "\xFF", "\x80",     "\xED\xA0\x80", "\xF4\x90\x80\x80", "\n"};
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (int k = 0, parts = int(random() % 12); k < parts; ++k)
      text += pieces[random() % 12 < 9 ? random() % 5 : random() % 12];
    const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.data());
    const llvm::UTF8 *cursor = begin;
    std::optional<size_t> expected;
    if (!llvm::isLegalUTF8String(&cursor, begin + text.size())) expected = size_t(cursor - begin);
    INFO(llvm::toHex(text));
    REQUIRE(findInvalidUtf8(text) == expected);
  }
}

TEST_CASE("joinAlternatives and quoteForMessage", "[text]") {
  CHECK(joinAlternatives({"`a`"}) == "`a`");
  CHECK(joinAlternatives({"`a`", "`b`", "`c`"}) == "`a`, `b` or `c`");
  CHECK(quoteForMessage("a\nb\x01") == "a\\nb\\x01");
  std::string longText(100, 'x');
  std::string quoted = quoteForMessage(longText, 20);
  CHECK(quoted.size() < 30);
  CHECK(quoted.find("…") != std::string::npos);
}

TEST_CASE("SourceManager columns count code points and skip a BOM", "[source]") {
  SourceManager sm;
  FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy("\xEF\xBB\xBFx = 1\r\ncaf\xC3\xA9 y\n"), "t.ward");
  CHECK(sm.lineColumn(id, 3).line == 1);
  CHECK(sm.lineColumn(id, 3).column == 1); // after the BOM
  CHECK(sm.lineColumn(id, 7).column == 5); // `1`
  uint32_t y = static_cast<uint32_t>(sm.text(id).find('y'));
  CHECK(sm.lineColumn(id, y).line == 2);
  CHECK(sm.lineColumn(id, y).column == 6); // `café ` is five code points
  CHECK(sm.lineText(id, 1) == "x = 1");    // no BOM, no CR
  CHECK(sm.lineText(id, 2) == "caf\xC3\xA9 y");
}

TEST_CASE("case-insensitive comparisons agree with LLVM's on every short text", "[text]") {
  // Letters of both cases, their neighbours in ASCII (`@`, `[`, `` ` ``,
  // `{`), a digit, `/` and a byte above ASCII, which has no case.
  const std::string alphabet = "aAzZ@[`{1/\xC3";
  std::vector<std::string> texts{""};
  for (size_t length = 1, from = 0; length <= 3; ++length) {
    size_t to = texts.size();
    for (size_t i = from; i < to; ++i)
      for (char c : alphabet) texts.push_back(texts[i] + c);
    from = to;
  }
  size_t wrong = 0;
  for (const std::string &a : texts)
    for (const std::string &b : texts) {
      llvm::StringRef x(a), y(b);
      wrong += ward::equalsIgnoringCase(x, y) != x.equals_insensitive(y);
      wrong += ward::startsWithIgnoringCase(x, y) != x.startswith_insensitive(y);
      wrong += ward::endsWithIgnoringCase(x, y) != x.endswith_insensitive(y);
    }
  CHECK(texts.size() == 1 + 11 + 121 + 1331);
  CHECK(wrong == 0);
}

TEST_CASE("concat joins its parts, empty ones included, in one string of exactly their size", "[text]") {
  CHECK(ward::concat({}).empty());
  CHECK(ward::concat({"", "", ""}).empty());
  CHECK(ward::concat({"resource", " `", "vm-0", "`"}) == "resource `vm-0`");
  std::string embedded("a\0b", 3);
  CHECK(ward::concat({embedded, "", embedded}) == std::string("a\0ba\0b", 6));
  std::string long_(1000, 'x');
  std::string joined = ward::concat({long_, "/", long_});
  CHECK(joined.size() == 2001);
  CHECK(joined[1000] == '/');
}

TEST_CASE("texts equal without case hash alike, and different texts spread", "[text]") {
  std::mt19937 rng(7);
  const std::string alphabet = "aAzZmM@[`{019/._-\xC3";
  for (size_t length = 0; length <= 40; ++length)
    for (int round = 0; round < 20; ++round) {
      std::string text, flipped;
      for (size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
      for (char c : text) flipped += std::isalpha(static_cast<unsigned char>(c)) && rng() % 2 ? c ^ 0x20 : c;
      INFO(text << " / " << flipped);
      REQUIRE(IgnoringCaseInfo::isEqual(text, flipped));
      REQUIRE(IgnoringCaseInfo::getHashValue(text) == IgnoringCaseInfo::getHashValue(flipped));
    }
  // Actions that differ in one place, early or late: a DenseSet's bucket is
  // the hash's low bits, so those must depend on every byte.
  std::set<unsigned> hashes, buckets;
  for (int i = 0; i < 20000; ++i) {
    std::string early = std::to_string(i) + "Microsoft.Compute/virtualMachines/read";
    std::string late = "Microsoft.Compute/virtualMachines/extensions/" + std::to_string(i);
    for (const std::string &text : {early, late}) {
      unsigned hash = IgnoringCaseInfo::getHashValue(text);
      hashes.insert(hash);
      buckets.insert(hash & 0xFFFF);
    }
  }
  CHECK(hashes.size() > 39990);
  // 40,000 keys thrown at random into 65,536 buckets fill about 29,000.
  CHECK(buckets.size() > 27000);
}

// Both scans look at sixteen or sixty-four bytes at once where that many are
// left: a newline, or a high byte, at every place in and after a block.
TEST_CASE("line tables find every newline, wherever it falls", "[source]") {
  for (size_t length = 1; length <= 70; ++length)
    for (size_t first = 0; first < length; ++first)
      for (size_t second : {first, first + 1, first + 15, first + 16, length - 1}) {
        if (second >= length) continue;
        std::string text(length, 'a');
        text[first] = text[second] = '\n';
        SourceManager sm;
        FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text), "t.ward");
        std::vector<uint32_t> expected{0};
        for (size_t i = 0; i < length; ++i)
          if (text[i] == '\n') expected.push_back(static_cast<uint32_t>(i + 1));
        INFO("length " << length << ", newlines at " << first << " and " << second);
        for (unsigned line = 1; line <= expected.size(); ++line) REQUIRE(sm.lineOffset(id, line) == expected[line - 1]);
        REQUIRE_FALSE(sm.lineOffset(id, static_cast<unsigned>(expected.size() + 1)).has_value());
      }
}

// The table keeps every sixteenth line start: lines before, on and after a
// kept one, in files of up to a hundred lines of every length from empty.
TEST_CASE("line and column lookups agree with a count from the start, at every offset", "[source]") {
  for (unsigned lines = 1; lines <= 100; lines += lines < 40 ? 1 : 13) {
    std::string text;
    for (unsigned i = 0; i < lines; ++i) {
      text += std::string(i * 7 % 5, 'x') + (i % 3 == 0 ? "\xC3\xA9" : "");
      if (i + 1 < lines) text += '\n';
    }
    SourceManager sm;
    FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text), "t.ward");
    unsigned line = 1, column = 1;
    uint32_t start = 0;
    for (uint32_t offset = 0; offset <= text.size(); ++offset) {
      INFO(lines << " lines, offset " << offset);
      LineColumn at = sm.lineColumn(id, offset);
      REQUIRE(at.line == line);
      REQUIRE(at.column == column);
      REQUIRE(sm.lineStart(id, offset) == start);
      REQUIRE(sm.lineOffset(id, line) == start);
      if (offset == text.size()) break;
      if (text[offset] == '\n') {
        ++line, column = 1, start = offset + 1;
      } else if ((static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    CHECK(line == lines);
    CHECK_FALSE(sm.lineOffset(id, lines + 1).has_value());
    CHECK(sm.lineText(id, lines) == llvm::StringRef(text).substr(text.rfind('\n') + 1)); // npos + 1: all of it
  }
}

TEST_CASE("findInvalidUtf8 finds a high byte at every place of a long text", "[text]") {
  const char *sequences[] = {"\xFF", "\x80", "\xC3", "\xC3\xA9", "\xE2\x9C\x93", "\xF0\x9F\x98\x80"};
  for (size_t at = 0; at < 140; ++at)
    for (const char *sequence : sequences) {
      std::string text = std::string(at, 'a') + sequence + std::string(140, 'b');
      const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.data());
      const llvm::UTF8 *cursor = begin;
      std::optional<size_t> expected;
      if (!llvm::isLegalUTF8String(&cursor, begin + text.size())) expected = size_t(cursor - begin);
      INFO(at << ": " << llvm::toHex(sequence));
      REQUIRE(findInvalidUtf8(text) == expected);
      REQUIRE(expected.has_value() == (std::string(sequence).size() == 1)); // the lone bytes are invalid
    }
}

// llvm::json 14 reads an escaped pair for U+20000 and up 0x10000 too low;
// Ward writes such pairs out in UTF-8 before it parses a message or a file.
TEST_CASE("escaped surrogate pairs from U+20000 up are written out before llvm::json reads them", "[text]") {
  struct Case {
    const char *json;
    std::optional<std::string> expected; // nothing: left as it is
  } cases[] = {
      {R"("\ud840\udc00")", std::string("\"\xF0\xA0\x80\x80\"")}, // U+20000
      {R"({"k\uDAEC\uDDAE": ["\udbff\udfff"]})", std::string("{\"k\xF3\x8B\x86\xAE\": [\"\xF4\x8F\xBF\xBF\"]}")},
      {R"("a\\\ud840\udc00")", std::string("\"a\\\\\xF0\xA0\x80\x80\"")}, // a backslash, then the pair
      {R"("\\ud840\\udc00")", std::nullopt},                              // backslashes, not escapes
      {R"("\ud83d\ude00")", std::nullopt},                                // below U+20000: read right
      {R"("\ud840")", std::nullopt},                                      // lone: llvm::json's to judge
      {R"("\ud840\u0041")", std::nullopt},                                // not a pair
      {R"(\ud840\udc00)", std::nullopt},                                  // outside a string
      {R"("\"\ud840\udc00")", std::string("\"\\\"\xF0\xA0\x80\x80\"")},   // after an escaped quote
      {R"("\ud840\udc0)", std::nullopt},                                  // cut short
  };
  for (const Case &c : cases) {
    INFO(c.json);
    CHECK(withAstralEscapesDecoded(c.json) == c.expected);
  }
  // Through the bounded parse, the code point is the right one.
  llvm::Expected<llvm::json::Value> parsed = parseJsonBounded(R"(["\ud840\udc00", "\ud800\udc00"])");
  REQUIRE(bool(parsed));
  const llvm::json::Array *items = parsed->getAsArray();
  REQUIRE(items);
  CHECK((*items)[0].getAsString() == llvm::Optional<llvm::StringRef>("\xF0\xA0\x80\x80"));
  CHECK((*items)[1].getAsString() == llvm::Optional<llvm::StringRef>("\xF0\x90\x80\x80"));
}
