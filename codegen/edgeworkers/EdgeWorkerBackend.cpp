#include "edgeworkers/EdgeWorkerBackend.h"
#include "edgeworkers/BundlePlan.h"
#include "output/JsonWriter.h"
#include "output/Tarball.h"

#include <fmt/format.h>
#include <llvm/Support/Parallel.h>

#include <map>
#include <set>

namespace ward::codegen {
namespace {

/// The algorithms generated bundles verify.
bool bundleSupportsAlgorithm(llvm::StringRef alg) { return alg == "RS256" || alg == "ES256"; }

class BundlePlanner {
public:
  BundlePlanner(const SourceManager &sm, DiagnosticEngine &diags) : sm_(sm), diags_(diags) {}

  std::optional<BundlePlan> plan(const EdgeWorkerDecl &ew, llvm::StringRef compilerVersion) {
    BundlePlan plan;
    plan.edgeworker = &ew;
    plan.source = where(ew.name.range);
    plan.compilerVersion = compilerVersion.str();
    plan.logFailures = ew.settings.logFailures;
    bool ok = true;
    std::set<std::string> taken;
    for (const Route &route : ew.routes) {
      plan.routeSources.push_back(where(route.keyword));
      const RouteAction &action = route.actions.front();
      if (route.require && !plan.issuer(route.require->issuer.target)) {
        auto *issuer = llvm::cast<IssuerDecl>(route.require->issuer.target);
        std::optional<IssuerPlan> ip = planIssuer(ew, *issuer, taken);
        if (!ip) ok = false;
        else plan.issuers.push_back(std::move(*ip));
      }
      auto *relay = llvm::dyn_cast_or_null<ResourceDecl>(action.relay().target);
      bool relayed = action.kind == RouteAction::Kind::TriggerBackup || action.kind == RouteAction::Kind::PollBackup;
      if (relayed && relay && !llvm::is_contained(plan.relays, relay)) plan.relays.push_back(relay);
      if (action.kind == RouteAction::Kind::Forward && action.retry && !plan.retry(action.retry->target)) {
        auto *retry = llvm::cast<RetryDecl>(action.retry->target);
        plan.retries.push_back({retry, jsConstantName(retry->name.text, "RETRY", taken), retry->spec});
      }
    }
    if (!ew.defaults.empty()) {
      plan.defaultAction = ew.defaults.front();
      plan.defaultSource = where(ew.defaults.front().range);
    } else if (plan.responseProvider()) {
      // responseProvider answers as the origin for every request the
      // EdgeWorker runs on, so there is no origin left to fall through to.
      RouteAction deny;
      deny.kind = RouteAction::Kind::Deny;
      deny.range = ew.name.range;
      plan.defaultAction = deny;
      plan.defaultSource = plan.source;
      diags_
          .report(DiagID::NotExpressible, ew.name.range,
                  fmt::format("edgeworker `{}` retries through responseProvider, which answers as the origin for every "
                              "request; requests no route matches are denied with 403",
                              ew.name.text))
          .withHelp("add a `default` (e.g. `default deny 404`) to choose what they get");
    }
    if (!ok) return std::nullopt;
    return plan;
  }

private:
  std::string where(SourceRange range) const {
    return fmt::format("{}:{}", sm_.displayPath(range.file), sm_.lineColumn(range.file, range.begin).line);
  }

  std::optional<IssuerPlan> planIssuer(const EdgeWorkerDecl &ew, const IssuerDecl &issuer,
                                       std::set<std::string> &taken) {
    IssuerPlan ip;
    ip.decl = &issuer;
    ip.constant = jsConstantName(issuer.name.text, "ISSUER", taken);
    const IssuerSettings &settings = issuer.settings;
    bool ok = true;
    for (const TextSetting &alg : settings.algorithms)
      if (!bundleSupportsAlgorithm(*alg)) {
        diags_
            .report(DiagID::BuildFailed, alg.range(),
                    fmt::format("issuer `{}`: EdgeWorkers bundles verify RS256 and ES256 tokens, not {}",
                                issuer.name.text, *alg))
            .withHelp("pin `algorithms = [RS256]` or `[ES256]`, whichever the issuer signs with");
        ok = false;
      }
    if (settings.jwksFile) {
      ip.embedded = issuer.embeddedKeys ? &*issuer.embeddedKeys : nullptr; // checked clean, so Sema read them
      ok = ok && ip.embedded;
    } else if (settings.jwks) {
      // Checked clean: Sema settled a URL on a hostname the property serves.
      ip.jwksUrl = ew.subrequestUrl(&issuer).str();
      if (settings.jwksMaxAgeMs) ip.jwksMaxAgeSeconds = *settings.jwksMaxAgeMs / 1000;
    } else {
      diags_
          .report(DiagID::BuildFailed, issuer.name.range,
                  fmt::format("issuer `{}` names no keys, so its tokens cannot be verified", issuer.name.text))
          .withHelp("add `jwks = \"https://...\"` (fetched at the edge) or `jwks_file = \"keys.json\"` (embedded)");
      ok = false;
    }
    if (!ok) return std::nullopt;
    return ip;
  }

