#include "TestSupport.h"
#include "analysis/Permissions.h"

#include <catch2/catch.hpp>

using namespace ward::analysis;

TEST_CASE("action matching follows Azure", "[permissions]") {
  CHECK(actionMatches("Microsoft.Compute/virtualMachines/read", "microsoft.compute/VIRTUALMACHINES/read"));
  CHECK(actionMatches("*", "Microsoft.Compute/virtualMachines/read"));
  CHECK(actionMatches("Microsoft.Compute/*", "Microsoft.Compute/virtualMachines/extensions/read"));
  CHECK(actionMatches("*/read", "Microsoft.Compute/virtualMachines/read"));
  CHECK_FALSE(actionMatches("*/read", "Microsoft.Compute/virtualMachines/write"));
  CHECK(actionMatches("Microsoft.Compute/*/read", "Microsoft.Compute/virtualMachines/extensions/read"));
  CHECK_FALSE(actionMatches("Microsoft.Compute/*/read", "Microsoft.Compute/read")); // `*` is at least one segment
  CHECK_FALSE(actionMatches("Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/read/x"));
  CHECK(isWellFormedAction("Microsoft.Compute/*/read"));
  CHECK_FALSE(isWellFormedAction("Microsoft.Compute/virtual*/read"));
  CHECK_FALSE(isWellFormedAction("*/a/*"));
}

namespace {
/// Azure's rule as written, segment by segment: the pattern's segments
/// before its first `*` segment begin the action's, those after it end
/// them, and the `*` stands for at least one segment.
bool matchesBySegments(llvm::StringRef pattern, llvm::StringRef action) {
  llvm::SmallVector<llvm::StringRef, 8> p, a;
  pattern.split(p, '/');
  action.split(a, '/');
  auto star = std::find(p.begin(), p.end(), "*");
  size_t prefix = star - p.begin(), suffix = star == p.end() ? 0 : p.end() - star - 1;
  if (star == p.end() ? p.size() != a.size() : a.size() < prefix + suffix + 1) return false;
  for (size_t i = 0; i < prefix; ++i)
    if (!p[i].equals_insensitive(a[i])) return false;
  for (size_t i = 0; i < suffix; ++i)
    if (!p[p.size() - 1 - i].equals_insensitive(a[a.size() - 1 - i])) return false;
  return true;
}

/// Every text of up to `length` characters over a few letters, `/` and `*`.
std::vector<std::string> smallTexts(size_t length) {
  std::vector<std::string> out{""};
  for (size_t from = 0, n = 0; n < length; ++n) {
    size_t to = out.size();
    for (size_t i = from; i < to; ++i)
      for (char c : {'a', 'B', 'b', '/', '*'}) out.push_back(out[i] + c);
    from = to;
  }
  return out;
}
} // namespace

TEST_CASE("action matching agrees with the segment-by-segment rule on every small text", "[permissions]") {
  std::vector<std::string> texts = smallTexts(5);
  REQUIRE(texts.size() == 3906);
  size_t matchedByStar = 0, matchedAsText = 0;
  for (const std::string &pattern : texts) {
    bool hasStarSegment = ("/" + pattern + "/").find("/*/") != std::string::npos;
    for (const std::string &action : texts) {
      bool expected = matchesBySegments(pattern, action);
      if (actionMatches(pattern, action) != expected)
        FAIL_CHECK("pattern `" << pattern << "`, action `" << action << "`");
      (hasStarSegment ? matchedByStar : matchedAsText) += expected;
    }
  }
  // Matches occur both through a `*` segment and as (case-insensitive) text.
  CHECK(matchedByStar > 10000);
  CHECK(matchedAsText > 1000);
  CHECK(matchesBySegments("a/*/b", "A/x/y/B"));
  CHECK_FALSE(matchesBySegments("a/*/b", "a/b"));
}

