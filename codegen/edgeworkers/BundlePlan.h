//===- BundlePlan.h - What one EdgeWorkers bundle contains -------*- C++ -*-===//
//
// EdgeWorkerBackend decides, per `edgeworker`, which issuers, key sets and
// retry policies its routes use and which events the bundle handles;
// writeMainJsParts turns that plan into `main.js`.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analysis/EdgeRetry.h"
#include "ast/AST.h"

#include <llvm/Support/JSON.h>

#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

namespace ward::codegen {

struct IssuerPlan {
  const IssuerDecl *decl = nullptr;
  std::string constant;                        // the JavaScript constant holding it
  const llvm::json::Array *embedded = nullptr; // keys from `jwks_file`, as Sema read them
  std::string jwksUrl;                         // otherwise fetched from here, a property hostname
  int64_t jwksMaxAgeSeconds = 3600;
};

struct RetryPlan {
  const RetryDecl *decl = nullptr;
  std::string constant;
  RetrySpec spec;
};

struct BundlePlan {
  const EdgeWorkerDecl *edgeworker = nullptr;
  std::string source;                    // "examples/orders-api/orders.ward:35"
  std::vector<std::string> routeSources; // the same for each route
  std::string defaultSource;
  std::string compilerVersion;
  bool logFailures = true;
  std::vector<IssuerPlan> issuers;
  std::vector<RetryPlan> retries;
  /// The relays routes trigger or poll backups through.
  std::vector<const ResourceDecl *> relays;
  /// The default action; a provider bundle without one denies with 404.
  std::optional<RouteAction> defaultAction;

  const IssuerPlan *issuer(const Decl *decl) const;
  const RetryPlan *retry(const Decl *decl) const;
  bool fetchesKeys() const;
  /// Some route forwards with retry or calls a relay, so the bundle answers
  /// as the origin (responseProvider) and every forward goes through httpRequest.
  bool responseProvider() const { return !retries.empty() || !relays.empty(); }
  bool verifiesTokens() const { return !issuers.empty(); }
};

/// The bundle's `main.js`, in three parts: what the policy writes before
/// the runtime, the runtime (the same text in every bundle that uses the
/// same features, which the packer compresses once), and what follows it.
struct MainJsText {
  std::string beforeRuntime, runtime, afterRuntime;
  std::string joined() const { return beforeRuntime + runtime + afterRuntime; }
};
MainJsText writeMainJsParts(const BundlePlan &plan);

/// An issuer as a JavaScript constant (`const ENTRA_ISSUER = {...};` with its
/// comment), shared by the bundle and the relay, which verify alike.
std::string issuerConstantJs(const IssuerPlan &issuer);
/// A route's token requirement as a JavaScript constant.
std::string tokenRequirementJs(const std::string &constant, const TokenRequirement &req);
/// "GET, HEAD", or "any method" for a route without methods.
std::string methodsOf(const Route &r);
/// "GET, HEAD /api/orders/{id}": how logs and comments name a route.
std::string routeLabel(const Route &r);
/// JavaScript text for `text`: a JSON string literal that is also safe in
/// a script (U+2028/U+2029, `<` and `>` escaped).
std::string jsString(llvm::StringRef text);
/// `ENTRA_ISSUER` from `entra`: upper case, other characters as `_`, unique
/// among `taken` (Ward names may differ only in `-` versus `_`).
std::string jsConstantName(llvm::StringRef name, llvm::StringRef suffix, std::set<std::string> &taken);

} // namespace ward::codegen
