#include "TestSupport.h"
#include "resolve/ParallelDecls.h"

#include <catch2/catch.hpp>
#include <llvm/Support/Parallel.h>

#include <algorithm>
#include <atomic>

using namespace ward;
using namespace ward::test;

static const char *kBase = R"(
import std.azure
identity sp-orders-edge : service_principal
resource orders-vm : azure.vm { resource_group = "rg" name = "vm" origin = "https://vm.example.net" }
resource orders-vault : azure.recovery_vault { resource_group = "rg" name = "rsv" }
)";

TEST_CASE("unknown names suggest the closest declared name", "[resolve]") {
  CheckResult r = checkSource(std::string(kBase) + "allow sp-order-edge to vm.read on orders-vm\n");
  const Diagnostic *d = r.find("E0204");
  REQUIRE(d);
  CHECK(d->message == "unknown identity `sp-order-edge`");
  CHECK(d->help() == "did you mean `sp-orders-edge`?");
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].replacement == "sp-orders-edge");
  REQUIRE(d->labels.size() == 1); // points at the declaration it suggests
}

TEST_CASE("duplicate names report both locations", "[resolve]") {
  CheckResult r = checkSource(std::string(kBase) + "identity orders-vm : group\n");
  const Diagnostic *d = r.find("E0203");
  REQUIRE(d);
  CHECK(r.start(*d).line == 6);
  REQUIRE(d->labels.size() == 1);
  CHECK(r.compilation->sources().lineColumn(d->labels[0].range.file, d->labels[0].range.begin).line == 4);
  CHECK(d->labels[0].message == "first declared here as a resource");
}

TEST_CASE("a name of the wrong kind says what was expected", "[resolve]") {
  CheckResult r = checkSource(std::string(kBase) + "allow orders-vm to vm.read on orders-vm\n");
  CHECK(r.has("E0205", "`orders-vm` is a resource, but `allow` needs an identity"));
}

TEST_CASE("capabilities are looked up per resource type", "[resolve]") {
  CheckResult wrongType = checkSource(std::string(kBase) + "allow sp-orders-edge to backup.operate on orders-vm\n");
  CHECK(wrongType.has("E0205",
                      "capability `backup.operate` applies to `azure.recovery_vault`, but `orders-vm` is `azure.vm`"));
  CheckResult typo = checkSource(std::string(kBase) + "allow sp-orders-edge to backup.operat on orders-vault\n");
  const Diagnostic *d = typo.find("E0204");
  REQUIRE(d);
  CHECK(d->help() == "did you mean `backup.operate`?");
  CheckResult ok = checkSource(std::string(kBase) + "allow sp-orders-edge to backup.operate on orders-vault\n");
  INFO(ok.text());
  CHECK(ok.ok);
}

TEST_CASE("names in other files need an import", "[resolve]") {
  CheckResult r = check(
      {{"a.ward", "import std.azure\nallow sp to vm.read on vm\n"},
       {"b.ward",
        "import std.azure\nidentity sp : group\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"}});
  CHECK(r.has("E0206", "`sp` is declared in"));
  const Diagnostic *d = r.find("E0206");
  REQUIRE(d);
  CHECK(d->help().find("import \"") != std::string::npos);

  CheckResult imported = check(
      {{"a.ward", "import std.azure\nimport \"b.ward\"\nallow sp to vm.read on vm\n"},
       {"b.ward",
        "import std.azure\nidentity sp : group\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"}},
      {"a.ward"});
  INFO(imported.text());
  CHECK(imported.ok);
}

TEST_CASE("stdlib names are visible only where the module is imported", "[resolve]") {
  CheckResult r = checkSource("resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n");
  const Diagnostic *d = r.find("E0206");
  REQUIRE(d);
  CHECK(d->help() == "add `import std.azure` at the top of this file");
}

