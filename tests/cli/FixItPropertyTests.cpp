// A fix-it must be right: applying it removes the finding it belongs to and
// introduces no error. Checked for every fix-it the compiler offers on the
// repository's policies (examples, broken examples, test policies) and on a
// corpus of mutations of the examples that provoke each kind of fixable
// finding (misspelt names, attributes and actions, plain HTTP, IANA time
// zones, App ID URIs as Entra audiences, retries without jitter or budget).
#include "TestSupport.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace ward;
using namespace ward::test;

namespace {

using Files = std::map<std::string, std::string>;

/// Every regular file below `dir` (relative names), for policies that import
/// each other or read key sets.
Files filesIn(const std::string &dir) {
  Files files;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(sourceDir() + "/" + dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    if (it->type() != llvm::sys::fs::file_type::regular_file) continue;
    llvm::StringRef path = it->path();
    files[path.drop_front(sourceDir().size() + dir.size() + 2).str()] = readFile(path.str());
  }
  return files;
}

struct Case {
  std::string name;
  Files files;
  std::vector<std::string> inputs; // empty: every .ward file
};

std::vector<std::string> wardFiles(const Files &files) {
  std::vector<std::string> out;
  for (auto &[name, text] : files)
    if (llvm::StringRef(name).endswith(".ward")) out.push_back(name);
  return out;
}

std::vector<Case> repositoryCases() {
  std::vector<Case> cases;
  for (const char *project : {"examples/orders-api", "examples/vm-backup", "examples/multi-issuer-gateway",
                              "tests/azure/variants", "tests/sarif"})
    cases.push_back({project, filesIn(project), {}});
  Files broken = filesIn("examples/broken");
  for (const std::string &name : wardFiles(broken))
    if (!llvm::StringRef(name).startswith("support/")) cases.push_back({"examples/broken/" + name, broken, {name}});
  Files policies = filesIn("tests/edgeworkers/policies");
  for (const std::string &name : wardFiles(policies))
    cases.push_back({"tests/edgeworkers/policies/" + name, policies, {name}});
  // Each rule page's examples (the bad one fires the rule; its fix-its must be right too).
  for (auto &[page, text] : filesIn("docs/rules")) {
    llvm::StringRef doc = text;
    for (size_t pos = 0, n = 0; (pos = doc.find("```ward\n", pos)) != llvm::StringRef::npos; ++n) {
      size_t start = pos + 8, end = doc.find("```", start);
      cases.push_back(
          {"docs/rules/" + page + " example " + std::to_string(n), {{"policy.ward", doc.slice(start, end).str()}}, {}});
      pos = end + 3;
    }
  }
  return cases;
}

/// `text` with the first occurrence of `from` replaced by `to`, or "" when
/// `from` does not occur.
std::string replaceFirst(const std::string &text, const std::string &from, const std::string &to) {
  size_t at = text.find(from);
  if (at == std::string::npos) return "";
  return text.substr(0, at) + to + text.substr(at + from.size());
}

/// Mutations of the examples, each provoking a finding that carries a fix-it.
std::vector<Case> mutatedCases() {
  struct Mutation {
    const char *project, *file, *from, *to, *what;
  };
  const Mutation mutations[] = {
      {"examples/vm-backup", "backup.ward", "allow mi-backup-runner to backup.operate on orders-vault",
       "allow mi-backup-runner to backup.operate on orders-vaul", "misspelt resource"},
      {"examples/vm-backup", "backup.ward", "trigger by mi-backup-runner", "trigger by mi-backup-runer",
       "misspelt identity"},
      {"examples/vm-backup", "backup.ward", "instant_restore = 2d", "instant_restor = 2d", "misspelt attribute"},
      {"examples/vm-backup", "backup.ward", "instant_restore = 2d", "instant_restore = 2", "duration without its unit"},
      {"examples/vm-backup", "backup.ward", "daily = 30d", "daily = 30days", "duration with a spelt-out unit"},
      {"examples/vm-backup", "backup.ward", "  trigger by mi-backup-runner\n}\n", "  trigger by mi-backup-runner\n",
       "a `}` forgotten mid-file"},
      {"examples/vm-backup", "backup.ward", "zone \"UTC\"", "zone \"Europe/Amsterdam\"", "IANA time zone"},
      {"examples/vm-backup", "backup.ward", "zone \"UTC\"", "zone \"utc\"", "time zone in the wrong case"},
      {"examples/orders-api", "orders.ward", "origin = \"https://orders-origin.contoso.net\"",
       "origin = \"http://orders-origin.contoso.net\"", "plain-HTTP origin"},
      {"examples/orders-api", "orders.ward", "audiences = [\"6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f\"]",
       "audiences = [\"api://6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f\"]", "App ID URI as Entra v2 audience"},
      {"examples/orders-api", "orders.ward", "  token_lifetime = 15m\n", "", "max_lifetime below the issued lifetime"},
      {"examples/orders-api", "orders.ward", "multiplier = 2, jitter = full)", "multiplier = 2)",
       "back-off without jitter"},
      {"examples/orders-api", "orders.ward", "  budget = { ratio = 0.1, min_per_second = 5 }\n", "",
       "retry without budget"},
      {"examples/orders-api", "orders.ward",
       "  backoff = exponential(initial = 100ms, max = 1s, multiplier = 2, jitter = full)\n", "",
       "retry without back-off"},
      {"examples/orders-api", "orders.ward", "route GET, HEAD \"/api/orders/{id}\"",
       "route GET, GET \"/api/orders/{id}\"", "method listed twice"},
      {"examples/multi-issuer-gateway", "identities.ward", "allow sp-token-service to keys.sign on signing-vault",
       "allow sp-token-service to keys.sign on signing-vault\ngrant sp-token-service actions "
       "[\"Microsoft.KeyVault/vaults/read\", \"Microsoft.Compute/virtualMachines/restrat/action\"] on signing-vault",
       "misspelt action in a grant"},
      {"examples/multi-issuer-gateway", "identities.ward", "identity mi-key-rotator : managed_identity",
       "identity mi-key-rotator : managed_identiy", "misspelt identity kind"},
  };
  std::vector<Case> cases;
  for (const Mutation &m : mutations) {
    Files files = filesIn(m.project);
    std::string mutated = replaceFirst(files[m.file], m.from, m.to);
    INFO(m.what);
    REQUIRE_FALSE(mutated.empty()); // the example still holds what the mutation changes
    files[m.file] = mutated;
    cases.push_back({std::string(m.project) + " with " + m.what, files, {}});
  }
  return cases;
}

struct Outcome {
  std::map<std::string, size_t> byCode;
  std::set<std::string> errorCodes;
  size_t errors = 0;
};

Outcome outcomeOf(const CheckResult &r) {
  Outcome o;
  for (const Diagnostic &d : r.compilation->diagnostics().diagnostics()) {
    if (d.suppressed) continue;
    ++o.byCode[d.code.str()];
    if (d.severity == Severity::Error) ++o.errors, o.errorCodes.insert(d.code.str());
  }
  return o;
}

CheckResult run(const Case &c, const Files &files) {
  std::vector<std::string> inputs = c.inputs.empty() ? wardFiles(files) : c.inputs;
  return check(files, inputs);
}

/// Applies each fix-it-carrying diagnostic of `c` on its own and checks what follows.
size_t checkFixIts(const Case &c) {
  CheckResult before = run(c, c.files);
  Outcome was = outcomeOf(before);
  size_t applied = 0;
  for (const Diagnostic &d : before.compilation->diagnostics().diagnostics()) {
    if (d.fixits.empty() || d.suppressed) continue;
    std::string path = before.compilation->sources().displayPath(d.range.file);
    std::string name = llvm::StringRef(path).drop_front(before.dir->path().size() + 1).str();
    INFO(c.name << ": " << d.code << " at " << name << ":" << before.start(d).line << ":" << before.start(d).column
                << " " << d.message);
    REQUIRE(c.files.count(name));
    Files fixed = c.files;
    fixed[name] = applyFixIts(c.files.at(name), d);
    CheckResult after = run(c, fixed);
    Outcome now = outcomeOf(after);
    INFO("after the fix:\n" << after.text());
    CHECK(now.byCode[d.code.str()] < was.byCode[d.code.str()]);
    CHECK(now.errors <= was.errors);
    for (const std::string &code : now.errorCodes) CHECK(was.errorCodes.count(code));
    ++applied;
  }
  return applied;
}

} // namespace

TEST_CASE("every fix-it offered on the repository's policies removes its finding and adds no error", "[fixit]") {
  size_t applied = 0;
  for (const Case &c : repositoryCases()) applied += checkFixIts(c);
  CHECK(applied >= 5);
}

TEST_CASE("every fix-it offered on mutated examples removes its finding and adds no error", "[fixit]") {
  size_t applied = 0;
  std::set<std::string> mutationsWithFixes;
  for (const Case &c : mutatedCases()) {
    size_t n = checkFixIts(c);
    applied += n;
    if (n > 0) mutationsWithFixes.insert(c.name);
    INFO(c.name);
    CHECK(n > 0); // each mutation provokes at least one fixable finding
  }
  CHECK(applied >= mutationsWithFixes.size());
}
