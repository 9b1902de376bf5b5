#include "Build.h"
#include "ast/Walk.h"
#include "azure_backup/BackupBackend.h"
#include "azure_rbac/RbacBackend.h"
#include "edgeworkers/EdgeWorkerBackend.h"
#include "relay/RelayBackend.h"
#include "retry/RetryBackend.h"
#include "source/PhaseTimer.h"

#include <llvm/Support/Path.h>

#include <set>

namespace ward::codegen {

void generateArtifacts(const Program &program, const SourceManager &sm, const analysis::AzureData &azure,
                       const analysis::Config &config, const analysis::PermissionModel &model,
                       llvm::StringRef compilerVersion, DiagnosticEngine &diags, ArtifactSet &out) {
  PhaseTimer timer("  generate");
  generateEdgeWorkerArtifacts(program, sm, compilerVersion, diags, out);
  timer.mark("edgeworkers");
  generateRelayArtifacts(program, model, sm, compilerVersion, diags, out);
  timer.mark("relays");

  // Retry policies: every one the user declares, and every stdlib preset a route uses.
  std::vector<const RetryDecl *> retries;
  std::set<const RetryDecl *> seen;
  auto addRetry = [&](const RetryDecl *r) {
    if (r && seen.insert(r).second) retries.push_back(r);
  };
  for (const auto &file : program.files)
    for (const auto &decl : file->decls) {
      if (!file->isStdlib()) addRetry(llvm::dyn_cast<RetryDecl>(decl.get()));
      forEachRef(std::as_const(*decl), [&](const Ref &ref, RefSite site) {
        if (site == RefSite::ForwardRetry) addRetry(llvm::dyn_cast_or_null<RetryDecl>(ref.target));
      });
    }
  std::sort(retries.begin(), retries.end(),
            [](const RetryDecl *a, const RetryDecl *b) { return a->name.text < b->name.text; });
  generateRetryArtifacts(retries, out, diags);
  timer.mark("retry");

  // The project name used in generated role names: configured, or the name
  // of the directory the first input is in.
  std::string project = config.project;
  if (project.empty() && !program.inputs.empty()) {
    llvm::StringRef dir = llvm::sys::path::parent_path(program.inputs.front()->path);
    project = dir.empty() ? "ward" : llvm::sys::path::filename(dir).str();
    if (project.empty() || project == "." || project == "..") project = "ward";
  }
  RbacPlan rbac = planRbac(program, model, azure, config, project, diags);
  generateRbacArtifacts(rbac, config, out);
  timer.mark("rbac");
  generateBackupArtifacts(program, model, out, diags);
  timer.mark("backup");
}

} // namespace ward::codegen
