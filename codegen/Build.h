//===- Build.h - Every backend over a checked program -----------*- C++ -*-===//
#pragma once

#include "analysis/Rules.h"
#include "output/Artifacts.h"
#include "resolve/Loader.h"

namespace ward::codegen {

/// Runs every backend over a program that checked without errors. Backends
/// report what they cannot generate; the caller writes nothing if any error
/// was reported.
/// `model` is the compilation's permission model, the one the rules used.
void generateArtifacts(const Program &program, const SourceManager &sm, const analysis::AzureData &azure,
                       const analysis::Config &config, const analysis::PermissionModel &model,
                       llvm::StringRef compilerVersion, DiagnosticEngine &diags, ArtifactSet &out);

} // namespace ward::codegen
