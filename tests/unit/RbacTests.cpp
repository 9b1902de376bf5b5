#include "TestSupport.h"

#include "analysis/Model.h"
#include "azure_rbac/RbacBackend.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <catch2/catch.hpp>

#include <set>

using namespace ward;
using namespace ward::test;

namespace {

std::map<std::string, std::string> exampleFiles(const std::string &dir) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(sourceDir() + "/" + dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".ward")
      files[llvm::sys::path::filename(it->path()).str()] = readFile(it->path());
  return files;
}

const char *kExamples[] = {"examples/orders-api", "examples/vm-backup", "examples/multi-issuer-gateway"};

} // namespace

TEST_CASE("each principal's generated roles grant exactly the actions its intents need", "[rbac]") {
  for (const char *example : kExamples) {
    INFO(example);
    CheckResult r = check(exampleFiles(example));
    REQUIRE(r.ok);
    DiagnosticEngine diags;
    analysis::PermissionModel model =
        analysis::PermissionModel::build(r.compilation->program(), r.compilation->azureData().roles);
    codegen::RbacPlan plan = codegen::planRbac(r.compilation->program(), model, r.compilation->azureData(),
                                               r.compilation->config(), "test", diags);
    REQUIRE_FALSE(diags.hasErrors());
    REQUIRE_FALSE(plan.roles.empty());
    for (const analysis::Principal &p : model.principals()) {
      INFO(p.identity->name.text);
      std::set<std::pair<std::string, bool>> needed, granted;
      for (const analysis::Need &n : p.intents) needed.insert({n.action().str(), n.data()});
      std::set<const codegen::RoleSpec *> rolesOfPrincipal;
      for (const codegen::AssignmentSpec &a : plan.assignments)
        if (a.principal == p.identity) rolesOfPrincipal.insert(a.role);
      for (const codegen::RoleSpec *role : rolesOfPrincipal) {
        CHECK(std::is_sorted(role->actions.begin(), role->actions.end()));
        CHECK(std::adjacent_find(role->actions.begin(), role->actions.end()) == role->actions.end());
        for (const std::string &a : role->actions) granted.insert({a, false});
        for (const std::string &a : role->dataActions) granted.insert({a, true});
        for (const std::string &a : role->actions) CHECK_FALSE(llvm::StringRef(a).contains('*'));
      }
      // Recomputed with the matching engine, both ways: nothing missing, nothing extra.
      for (auto &[action, data] : needed)
        CHECK(std::any_of(granted.begin(), granted.end(), [&, &action = action, data = data](auto &g) {
          return g.second == data && analysis::actionMatches(g.first, action);
        }));
      for (auto &[action, data] : granted)
        CHECK(std::any_of(needed.begin(), needed.end(), [&, &action = action, data = data](auto &n) {
          return n.second == data && analysis::actionMatches(action, n.first);
        }));
      // Every assignment is at exactly a resource an intent names.
      for (const codegen::AssignmentSpec &a : plan.assignments) {
        if (a.principal != p.identity) continue;
        CHECK(std::any_of(p.intents.begin(), p.intents.end(),
                          [&](const analysis::Need &n) { return *n.scope() == a.scope; }));
      }
    }
  }
}

TEST_CASE("generated roles, written back as grants, trip none of Ward's rules", "[rbac]") {
  for (const char *example : kExamples) {
    INFO(example);
    std::map<std::string, std::string> files = exampleFiles(example);
    CheckResult r = check(files);
    REQUIRE(r.ok);
    DiagnosticEngine diags;
    analysis::PermissionModel model =
        analysis::PermissionModel::build(r.compilation->program(), r.compilation->azureData().roles);
    codegen::RbacPlan plan = codegen::planRbac(r.compilation->program(), model, r.compilation->azureData(),
                                               r.compilation->config(), "test", diags);
    std::string grants = "import std.azure\n";
    for (const auto &name : files) grants += "import \"" + name.first + "\"\n";
    for (const codegen::AssignmentSpec &a : plan.assignments) {
      auto list = [](const std::vector<std::string> &v) {
        std::string out = "[";
        for (size_t i = 0; i < v.size(); ++i) out += (i ? ", \"" : "\"") + v[i] + "\"";
        return out + "]";
      };
      grants += "grant " + a.principal->name.text.str();
      if (!a.role->actions.empty()) grants += " actions " + list(a.role->actions);
      if (!a.role->dataActions.empty()) grants += " data_actions " + list(a.role->dataActions);
      grants += " on " + a.resource->name.text.str() + "\n";
    }
    files["generated-grants.ward"] = grants;
    CheckResult again = check(files);
    INFO(grants << "\n" << again.text());
    CHECK(again.ok);
    CHECK(again.compilation->diagnostics().diagnostics().empty());
  }
}

TEST_CASE("ARM literals and expression strings are escaped", "[rbac]") {
  CHECK(codegen::armLiteral("[not an expression]") == "[[not an expression]");
  CHECK(codegen::armLiteral("plain") == "plain");
  CHECK(codegen::armQuote("o'brien") == "'o''brien'");
}

namespace {
/// The actions and data actions of the std.azure capability `name`.
std::set<std::string> capability(CheckResult &r, const std::string &name) {
  for (auto &file : r.compilation->program().files)
    for (auto &decl : file->decls)
      if (auto *cap = llvm::dyn_cast<CapabilityDecl>(decl.get()); cap && cap->name.text == name) {
        std::set<std::string> out;
        for (auto &[action, data] : analysis::capabilityActions(*cap)) out.insert(action.str());
        return out;
      }
  FAIL("no capability " << name);
  return {};
}
} // namespace

