// Every rule's documentation page carries a bad and a good example. The bad
// one must trigger the rule; the good one must not; both must be otherwise
// valid Ward. This keeps the docs honest and gives each rule a firing and a
// non-firing test.
#include "TestSupport.h"
#include "analysis/Rules.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <catch2/catch.hpp>

#include <set>

using namespace ward;
using namespace ward::test;

namespace {

std::vector<std::string> wardBlocks(llvm::StringRef doc) {
  std::vector<std::string> blocks;
  size_t pos = 0;
  while ((pos = doc.find("```ward\n", pos)) != llvm::StringRef::npos) {
    size_t start = pos + 8, end = doc.find("```", start);
    blocks.push_back(doc.slice(start, end).str());
    pos = end + 3;
  }
  return blocks;
}

} // namespace

TEST_CASE("each rule's bad example fires it and its good example does not", "[rules][docs]") {
  for (const analysis::RuleInfo &rule : analysis::allRules()) {
    std::string doc = readFile(sourceDir() + "/docs/rules/" + rule.id.str() + ".md");
    INFO(rule.id.str());
    CHECK(doc == analysis::ruleDoc(rule.rule).str()); // `wardc explain` prints this very page
    CHECK(doc.find("Default level: " + analysis::levelName(rule.defaultLevel).str()) != std::string::npos);
    std::vector<std::string> blocks = wardBlocks(doc);
    REQUIRE(blocks.size() == 2);

    CheckResult bad = checkSource(blocks[0]);
    INFO("bad example:\n" << bad.text());
    CHECK(bad.frontEndOk());
    CHECK(bad.findUnsuppressed(rule.id.str()));

    CheckResult good = checkSource(blocks[1]);
    INFO("good example:\n" << good.text());
    CHECK(good.frontEndOk());
    CHECK_FALSE(good.findUnsuppressed(rule.id.str()));
  }
}

TEST_CASE("rule metadata is complete and unique", "[rules]") {
  std::set<std::string> ids, names;
  for (const analysis::RuleInfo &rule : analysis::allRules()) {
    CHECK(ids.insert(rule.id.str()).second);
    CHECK(names.insert(rule.name.str()).second);
    CHECK_FALSE(rule.title.empty());
    CHECK(analysis::findRule(rule.id) == &rule);
    CHECK(analysis::findRule(rule.name) == &rule);
  }
  // One documentation page per rule, and no page without a rule.
  std::set<std::string> pages;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it("docs/rules", ec), end; it != end && !ec; it.increment(ec)) {
    llvm::StringRef file = llvm::sys::path::filename(it->path());
    if (file.startswith("W") && file.endswith(".md")) pages.insert(file.drop_back(3).str());
  }
  CHECK(pages == ids);
  // The index lists every rule as --list-rules does.
  std::string index = readFile("docs/rules/README.md");
  for (const analysis::RuleInfo &rule : analysis::allRules()) {
    std::string row = "| [" + rule.id.str() + "](" + rule.id.str() + ".md) | `" + rule.name.str() + "` | " +
                      analysis::levelName(rule.defaultLevel).str() + " | " + rule.title.str() + " |";
    INFO(row);
    CHECK(index.find(row) != std::string::npos);
  }
}
