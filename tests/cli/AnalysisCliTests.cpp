#include "TestSupport.h"

#include <catch2/catch.hpp>

#include <set>

using namespace ward::test;

namespace {
llvm::json::Value parseOrFail(const std::string &text) {
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(text);
  REQUIRE(bool(v));
  return std::move(*v);
}

const llvm::json::Object &run0(const llvm::json::Value &sarif) {
  return *(*sarif.getAsObject()->getArray("runs"))[0].getAsObject();
}
} // namespace

TEST_CASE("explain prints a rule page, and unknown rules exit 2", "[cli][rules]") {
  RunResult r = runWardc({"explain", "W004"});
  CHECK(r.exitCode == 0);
  CHECK(r.out == readFile("docs/rules/W004.md"));
  RunResult byName = runWardc({"explain", "credential-exposure"});
  CHECK(byName.out == r.out);
  RunResult unknown = runWardc({"explain", "W999"});
  CHECK(unknown.exitCode == 2);
  CHECK(unknown.err.find("unknown rule") != std::string::npos);
}

TEST_CASE("list-rules lists every rule with ID, level and title", "[cli][rules]") {
  RunResult r = runWardc({"check", "--list-rules"});
  CHECK(r.exitCode == 0);
  CHECK(r.out.find("W004   error    credential-exposure") != std::string::npos);
  CHECK(r.out.find("W025   warning  unused-declaration") != std::string::npos);
  size_t lines = std::count(r.out.begin(), r.out.end(), '\n');
  CHECK(lines >= 28 + 1);
}

TEST_CASE("SARIF carries rules, results, related locations and suppressions", "[cli][sarif]") {
  RunResult r = runWardc({"check", "--format", "sarif", "tests/sarif/findings.ward"});
  CHECK(r.exitCode == 1);
  llvm::json::Value sarif = parseOrFail(r.out);
  CHECK(sarif.getAsObject()->getString("version").getValueOr("") == llvm::StringRef("2.1.0"));
  const llvm::json::Object &run = run0(sarif);
  const llvm::json::Array &rules = *run.getObject("tool")->getObject("driver")->getArray("rules");
  const llvm::json::Array &results = *run.getArray("results");
  REQUIRE_FALSE(results.empty());
  bool sawSuppressed = false, sawRelated = false;
  for (const llvm::json::Value &v : results) {
    const llvm::json::Object &res = *v.getAsObject();
    std::string ruleId = res.getString("ruleId")->str();
    int64_t index = *res.getInteger("ruleIndex");
    REQUIRE(index >= 0);
    REQUIRE(size_t(index) < rules.size());
    CHECK(rules[index].getAsObject()->getString("id").getValueOr("") == llvm::StringRef(ruleId));
    const llvm::json::Object &loc = *(*res.getArray("locations"))[0].getAsObject()->getObject("physicalLocation");
    CHECK(loc.getObject("artifactLocation")->getString("uri").getValueOr("") ==
          llvm::StringRef("tests/sarif/findings.ward"));
    CHECK(loc.getObject("artifactLocation")->getString("uriBaseId").getValueOr("") == llvm::StringRef("SRCROOT"));
    CHECK(*loc.getObject("region")->getInteger("startLine") >= 1);
    CHECK(*loc.getObject("region")->getInteger("startColumn") >= 1);
    CHECK(res.getObject("partialFingerprints")->getString("wardPrimaryLocation/v1"));
    if (const llvm::json::Array *s = res.getArray("suppressions")) {
      sawSuppressed = true;
      CHECK((*s)[0].getAsObject()->getString("kind").getValueOr("") == llvm::StringRef("inSource"));
      CHECK_FALSE((*s)[0].getAsObject()->getString("justification").getValueOr("").empty());
    }
    if (res.getArray("relatedLocations")) sawRelated = true;
  }
  CHECK(sawSuppressed);
  CHECK(sawRelated);
  // Every rule has help text and a default level.
  for (const llvm::json::Value &rule : rules) {
    const llvm::json::Object &o = *rule.getAsObject();
    INFO(o.getString("id")->str());
    CHECK_FALSE(o.getObject("help")->getString("text").getValueOr("").empty());
    CHECK(o.getObject("defaultConfiguration")->getString("level"));
  }
}