TEST_CASE("std.azure capabilities hold what Microsoft documents the task needs", "[rbac][stdlib]") {
  CheckResult r = checkSource("import std.azure\n");
  REQUIRE(r.ok);
  // Restore VM, outside the vault: Azure Backup's minimum role requirements
  // name these permissions as the alternative to the built-in roles.
  std::set<std::string> restore;
  for (const char *part : {"backup.restore_source", "backup.restore_target", "backup.restore_staging"})
    for (const std::string &a : capability(r, part)) restore.insert(a);
  for (const char *documented :
       {"Microsoft.Compute/virtualMachines/write", "Microsoft.Resources/subscriptions/resourceGroups/write",
        "Microsoft.Network/virtualNetworks/read", "Microsoft.Network/virtualNetworks/subnets/join/action",
        "Microsoft.Storage/storageAccounts/write"})
    CHECK(restore.count(documented));
  CHECK(capability(r, "backup.restore")
            .count("Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/recoveryPoints/"
                   "restore/action"));
  // Rotation creates a new version; updating a version's attributes is not part of it.
  std::set<std::string> rotate = capability(r, "keys.rotate");
  CHECK(rotate.count("Microsoft.KeyVault/vaults/keys/rotate/action"));
  CHECK_FALSE(rotate.count("Microsoft.KeyVault/vaults/keys/update/action"));
  std::set<std::string> policy = capability(r, "keys.rotation_policy");
  CHECK(policy.count("Microsoft.KeyVault/vaults/keyrotationpolicies/write"));
  // Querying needs query/read and, to read anything, per-table reads.
  std::set<std::string> query = capability(r, "logs.query");
  CHECK(query.count("Microsoft.OperationalInsights/workspaces/query/read"));
  size_t tables = std::count_if(query.begin(), query.end(), [](const std::string &a) {
    llvm::StringRef s = a;
    return s.startswith("Microsoft.OperationalInsights/workspaces/query/") && s.endswith("/read") &&
           s != "Microsoft.OperationalInsights/workspaces/query/read" && !s.contains('*');
  });
  CHECK(tables >= 10);
  // Every action of every capability is in Azure's operation catalogue (no W026 anywhere in the module).
  for (auto &file : r.compilation->program().files)
    for (auto &decl : file->decls)
      if (auto *cap = llvm::dyn_cast<CapabilityDecl>(decl.get()))
        for (auto &[action, data] : analysis::capabilityActions(*cap)) {
          INFO(cap->name.text << ": " << action.str());
          CHECK(r.compilation->azureData().operations.lookup(action, data) ==
                analysis::OperationCatalog::Status::Known);
        }
}

TEST_CASE("each std.azure capability is within the built-in role Microsoft documents for its task", "[rbac][stdlib]") {
  CheckResult r = checkSource("import std.azure\n");
  REQUIRE(r.ok);
  // The role each capability's comment in stdlib/std/azure.ward cites (the
  // first); vm.login also reads the VM, which the login role leaves to Reader.
  const std::map<std::string, std::vector<std::string>> documented = {
      {"backup.operate", {"Backup Operator"}},
      {"backup.on_demand", {"Backup Operator"}},
      {"backup.read", {"Backup Reader"}},
      {"backup.restore", {"Backup Operator"}},
      {"backup.restore_source", {"Virtual Machine Contributor"}},
      {"backup.restore_target", {"Contributor"}},
      {"backup.restore_staging", {"Storage Account Contributor"}},
      {"vm.read", {"Reader"}},
      {"vm.login", {"Virtual Machine User Login", "Reader"}},
      {"vm.restart", {"Virtual Machine Contributor"}},
      {"metrics.publish", {"Monitoring Metrics Publisher"}},
      {"logs.ingest", {"Monitoring Metrics Publisher"}},
      {"logs.query", {"Log Analytics Reader"}},
      {"secrets.read", {"Key Vault Secrets User"}},
      {"keys.sign", {"Key Vault Crypto User"}},
      {"keys.rotate", {"Key Vault Crypto Officer"}},
      {"keys.rotation_policy", {"Key Vault Crypto Officer"}},
      {"blobs.read", {"Storage Blob Data Reader"}},
      {"blobs.write", {"Storage Blob Data Contributor"}},
  };
  size_t seen = 0;
  for (auto &file : r.compilation->program().files)
    for (auto &decl : file->decls) {
      auto *cap = llvm::dyn_cast<CapabilityDecl>(decl.get());
      if (!cap) continue;
      ++seen;
      INFO(cap->name.text.str());
      auto role = documented.find(cap->name.text.str());
      REQUIRE(role != documented.end()); // every capability names its documented role
      std::vector<const analysis::RoleDefinition *> builtins;
      for (const std::string &name : role->second) {
        builtins.push_back(r.compilation->azureData().roles.byName(name));
        REQUIRE(builtins.back());
      }
      for (auto &[action, data] : analysis::capabilityActions(*cap)) {
        INFO(action.str());
        CHECK(std::any_of(builtins.begin(), builtins.end(),
                          [&, &action = action, data = data](auto *b) { return b->allows(action, data); }));
      }
      CHECK(readFile(sourceDir() + "/stdlib/std/azure.ward").find("\"" + role->second.front() + "\"") !=
            std::string::npos);
    }
  CHECK(seen == documented.size());
}