TEST_CASE("import cycles are reported with the whole chain", "[resolve]") {
  CheckResult r = check({{"a.ward", "import \"b.ward\"\nidentity x : group\n"},
                         {"b.ward", "import \"c.ward\"\nidentity y : group\n"},
                         {"c.ward", "import \"a.ward\"\nidentity z : group\n"}},
                        {"a.ward"});
  const Diagnostic *d = r.find("E0202");
  REQUIRE(d);
  CHECK(d->message.find("a.ward -> ") != std::string::npos);
  CHECK(d->message.find("b.ward -> ") != std::string::npos);
  CHECK(d->message.find("c.ward -> ") != std::string::npos);
  CHECK(d->labels.size() == 2);

  CheckResult self = check({{"s.ward", "import \"s.ward\"\nidentity x : group\n"}});
  CHECK(self.has("E0202", "imports itself"));
}

TEST_CASE("a missing import file is reported at the import", "[resolve]") {
  CheckResult r = checkSource("import \"nope.ward\"\nidentity x : group\n");
  const Diagnostic *d = r.find("E0201");
  REQUIRE(d);
  CHECK(r.start(*d).line == 1);
  CHECK(r.start(*d).column == 8);
}

TEST_CASE("E0206 suggests an import path relative to the importing file, and following it works", "[resolver]") {
  std::map<std::string, std::string> files = {
      {"app/main.ward",
       "import std.azure\nidentity sp-app : service_principal {}\nallow sp-app to vm.read on shared-vm\n"},
      {"lib/shared.ward",
       "import std.azure\nresource shared-vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"},
  };
  CheckResult r = check(files);
  const Diagnostic *d = r.find("E0206");
  REQUIRE(d);
  CHECK(d->help() == "add `import \"../lib/shared.ward\"` at the top of this file");
  files["app/main.ward"] = "import \"../lib/shared.ward\"\n" + files["app/main.ward"];
  CheckResult fixed = check(files);
  INFO(fixed.text());
  CHECK_FALSE(fixed.has("E0206"));
  CHECK(fixed.frontEndOk());
}

namespace {
/// Checks with every parallel loop of the front end run in order on this
/// thread (LLVM's parallel algorithms honour a strategy of one thread).
CheckResult checkOnOneThread(const std::map<std::string, std::string> &files) {
  llvm::ThreadPoolStrategy saved = llvm::parallel::strategy;
  llvm::parallel::strategy = llvm::hardware_concurrency(1);
  CheckResult r = check(files);
  llvm::parallel::strategy = saved;
  return r;
}
} // namespace

