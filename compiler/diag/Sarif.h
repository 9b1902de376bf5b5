//===- Sarif.h - SARIF 2.1.0 output -----------------------------*- C++ -*-===//
#pragma once

#include "diag/Diagnostic.h"

#include <llvm/Support/JSON.h>

namespace ward {

/// What SARIF's `tool.driver.rules[]` says about one diagnostic code.
struct RuleMetadata {
  std::string id;
  std::string name;             // e.g. "credential-exposure"
  std::string shortDescription; // one line
  std::string fullDescription;  // a paragraph
  std::string help;             // markdown (the rule's doc page)
  std::string level;            // default level: "error", "warning", "note" or "none"
};

struct SarifOptions {
  std::string toolVersion;
  std::string informationUri = "https://github.com/ward-policy/ward";
  /// Paths under this directory are written relative to it (with uriBaseId
  /// SRCROOT); typically the current directory.
  std::string sourceRoot;
};

llvm::json::Value diagnosticsToSarif(const SourceManager &sm, const DiagnosticEngine &engine,
                                     const std::vector<RuleMetadata> &rules, const SarifOptions &options);

/// `a b.ward` -> `a%20b.ward`: RFC 3986 path encoding, `/` kept.
std::string percentEncodePath(llvm::StringRef path);

} // namespace ward
