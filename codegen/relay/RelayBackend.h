//===- RelayBackend.h - Backup relays as Azure Functions apps ---*- C++ -*-===//
//
// For every relay that edge routes trigger or poll backups through:
// `relays/<name>/` (host.json, package.json, src/index.js) and
// `relays/<name>.zip` for zip deploy. The app verifies tokens with the
// bundle's own runtime and issuer settings, so edge and relay agree.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analysis/Model.h"
#include "diag/Diagnostic.h"
#include "output/Artifacts.h"

namespace ward::codegen {

/// The `@azure/functions` release generated relays depend on, exactly.
inline constexpr const char *kAzureFunctionsPackageVersion = "4.16.5";
/// The Azure Backup REST API version the relay calls.
inline constexpr const char *kBackupApiVersion = "2025-08-01";

void generateRelayArtifacts(const Program &program, const analysis::PermissionModel &model, const SourceManager &sm,
                            llvm::StringRef compilerVersion, DiagnosticEngine &diags, ArtifactSet &out);

} // namespace ward::codegen
