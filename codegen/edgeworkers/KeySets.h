//===- KeySets.h - JSON Web Key Sets embedded into bundles -------*- C++ -*-===//
//
// An issuer with `jwks_file` has its keys embedded at build time: the file is
// read relative to the policy file that names it, and only the keys that can
// verify the issuer's pinned algorithms are kept (the same selection the
// bundle applies to key sets it fetches).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/AST.h"
#include "diag/Diagnostic.h"
#include "resolve/Loader.h"

#include <llvm/Support/JSON.h>

#include <optional>

namespace ward::codegen {

/// The algorithms generated bundles can verify.
bool bundleSupportsAlgorithm(llvm::StringRef alg);

/// The usable keys of the issuer's `jwks_file`, reduced to the members
/// verification needs, in file order; nullopt (with a diagnostic) when the
/// file cannot be read or holds no usable key.
std::optional<llvm::json::Array> loadEmbeddedKeys(const IssuerDecl &issuer, const Attribute &jwksFile,
                                                  const Program &program, DiagnosticEngine &diags);

} // namespace ward::codegen
