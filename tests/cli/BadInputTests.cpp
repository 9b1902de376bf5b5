// Hostile and malformed input: every case must end with a located diagnostic
// and exit 1 or 2 — never a crash, a hang, or a sanitizer report (this suite
// also runs against the ASan+UBSan build).
#include "TestSupport.h"

#include <llvm/Support/FileSystem.h>
#include <catch2/catch.hpp>

#include <random>

using namespace ward::test;

namespace {

/// Runs `wardc check` on `path` and checks the common contract.
RunResult checkBad(const std::vector<std::string> &args, int expectedExit, const std::string &expectedCode) {
  std::vector<std::string> full{"check", "--color", "never"};
  full.insert(full.end(), args.begin(), args.end());
  RunResult r = runWardc(full, 120);
  INFO("stderr:\n" << r.err.substr(0, 4000));
  CHECK_FALSE(r.timedOut);
  CHECK(r.exitCode == expectedExit);
  CHECK(r.err.find("error[" + expectedCode + "]") != std::string::npos);
  CHECK(r.err.find("Sanitizer") == std::string::npos);
  CHECK(r.err.find("runtime error") == std::string::npos);
  CHECK(r.err.find("internal error") == std::string::npos);
  CHECK(r.err.size() < 200000); // bounded output, whatever the input
  return r;
}

bool hasLocation(const RunResult &r, const std::string &where) { return r.err.find(where) != std::string::npos; }

} // namespace

TEST_CASE("bad input: empty file and comment-only file", "[bad-input]") {
  TempDir dir;
  RunResult empty = checkBad({dir.write("empty.ward", "")}, 1, "E0006");
  CHECK(hasLocation(empty, "empty.ward:1:1: error[E0006]"));
  RunResult comments = checkBad({dir.write("comments.ward", "// nothing\n/* here */\n")}, 1, "E0006");
  CHECK(hasLocation(comments, "comments.ward:1:1: error[E0006]"));
}

TEST_CASE("bad input: NUL bytes and invalid UTF-8", "[bad-input]") {
  TempDir dir;
  RunResult nul = checkBad({dir.write("nul.ward", std::string("tenant t {\n  id = \"a\0b\"\n}\n", 26))}, 1, "E0004");
  CHECK(hasLocation(nul, "nul.ward:2:10: error[E0004]"));
  RunResult utf8 =
      checkBad({dir.write("latin1.ward", "identity x : group {\n  description = \"caf\xE9\"\n}\n")}, 1, "E0003");
  CHECK(hasLocation(utf8, "latin1.ward:2:21: error[E0003]"));
  CHECK(utf8.err.find("0xE9") != std::string::npos);
}

TEST_CASE("bad input: random binary data", "[bad-input]") {
  TempDir dir;
  std::mt19937 rng(20261124);
  std::string bytes(64 * 1024, '\0');
  for (char &c : bytes) c = static_cast<char>(rng() & 0xFF);
  RunResult r = runWardc({"check", dir.write("blob.ward", bytes)});
  CHECK_FALSE(r.timedOut);
  CHECK(r.exitCode == 1);
  CHECK((r.err.find("error[E0004]") != std::string::npos || r.err.find("error[E0003]") != std::string::npos));
}

TEST_CASE("bad input: BOM and CRLF are accepted and columns stay right", "[bad-input]") {
  TempDir dir;
  std::string good = "\xEF\xBB\xBFimport std.azure\r\nidentity sp : group\r\nresource vm : azure.vm {\r\n"
                     "  resource_group = \"rg\"\r\n  name = \"vm\"\r\n}\r\nallow sp to vm.read on vm\r\n";
  RunResult ok = runWardc({"check", dir.write("bom-crlf.ward", good)});
  INFO(ok.err);
  CHECK(ok.exitCode == 0);
  RunResult bad =
      checkBad({dir.write("bom-crlf-bad.ward",
                          "\xEF\xBB\xBFidentity x : grup\r\nidentity y : group {\r\n  nme = \"y\"\r\n}\r\n")},
               1, "E0317");
  CHECK(hasLocation(bad, "bom-crlf-bad.ward:1:14: error[E0317]"));
  CHECK(hasLocation(bad, "bom-crlf-bad.ward:3:3: error[E0301]"));
  CHECK(bad.err.find('\r') == std::string::npos); // snippets do not echo the CR
}

