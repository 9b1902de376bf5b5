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
  /// Every path is written relative to this directory (uriBaseId SRCROOT),
  /// never as an absolute URI; `--sarif-root`, by default the git top level
  /// or else the current directory. Relative paths are taken from `cwd`.
  std::string sourceRoot;
  std::string cwd;
};

llvm::json::Value diagnosticsToSarif(const SourceManager &sm, const DiagnosticEngine &engine,
                                     const std::vector<RuleMetadata> &rules, const SarifOptions &options);

/// The directory SARIF paths are relative to when `--sarif-root` is not
/// given: the nearest ancestor of `cwd` holding `.git`, else `cwd`.
std::string defaultSarifRoot(llvm::StringRef cwd);

/// `a b.ward` -> `a%20b.ward`: RFC 3986 path encoding, `/` kept.
std::string percentEncodePath(llvm::StringRef path);

} // namespace ward