TEST_CASE("effective permissions: Actions minus NotActions, data actions apart", "[permissions]") {
  PermissionSet p{{"Microsoft.Storage/*"}, {"Microsoft.Storage/storageAccounts/listKeys/action"}, {}, {}};
  CHECK(p.allows("Microsoft.Storage/storageAccounts/read", false));
  CHECK_FALSE(p.allows("Microsoft.Storage/storageAccounts/listKeys/action", false));
  CHECK_FALSE(p.allows("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true));
}

namespace {
const RoleCatalog &roles() {
  static RoleCatalog catalog = [] {
    RoleCatalog c;
    llvm::Error e = c.load(ward::test::stdlibDir() + "/azure/built-in-roles.json");
    REQUIRE_FALSE(bool(e));
    return c;
  }();
  return catalog;
}
} // namespace

TEST_CASE("built-in roles behave as Azure evaluates them", "[permissions][roles]") {
  REQUIRE(roles().roles().size() == 928);
  const RoleDefinition *backupContributor = roles().byName("backup contributor");
  REQUIRE(backupContributor);
  CHECK(backupContributor->id == "5e467623-bb1f-42f4-a55d-6e525e11384b");
  CHECK(backupContributor->allows(
      "Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/backup/action", false));

  const RoleDefinition *reader = roles().byName("Reader");
  REQUIRE(reader);
  CHECK(reader->allows("Microsoft.Compute/virtualMachines/read", false));
  CHECK_FALSE(reader->allows("Microsoft.Compute/virtualMachines/write", false));
  CHECK_FALSE(reader->allows("Microsoft.Compute/virtualMachines/restart/action", false));

  const RoleDefinition *contributor = roles().byName("Contributor");
  REQUIRE(contributor);
  CHECK(contributor->allows("Microsoft.Compute/virtualMachines/write", false));
  CHECK_FALSE(contributor->allows("Microsoft.Authorization/roleAssignments/write", false));

  const RoleDefinition *owner = roles().byName("Owner");
  REQUIRE(owner);
  CHECK(owner->allows("Microsoft.Authorization/roleAssignments/write", false));
  CHECK_FALSE(
      owner->allows("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true)); // no data actions

  const RoleDefinition *blobReader = roles().byName("Storage Blob Data Reader");
  REQUIRE(blobReader);
  CHECK(blobReader->hasDataActions());
  CHECK(blobReader->allows("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true));
}

TEST_CASE("the operation catalogue knows documented and role actions", "[permissions][catalogue]") {
  OperationCatalog ops;
  REQUIRE_FALSE(bool(ops.loadDirectory(ward::test::stdlibDir() + "/azure/operations")));
  ops.addRoles(roles());
  CHECK(ops.size() > 4348);
  using S = OperationCatalog::Status;
  CHECK(ops.lookup("Microsoft.Compute/virtualMachines/read", false) == S::Known);
  CHECK(ops.lookup("microsoft.compute/virtualmachines/READ", false) == S::Known);
  CHECK(ops.lookup("Microsoft.Compute/virtualMachines/login/action", false) == S::KnownAsOtherKind);
  CHECK(ops.lookup("Microsoft.Compute/virtualMachines/reed", false) == S::Unknown);
  CHECK(ops.lookup("Contoso.Widgets/widgets/read", false) == S::UncataloguedProvider);
  // Not in the documentation pages, but named by a built-in role.
  CHECK(ops.lookup("Microsoft.RecoveryServices/Vaults/refreshContainers/read", false) == S::Known);
  CHECK(ops.lookup("Microsoft.Compute/*/read", false) == S::Known);
  std::vector<std::string> close = ops.closest("Microsoft.Compute/virtualMachines/reed", false);
  REQUIRE_FALSE(close.empty());
  CHECK(close.front() == "Microsoft.Compute/virtualMachines/read");
  ops.add("Microsoft.Compute/virtualMachines/teleport/action", false);
  CHECK(ops.lookup("Microsoft.Compute/virtualMachines/teleport/action", false) == S::Known);
}

TEST_CASE("a copy of the operation catalogue adds apart from it and outlives it", "[permissions][catalogue]") {
  using S = OperationCatalog::Status;
  std::optional<OperationCatalog> project;
  {
    OperationCatalog shipped;
    std::string operation = "Contoso.Widgets/widgets/read";
    shipped.add(operation, false);
    operation.assign(operation.size(), '#'); // the catalogue keeps its own spelling
    project = shipped;
    project->add("Contoso.Widgets/widgets/write", false);
    shipped.add("Contoso.Widgets/widgets/delete", false); // after the copy: not the project's
    CHECK(shipped.lookup("Contoso.Widgets/widgets/write", false) == S::Unknown);
    CHECK(shipped.lookup("contoso.widgets/WIDGETS/delete", false) == S::Known);
  } // the shipped catalogue is gone
  CHECK(project->lookup("CONTOSO.WIDGETS/widgets/read", false) == S::Known);
  CHECK(project->lookup("Contoso.Widgets/widgets/write", false) == S::Known);
  CHECK(project->lookup("Contoso.Widgets/widgets/delete", false) == S::Unknown);
  CHECK(project->matching("*", false) ==
        std::vector<llvm::StringRef>{"Contoso.Widgets/widgets/read", "Contoso.Widgets/widgets/write"});
  CHECK(project->matching("contoso.widgets/*/write", false) ==
        std::vector<llvm::StringRef>{"Contoso.Widgets/widgets/write"});
  CHECK(project->closest("Contoso.Widgets/widgets/wirte", false, 1) ==
        std::vector<std::string>{"Contoso.Widgets/widgets/write"});
}

namespace {
Scope resourceGroupScope(llvm::StringRef subscription, llvm::StringRef group) {
  return {Scope::Level::ResourceGroup, "", subscription, group, "", ""};
}
Scope resourceScope(llvm::StringRef subscription, llvm::StringRef group, llvm::StringRef type, llvm::StringRef name) {
  return {Scope::Level::Resource, "", subscription, group, type, name};
}
} // namespace

TEST_CASE("scope hierarchy", "[permissions][scope]") {
  Scope sub{Scope::Level::Subscription, "", "s1", "", "", ""};
  Scope rg = resourceGroupScope("s1", "rg-a");
  Scope vm = resourceScope("s1", "rg-a", "Microsoft.Compute/virtualMachines", "vm1");
  Scope vm2 = resourceScope("s1", "rg-b", "Microsoft.Compute/virtualMachines", "vm2");
  Scope mg{Scope::Level::ManagementGroup, "corp", "", "", "", ""};
  CHECK(sub.contains(rg));
  CHECK(rg.contains(vm));
  CHECK_FALSE(vm.contains(rg));
  CHECK_FALSE(rg.contains(vm2));
  CHECK(mg.contains(vm));
  CHECK(Scope::commonAncestor(vm, vm2).level == Scope::Level::Subscription);
  CHECK(Scope::commonAncestor(vm, rg) == rg);
  CHECK(vm.id() == "/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.Compute/virtualMachines/vm1");
}

TEST_CASE("scopes and actions compare without case, as Azure compares names", "[permissions][scope]") {
  // Resource and resource group names are case-insensitive (Microsoft's
  // naming rules, docs/azure.md), and the built-in roles spell operations
  // in more than one case (`microsoft.insights/...` beside `Microsoft.Insights/...`).
  Scope rg = resourceGroupScope("S1", "RG-A");
  Scope vm = resourceScope("s1", "rg-a", "microsoft.compute/VIRTUALMACHINES", "VM1");
  Scope same = resourceScope("S1", "Rg-A", "Microsoft.Compute/virtualMachines", "vm1");
  CHECK(rg.contains(vm));
  CHECK(vm.contains(same));
  CHECK(same.contains(vm));
  CHECK(Scope::commonAncestor(vm, same) == vm);
  CHECK(actionMatches("microsoft.insights/*/read", "Microsoft.Insights/workbooks/read"));
  CHECK(actionMatches("Microsoft.Insights/workbooks/*", "microsoft.insights/WORKBOOKS/revisions/read"));
  CHECK_FALSE(actionMatches("Microsoft.Insights/workbooks/*", "microsoft.insights/workbook/revisions/read"));
}

namespace {
/// Loads Azure's data from `stdlib`, which must fail with one I/O error;
/// returns that error.
ward::Diagnostic failedLoad(const ward::test::TempDir &stdlib) {
  ward::DiagnosticEngine diags;
  CHECK_FALSE(AzureData::load(stdlib.path(), ward::analysis::Config{}, diags));
  REQUIRE(diags.size() == 1);
  CHECK(diags.diagnostics()[0].id == ward::DiagID::IoError);
  return diags.diagnostics()[0];
}
} // namespace

TEST_CASE("Azure's data is read from the standard library, and a missing part is one located error",
          "[permissions][catalogue]") {
  const std::string roleFile = R"([{"name": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "roleName": "Reader",
    "permissions": [{"actions": ["*/read", "Microsoft.Widgets/gadgets/read"], "notActions": []}]}])";
  const std::string operationFile = "action\tMicrosoft.Compute/virtualMachines/read\n";
  ward::test::TempDir stdlib;

  SECTION("both parts: the operations documented and those the roles name") {
    stdlib.write("azure/built-in-roles.json", roleFile);
    stdlib.write("azure/operations/Microsoft.Compute.txt", operationFile);
    ward::DiagnosticEngine diags;
    auto data = AzureData::load(stdlib.path(), ward::analysis::Config{}, diags);
    REQUIRE(data);
    CHECK(diags.size() == 0);
    CHECK(data->roles.byName("reader"));
    using S = OperationCatalog::Status;
    CHECK(data->operations.lookup("Microsoft.Compute/virtualMachines/read", false) == S::Known);
    CHECK(data->operations.lookup("Microsoft.Widgets/gadgets/read", false) == S::Known);
  }
  SECTION("no role definitions (the operations are there)") {
    stdlib.write("azure/operations/Microsoft.Compute.txt", operationFile);
    ward::Diagnostic error = failedLoad(stdlib);
    CHECK(error.path().endswith("azure/built-in-roles.json"));
    CHECK(llvm::StringRef(error.help()).contains("WARD_STDLIB"));
  }
  SECTION("no operations (the roles are there)") {
    stdlib.write("azure/built-in-roles.json", roleFile);
    CHECK(failedLoad(stdlib).path().endswith("azure/operations"));
  }
  SECTION("neither: the roles are reported, once") {
    CHECK(failedLoad(stdlib).path().endswith("azure/built-in-roles.json"));
  }
}
