//===- Artifacts.h - Build outputs, the manifest, atomic writing -*- C++ -*-===//
//
// Backends add artifacts (a relative path, bytes, a kind and the source
// ranges they came from) to an ArtifactSet; the set is then written
// atomically: everything goes into a fresh directory beside OUT, which
// replaces OUT only when complete. On any failure OUT is left as it was.
// Output is byte-identical across runs and machines: JSON keys sorted,
// artifacts sorted by path, no timestamps.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "source/SourceManager.h"

#include <llvm/Support/Error.h>
#include <llvm/Support/JSON.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace ward::codegen {

struct Artifact {
  std::string path; // relative to OUT, `/`-separated
  std::string kind; // e.g. "arm-template", "az-role-definition", "grpc-service-config"
  std::string bytes;
  std::vector<SourceRange> sources;
};

class ArtifactSet {
public:
  /// Adds an artifact; a second artifact with the same path is an internal error.
  void add(Artifact artifact);
  /// Pretty-printed JSON with sorted keys and a final newline.
  void addJson(std::string path, std::string kind, const llvm::json::Value &json, std::vector<SourceRange> sources);
  const std::map<std::string, Artifact> &artifacts() const { return artifacts_; }

  /// The manifest's JSON text: every artifact with its SHA-256, kind and source ranges.
  std::string manifest(const SourceManager &sm, llvm::StringRef compilerVersion) const;

  /// Writes every artifact and `manifest.json` into `outDir`, atomically.
  llvm::Error writeAtomically(llvm::StringRef outDir, const SourceManager &sm, llvm::StringRef compilerVersion) const;

private:
  std::map<std::string, Artifact> artifacts_;
};

/// Where an artifact came from, as the manifest lists it: file, line,
/// column, end line, end column; sorted, each once.
using SourceLocation = std::tuple<std::string, unsigned, unsigned, unsigned, unsigned>;
std::vector<SourceLocation> sourceLocations(const Artifact &artifact, const SourceManager &sm);

std::string toJsonText(const llvm::json::Value &json);
std::string sha256Hex(llvm::StringRef bytes);

} // namespace ward::codegen
