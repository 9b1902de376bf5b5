#include "TestSupport.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Process.h>
#include <catch2/catch.hpp>

using namespace ward::test;

static const char *kExamples[] = {"examples/orders-api", "examples/vm-backup", "examples/multi-issuer-gateway"};

TEST_CASE("every example checks clean, silently, with exit 0", "[cli][examples]") {
  for (const char *example : kExamples) {
    RunResult r = runWardc({"check", example});
    INFO(example << "\n" << r.err);
    CHECK(r.exitCode == 0);
    CHECK(r.err.empty());
    CHECK(r.out.empty());
  }
}

TEST_CASE("exit codes: 1 for policy errors, 2 for usage and I/O", "[cli]") {
  CHECK(runWardc({"check", "examples/broken/unknown-name.ward"}).exitCode == 1);
  CHECK(runWardc({}).exitCode == 2);
  CHECK(runWardc({"check"}).exitCode == 2);
  CHECK(runWardc({"check", "--format", "yaml", "examples/orders-api"}).exitCode == 2);
  CHECK(runWardc({"check", "--no-such-flag", "examples/orders-api"}).exitCode == 2);
  CHECK(runWardc({"frobnicate"}).exitCode == 2);
  RunResult missing = runWardc({"check", "does/not/exist.ward"});
  CHECK(missing.exitCode == 2);
  CHECK(missing.err.find("does/not/exist.ward: error[E0001]: cannot open") != std::string::npos);
}

TEST_CASE("version and help flags", "[cli]") {
  RunResult version = runWardc({"--version"});
  CHECK(version.exitCode == 0);
  CHECK(version.out.rfind("wardc ", 0) == 0);
  RunResult help = runWardc({"check", "--help"});
  CHECK(help.exitCode == 0);
  CHECK(help.out.find("--format") != std::string::npos);
  CHECK(help.out.find("--werror") != std::string::npos);
  CHECK(help.out.find("--color") != std::string::npos);
}

TEST_CASE("a directory means every .ward file below it, in sorted order", "[cli]") {
  TempDir dir;
  dir.write("b/z.ward", "identity z : grup\n");
  dir.write("a.ward", "identity a : grop\n");
  dir.write("notes.txt", "not a policy");
  RunResult r = runWardc({"check", "--color", "never", dir.path()});
  CHECK(r.exitCode == 1);
  size_t a = r.err.find("a.ward:1:14"), z = r.err.find("z.ward:1:14");
  REQUIRE(a != std::string::npos);
  REQUIRE(z != std::string::npos);
  CHECK(a < z);
  CHECK(r.err.find("notes.txt") == std::string::npos);
}

TEST_CASE("the json format writes one document to stdout", "[cli][json]") {
  RunResult r = runWardc({"check", "--format", "json", "examples/broken/unknown-name.ward"});
  CHECK(r.exitCode == 1);
  CHECK(r.err.empty());
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(r.out);
  REQUIRE(bool(parsed));
  const llvm::json::Array *diags = parsed->getAsObject()->getArray("diagnostics");
  REQUIRE(diags);
  REQUIRE(diags->size() == 1);
  const llvm::json::Object *d = (*diags)[0].getAsObject();
  CHECK(d->getString("code").getValueOr("") == llvm::StringRef("E0204"));
  CHECK(d->getObject("location")->getString("file").getValueOr("") ==
        llvm::StringRef("examples/broken/unknown-name.ward"));

  RunResult clean = runWardc({"check", "--format", "json", "examples/orders-api"});
  CHECK(clean.exitCode == 0);
  llvm::Expected<llvm::json::Value> empty = llvm::json::parse(clean.out);
  REQUIRE(bool(empty));
  CHECK(empty->getAsObject()->getArray("diagnostics")->empty());
}

TEST_CASE("colour: always forces ANSI colours, never and pipes have none", "[cli]") {
  RunResult always = runWardc({"check", "--color", "always", "examples/broken/unknown-name.ward"});
  CHECK(always.err.find("\x1b[") != std::string::npos);
  RunResult never = runWardc({"check", "--color", "never", "examples/broken/unknown-name.ward"});
  CHECK(never.err.find('\x1b') == std::string::npos);
  RunResult piped = runWardc({"check", "examples/broken/unknown-name.ward"});
  CHECK(piped.err.find('\x1b') == std::string::npos);
}

TEST_CASE("werror turns warnings into errors", "[cli]") {
  // The front end emits no warnings of its own yet; a clean policy stays clean
  // and an erroneous one keeps exit 1.
  CHECK(runWardc({"check", "--werror", "examples/vm-backup"}).exitCode == 0);
  CHECK(runWardc({"check", "--werror", "examples/broken/invalid-guid.ward"}).exitCode == 1);
}

TEST_CASE("output is identical across runs", "[cli]") {
  RunResult a = runWardc({"check", "--format", "json", "examples/broken"});
  RunResult b = runWardc({"check", "--format", "json", "examples/broken"});
  CHECK(a.exitCode == 1);
  CHECK(a.out == b.out);
}

// Golden files: the exact text and JSON output for a few broken examples.
TEST_CASE("golden text output", "[cli][golden]") {
  for (const char *name : {"unknown-name", "syntax-unclosed-block", "syntax-several-errors", "not-imported",
                           "invalid-target", "duration-units"}) {
    RunResult r = runWardc({"check", "--color", "never", std::string("examples/broken/") + name + ".ward"});
    INFO(name);
    CHECK(r.exitCode == 1);
    compareGolden(std::string(name) + ".txt", r.err);
  }
}

TEST_CASE("golden JSON output", "[cli][golden]") {
  RunResult r = runWardc({"check", "--format", "json", "examples/broken/unknown-name.ward"});
  compareGolden("unknown-name.json", r.out);
}