TEST_CASE("bad input: a 50 MB file is refused with a clear limit", "[bad-input]") {
  TempDir dir;
  std::string line = "identity a-rather-long-identity-name-to-fill-space : group\n";
  std::string big;
  big.reserve(50u << 20);
  while (big.size() < (50u << 20)) big += line;
  RunResult r = checkBad({dir.write("big.ward", big)}, 2, "E0002");
  CHECK(r.err.find("50.0 MiB") != std::string::npos);
  CHECK(r.err.find("--max-file-size") != std::string::npos);
}

TEST_CASE("bad input: a device without end (/dev/zero) is read up to the limit and refused", "[bad-input]") {
  RunResult r = runWardc({"check", "--max-file-size=1000000", "/dev/zero"}, 60);
  CHECK(r.exitCode == 2);
  CHECK(r.err.find("/dev/zero: error[E0002]: file is over the limit of 1000000 bytes") != std::string::npos);
}

TEST_CASE("bad input: a file limit past 32-bit source offsets is refused before any file is read", "[bad-input]") {
  TempDir dir;
  std::string policy = dir.write("small.ward", "identity reader : group\n");
  for (const char *command : {"check", "fmt"}) {
    RunResult over = runWardc({command, "--max-file-size=4294967296", policy}, 60);
    CHECK(over.exitCode == 2);
    CHECK(over.err == "wardc: error: --max-file-size is at most 4294967295 bytes (4 GiB - 1): positions in a "
                      "policy are 32-bit offsets\n");
    RunResult largest = runWardc({command, "--max-file-size=4294967295", policy}, 60);
    RunResult plain = runWardc({command, policy}, 60);
    CHECK(largest.exitCode == plain.exitCode);
    CHECK(largest.err == plain.err);
  }
}

TEST_CASE("bad input: a block closed by the structure repair before a missing name does not crash the parser",
          "[bad-input]") {
  // Found by fuzz-parser: ANTLR's recovery conjured a token from the repair's
  // inserted `}`, which had no source. One error for each problem, no more.
  TempDir dir;
  RunResult r = checkBad({dir.write("a.ward", "edgeworker{e\nissuer i")}, 1, "E0101");
  CHECK(hasLocation(r, "a.ward:1:11: error[E0101]: expected a name, found `{`"));
  CHECK(hasLocation(r, "a.ward:2:1: error[E0101]: expected `}` to close this block opened at 1:11, found `issuer`"));
  CHECK(hasLocation(r, "a.ward:2:9: error[E0101]: expected `{` or `:`, found end of file"));
  CHECK(r.err.find("3 errors generated") != std::string::npos);
}

TEST_CASE("bad input: a megabyte on one line", "[bad-input]") {
  TempDir dir;
  RunResult r = checkBad({dir.write("oneline.ward", std::string(1 << 20, 'x'))}, 1, "E0101");
  CHECK(hasLocation(r, "oneline.ward:1:1: error[E0101]"));
  CHECK(r.err.size() < 2000); // the snippet of a long line is a window, not the megabyte
}

TEST_CASE("bad input: 10,000-deep nesting is capped before it can overflow the stack", "[bad-input]") {
  TempDir dir;
  std::string lists = "retry r { on = " + std::string(10000, '[') + std::string(10000, ']') + " }\n";
  RunResult a = checkBad({dir.write("lists.ward", lists)}, 1, "E0105");
  CHECK(hasLocation(a, "lists.ward:1:"));
  std::string objects = "retry r { budget = ";
  for (int i = 0; i < 10000; ++i) objects += "{ a = ";
  objects += "1" + std::string(10000, '}') + " }\n";
  checkBad({dir.write("objects.ward", objects)}, 1, "E0105");
  std::string calls = "retry r { backoff = " + std::string(10000, '(') + " }\n";
  checkBad({dir.write("parens.ward", calls)}, 1, "E0105");
  std::string unclosed(10000, '{');
  checkBad({dir.write("braces.ward", unclosed)}, 1, "E0105");
}

TEST_CASE("bad input: unterminated string and comment at end of file", "[bad-input]") {
  TempDir dir;
  RunResult s = checkBad({dir.write("string.ward", "identity x : group { description = \"no end")}, 1, "E0102");
  CHECK(hasLocation(s, "string.ward:1:36: error[E0102]"));
  RunResult c = checkBad({dir.write("comment.ward", "identity x : group\n/* no end")}, 1, "E0103");
  CHECK(hasLocation(c, "comment.ward:2:1: error[E0103]"));
}

