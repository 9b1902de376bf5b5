// `wardc fmt` from the command line: every mode's output and exit code,
// stdin, in-place writes, syntax errors and usage errors.
#include "TestSupport.h"

#include <llvm/Support/FileSystem.h>
#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace ward::test;

namespace {
const std::string kMessy = "identity   sp-a : group {description=\"a\"}\n";
const std::string kCanonical = "identity sp-a : group { description = \"a\" }\n";
} // namespace

TEST_CASE("fmt prints one file formatted and exits 0", "[cli][format]") {
  TempDir dir;
  std::string file = dir.write("a.ward", kMessy);
  RunResult r = runWardc({"fmt", file});
  CHECK(r.exitCode == 0);
  CHECK(r.out == kCanonical);
  CHECK(readFile(file) == kMessy); // printing leaves the file alone
}

TEST_CASE("fmt - reads stdin and writes stdout", "[cli][format]") {
  TempDir dir;
  std::string input = dir.write("in.ward", kMessy);
  RunResult r = runProgram("/bin/sh", {"-c", std::string("'") + WARDC_PATH + "' fmt - < '" + input + "'"});
  CHECK(r.exitCode == 0);
  CHECK(r.out == kCanonical);
}

TEST_CASE("fmt --check lists the files that would change, prints nothing else, and exits 1", "[cli][format]") {
  TempDir dir;
  std::string messy = dir.write("p/messy.ward", kMessy);
  dir.write("p/sub/clean.ward", kCanonical);
  RunResult r = runWardc({"fmt", "--check", dir.path() + "/p"});
  CHECK(r.exitCode == 1);
  CHECK(r.out == messy + "\n");
  CHECK(r.err.empty());
  CHECK(readFile(messy) == kMessy);
  RunResult clean = runWardc({"fmt", "--check", dir.path() + "/p/sub"});
  CHECK(clean.exitCode == 0);
  CHECK(clean.out.empty());
}

TEST_CASE("fmt --diff prints a unified diff and exits 1 when something would change", "[cli][format]") {
  TempDir dir;
  std::string file = dir.write("a.ward", kMessy);
  RunResult r = runWardc({"fmt", "--diff", file});
  CHECK(r.exitCode == 1);
  CHECK(r.out == "--- a/" + file + "\n+++ b/" + file + "\n@@ -1,1 +1,1 @@\n-" + kMessy + "+" + kCanonical);
  std::string clean = dir.write("b.ward", kCanonical);
  RunResult none = runWardc({"fmt", "--diff", clean});
  CHECK(none.exitCode == 0);
  CHECK(none.out.empty());
}

TEST_CASE("fmt -w rewrites changed files in place, keeping their permissions", "[cli][format]") {
  TempDir dir;
  std::string messy = dir.write("p/messy.ward", kMessy);
  std::string clean = dir.write("p/clean.ward", kCanonical);
  REQUIRE(chmod(messy.c_str(), 0640) == 0);
  llvm::sys::fs::file_status before;
  REQUIRE_FALSE(llvm::sys::fs::status(clean, before));
  RunResult r = runWardc({"fmt", "-w", dir.path() + "/p"});
  CHECK(r.exitCode == 0);
  CHECK(r.out.empty());
  CHECK(readFile(messy) == kCanonical);
  struct stat st {};
  REQUIRE(stat(messy.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  llvm::sys::fs::file_status after;
  REQUIRE_FALSE(llvm::sys::fs::status(clean, after));
  CHECK(after.getLastModificationTime() == before.getLastModificationTime()); // unchanged files are not touched
  // Nothing is left behind beside them.
  std::error_code ec;
  int entries = 0;
  for (llvm::sys::fs::directory_iterator it(dir.path() + "/p", ec), end; it != end && !ec; it.increment(ec)) ++entries;
  CHECK(entries == 2);
}

TEST_CASE("fmt leaves a file with syntax errors alone, shows the errors and exits 1", "[cli][format]") {
  TempDir dir;
  std::string broken = dir.write("p/broken.ward", "identity a : group {\n");
  std::string messy = dir.write("p/messy.ward", kMessy);
  RunResult r = runWardc({"fmt", "-w", "--color", "never", dir.path() + "/p"});
  CHECK(r.exitCode == 1);
  CHECK(r.err.find("error[E0101]") != std::string::npos);
  CHECK(readFile(broken) == "identity a : group {\n");
  CHECK(readFile(messy) == kCanonical); // the other files are still formatted
}

TEST_CASE("fmt handles CRLF line ends and a byte-order mark", "[cli][format]") {
  TempDir dir;
  std::string file = dir.write("a.ward", "\xEF\xBB\xBFidentity a : group\r\n// note\r\nidentity b : group\r\n");
  RunResult r = runWardc({"fmt", file});
  CHECK(r.exitCode == 0);
  CHECK(r.out == "identity a : group\n// note\nidentity b : group\n");
}

TEST_CASE("fmt takes its line width from ward.json", "[cli][format]") {
  TempDir dir;
  dir.write("p/ward.json", R"({"format": {"line_width": 40}})");
  std::string file =
      dir.write("p/r.ward", "retry r {\n  attempts = 2\n  on = [502, 503, 504, 505, 506, 507, 508]\n}\n");
  RunResult r = runWardc({"fmt", file});
  CHECK(r.exitCode == 0);
  CHECK(r.out.find("  on = [\n    502,\n") != std::string::npos);
  dir.write("p/ward.json", R"({"format": {"line_width": 3}})");
  RunResult bad = runWardc({"fmt", "--color", "never", file});
  CHECK(bad.exitCode == 2);
  CHECK(bad.err.find("line_width") != std::string::npos);
}

TEST_CASE("fmt --range formats only the declarations on those lines", "[cli][format]") {
  TempDir dir;
  std::string file = dir.write("a.ward", "identity   a : group\nidentity   b : group\n");
  RunResult r = runWardc({"fmt", "--range=2:2", file});
  CHECK(r.exitCode == 0);
  CHECK(r.out == "identity   a : group\nidentity b : group\n");
  CHECK(runWardc({"fmt", "--range=2:1", file}).exitCode == 2);
}

TEST_CASE("fmt usage errors exit 2", "[cli][format]") {
  TempDir dir;
  std::string a = dir.write("a.ward", kMessy), b = dir.write("b.ward", kMessy);
  CHECK(runWardc({"fmt"}).exitCode == 2);
  RunResult several = runWardc({"fmt", a, b});
  CHECK(several.exitCode == 2);
  CHECK(several.err.find("-w, --check or --diff") != std::string::npos);
  CHECK(runWardc({"fmt", "-w", "--check", a}).exitCode == 2);
  CHECK(runWardc({"fmt", dir.path() + "/missing.ward"}).exitCode == 2);
  CHECK(readFile(a) == kMessy);
}
