//===- Artifacts.h - Build outputs, the manifest, atomic writing -*- C++ -*-===//
//
// Backends add artifacts (a relative path, bytes, a kind and the source
// ranges they came from) to an ArtifactSet; the set is then written
// atomically: everything goes into a fresh directory beside OUT, which
// replaces OUT only when complete. On any failure OUT is left as it was.
// Output is byte-identical across runs and machines: JSON keys sorted,
// artifacts sorted by path, no timestamps.
//
// `wardc build` streams: each artifact is written into that directory, on
// a thread of its own, as soon as it is added, and only its path, size and
// hash are kept. A large policy's artifacts are several times its size and
// would otherwise all be held until the end.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "source/SourceManager.h"

#include <llvm/Support/Error.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <map>
#include <memory>
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

/// What the manifest lists for an artifact whose bytes were streamed to
/// disk (ArtifactSet::streamTo) and dropped.
struct StreamedDigest {
  uint64_t size = 0;
  std::string sha256; // hex
};

class StreamingWriter;

class ArtifactSet {
public:
  ArtifactSet();
  ArtifactSet(ArtifactSet &&) noexcept;
  ArtifactSet &operator=(ArtifactSet &&) noexcept;
  /// A set still streaming removes what it wrote: it was not committed.
  ~ArtifactSet();

  /// From now on every artifact added is written at once into a fresh
  /// directory beside `outDir` (its bytes are then dropped), and
  /// writeAtomically finishes that directory and moves it into place.
  /// Fails, and leaves the set holding artifacts in memory, when the
  /// directory cannot be made; writeAtomically then reports why.
  llvm::Error streamTo(llvm::StringRef outDir);
  bool streaming() const { return streaming_ != nullptr; }

  /// Adds an artifact; a second artifact with the same path is an internal
  /// error. While streaming, waits when the artifacts not yet written hold
  /// more than a few megabytes; the set keeps the artifact without its bytes.
  void add(Artifact artifact);
  /// Pretty-printed JSON with sorted keys and a final newline.
  void addJson(std::string path, std::string kind, const llvm::json::Value &json, std::vector<SourceRange> sources);
  const std::map<std::string, Artifact> &artifacts() const { return artifacts_; }

  /// The manifest's JSON text: every artifact with its SHA-256, kind and source ranges.
  std::string manifest(const SourceManager &sm, llvm::StringRef compilerVersion) const;
  /// The same text, written to `os` as it is made.
  void writeManifest(llvm::raw_ostream &os, const SourceManager &sm, llvm::StringRef compilerVersion) const;

  /// Writes every artifact and `manifest.json` into `outDir`, atomically.
  /// While streaming, `outDir` must be the directory given to streamTo; a
  /// set that was not streaming streams what it holds now. Either way the
  /// set keeps no bytes afterwards.
  llvm::Error writeAtomically(llvm::StringRef outDir, const SourceManager &sm, llvm::StringRef compilerVersion);

private:
  void streamOut(const std::string &path, Artifact &artifact);

  std::map<std::string, Artifact> artifacts_;
  std::map<std::string, StreamedDigest> streamed_; // by path; filled by the writer
  std::unique_ptr<StreamingWriter> streaming_;
};

/// Where an artifact came from, as the manifest lists it: file, line,
/// column, end line, end column; sorted, each once.
using SourceLocation = std::tuple<std::string, unsigned, unsigned, unsigned, unsigned>;
std::vector<SourceLocation> sourceLocations(const Artifact &artifact, const SourceManager &sm);

std::string toJsonText(const llvm::json::Value &json);
std::string sha256Hex(llvm::StringRef bytes);

} // namespace ward::codegen