TEST_CASE("resolution and checks on both cores report what a serial walk reports", "[resolve]") {
  // Thousands of declarations (many runs of work), with errors of the
  // resolver and of the checks spread over all of them, and in two files.
  std::string main = "import std.azure\nimport std.retry\nimport \"more.ward\"\n";
  std::string more = "import std.azure\nimport std.retry\n";
  long unknown = 0, wrongKind = 0, unknownAttribute = 0, notServed = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string &out = i % 3 == 0 ? more : main;
    std::string n = std::to_string(i);
    out += "identity sp-" + n + " : service_principal { object_id = \"3f2b8c1e-5d4a-4e7b-9c6d-" +
           std::string(12 - n.size(), '0') + n + "\" }\n";
    out += "resource vm-" + n + " : azure.vm { resource_group = \"rg\" name = \"vm-" + n + "\" origin = \"https://vm-" +
           n + ".example.net\"" + (i % 11 == 0 ? " colour = \"blue\"" : "") + " }\n";
    // Forwarding with retry, the bundle requests the origin itself: a
    // hostname the property does not serve is an error of the sub-requests.
    std::string served = i % 5 == 0 ? "other-" + n : "vm-" + n;
    out += "edgeworker gw-" + n + " { id = " + std::to_string(i + 1) + " version = \"1.0.0\" hostnames = [\"" + served +
           ".example.net\"] route GET \"/a\" { forward to vm-" + n + " retry retry.standard } default deny 404 }\n";
    notServed += i % 5 == 0;
    std::string who = i % 7 == 0 ? "sp-x" + n : i % 13 == 0 ? "vm-" + n : "sp-" + n;
    std::string capability = i % 17 == 0 ? "backup.operate" : "vm.read";
    unknown += i % 7 == 0;
    wrongKind += (i % 7 != 0 && i % 13 == 0) + (i % 17 == 0); // a resource as the identity; a capability of vaults
    unknownAttribute += i % 11 == 0;
    out += "allow " + who + " to " + capability + " on vm-" + n + "\n";
  }
  std::map<std::string, std::string> files{{"main.ward", main}, {"more.ward", more}};
  CheckResult parallel = check(files);
  CheckResult serial = checkOnOneThread(files);
  auto withoutDir = [](const CheckResult &r) {
    std::string text = r.text();
    for (size_t at; (at = text.find(r.dir->path())) != std::string::npos;)
      text.replace(at, r.dir->path().size(), "DIR");
    return text;
  };
  CHECK(withoutDir(parallel) == withoutDir(serial));
  REQUIRE(parallel.compilation->diagnostics().diagnostics().size() ==
          serial.compilation->diagnostics().diagnostics().size());
  // Each kind of error is there, so the comparison is of something.
  CHECK(parallel.has("E0204", "unknown identity `sp-x7`"));
  CHECK(parallel.has("E0205", "`vm-13` is a resource, but `allow` needs an identity"));
  CHECK(parallel.has("E0205", "capability `backup.operate` applies to `azure.recovery_vault`"));
  CHECK(parallel.has("E0301"));
  // And every one of them, from every run of work.
  std::vector<std::string> codes = parallel.codes();
  CHECK(std::count(codes.begin(), codes.end(), "E0204") == unknown);
  CHECK(std::count(codes.begin(), codes.end(), "E0205") == wrongKind);
  CHECK(std::count(codes.begin(), codes.end(), "E0301") == unknownAttribute);
  CHECK(std::count(codes.begin(), codes.end(), "E0321") == notServed);
}

TEST_CASE("per-declaration work in parallel visits each declaration once, in order, beside other work",
          "[resolve][parallel]") {
  // Enough declarations for several runs of both files.
  std::string many = "import std.azure\n";
  for (int i = 0; i < 1300; ++i) many += "identity sp-" + std::to_string(i) + " : service_principal\n";
  std::string few;
  for (int i = 0; i < 700; ++i) few += "identity group-" + std::to_string(i) + " : group\n";
  CheckResult r = check({{"a.ward", many}, {"b.ward", few}});
  REQUIRE(r.frontEndOk());
  Program &program = r.compilation->program();
  size_t wanted = 0;
  for (auto &file : program.files)
    if (!file->isStdlib())
      for (auto &decl : file->decls) wanted += llvm::isa<IdentityDecl>(*decl);
  REQUIRE(wanted == 2000);

  for (bool withAlongside : {false, true}) {
    DiagnosticEngine diags;
    std::atomic<int> alongsideRuns{0};
    std::atomic<size_t> visits{0};
    auto alongside = [&] { ++alongsideRuns; };
    forEachDeclInParallel(
        program, r.compilation->sources(), diags, [](const Decl &decl) { return llvm::isa<IdentityDecl>(decl); },
        [&](SourceFile &, Decl &decl, DiagnosticEngine &found) {
          ++visits;
          found.report(DiagID::DuplicateName, decl.name.range, std::string(decl.name.text));
        },
        withAlongside ? llvm::function_ref<void()>(alongside) : nullptr);
    CHECK(alongsideRuns == (withAlongside ? 1 : 0));
    // Every identity once (the standard library declares none), reported
    // in file and declaration order whatever the schedule.
    CHECK(visits == wanted);
    REQUIRE(diags.size() == wanted);
    std::vector<std::string> expected;
    for (auto &file : program.files)
      for (auto &decl : file->decls)
        if (llvm::isa<IdentityDecl>(*decl)) expected.push_back(std::string(decl->name.text));
    std::vector<std::string> reported;
    for (const Diagnostic &d : diags.diagnostics()) reported.push_back(d.message);
    CHECK(reported == expected);
  }
}