TEST_CASE("SARIF fingerprints survive edits elsewhere in the file", "[cli][sarif]") {
  TempDir dir;
  std::string body = "identity ordersedge : service_principal\nidentity alsobad : service_principal\n";
  std::string path = dir.write("policy.ward", body);
  auto fingerprints = [](const std::string &path) {
    std::vector<std::string> out;
    llvm::json::Value sarif = parseOrFail(runWardc({"check", "--format", "sarif", path}).out);
    for (const llvm::json::Value &v : *run0(sarif).getArray("results"))
      out.push_back(v.getAsObject()->getObject("partialFingerprints")->getString("wardPrimaryLocation/v1")->str());
    std::sort(out.begin(), out.end());
    return out;
  };
  std::vector<std::string> before = fingerprints(path);
  dir.write("policy.ward", "// a comment added above\n\n" + body); // the same file, edited
  std::vector<std::string> after = fingerprints(path);
  REQUIRE(before.size() == 4); // W013 and W025 for each identity
  CHECK(before == after);
  CHECK(std::set<std::string>(before.begin(), before.end()).size() == before.size());
}

TEST_CASE("examples are free of findings, and werror fails warnings", "[cli][rules]") {
  for (const char *example : {"examples/orders-api", "examples/vm-backup", "examples/multi-issuer-gateway"}) {
    RunResult r = runWardc({"check", "--werror", "--format", "json", example});
    INFO(example << "\n" << r.out);
    CHECK(r.exitCode == 0);
    llvm::json::Value json = parseOrFail(r.out);
    CHECK(json.getAsObject()->getArray("diagnostics")->empty());
  }
  TempDir dir;
  std::string file = dir.write("warn.ward", "identity sp-unused : service_principal\n");
  CHECK(runWardc({"check", file}).exitCode == 0);
  RunResult strict = runWardc({"check", "--werror", file});
  CHECK(strict.exitCode == 1);
  CHECK(strict.err.find("error[W025]") != std::string::npos);
}

TEST_CASE("an invalid ward.json is an environment error (exit 2)", "[cli][config]") {
  TempDir dir;
  dir.write("ward.json", "{\"rules\": {\"W013\": \"sometimes\"}}");
  std::string file = dir.write("p.ward", "identity sp-a : service_principal\n");
  RunResult r = runWardc({"check", file});
  CHECK(r.exitCode == 2);
  CHECK(r.err.find("error[E0007]") != std::string::npos);
  CHECK(r.err.find("unknown level `sometimes`") != std::string::npos);
}

TEST_CASE("explain explains every code (E, G and W), and --list-rules works at the top level", "[cli][rules]") {
  for (ward::DiagID id : ward::allDiagIDs()) {
    std::string code = ward::diagInfo(id).code.str();
    RunResult r = runWardc({"explain", code});
    INFO(code << "\n" << r.err);
    CHECK(r.exitCode == 0);
    CHECK(r.out.rfind("# " + code + " ", 0) == 0);
    // The description from docs/diagnostics.md, not just the title.
    CHECK(r.out.size() > ward::diagInfo(id).title.size() + 80);
  }
  for (const ward::analysis::RuleInfo &rule : ward::analysis::allRules()) {
    RunResult r = runWardc({"explain", rule.id.str()});
    CHECK(r.exitCode == 0);
  }
  RunResult top = runWardc({"--list-rules"});
  CHECK(top.exitCode == 0);
  CHECK(top.out == runWardc({"check", "--list-rules"}).out);
  CHECK(top.out.find("W030") != std::string::npos);
}

