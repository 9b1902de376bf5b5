// `wardc check` and then `wardc build` into memory on one policy file (an
// editor buffer, so nothing touches the disk): never a crash, a hang or a
// sanitizer report, whatever the input; a program that checks clean either
// generates every artifact or reports why not (an error, never silence).
// Every EdgeWorkers bundle unpacks (zlib's own inflate, then the ustar
// headers) to exactly the main.js and bundle.json written beside it: the
// gzip stream is spliced from pieces deflated apart.
#include "Bytes.h"
#include "FuzzSupport.h"
#include "driver/Driver.h"

#include <cstring>
#include <map>
#include <set>

namespace {

std::string inflateGzip(const std::string &gz) {
  std::optional<std::string> tar = ward::test::gunzip(gz);
  if (!tar) ward::fuzz::propertyFailed("a bundle is one whole gzip stream", "", "");
  return *tar;
}

/// The regular files of a ustar archive, by name.
std::map<std::string, std::string> untar(const std::string &tar) {
  std::map<std::string, std::string> files;
  for (size_t at = 0; at + 512 <= tar.size();) {
    std::string name(tar.c_str() + at, strnlen(tar.c_str() + at, 100));
    if (name.empty()) break; // the end-of-archive blocks
    size_t size = std::stoull(std::string(tar, at + 124, 11), nullptr, 8);
    if (at + 512 + size > tar.size()) ward::fuzz::propertyFailed("tar entries fit the archive", name, "");
    files[name] = tar.substr(at + 512, size);
    at += 512 + (size + 511) / 512 * 512;
  }
  return files;
}

void checkBundles(const ward::codegen::ArtifactSet &artifacts) {
  std::set<std::string> mainJs, bundleJson;
  for (const auto &[path, a] : artifacts.artifacts()) {
    if (a.kind == "edgeworker-main") mainJs.insert(a.bytes);
    if (a.kind == "edgeworker-bundle-json") bundleJson.insert(a.bytes);
  }
  for (const auto &[path, a] : artifacts.artifacts()) {
    if (a.kind != "edgeworker-bundle") continue;
    std::map<std::string, std::string> files = untar(inflateGzip(a.bytes));
    if (files.size() != 2 || !mainJs.count(files["main.js"]) || !bundleJson.count(files["bundle.json"]))
      ward::fuzz::propertyFailed("a bundle holds the main.js and bundle.json written beside it", path, "");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path = "/nonexistent-ward-fuzz/policy.ward";
  ward::Compilation compilation(ward::fuzz::loadOptions());
  compilation.setBuffer(path, std::string(reinterpret_cast<const char *>(data), size));
  if (!compilation.check({path})) return 0;
  if (compilation.diagnostics().hasErrors()) ward::fuzz::propertyFailed("check() is true only without errors", "", "");
  std::optional<ward::codegen::ArtifactSet> artifacts = compilation.generate("fuzz");
  // A generation error is a diagnostic of its own; both outcomes are fine
  // here, but what was generated must be whole.
  if (artifacts) checkBundles(*artifacts);
  return 0;
}
