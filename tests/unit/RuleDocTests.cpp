// Every rule's documentation page carries a bad and a good example. The bad
// one must trigger the rule; the good one must not; both must be otherwise
// valid Ward. This keeps the docs honest and gives each rule a firing and a
// non-firing test.
#include "TestSupport.h"
#include "analysis/Rules.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
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
  // One file per rule, named by its ID and RuleID, and defining that rule.
  std::set<std::string> files;
  for (llvm::sys::fs::directory_iterator it("compiler/analysis/rules", ec), end; it != end && !ec; it.increment(ec)) {
    llvm::StringRef file = llvm::sys::path::filename(it->path());
    if (!file.startswith("W") || !file.endswith(".cpp")) continue;
    std::string id = file.take_front(4).str(), name = file.drop_front(4).drop_back(4).str();
    INFO(file.str());
    CHECK(readFile(it->path()).find("WARD_RULE_INFO(" + name + ", \"" + id + "\"") != std::string::npos);
    files.insert(id);
  }
  CHECK(files == ids);
}

namespace {

std::string optionType(const analysis::RuleOption &o) {
  switch (o.type) {
  case analysis::RuleOption::Type::Integer: return "whole number ≥ " + std::to_string(o.min);
  case analysis::RuleOption::Type::Duration: return "duration";
  case analysis::RuleOption::Type::Regex: return "regular expression";
  }
  return "";
}

/// The table of docs/rules/README.md, as the rule files define the rules.
std::string ruleIndex() {
  std::string table = "| ID | name | default | title | judges | options |\n| --- | --- | --- | --- | --- | --- |\n";
  for (const analysis::RuleInfo &rule : analysis::allRules()) {
    std::vector<std::string> options;
    for (const analysis::RuleOption &o : rule.options)
      options.push_back("`" + o.key.str() + "` (" + optionType(o) + ", default `" + o.defaultValue.str() + "`)");
    table += "| [" + rule.id.str() + "](" + rule.id.str() + ".md) | `" + rule.name.str() + "` | " +
             analysis::levelName(rule.defaultLevel).str() + " | " + rule.title.str() + " | " +
             (rule.scope == analysis::RuleScope::WholeProgram ? "whole program" : "declarations") + " | " +
             llvm::join(options, "; ") + " |\n";
  }
  return table;
}

} // namespace

TEST_CASE("the rule index in docs/rules/README.md is generated from the rule files", "[rules][docs]") {
  // Regenerate with WARD_UPDATE_GOLDEN=1, like the golden files.
  const std::string path = "docs/rules/README.md";
  const std::string begin = "<!-- rule index: generated from compiler/analysis/rules, do not edit -->\n";
  const std::string end = "<!-- end of rule index -->\n";
  std::string doc = readFile(path);
  size_t from = doc.find(begin), to = doc.find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  std::string expected = doc.substr(0, from + begin.size()) + ruleIndex() + doc.substr(to);
  if (std::getenv("WARD_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << expected;
    doc = expected;
  }
  CHECK(doc == expected);
}

TEST_CASE("every rule option has a default of its type and is documented on the rule's page", "[rules][config]") {
  analysis::Config defaults;
  for (const analysis::RuleInfo &rule : analysis::allRules())
    for (const analysis::RuleOption &o : rule.options) {
      INFO(rule.id.str() << "." << o.key.str());
      CHECK(analysis::ruleDoc(rule.rule).contains(o.key));
      switch (o.type) {
      case analysis::RuleOption::Type::Integer: {
        int64_t n = 0;
        CHECK_FALSE(o.defaultValue.getAsInteger(10, n));
        CHECK(n >= o.min);
        CHECK(defaults.integerOption(rule.rule, o.key) == n);
        break;
      }
      case analysis::RuleOption::Type::Duration:
        CHECK(analysis::parseDurationText(o.defaultValue));
        CHECK(defaults.durationOption(rule.rule, o.key) == *analysis::parseDurationText(o.defaultValue));
        break;
      case analysis::RuleOption::Type::Regex:
        CHECK_NOTHROW(std::regex(o.defaultValue.str(), std::regex::ECMAScript));
        CHECK(defaults.regexOption(rule.rule, o.key) == o.defaultValue.str());
        break;
      }
    }
}

TEST_CASE("a rule switched off in ward.json runs no check and reports nothing", "[rules][config]") {
  // W025 fires on this policy; off, the rule must not run at all, so no
  // finding appears even as a discarded or suppressed one.
  const char *policy = "identity sp-spare : group { object_id = \"3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f\" }\n";
  CheckResult on = check({{"main.ward", policy}});
  CHECK(on.has("W025"));
  const std::vector<analysis::RuleID> &ranOn = on.compilation->rulesRun();
  CHECK(std::count(ranOn.begin(), ranOn.end(), analysis::RuleID::UnusedDeclaration) == 1);
  CHECK(ranOn.size() == analysis::allRules().size());
  CheckResult off =
      check({{"main.ward", policy}, {"ward.json", R"({"rules": {"W025": {"level": "off"}}})"}}, {"main.ward"});
  INFO(off.text());
  CHECK(off.codes().empty());
  const std::vector<analysis::RuleID> &ranOff = off.compilation->rulesRun();
  CHECK(std::count(ranOff.begin(), ranOff.end(), analysis::RuleID::UnusedDeclaration) == 0);
  CHECK(ranOff.size() == analysis::allRules().size() - 1);
}
