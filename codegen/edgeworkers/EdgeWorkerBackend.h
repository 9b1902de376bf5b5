//===- EdgeWorkerBackend.h - Akamai EdgeWorkers bundles ----------*- C++ -*-===//
//
// Per `edgeworker`: `edgeworkers/<name>/main.js`, `edgeworkers/<name>/bundle.json`
// and `edgeworkers/<name>-<version>.tgz` (ustar + gzip, `bundle.json` and
// `main.js` at the root). Bundles over EdgeWorkers' size limits are errors.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "diag/Diagnostic.h"
#include "output/Artifacts.h"
#include "resolve/Loader.h"

namespace ward::codegen {

/// EdgeWorkers' code bundle limits, in bytes (512 KB compressed, 1 MB
/// uncompressed; taken as decimal units, the stricter reading).
constexpr size_t kMaxBundleCompressedBytes = 512'000;
constexpr size_t kMaxBundleUncompressedBytes = 1'000'000;

void generateEdgeWorkerArtifacts(const Program &program, const SourceManager &sm, llvm::StringRef compilerVersion,
                                 DiagnosticEngine &diags, ArtifactSet &out);

} // namespace ward::codegen