namespace {
/// Every result of a SARIF log, after checking what GitHub code scanning
/// needs of it: a location with a region, and a relative URI.
std::vector<const llvm::json::Object *> checkedResults(const llvm::json::Value &sarif) {
  std::vector<const llvm::json::Object *> out;
  for (const llvm::json::Value &v : *run0(sarif).getArray("results")) {
    const llvm::json::Object &res = *v.getAsObject();
    INFO(res.getString("ruleId")->str());
    REQUIRE(res.getArray("locations"));
    const llvm::json::Object &loc = *(*res.getArray("locations"))[0].getAsObject()->getObject("physicalLocation");
    REQUIRE(loc.getObject("region"));
    CHECK(*loc.getObject("region")->getInteger("startLine") >= 1);
    llvm::StringRef uri = *loc.getObject("artifactLocation")->getString("uri");
    CHECK_FALSE(uri.startswith("/"));
    CHECK_FALSE(uri.contains("://"));
    CHECK(loc.getObject("artifactLocation")->getString("uriBaseId").getValueOr("") == llvm::StringRef("SRCROOT"));
    out.push_back(&res);
  }
  return out;
}
} // namespace

TEST_CASE("SARIF for GitHub code scanning: regions, relative URIs, stdlib findings as notifications", "[cli][sarif]") {
  TempDir dir;
  dir.write("p/policy.ward", R"(import std.azure
import std.retry
resource app : azure.app_service { resource_group = "rg" name = "app" origin = "https://app.example.com" }
edgeworker gw { id = 1 version = "1.0.0" hostnames = ["app.example.com"]
  // ward-ignore W015: open on purpose
  route GET "/a" { forward to app retry retry.edge }
  default deny 404 }
)");
  RunResult built = runWardc({"build", "--format", "sarif", dir.path() + "/p", "-o", dir.path() + "/out"});
  REQUIRE(built.exitCode == 0);
  llvm::json::Value sarif = parseOrFail(built.out);
  for (const llvm::json::Object *res : checkedResults(sarif))
    CHECK((*res->getArray("locations"))[0]
              .getAsObject()
              ->getObject("physicalLocation")
              ->getObject("artifactLocation")
              ->getString("uriBaseId") != llvm::Optional<llvm::StringRef>("WARD_STDLIB"));
  // The preset's G0001 notes have nothing in the repository to point at.
  const llvm::json::Array *notes =
      (*run0(sarif).getArray("invocations"))[0].getAsObject()->getArray("toolExecutionNotifications");
  REQUIRE(notes);
  REQUIRE_FALSE(notes->empty());
  CHECK((*notes)[0].getAsObject()->getObject("descriptor")->getString("id") ==
        llvm::Optional<llvm::StringRef>("G0001"));
  CHECK(built.out.find("file://") == std::string::npos);

  // A finding about ward.json is on its first line.
  dir.write("p/ward.json", R"({"rules": {"W999": "off"}})");
  RunResult config = runWardc({"check", "--format", "sarif", dir.path() + "/p"});
  llvm::json::Value configSarif = parseOrFail(config.out);
  std::vector<const llvm::json::Object *> results = checkedResults(configSarif);
  REQUIRE(results.size() == 1);
  CHECK(results[0]->getString("ruleId") == llvm::Optional<llvm::StringRef>("E0007"));

  // Paths are relative to --sarif-root.
  RunResult rooted =
      runWardc({"check", "--format", "sarif", "--sarif-root", "examples", "examples/broken/unknown-name.ward"});
  llvm::json::Value rootedSarif = parseOrFail(rooted.out);
  std::vector<const llvm::json::Object *> rootedResults = checkedResults(rootedSarif);
  REQUIRE_FALSE(rootedResults.empty());
  CHECK((*rootedResults[0]->getArray("locations"))[0]
            .getAsObject()
            ->getObject("physicalLocation")
            ->getObject("artifactLocation")
            ->getString("uri") == llvm::Optional<llvm::StringRef>("broken/unknown-name.ward"));
}

