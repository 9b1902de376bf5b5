//===- CodeLens.cpp - What each declaration generates ---------------------===//
//
// Above each declaration that generates something (an edgeworker, an
// `allow`, a `backup`, a retry), one lens per artifact it contributes to,
// titled with what matters in it: a bundle's compressed size against
// EdgeWorkers' limit, a custom role's action counts, an ARM template's
// resources. The artifacts are the ones `wardc build` writes, generated in
// memory; a lens's command opens the artifact's text.
//
//===----------------------------------------------------------------------===//
#include "edgeworkers/EdgeWorkerBackend.h"
#include "lsp/Features.h"

#include <fmt/format.h>

namespace ward::lsp {
namespace {

std::string plural(size_t n, llvm::StringRef noun) { return fmt::format("{} {}{}", n, noun.str(), n == 1 ? "" : "s"); }

size_t arraySize(const llvm::json::Object &o, llvm::StringRef key) {
  const llvm::json::Array *a = o.getArray(key);
  return a ? a->size() : 0;
}

std::string roleTitle(const codegen::Artifact &a) {
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(a.bytes);
  const llvm::json::Object *role = json ? json->getAsObject() : nullptr;
  if (!json) llvm::consumeError(json.takeError());
  if (!role) return "role " + a.path;
  std::vector<std::string> counts;
  size_t actions = arraySize(*role, "Actions"), dataActions = arraySize(*role, "DataActions");
  if (actions || !dataActions) counts.push_back(plural(actions, "action"));
  if (dataActions) counts.push_back(plural(dataActions, "data action"));
  return fmt::format("role {}: {}", role->getString("Name").getValueOr("?").str(), llvm::join(counts, ", "));
}

/// A resource type's last segment as words: `roleAssignments` → `role
/// assignments`, or `role assignment` for one; `backupPolicies` → `backup policy`.
std::string words(llvm::StringRef type, size_t n) {
  std::string out;
  for (char c : type) {
    if (c >= 'A' && c <= 'Z') out += ' ';
    out += llvm::toLower(c);
  }
  if (n != 1) return out;
  llvm::StringRef one(out);
  if (one.consume_back("ies")) return one.str() + "y";
  one.consume_back("s");
  return one.str();
}

/// `ARM template azure/rbac.json: 3 roleDefinitions, 3 roleAssignments`.
std::string templateTitle(const codegen::Artifact &a) {
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(a.bytes);
  const llvm::json::Object *root = json ? json->getAsObject() : nullptr;
  if (!json) llvm::consumeError(json.takeError());
  const llvm::json::Array *resources = root ? root->getArray("resources") : nullptr;
  std::vector<std::pair<std::string, size_t>> counts; // in the template's order
  for (const llvm::json::Value &r : resources ? *resources : llvm::json::Array{}) {
    const llvm::json::Object *resource = r.getAsObject();
    llvm::StringRef type = resource ? resource->getString("type").getValueOr("") : "";
    std::string last = type.rsplit('/').second.empty() ? type.str() : type.rsplit('/').second.str();
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto &c) { return c.first == last; });
    if (it == counts.end()) counts.push_back({last, 1});
    else ++it->second;
  }
  std::vector<std::string> parts;
  for (const auto &[type, n] : counts) parts.push_back(fmt::format("{} {}", n, words(type, n)));
  return "ARM template " + a.path + (parts.empty() ? "" : ": " + llvm::join(parts, ", "));
}

std::string kb(size_t bytes) {
  return bytes % 1000 == 0 ? fmt::format("{} KB", bytes / 1000) : fmt::format("{:.1f} KB", bytes / 1000.0);
}

/// The title of `a`'s lens, or nullopt for an artifact another lens opens
/// (a bundle's main.js and bundle.json).
std::optional<std::string> titleOf(const codegen::Artifact &a) {
  if (a.kind == "az-role-definition") return roleTitle(a);
  if (a.kind == "arm-template") return templateTitle(a);
  if (a.kind == "edgeworker-bundle")
    return fmt::format("bundle {}: {} of {}", llvm::StringRef(a.path).rsplit('/').second.str(), kb(a.bytes.size()),
                       kb(codegen::kMaxBundleCompressedBytes));
  if (a.kind == "ward-retry") return "Ward retry config";
  if (a.kind == "grpc-service-config") return "gRPC service config";
  if (a.kind == "envoy-retry-policy") return "Envoy retry policy";
  if (a.kind == "relay-zip")
    return fmt::format("relay {}: {} to zip deploy", llvm::StringRef(a.path).rsplit('/').second.str(),
                       kb(a.bytes.size()));
  if (a.kind == "edgeworker-main" || a.kind == "edgeworker-bundle-json" || a.kind == "relay-main" ||
      a.kind == "relay-host-json" || a.kind == "relay-package-json" || a.kind == "relay-package-lock")
    return std::nullopt;
  return a.kind + " " + a.path;
}

/// The text a lens opens: a bundle's or relay's code (the archives are
/// binary), else the artifact.
std::string textArtifactOf(const codegen::Artifact &a, const codegen::ArtifactSet &artifacts) {
  llvm::StringRef code = a.kind == "edgeworker-bundle" ? "edgeworker-main" : a.kind == "relay-zip" ? "relay-main" : "";
  if (code.empty()) return a.path;
  for (const auto &[path, other] : artifacts.artifacts())
    if (other.kind == code && other.sources.size() == a.sources.size() &&
        std::equal(a.sources.begin(), a.sources.end(), other.sources.begin(),
                   [](SourceRange x, SourceRange y) { return x.file == y.file && x.begin == y.begin; }))
      return path;
  return a.path;
}

bool generates(const codegen::Artifact &a, const Decl &decl) {
  return std::any_of(a.sources.begin(), a.sources.end(), [&](SourceRange s) {
    return s.file == decl.range.file && s.begin >= decl.range.begin && s.begin < decl.range.end;
  });
}

/// Lenses of one declaration in this order: what it is for first (a bundle,
/// a role, Ward's own retry config), what gathers it with others after.
int lensOrder(llvm::StringRef kind) {
  for (auto [k, order] : {std::pair{"edgeworker-bundle", 0},
                          {"relay-zip", 0},
                          {"az-role-definition", 0},
                          {"ward-retry", 0},
                          {"grpc-service-config", 1},
                          {"envoy-retry-policy", 2}})
    if (kind == k) return order;
  return 3;
}

} // namespace

std::vector<GeneratedLens> generatedLenses(const SourceFile &file, const codegen::ArtifactSet &artifacts) {
  std::vector<GeneratedLens> out;
  for (const auto &decl : file.decls) {
    std::vector<const codegen::Artifact *> mine;
    for (const auto &[path, artifact] : artifacts.artifacts())
      if (generates(artifact, *decl)) mine.push_back(&artifact);
    std::stable_sort(mine.begin(), mine.end(),
                     [](auto *a, auto *b) { return lensOrder(a->kind) < lensOrder(b->kind); });
    for (const codegen::Artifact *artifact : mine)
      if (std::optional<std::string> title = titleOf(*artifact))
        out.push_back({decl->keyword, std::move(*title), textArtifactOf(*artifact, artifacts)});
  }
  return out;
}

} // namespace ward::lsp
