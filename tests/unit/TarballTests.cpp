// The .tgz writer against the system's own tar and gzip: the archive lists
// exactly the expected entries with mode 0644, owner 0/0 and mtime 0,
// unpacks to the same bytes, and is identical however often it is written.
// gzip with shared pieces (the bundles' runtime deflated once) unpacks to
// its input, whether or not the pieces came from the cache.
#include "Bytes.h"
#include "TestSupport.h"
#include "output/Tarball.h"

#include <fmt/format.h>
#include <llvm/Support/FileSystem.h>
#include <catch2/catch.hpp>

#include <optional>

using namespace ward;
using namespace ward::test;

namespace {

std::vector<codegen::TarEntry> sampleEntries() {
  std::string big(70000, 'x'); // several blocks, not a multiple of 512
  for (size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('a' + i % 26);
  return {{"main.js", "export function onClientRequest(request) {}\n"},
          {"bundle.json", "{\"edgeworker-version\": \"1.4.2\"}\n"},
          {"lib/data.bin", big},
          {"empty.txt", ""}};
}

} // namespace

TEST_CASE("tgz archives unpack with the system tar to exactly the given files", "[tarball]") {
  llvm::Expected<std::string> tgz = codegen::writeTgz(sampleEntries());
  REQUIRE(bool(tgz));
  TempDir dir;
  std::string archive = dir.write("bundle.tgz", *tgz);

  RunResult test = runProgram("gzip", {"-t", archive});
  CHECK(test.exitCode == 0);

  RunResult list = runProgram("tar", {"--numeric-owner", "-tvzf", archive});
  INFO(list.out << list.err);
  REQUIRE(list.exitCode == 0);
  std::vector<std::string> lines;
  llvm::SmallVector<llvm::StringRef, 8> split;
  llvm::StringRef(list.out).split(split, '\n', -1, false);
  for (llvm::StringRef line : split) lines.push_back(line.str());
  REQUIRE(lines.size() == 4);
  std::vector<std::string> names;
  for (const std::string &line : lines) {
    CHECK(llvm::StringRef(line).startswith("-rw-r--r-- 0/0 "));
    CHECK(line.find("1970-01-01 00:00") != std::string::npos);
    names.push_back(line.substr(line.rfind(' ') + 1));
  }
  CHECK(names == std::vector<std::string>{"bundle.json", "empty.txt", "lib/data.bin", "main.js"}); // sorted, no ./

  std::string unpacked = dir.path() + "/unpacked";
  REQUIRE_FALSE(llvm::sys::fs::create_directories(unpacked));
  REQUIRE(runProgram("tar", {"-xzf", archive, "-C", unpacked}).exitCode == 0);
  for (const codegen::TarEntry &e : sampleEntries()) {
    INFO(e.name);
    CHECK(readFile(unpacked + "/" + e.name) == e.bytes);
  }
}

TEST_CASE("tgz bytes depend only on the contents", "[tarball]") {
  std::vector<codegen::TarEntry> reversed = sampleEntries();
  std::reverse(reversed.begin(), reversed.end());
  llvm::Expected<std::string> a = codegen::writeTgz(sampleEntries()), b = codegen::writeTgz(reversed);
  REQUIRE(bool(a));
  REQUIRE(bool(b));
  CHECK(*a == *b);
  // gzip header: magic, deflate, no flags (no name), mtime 0.
  REQUIRE(a->size() > 10);
  CHECK(static_cast<unsigned char>((*a)[0]) == 0x1f);
  CHECK(static_cast<unsigned char>((*a)[1]) == 0x8b);
  CHECK((*a)[3] == 0);
  CHECK(a->substr(4, 4) == std::string(4, '\0'));
}

TEST_CASE("names a bundle cannot hold are refused", "[tarball]") {
  for (const char *bad : {"", "/etc/passwd", "../escape.js"}) {
    llvm::Expected<std::string> r = codegen::writeUstar({{bad, "x"}});
    CHECK_FALSE(bool(r));
    llvm::consumeError(r.takeError());
  }
  llvm::Expected<std::string> tooLong = codegen::writeUstar({{std::string(101, 'a'), "x"}});
  CHECK_FALSE(bool(tooLong));
  llvm::consumeError(tooLong.takeError());
  llvm::Expected<std::string> twice = codegen::writeUstar({{"main.js", "a"}, {"main.js", "b"}});
  CHECK_FALSE(bool(twice));
  llvm::consumeError(twice.takeError());
}

TEST_CASE("gzip with shared pieces unpacks to exactly its input", "[tarball]") {
  std::string text;
  for (int i = 0; i < 4000; ++i) text += fmt::format("function route{}(request) {{ return {}; }}\n", i, i * 7);
  text += randomBytes(5000, 3); // and bytes of every value
  const size_t n = text.size();
  using Ranges = std::vector<codegen::ByteRange>;
  std::vector<Ranges> cases{{},
                            {{0, n}},
                            {{0, 100}},
                            {{n - 100, n}},
                            {{1000, 50000}},
                            {{10, 20}, {20, 30}, {40000, 90000}},
                            {{500, 500}, {n, n}}};
  for (const Ranges &shared : cases) {
    INFO(shared.size() << " ranges, the first " << (shared.empty() ? 0 : shared[0].begin) << ".."
                       << (shared.empty() ? 0 : shared[0].end));
    llvm::Expected<std::string> gz = codegen::gzipSharing(text, shared);
    REQUIRE(bool(gz));
    std::optional<std::string> unpacked = gunzip(*gz);
    REQUIRE(unpacked.has_value());
    CHECK(*unpacked == text);
    // The same bytes whether the shared pieces were deflated now or taken
    // from the cache.
    llvm::Expected<std::string> again = codegen::gzipSharing(text, shared);
    REQUIRE(bool(again));
    CHECK(*again == *gz);
  }
  TempDir dir;
  llvm::Expected<std::string> gz = codegen::gzipSharing(text, Ranges{{1000, 50000}});
  REQUIRE(bool(gz));
  CHECK(runProgram("gzip", {"-t", dir.write("shared.gz", *gz)}).exitCode == 0);
}

TEST_CASE("pieces after a shared piece may refer back across it", "[tarball]") {
  // A prefix that deflate cannot shrink, a shared piece, and the prefix
  // again: with the history, the repeat costs a few back-references.
  std::string prefix = randomBytes(8000, 4), shared = randomBytes(4000, 5);
  std::string text = prefix + shared + prefix;
  llvm::Expected<std::string> gz = codegen::gzipSharing(text, {{prefix.size(), prefix.size() + shared.size()}});
  REQUIRE(bool(gz));
  CHECK(gunzip(*gz) == std::optional<std::string>(text));
  INFO("compressed to " << gz->size() << " bytes");
  CHECK(gz->size() < prefix.size() + shared.size() + 500);
}

TEST_CASE("shared ranges out of order are refused", "[tarball]") {
  std::string text(100, 'x');
  for (std::vector<codegen::ByteRange> bad : std::vector<std::vector<codegen::ByteRange>>{
           {{50, 60}, {10, 20}}, {{20, 10}}, {{90, 101}}, {{10, 30}, {20, 40}}}) {
    llvm::Expected<std::string> gz = codegen::gzipSharing(text, bad);
    CHECK_FALSE(bool(gz));
    llvm::consumeError(gz.takeError());
  }
}
