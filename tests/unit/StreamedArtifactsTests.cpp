// `wardc build` streams its artifacts to disk as they are made
// (ArtifactSet::streamTo). What it leaves must be exactly what writing the
// whole set at the end leaves, and a build that is abandoned or fails must
// leave the output directory as it was and nothing beside it.
#include "TestSupport.h"
#include "output/Artifacts.h"

#include <llvm/Support/FileSystem.h>

#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::codegen;
using namespace ward::test;

namespace {

size_t entriesIn(const std::string &dir) {
  std::error_code ec;
  size_t entries = 0;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) ++entries;
  return entries;
}

/// Artifacts in nested directories, an empty one, and one larger than what
/// the streaming writer lets wait (so that adding it waits for the rest).
std::vector<Artifact> sampleArtifacts(FileID file) {
  std::vector<Artifact> out;
  for (int i = 0; i < 300; ++i)
    out.push_back({"retry/r" + std::to_string(i) + ".json",
                   "ward-retry",
                   "{\"n\": " + std::to_string(i) + "}\n",
                   {SourceRange{file, 0, 3}}});
  out.push_back({"edgeworkers/gw/main.js", "edgeworker-main", "export {};\n", {SourceRange{file, 4, 9}}});
  out.push_back({"empty.txt", "note", "", {}});
  std::string large(20 << 20, 'x');
  for (size_t i = 0; i < large.size(); i += 4093) large[i] = static_cast<char>('a' + i % 26);
  out.push_back({"azure/rbac.json", "arm-template", std::move(large), {SourceRange{file, 0, 9}}});
  return out;
}

} // namespace

TEST_CASE("a streamed set leaves exactly the files and manifest of one written at the end", "[artifacts]") {
  SourceManager sm;
  FileID file = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy("resource x\nline\n"), "p.ward");
  TempDir dir;
  std::string held = dir.path() + "/held", streamed = dir.path() + "/streamed";

  ArtifactSet inMemory;
  for (Artifact &a : sampleArtifacts(file)) inMemory.add(std::move(a));
  REQUIRE_FALSE(bool(inMemory.writeAtomically(held, sm, "1.0")));

  ArtifactSet set;
  std::vector<Artifact> artifacts = sampleArtifacts(file);
  set.add(artifacts[0]); // added before streaming starts: written too
  REQUIRE_FALSE(bool(set.streamTo(streamed)));
  REQUIRE(set.streaming());
  for (size_t i = 1; i < artifacts.size(); ++i) set.add(std::move(artifacts[i]));
  REQUIRE_FALSE(bool(set.writeAtomically(streamed, sm, "1.0")));

  std::map<std::string, std::string> expected = readTree(held);
  CHECK(expected.size() == 304); // 303 artifacts and the manifest
  CHECK(readTree(streamed) == expected);
  // The set kept what the manifest needs, not the bytes.
  for (const auto &[path, artifact] : set.artifacts()) CHECK(artifact.bytes.empty());
  CHECK(entriesIn(dir.path()) == 2); // no staging directory left beside them
}

TEST_CASE("a streamed set that is never written leaves the output as it was", "[artifacts]") {
  SourceManager sm;
  FileID file = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy("resource x\n"), "p.ward");
  TempDir dir;
  std::string out = dir.path() + "/out";
  dir.write("out/keep.txt", "from the last build");
  {
    ArtifactSet set;
    REQUIRE_FALSE(bool(set.streamTo(out)));
    for (Artifact &a : sampleArtifacts(file)) set.add(std::move(a));
    CHECK(entriesIn(dir.path()) == 2); // out/ and the staging directory, being filled
  }                                    // a build whose generation reported errors ends here
  CHECK(readTree(out) == std::map<std::string, std::string>{{"keep.txt", "from the last build"}});
  CHECK(entriesIn(dir.path()) == 1);
}

TEST_CASE("a streamed set that is never written removes the directories it made for the output", "[artifacts]") {
  SourceManager sm;
  FileID file = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy("resource x\n"), "p.ward");
  TempDir dir;
  dir.write("kept/file.txt", "x");
  {
    ArtifactSet set;
    REQUIRE_FALSE(bool(set.streamTo(dir.path() + "/new/deeper/out")));
    set.add(sampleArtifacts(file).front());
    CHECK(llvm::sys::fs::is_directory(dir.path() + "/new/deeper"));
  }
  CHECK(readTree(dir.path()) == std::map<std::string, std::string>{{"kept/file.txt", "x"}});
  CHECK(entriesIn(dir.path()) == 1);
  {
    ArtifactSet set;
    REQUIRE_FALSE(bool(set.streamTo(dir.path() + "/kept/out"))); // its parent was there: it stays
  }
  CHECK(readTree(dir.path()) == std::map<std::string, std::string>{{"kept/file.txt", "x"}});
  // A build that completes keeps them.
  ArtifactSet set;
  REQUIRE_FALSE(bool(set.streamTo(dir.path() + "/made/out")));
  set.add({"x.json", "note", "{}\n", {}});
  REQUIRE_FALSE(bool(set.writeAtomically(dir.path() + "/made/out", sm, "1.0")));
  CHECK(readFile(dir.path() + "/made/out/x.json") == "{}\n");
}

TEST_CASE("a streamed write that fails is reported, and the output is left as it was", "[artifacts]") {
  SourceManager sm;
  TempDir dir;
  std::string out = dir.path() + "/out";
  dir.write("out/keep.txt", "from the last build");
  ArtifactSet set;
  REQUIRE_FALSE(bool(set.streamTo(out)));
  // `a` is written as a file, so `a/b` has no directory to go into.
  set.add({"a", "note", "a file", {}});
  set.add({"a/b", "note", "under a file", {}});
  set.add({"c", "note", "fine", {}});
  llvm::Error e = set.writeAtomically(out, sm, "1.0");
  REQUIRE(bool(e));
  std::string message = llvm::toString(std::move(e));
  CHECK(message.find("/a") != std::string::npos);
  CHECK(readTree(out) == std::map<std::string, std::string>{{"keep.txt", "from the last build"}});
  CHECK(entriesIn(dir.path()) == 1);
}

TEST_CASE("streaming into a path that is a file fails before anything is written", "[artifacts]") {
  TempDir dir;
  std::string file = dir.write("a-file", "x");
  ArtifactSet set;
  llvm::Error e = set.streamTo(file);
  REQUIRE(bool(e));
  CHECK(llvm::toString(std::move(e)).find("not a directory") != std::string::npos);
  CHECK_FALSE(set.streaming());
  set.add({"x.json", "note", "{}\n", {}});
  CHECK(set.artifacts().at("x.json").bytes == "{}\n"); // held, for writeAtomically to report
  CHECK(entriesIn(dir.path()) == 1);
}