  const SourceManager &sm_;
  DiagnosticEngine &diags_;
};

llvm::json::Value bundleJson(const EdgeWorkerDecl &ew, llvm::StringRef compilerVersion) {
  llvm::json::Object misc{{"edgeworker", ew.name.text.ref()},
                          {"generator", fmt::format("wardc {}", compilerVersion.str())}};
  const EdgeWorkerSettings &settings = ew.settings;
  if (settings.id) misc["id"] = *settings.id;
  if (settings.tier) misc["tier"] = settings.tier.spelling().str();
  llvm::json::Object bundle{{"edgeworker-version", *settings.version}, {"misc", std::move(misc)}};
  if (settings.description) bundle["description"] = *settings.description;
  return bundle;
}

/// One edgeworker's bundle on its way out: written by the planner (in
/// declaration order, since it reports), then packed and compressed.
struct PendingBundle {
  const EdgeWorkerDecl *ew;
  BundlePlan plan;
  std::string mainJs, bundleJson;
  std::string tgz;
  size_t tarBytes = 0; // the unpacked size EdgeWorkers limits
  std::string error;   // why it could not be packed or compressed
};

/// Writes, packs and compresses one bundle. Independent of every other
/// bundle (it reads the plan and the checked AST), so bundles are made in
/// parallel: deflate at the best compression is most of what `build` spends
/// on EdgeWorkers, and the runtime, the same in most bundles, is deflated
/// once (gzipSharing).
void pack(PendingBundle &b) {
  MainJsText mainJs = writeMainJsParts(b.plan);
  b.mainJs = mainJs.joined();
  std::vector<TarEntry> entries{{"bundle.json", b.bundleJson}, {"main.js", b.mainJs}};
  std::map<std::string, size_t> offsets;
  llvm::Expected<std::string> tar = writeUstar(entries, &offsets);
  if (!tar) {
    b.error = fmt::format("cannot pack the bundle of `{}`: {}", b.ew->name.text, llvm::toString(tar.takeError()));
    return;
  }
  size_t runtimeStart = offsets.at("main.js") + mainJs.beforeRuntime.size();
  ByteRange runtime{runtimeStart, runtimeStart + mainJs.runtime.size()};
  llvm::Expected<std::string> tgz = gzipSharing(*tar, runtime);
  if (!tgz) {
    b.error = fmt::format("cannot compress the bundle of `{}`: {}", b.ew->name.text, llvm::toString(tgz.takeError()));
    return;
  }
  b.tarBytes = tar->size();
  b.tgz = std::move(*tgz);
}

/// Adds a packed bundle's artifacts, or reports why it has none.
void addBundle(PendingBundle &b, DiagnosticEngine &diags, ArtifactSet &out) {
  const EdgeWorkerDecl &ew = *b.ew;
  if (!b.error.empty()) {
    diags.report(DiagID::BuildFailed, ew.name.range, b.error);
    return;
  }
  if (b.tgz.size() > kMaxBundleCompressedBytes || b.tarBytes > kMaxBundleUncompressedBytes) {
    diags
        .report(DiagID::BundleTooLarge, ew.name.range,
                fmt::format("the bundle of `{}` is {} bytes compressed and {} bytes unpacked; EdgeWorkers accepts at "
                            "most {} compressed and {} unpacked",
                            ew.name.text, b.tgz.size(), b.tarBytes, kMaxBundleCompressedBytes,
                            kMaxBundleUncompressedBytes))
        .withHelp("split the routes over several edgeworkers, or fetch large key sets at the edge (`jwks`) instead "
                  "of embedding them");
    return;
  }
  std::string dir = "edgeworkers/" + ew.name.text.str();
  std::vector<SourceRange> sources{ew.range};
  out.add({dir + "/main.js", "edgeworker-main", std::move(b.mainJs), sources});
  out.add({dir + "/bundle.json", "edgeworker-bundle-json", std::move(b.bundleJson), sources});
  out.add({fmt::format("edgeworkers/{}-{}.tgz", ew.name.text, *ew.settings.version), "edgeworker-bundle",
           std::move(b.tgz), sources});
}

} // namespace

void generateEdgeWorkerArtifacts(const Program &program, const SourceManager &sm, llvm::StringRef compilerVersion,
                                 DiagnosticEngine &diags, ArtifactSet &out) {
  BundlePlanner planner(sm, diags);
  std::vector<PendingBundle> bundles;
  for (const auto &file : program.files) {
    if (file->isStdlib()) continue;
    for (const auto &decl : file->decls) {
      auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(decl.get());
      if (!ew) continue;
      std::optional<BundlePlan> plan = planner.plan(*ew, compilerVersion);
      if (!plan) continue;
      bundles.push_back({ew, std::move(*plan), {}, toJsonText(bundleJson(*ew, compilerVersion)), {}, 0, {}});
    }
  }
  // Packed a batch at a time, and each batch handed on before the next is
  // made: a streaming build (ArtifactSet::streamTo) then holds a batch's
  // bundles, not every bundle of the policy.
  constexpr size_t kBatch = 256;
  for (size_t first = 0; first < bundles.size(); first += kBatch) {
    size_t count = std::min(kBatch, bundles.size() - first);
    llvm::parallelForEachN(first, first + count, [&](size_t i) { pack(bundles[i]); });
    for (size_t i = first; i < first + count; ++i) addBundle(bundles[i], diags, out);
  }
}

} // namespace ward::codegen