TEST_CASE("bad input: directories and unreadable paths", "[bad-input]") {
  TempDir dir;
  dir.write("empty-dir/readme.txt", "no policies here");
  checkBad({dir.path() + "/empty-dir"}, 2, "E0005");
  checkBad({dir.path() + "/missing.ward"}, 2, "E0001");
  std::string file = dir.write("plain.ward", "identity x : group\n");
  checkBad({file + "/nested.ward"}, 2, "E0001"); // a path through a regular file
  RunResult importDir =
      checkBad({dir.write("imports-dir.ward", "import \"empty-dir\"\nidentity x : group\n")}, 2, "E0001");
  CHECK(importDir.err.find("is a directory") != std::string::npos);
}

TEST_CASE("bad input: a file that imports itself", "[bad-input]") {
  TempDir dir;
  RunResult r = checkBad({dir.write("self.ward", "import \"self.ward\"\nidentity x : group\n")}, 1, "E0202");
  CHECK(r.err.find("imports itself") != std::string::npos);
}

TEST_CASE("bad input: floods of errors stop early", "[bad-input]") {
  TempDir dir;
  std::string junk;
  for (int i = 0; i < 100000; ++i) junk += "@ ";
  RunResult r = checkBad({dir.write("junk.ward", junk)}, 1, "E0107");
  CHECK(r.err.find("too many errors") != std::string::npos);
}

TEST_CASE("bad input: hostile strings are quoted, not obeyed", "[bad-input]") {
  TempDir dir;
  std::string hostile =
      "identity x : group { description = \"\\u{1b}[2J \\u{202e}evil \\\" */ ${x} </script>\" nme = 1 }\n";
  RunResult r = checkBad({dir.write("hostile.ward", hostile)}, 1, "E0301");
  CHECK(r.err.find('\x1b') == std::string::npos);
  RunResult json = runWardc({"check", "--format", "json", dir.path() + "/hostile.ward"});
  CHECK(bool(llvm::json::parse(json.out)));
}

TEST_CASE("bad input: deeply nested JSON in ward.json is refused, not recursed into", "[bad-input]") {
  TempDir dir;
  std::string policy =
      dir.write("p/a.ward", "identity grp-a : group { object_id = \"3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f\" }\n");
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "{\"a\":";
  dir.write("p/ward.json", deep);
  RunResult r = runWardc({"check", policy});
  INFO(r.err);
  CHECK(r.exitCode != 0);
  CHECK_FALSE(r.timedOut);
  CHECK(r.err.find("nested more than 64 levels deep") != std::string::npos);
}

TEST_CASE("bad input: mutated EdgeWorkers policies build or fail cleanly", "[bad-input][edgeworkers]") {
  // Deterministic mutations of policies that exercise every bundle feature:
  // each must end with exit 0 (and a manifest), 1 or 2; never a crash or hang.
  std::vector<std::string> seeds = {
      readFile("examples/orders-api/orders.ward") + readFile("examples/orders-api/tenant.ward"),
      readFile("tests/edgeworkers/policies/retry-matrix.ward"),
      readFile("tests/edgeworkers/policies/token-matrix.ward"), readFile("tests/edgeworkers/policies/hostile.ward")};
  Mutator mutator;
  TempDir dir;
  dir.write("p/jwks.json", R"({"keys":[{"kty":"RSA","kid":"k1","n":")" + std::string(342, 'x') +
                               R"(","e":"AQAB"},)"
                               R"({"kty":"EC","crv":"P-256","kid":"e1","x":")" +
                               std::string(43, 'A') + R"(","y":")" + std::string(43, 'A') + R"("}]})");
  int built = 0;
  for (int i = 0; i < 240; ++i) {
    std::string text = mutator.mutate(seeds[i % seeds.size()]);
    std::string file = dir.write("p/policy.ward", text);
    std::string out = dir.path() + "/out";
    RunResult r = runWardc({"build", dir.path() + "/p", "-o", out}, 60);
    INFO("mutation " << i << "\n" << text);
    REQUIRE_FALSE(r.timedOut);
    REQUIRE((r.exitCode == 0 || r.exitCode == 1 || r.exitCode == 2));
    if (r.exitCode == 0) {
      CHECK(llvm::sys::fs::exists(out + "/manifest.json"));
      ++built;
    }
  }
  CHECK(built >= 20); // many mutations still build: the generator is exercised, not only the front end
}
