// Every file in examples/broken/ states the diagnostics it must produce, one
// `// expect: CODE LINE:COL message-start` line each. The test runs wardc on
// the file and requires exactly those diagnostics: same codes, same places,
// messages starting with the given text, and exit code 1.
#include "TestSupport.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <catch2/catch.hpp>

#include <set>

#include <regex>
#include <sstream>

using namespace ward::test;

namespace {

struct Expectation {
  std::string code;
  int64_t line, column;
  std::string message;
};

std::vector<Expectation> expectationsOf(const std::string &text) {
  std::vector<Expectation> out;
  std::regex pattern(R"(^// expect: (E\d{4}) (\d+):(\d+) (.*)$)");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, pattern)) out.push_back({m[1], std::stoll(m[2]), std::stoll(m[3]), m[4]});
  }
  return out;
}

std::vector<std::string> brokenFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it("examples/broken", ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".ward") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

TEST_CASE("each broken example gives exactly its documented diagnostics", "[cli][broken]") {
  std::vector<std::string> files = brokenFiles();
  REQUIRE(files.size() >= 25);
  for (const std::string &file : files) {
    std::vector<Expectation> expected = expectationsOf(readFile(file));
    INFO(file);
    REQUIRE_FALSE(expected.empty()); // a broken example without expectations tests nothing
    RunResult r = runWardc({"check", "--format", "json", file});
    CHECK(r.exitCode == 1);
    llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(r.out);
    REQUIRE(bool(parsed));
    const llvm::json::Array *diags = parsed->getAsObject()->getArray("diagnostics");
    REQUIRE(diags);
    std::vector<std::string> actual;
    for (const llvm::json::Value &v : *diags) {
      const llvm::json::Object *d = v.getAsObject();
      const llvm::json::Object *loc = d->getObject("location");
      actual.push_back(d->getString("code")->str() + " " + std::to_string(*loc->getInteger("line")) + ":" +
                       std::to_string(*loc->getInteger("column")) + " " + d->getString("message")->str());
    }
    INFO("actual diagnostics:\n"
         << [&] {
              std::string s;
              for (auto &a : actual) s += "  " + a + "\n";
              return s;
            }());
    CHECK(actual.size() == expected.size());
    for (const Expectation &e : expected) {
      std::string prefix = e.code + " " + std::to_string(e.line) + ":" + std::to_string(e.column) + " " + e.message;
      bool found =
          std::any_of(actual.begin(), actual.end(), [&](const std::string &a) { return a.rfind(prefix, 0) == 0; });
      CHECK(found);
      if (!found) FAIL_CHECK("missing: " << prefix);
    }
  }
}

TEST_CASE("every front-end diagnostic code has a broken example", "[cli][broken]") {
  std::set<std::string> covered;
  for (const std::string &file : brokenFiles())
    for (const Expectation &e : expectationsOf(readFile(file))) covered.insert(e.code);
  // I/O and limit codes are exercised by the bad-input suite instead.
  std::set<std::string> byBadInput = {"E0001", "E0002", "E0003", "E0004", "E0005", "E0006", "E0007", "E0107"};
  for (ward::DiagID id : ward::allDiagIDs()) {
    if (id == ward::DiagID::Rule) continue;
    std::string code = ward::diagInfo(id).code.str();
    INFO(code);
    if (code[0] == 'G') continue; // code generation: exercised by tests/cli/BuildTests.cpp
    if (code[0] == 'F') continue; // the formatter: exercised by tests/unit/FormatTests.cpp
    CHECK((covered.count(code) || byBadInput.count(code)));
  }
}

TEST_CASE("every diagnostic code is documented", "[docs]") {
  std::string doc = readFile("docs/diagnostics.md");
  for (ward::DiagID id : ward::allDiagIDs()) {
    if (id == ward::DiagID::Rule) continue;
    std::string row = "| " + ward::diagInfo(id).code.str() + " | " + ward::diagInfo(id).title.str() + " |";
    INFO(row);
    CHECK(doc.find(row) != std::string::npos);
  }
}
