// `wardc build` and backup relays: what the manifest lists, byte-identical
// rebuilds, and names no ARM URL can hold.
#include "TestSupport.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <catch2/catch.hpp>

#include <map>

using namespace ward::test;

TEST_CASE("a relay is listed in the manifest, files and zip, and rebuilds byte for byte", "[build][relay]") {
  TempDir dir;
  std::string out = dir.path() + "/out", again = dir.path() + "/again";
  REQUIRE(runWardc({"build", "examples/edge-backup", "-o", out}).exitCode == 0);
  REQUIRE(runWardc({"build", "examples/edge-backup", "-o", again}).exitCode == 0);
  llvm::Expected<llvm::json::Value> manifest = llvm::json::parse(readFile(out + "/manifest.json"));
  REQUIRE(bool(manifest));
  std::map<std::string, std::string> kinds;
  for (const llvm::json::Value &a : *manifest->getAsObject()->getArray("artifacts")) {
    const llvm::json::Object &artifact = *a.getAsObject();
    std::string path = artifact.getString("path")->str();
    if (llvm::StringRef(path).startswith("relays/")) kinds[path] = artifact.getString("kind")->str();
    CHECK(readFile(out + "/" + path) == readFile(again + "/" + path));
  }
  CHECK(kinds == std::map<std::string, std::string>{
                     {"relays/backup-relay.zip", "relay-zip"},
                     {"relays/backup-relay/host.json", "relay-host-json"},
                     {"relays/backup-relay/package-lock.json", "relay-package-lock"},
                     {"relays/backup-relay/package.json", "relay-package-json"},
                     {"relays/backup-relay/src/index.js", "relay-main"},
                 });
  // A zip: local headers first, the end-of-central-directory record last.
  std::string zip = readFile(out + "/relays/backup-relay.zip");
  CHECK(zip.substr(0, 4) == std::string("PK\x03\x04", 4));
  CHECK(zip.substr(zip.size() - 22, 4) == std::string("PK\x05\x06", 4));
}

TEST_CASE("a relay refuses names a URL would read as a step up the path, and writes nothing", "[build][relay]") {
  TempDir dir;
  std::string out = dir.path() + "/out";
  REQUIRE(runWardc({"build", "examples/vm-backup", "-o", out}).exitCode == 0);
  std::string before = readFile(out + "/manifest.json");
  for (const char *file : {"tenant.ward", "backups.ward", "checkpoint.ward"}) {
    std::string text = readFile(std::string("examples/edge-backup/") + file);
    if (std::string(file) == "backups.ward") {
      size_t at = text.find("resource_group = \"rg-backup\"");
      REQUIRE(at != std::string::npos);
      text.replace(at, 28, "resource_group = \"..\"");
    }
    dir.write(std::string("p/") + file, text);
  }
  RunResult r = runWardc({"build", dir.path() + "/p", "-o", out});
  INFO(r.err);
  CHECK(r.exitCode == 1);
  CHECK(r.err.find("error[G0002]: relay `backup-relay` cannot address \"..\" in an Azure Resource Manager URL") !=
        std::string::npos);
  CHECK(readFile(out + "/manifest.json") == before);
  CHECK_FALSE(llvm::sys::fs::exists(out + "/relays"));
}
