//===- KeySets.h - JSON Web Key Sets embedded into bundles -------*- C++ -*-===//
//
// An issuer with `jwks_file` has its keys embedded into EdgeWorkers bundles:
// the file is read when the policy is checked, relative to the policy file
// that names it, and only the public keys that can verify the issuer's pinned
// algorithms are kept (the same selection bundles apply to key sets they
// fetch). Problems are E0320 at the `jwks_file` value.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/AST.h"
#include "diag/Diagnostic.h"

#include <llvm/Support/JSON.h>

#include <optional>

namespace ward::sema {

/// The usable keys of `jwksFile`, reduced to the members verification needs,
/// in file order; nullopt (with a diagnostic) when the file cannot be read or
/// holds no usable key. `algorithms` are the issuer's pinned algorithms.
std::optional<llvm::json::Array> loadKeySet(llvm::StringRef issuerName, const std::vector<std::string> &algorithms,
                                            const Attribute &jwksFile, const SourceManager &sm,
                                            DiagnosticEngine &diags);

} // namespace ward::sema