TEST_CASE("ward.json problems are located in ward.json and reported beside the policy's own errors", "[cli][config]") {
  TempDir dir;
  dir.write("p/ward.json", "{\n"
                           "  \"rules\": {\n"
                           "    \"W011\": { \"level\": \"warning\", \"max_lifetim\": \"1h\" },\n"
                           "    \"W022\": { \"max_attempts\": \"5\" },\n"
                           "    \"token-lifetime\": { \"max_lifetime\": 90 },\n"
                           "    \"W013\": { \"pattern\": \"([\" }\n"
                           "  },\n"
                           "  \"catalog\": { \"actions\": [\"Microsoft.Compute/virtualMachines/x/action\", 7] }\n"
                           "}\n");
  dir.write("p/policy.ward", "identity x : service_principle\n");
  RunResult r = runWardc({"check", "--format", "json", dir.path() + "/p"});
  CHECK(r.exitCode == 2);
  llvm::json::Value json = parseOrFail(r.out);
  std::map<std::string, std::pair<int64_t, int64_t>> at; // message start -> line, column
  bool policyError = false;
  for (const llvm::json::Value &v : *json.getAsObject()->getArray("diagnostics")) {
    const llvm::json::Object &d = *v.getAsObject();
    if (d.getString("code") == llvm::Optional<llvm::StringRef>("E0317")) policyError = true;
    if (d.getString("code") != llvm::Optional<llvm::StringRef>("E0007")) continue;
    const llvm::json::Object *location = d.getObject("location");
    REQUIRE(location);
    CHECK(llvm::StringRef(*location->getString("file")).endswith("ward.json"));
    at[d.getString("message")->str()] = {*location->getInteger("line"), *location->getInteger("column")};
  }
  CHECK(policyError);
  CHECK(at["unknown key `max_lifetim`"] == std::make_pair<int64_t, int64_t>(3, 35));
  CHECK(at["W022: `max_attempts` must be a whole number"] == std::make_pair<int64_t, int64_t>(4, 31));
  CHECK(at["W011: `max_lifetime` needs a unit: 90 alone is ambiguous"] == std::make_pair<int64_t, int64_t>(5, 41));
  CHECK(at["W013: `pattern` is not a valid regular expression"] == std::make_pair<int64_t, int64_t>(6, 26));
  CHECK(at["an operation name must be a string"] == std::make_pair<int64_t, int64_t>(8, 74));
}

TEST_CASE("fix-its are certain or suggestions: SARIF carries only the certain ones", "[cli][sarif]") {
  TempDir dir;
  std::string file = dir.write("p.ward", R"(import std.azure
resource vm : azure.vm { resource_group = "rg" name = "vm" }
resource vault : azure.recovery_vault { resource_group = "rg" name = "rsv" }
backup b { protect vm in vaul  schedule = daily at "02:00"  retain = { daily = 30 } }
)");
  RunResult json = runWardc({"check", "--format", "json", file});
  llvm::json::Value j = parseOrFail(json.out);
  std::map<std::string, std::string> applicability; // code -> applicability of its fix
  for (const llvm::json::Value &v : *j.getAsObject()->getArray("diagnostics")) {
    const llvm::json::Object &d = *v.getAsObject();
    for (const llvm::json::Value &f : *d.getArray("fixes"))
      applicability[d.getString("code")->str()] = f.getAsObject()->getString("applicability")->str();
  }
  CHECK(applicability["E0204"] == "suggestion"); // `vaul`: the closest name is a guess
  CHECK(applicability["E0305"] == "certain");    // `30`: days are the only unit `daily` takes
  RunResult sarif = runWardc({"check", "--format", "sarif", file});
  llvm::json::Value s = parseOrFail(sarif.out);
  for (const llvm::json::Value &v : *run0(s).getArray("results")) {
    const llvm::json::Object &res = *v.getAsObject();
    bool hasFixes = res.getArray("fixes") != nullptr;
    INFO(res.getString("ruleId")->str());
    CHECK(hasFixes == (res.getString("ruleId") == llvm::Optional<llvm::StringRef>("E0305")));
  }
  RunResult text = runWardc({"check", file});
  CHECK(text.err.find("suggestion: replace with `vault`") != std::string::npos);
  CHECK(text.err.find("fix: replace with `30d`") != std::string::npos);
}
