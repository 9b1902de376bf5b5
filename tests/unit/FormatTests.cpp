// The formatter: golden pairs for every construct and comment position,
// idempotence and soundness over every policy in the repository and over a
// mutated corpus, the soundness check itself, ranges and the line width.
#include "TestSupport.h"
#include "ast/Dump.h"
#include "format/Diff.h"
#include "format/Formatter.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::test;

namespace {

struct Formatted {
  std::optional<std::string> text;
  std::vector<std::string> codes;
};

Formatted formatText(const std::string &text, format::FormatOptions options = {},
                     std::optional<format::LineRange> range = std::nullopt) {
  SourceManager sm;
  FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "test.ward"), "test.ward");
  DiagnosticEngine diags;
  Formatted out{format::formatFile(sm, id, options, diags, range), {}};
  for (const Diagnostic &d : diags.diagnostics()) out.codes.push_back(d.code.str());
  return out;
}

std::vector<std::string> filesBelow(const std::string &dir, llvm::StringRef extension) {
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    if (it->path().find("node_modules") != std::string::npos) continue;
    if (llvm::StringRef(it->path()).endswith(extension)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Every policy of the repository that parses: examples, the standard
/// library, the tests' policies and the rule pages' examples.
std::vector<std::pair<std::string, std::string>> repositoryPolicies() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char *dir : {"examples", "stdlib", "tests"})
    for (const std::string &file : filesBelow(dir, ".ward")) {
      std::string text = readFile(file);
      bool unparsable = text.find("// expect: E01") != std::string::npos ||
                        text.find("// expect: E0003") != std::string::npos ||
                        text.find("// expect: E0004") != std::string::npos;
      if (unparsable) continue; // a broken example that does not parse, on purpose
      out.emplace_back(file, text);
    }
  for (const std::string &page : filesBelow("docs", ".md")) {
    std::string doc = readFile(page);
    for (size_t pos = 0; (pos = doc.find("```ward\n", pos)) != std::string::npos;) {
      size_t start = pos + 8, end = doc.find("```", start);
      out.emplace_back(page + " (example at byte " + std::to_string(start) + ")", doc.substr(start, end - start));
      pos = end + 3;
    }
  }
  return out;
}

} // namespace

TEST_CASE("golden pairs: each input formats to its expected form, which is already canonical", "[format]") {
  std::vector<std::string> inputs = filesBelow("tests/format", ".ward.in");
  REQUIRE(inputs.size() >= 5);
  for (const std::string &input : inputs) {
    std::string expectedPath = input.substr(0, input.size() - 3);
    INFO(input);
    std::string expected = readFile(expectedPath);
    Formatted f = formatText(readFile(input));
    REQUIRE(f.text);
    CHECK(*f.text == expected);
    Formatted again = formatText(expected);
    REQUIRE(again.text);
    CHECK(*again.text == expected);
  }
}

TEST_CASE("every policy in the repository is canonical, and formats idempotently and soundly", "[format]") {
  auto policies = repositoryPolicies();
  REQUIRE(policies.size() > 50);
  for (auto &[name, text] : policies) {
    INFO(name);
    Formatted f = formatText(text);
    CHECK(std::find(f.codes.begin(), f.codes.end(), "F0001") == f.codes.end());
    // Documentation shows fragments too (a route alone); every file parses.
    if (!f.text && llvm::StringRef(name).startswith("docs/")) continue;
    REQUIRE(f.text);
    CHECK(*f.text == text);
  }
}

TEST_CASE("any mutated policy that parses formats idempotently and soundly", "[format][bad-input]") {
  auto policies = repositoryPolicies();
  Mutator mutator(0x5eedf00dull);
  int formatted = 0;
  for (int i = 0; i < 600; ++i) {
    std::string text = mutator.mutate(policies[mutator.next(policies.size())].second);
    // Messy layout too: the formatter must not depend on it.
    for (int j = 0; j < 3; ++j) {
      size_t at = text.find('\n', mutator.next(text.size()));
      if (at != std::string::npos) text.replace(at, 1, j % 2 ? "   " : "\n\n\n   ");
    }
    INFO("mutation " << i << "\n" << text);
    Formatted f = formatText(text);
    CHECK(std::find(f.codes.begin(), f.codes.end(), "F0001") == f.codes.end());
    if (!f.text) continue; // a syntax error: not formatted
    ++formatted;
    Formatted again = formatText(*f.text);
    REQUIRE(again.text);
    CHECK(*again.text == *f.text);
  }
  CHECK(formatted >= 150); // the corpus exercises the formatter, not only the parser
}

TEST_CASE("the soundness check catches a changed value, a lost comment and comments out of order", "[format]") {
  const std::string original = "// one\nidentity a : group { description = \"x\" } // two\n";
  SourceManager sm;
  FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(original, "s.ward"), "s.ward");
  CHECK_FALSE(format::soundnessProblem(sm, id, original));
  CHECK_FALSE(format::soundnessProblem(sm, id, "// one\nidentity a : group {\n  description = \"x\" // two\n}\n"));
  std::optional<std::string> value =
      format::soundnessProblem(sm, id, "// one\nidentity a : group { description = \"y\" } // two\n");
  REQUIRE(value);
  CHECK(value->find("identity a") != std::string::npos);
  CHECK(format::soundnessProblem(sm, id, "// one\nidentity a : group { description = \"x\" }\n"));
  CHECK(format::soundnessProblem(sm, id, "// two\nidentity a : group { description = \"x\" } // one\n"));
  CHECK(format::soundnessProblem(sm, id, "// one\nidentity a : group { description = \"x\" // two\n"));
  CHECK(format::soundnessProblem(sm, id, "// one\nidentity b : group { description = \"x\" } // two\n"));
}

TEST_CASE("a file with syntax errors is not formatted, and says why", "[format]") {
  Formatted f = formatText("identity a : group {\n");
  CHECK_FALSE(f.text);
  CHECK(f.codes == std::vector<std::string>{"E0101"});
}

TEST_CASE("a range formats only the declarations it overlaps", "[format]") {
  const std::string text = "identity   a : group\n\n// b\nidentity   b : group\nidentity   c : group\n";
  Formatted f = formatText(text, {}, format::LineRange{4, 4});
  REQUIRE(f.text);
  CHECK(*f.text == "identity   a : group\n\n// b\nidentity b : group\nidentity   c : group\n");
  Formatted none = formatText(text, {}, format::LineRange{2, 2}); // a blank line: nothing overlaps
  REQUIRE(none.text);
  CHECK(*none.text == text);
  Formatted all = formatText(text, {}, format::LineRange{1, 5});
  REQUIRE(all.text);
  CHECK(*all.text == *formatText(text).text);
}

TEST_CASE("lists, objects and calls break at the configured line width", "[format]") {
  const std::string text = "retry r {\n  attempts = 2\n  on = [502, 503, 504]\n}\n";
  CHECK(*formatText(text).text == text);
  format::FormatOptions narrow;
  narrow.lineWidth = 20;
  CHECK(*formatText(text, narrow).text ==
        "retry r {\n  attempts = 2\n  on = [\n    502,\n    503,\n    504,\n  ]\n}\n");
}

TEST_CASE("unified diffs apply the changes a format makes", "[format]") {
  CHECK(format::unifiedDiff("a\n", "a\n", "x", "y").empty());
  std::string diff = format::unifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", "a/f", "b/f");
  CHECK(diff == "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  std::string grown = format::unifiedDiff("", "x\n", "a/f", "b/f");
  CHECK(grown == "--- a/f\n+++ b/f\n@@ -0,0 +1,1 @@\n+x\n");
}
