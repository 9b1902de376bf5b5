#include "TestSupport.h"

#include "output/Artifacts.h"

#include <llvm/ADT/SmallString.h>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <set>

#include <unistd.h>

#include <map>
#include <regex>

using namespace ward::test;

namespace {

llvm::json::Value parse(const std::string &text) {
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(text);
  REQUIRE(bool(v));
  return std::move(*v);
}

const char *kExamples[] = {"examples/orders-api", "examples/vm-backup", "examples/multi-issuer-gateway"};

} // namespace

TEST_CASE("build writes artifacts and a manifest whose hashes match", "[build]") {
  for (const char *example : kExamples) {
    TempDir dir;
    std::string out = dir.path() + "/out";
    RunResult r = runWardc({"build", example, "-o", out});
    INFO(example << "\n" << r.err);
    REQUIRE(r.exitCode == 0);
    std::map<std::string, std::string> files = readTree(out);
    REQUIRE(files.count("manifest.json"));
    llvm::json::Value manifest = parse(files["manifest.json"]);
    const llvm::json::Array &artifacts = *manifest.getAsObject()->getArray("artifacts");
    CHECK(artifacts.size() + 1 == files.size()); // every file but the manifest is listed, and only those
    for (const llvm::json::Value &a : artifacts) {
      const llvm::json::Object &o = *a.getAsObject();
      std::string path = o.getString("path")->str();
      INFO(path);
      REQUIRE(files.count(path));
      CHECK(ward::codegen::sha256Hex(files[path]) == o.getString("sha256")->str());
      CHECK(*o.getInteger("bytes") == int64_t(files[path].size()));
      CHECK_FALSE(o.getArray("sources")->empty());
      CHECK_FALSE(o.getString("kind")->empty());
    }
  }
}

TEST_CASE("two builds give identical bytes", "[build]") {
  for (const char *example : kExamples) {
    TempDir a, b;
    REQUIRE(runWardc({"build", example, "-o", a.path() + "/out"}).exitCode == 0);
    REQUIRE(runWardc({"build", example, "-o", b.path() + "/out"}).exitCode == 0);
    CHECK(readTree(a.path() + "/out") == readTree(b.path() + "/out"));
  }
}

TEST_CASE("a failing build leaves an existing output directory untouched", "[build]") {
  TempDir dir;
  std::string out = dir.path() + "/out";
  REQUIRE(runWardc({"build", "examples/orders-api", "-o", out}).exitCode == 0);
  std::map<std::string, std::string> before = readTree(out);
  RunResult broken = runWardc({"build", "examples/broken/unknown-name.ward", "-o", out});
  CHECK(broken.exitCode == 1);
  CHECK(broken.err.find("nothing was written") != std::string::npos);
  CHECK(readTree(out) == before);
  // A warning under --werror fails the build too.
  std::string warn = dir.write("warn.ward", "identity sp-unused : service_principal\n");
  CHECK(runWardc({"build", "--werror", warn, "-o", out}).exitCode == 1);
  CHECK(readTree(out) == before);
  // Nothing is left beside it.
  std::error_code ec;
  size_t entries = 0;
  for (llvm::sys::fs::directory_iterator it(dir.path(), ec), end; it != end && !ec; it.increment(ec)) ++entries;
  CHECK(entries == 2); // out/ and warn.ward
}

TEST_CASE("a successful build replaces the output directory completely", "[build]") {
  TempDir dir;
  std::string out = dir.path() + "/out";
  dir.write("out/stale.txt", "from an older build");
  REQUIRE(runWardc({"build", "examples/vm-backup", "-o", out}).exitCode == 0);
  CHECK_FALSE(llvm::sys::fs::exists(out + "/stale.txt"));
  CHECK(llvm::sys::fs::exists(out + "/manifest.json"));
}

TEST_CASE("build usage errors exit 2", "[build]") {
  CHECK(runWardc({"build", "examples/orders-api"}).exitCode == 2); // no -o
  CHECK(runWardc({"build", "-o", "x"}).exitCode == 2);             // no input
  TempDir dir;
  std::string file = dir.write("a-file", "x");
  RunResult r = runWardc({"build", "examples/orders-api", "-o", file}); // -o names a file
  CHECK(r.exitCode == 2);
  CHECK(r.err.find("error[G0003]") != std::string::npos);
}

TEST_CASE("retry configs respect gRPC's and Envoy's documented constraints", "[build][retry]") {
  TempDir dir;
  std::string policy = dir.write(
      "r.ward",
      "retry eager { attempts = 8 backoff = constant(delay = 30ms, jitter = equal) on = [429, 503, timeout, reset] "
      "per_try_timeout = 250ms budget = { ratio = 12.5%, min_per_second = 2000 } idempotency_key = \"Idempotency-Key\" "
      "}\n"
      "retry plain { attempts = 2 backoff = exponential(initial = 100ms, max = 1s, multiplier = 3, jitter = full) on = "
      "[502] "
      "per_try_timeout = 1s budget = { ratio = 0.05 } }\n");
  std::string out = dir.path() + "/out";
  RunResult r = runWardc({"build", policy, "-o", out});
  INFO(r.err);
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.find("warning[G0001]: retry `eager`: the gRPC service config cannot express 8 attempts") !=
        std::string::npos);
  CHECK(r.err.find("cannot express `jitter = equal`") != std::string::npos);
  CHECK(r.err.find("Envoy cannot express `multiplier = 3`") != std::string::npos);
  std::regex duration(R"(^[0-9]+(\.[0-9]{1,9})?s$)");
  static const std::set<std::string> grpcCodes = {
      "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",   "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",         "DATA_LOSS",
      "UNAUTHENTICATED"};
  for (const char *name : {"eager", "plain"}) {
    INFO(name);
    llvm::json::Value grpc = parse(readFile(out + "/retry/" + name + ".grpc.json"));
    const llvm::json::Object &mc = *(*grpc.getAsObject()->getArray("methodConfig"))[0].getAsObject();
    const llvm::json::Object &policyObj = *mc.getObject("retryPolicy");
    int64_t maxAttempts = *policyObj.getInteger("maxAttempts");
    CHECK(maxAttempts > 1);
    CHECK(maxAttempts <= 5);
    for (const char *key : {"initialBackoff", "maxBackoff"}) {
      std::string d = policyObj.getString(key)->str();
      CHECK(std::regex_match(d, duration));
      CHECK(std::stod(d) > 0);
    }
    CHECK(*policyObj.getNumber("backoffMultiplier") > 0);
    const llvm::json::Array &codes = *policyObj.getArray("retryableStatusCodes");
    CHECK_FALSE(codes.empty());
    for (const llvm::json::Value &c : codes) CHECK(grpcCodes.count(c.getAsString()->str()));
    const llvm::json::Object &throttle = *grpc.getAsObject()->getObject("retryThrottling");
    int64_t maxTokens = *throttle.getInteger("maxTokens");
    CHECK(maxTokens > 0);
    CHECK(maxTokens <= 1000);
    double ratio = *throttle.getNumber("tokenRatio");
    CHECK(ratio > 0);
    CHECK(std::abs(ratio * 1000 - std::round(ratio * 1000)) < 1e-9); // three decimals kept

    llvm::json::Value envoy = parse(readFile(out + "/retry/" + name + ".envoy.json"));
    const llvm::json::Object &rp = *envoy.getAsObject()->getObject("route")->getObject("retry_policy");
    llvm::json::Value ward = parse(readFile(out + "/retry/" + name + ".json"));
    CHECK(*rp.getInteger("num_retries") == *ward.getAsObject()->getInteger("attempts") - 1);
    // The retry JSON says what a bundle can do with the policy at the edge.
    const llvm::json::Object *edge = ward.getAsObject()->getObject("edge");
    REQUIRE(edge);
    CHECK(edge->getString("waits").getValueOr("") == llvm::StringRef("timer-only"));
    CHECK(edge->getString("budget_scope").getValueOr("") == llvm::StringRef("isolate"));
    CHECK(edge->getString("note").getValueOr("").contains("no timer"));
    const llvm::json::Object &backoff = *rp.getObject("retry_back_off");
    double base = std::stod(backoff.getString("base_interval")->str()),
           max = std::stod(backoff.getString("max_interval")->str());
    CHECK(base > 0);
    CHECK(max >= base);
    CHECK(std::regex_match(rp.getString("per_try_timeout")->str(), duration));
    CHECK_FALSE(rp.getString("retry_on")->empty());
  }
  llvm::json::Value eagerEnvoy = parse(readFile(out + "/retry/eager.envoy.json"));
  const llvm::json::Object &rp = *eagerEnvoy.getAsObject()->getObject("route")->getObject("retry_policy");
  CHECK(rp.getString("retry_on").getValueOr("") == llvm::StringRef("gateway-error,reset,retriable-status-codes"));
  CHECK(rp.getArray("retriable_request_headers")); // only requests with the idempotency key are retried
  llvm::json::Value eagerGrpc = parse(readFile(out + "/retry/eager.grpc.json"));
  CHECK(readFile(out + "/retry/eager.grpc.json").find("\"tokenRatio\": 0.125") != std::string::npos);
  CHECK(*eagerGrpc.getAsObject()->getObject("retryThrottling")->getInteger("maxTokens") == 1000);
}

TEST_CASE("az CLI role files have exactly the documented keys and shapes", "[build][rbac]") {
  TempDir dir;
  std::string out = dir.path() + "/out";
  REQUIRE(runWardc({"build", "tests/azure/variants", "-o", out}).exitCode == 0);
  std::map<std::string, std::string> files = readTree(out);
  size_t roles = 0;
  for (auto &[path, bytes] : files) {
    if (path.rfind("azure/roles/", 0) != 0) continue;
    ++roles;
    INFO(path);
    llvm::json::Value v = parse(bytes);
    const llvm::json::Object &o = *v.getAsObject();
    std::set<std::string> keys;
    for (const auto &entry : o) keys.insert(entry.first.str());
    CHECK(keys == std::set<std::string>{"Name", "IsCustom", "Description", "Actions", "NotActions", "DataActions",
                                        "NotDataActions", "AssignableScopes"});
    CHECK(path == "azure/roles/" + o.getString("Name")->str() + ".json");
    CHECK(o.getBoolean("IsCustom") == llvm::Optional<bool>(true));
    for (const char *list : {"Actions", "NotActions", "DataActions", "NotDataActions", "AssignableScopes"})
      for (const llvm::json::Value &item : *o.getArray(list)) CHECK(item.getAsString());
    const llvm::json::Array &scopes = *o.getArray("AssignableScopes");
    CHECK_FALSE(scopes.empty());
    for (const llvm::json::Value &s : scopes) {
      llvm::StringRef scope = *s.getAsString();
      CHECK(scope.startswith("/subscriptions/"));
      CHECK_FALSE(scope.contains('*'));
    }
    CHECK((o.getArray("Actions")->size() + o.getArray("DataActions")->size()) > 0);
  }
  CHECK(roles >= 2);
}

namespace {
/// The custom role definitions of rbac.json by role name.
std::map<std::string, const llvm::json::Object *> armRoles(const llvm::json::Value &template_) {
  std::map<std::string, const llvm::json::Object *> roles;
  for (const llvm::json::Value &r : *template_.getAsObject()->getArray("resources")) {
    const llvm::json::Object &o = *r.getAsObject();
    if (o.getString("type").getValueOr("") == llvm::StringRef("Microsoft.Authorization/roleDefinitions"))
      roles[o.getObject("properties")->getString("roleName")->str()] = o.getObject("properties");
  }
  return roles;
}
std::vector<std::string> strings(const llvm::json::Array *a) {
  std::vector<std::string> out;
  if (a)
    for (const llvm::json::Value &v : *a) out.push_back(v.getAsString()->str());
  return out;
}
const char *kSharedRoles = R"(import std.azure
tenant t { id = "72f988bf-86f1-41af-91ab-2d7cd011db47"  subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590" }
identity sp-a : service_principal { object_id = "3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f" }
identity sp-b : service_principal { object_id = "4f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f" }
resource vm-1 : azure.vm { resource_group = "rg-one"  name = "vm-1" }
resource vm-2 : azure.vm { resource_group = "rg-one"  name = "vm-2" }
resource vm-3 : azure.vm { resource_group = "rg-two"  name = "vm-3" }
allow sp-a to vm.read on vm-1
allow sp-b to vm.read on vm-2
allow sp-b to vm.read on vm-3
allow sp-a to vm.restart on vm-1
grant sp-b actions ["Microsoft.Compute/virtualMachines/read"] on vm-2
)";
} // namespace

TEST_CASE("one custom role per permission set, shared, assignable at resource groups, assigned at resources",
          "[build][rbac]") {
  TempDir dir;
  dir.write("p/policy.ward", kSharedRoles);
  std::string out = dir.path() + "/out";
  RunResult r = runWardc({"build", dir.path() + "/p", "-o", out});
  INFO(r.err);
  REQUIRE(r.exitCode == 0);
  std::map<std::string, std::string> files = readTree(out);
  llvm::json::Value rbac = parse(files["azure/rbac.json"]);
  auto roles = armRoles(rbac);
  // vm.read (shared by sp-a and sp-b, and equal to sp-b's grant) and vm.restart.
  REQUIRE(roles.size() == 2);
  REQUIRE(roles.count("ward-p-vm-read"));
  REQUIRE(roles.count("ward-p-vm-restart"));
  CHECK(strings(roles["ward-p-vm-read"]->getArray("assignableScopes")) ==
        std::vector<std::string>{"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-one",
                                 "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-two"});
  // The az files say the same as rbac.json, role by role.
  size_t azFiles = 0;
  for (auto &[path, bytes] : files) {
    if (path.rfind("azure/roles/", 0) != 0) continue;
    ++azFiles;
    llvm::json::Value az = parse(bytes);
    const llvm::json::Object &o = *az.getAsObject();
    INFO(path);
    const llvm::json::Object *arm = roles[o.getString("Name")->str()];
    REQUIRE(arm);
    const llvm::json::Object &perms = *(*arm->getArray("permissions"))[0].getAsObject();
    CHECK(strings(o.getArray("Actions")) == strings(perms.getArray("actions")));
    CHECK(strings(o.getArray("DataActions")) == strings(perms.getArray("dataActions")));
    CHECK(strings(o.getArray("AssignableScopes")) == strings(arm->getArray("assignableScopes")));
    CHECK(o.getString("Description") == arm->getString("description"));
  }
  CHECK(azFiles == roles.size());
  // Assignments stay at the resources: vm-1 (two roles), vm-2 (once, though
  // both an allow and a grant ask for it), and vm-3 in a nested deployment.
  std::string text = files["azure/rbac.json"];
  size_t atResource = 0;
  for (size_t pos = text.find("\"scope\": \"Microsoft.Compute/virtualMachines/"); pos != std::string::npos;
       pos = text.find("\"scope\": \"Microsoft.Compute/virtualMachines/", pos + 1))
    ++atResource;
  CHECK(atResource == 4);

  // Assignable at the subscription when ward.json says so.
  dir.write("p/ward.json", R"({"build": {"role_scope": "subscription"}})");
  REQUIRE(runWardc({"build", dir.path() + "/p", "-o", out}).exitCode == 0);
  llvm::json::Value wideRbac = parse(readFile(out + "/azure/rbac.json"));
  auto wide = armRoles(wideRbac);
  CHECK(strings(wide["ward-p-vm-read"]->getArray("assignableScopes")) ==
        std::vector<std::string>{"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590"});
}

TEST_CASE("role names cannot name a principal, and role_scope takes two values", "[build][rbac][config]") {
  TempDir dir;
  dir.write("p/policy.ward", kSharedRoles);
  dir.write("p/ward.json", R"({"build": {"role_name": "ward-{principal}-{capability}"}})");
  RunResult named = runWardc({"check", dir.path() + "/p"});
  CHECK(named.exitCode != 0);
  CHECK(named.err.find("cannot contain `{principal}`") != std::string::npos);
  dir.write("p/ward.json", R"({"build": {"role_scope": "resource"}})");
  RunResult scope = runWardc({"check", dir.path() + "/p"});
  CHECK(scope.exitCode != 0);
  CHECK(scope.err.find("`role_scope` is \"resource_group\" or \"subscription\"") != std::string::npos);
}

TEST_CASE("build accepts a relative output directory whose parent does not exist yet", "[build]") {
  // The tests run in the source tree; write below a fresh directory in it.
  TempDir scratch;
  llvm::SmallString<256> cwd;
  REQUIRE_FALSE(llvm::sys::fs::current_path(cwd));
  std::string relative = "build-test-output-" + llvm::sys::path::filename(scratch.path()).str() + "/nested/out";
  RunResult r = runWardc({"build", "examples/vm-backup", "-o", relative});
  INFO(r.err);
  CHECK(r.exitCode == 0);
  CHECK(llvm::sys::fs::exists(relative + "/manifest.json"));
  llvm::sys::fs::remove_directories(std::string(cwd) + "/" + relative.substr(0, relative.find('/')));
}

TEST_CASE("a build that needs more custom roles than a tenant holds is refused", "[build][rbac]") {
  auto policy = [](int roles) {
    std::string actions, grants;
    for (int i = 0; i < roles; ++i) {
      std::string action = fmt::format("Microsoft.Compute/virtualMachines/probe{}/action", i);
      actions += (i ? ",\"" : "\"") + action + "\"";
      grants += fmt::format("grant sp-a actions [\"{}\"] on vm-1\n", action);
    }
    return std::make_pair(std::string(R"(import std.azure
tenant t { id = "72f988bf-86f1-41af-91ab-2d7cd011db47"  subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590" }
identity sp-a : service_principal { object_id = "3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f" }
resource vm-1 : azure.vm { resource_group = "rg-one"  name = "vm-1" }
)") + grants,
                          R"({"catalog": {"actions": [)" + actions + R"(]}, "rules": {"W006": "off"}})");
  };
  for (int roles : {5000, 5001}) {
    TempDir dir;
    auto [source, config] = policy(roles);
    dir.write("p/policy.ward", source);
    dir.write("p/ward.json", config);
    RunResult r = runWardc({"build", dir.path() + "/p", "-o", dir.path() + "/out"});
    INFO(roles);
    if (roles == 5000) {
      CHECK(r.exitCode == 0);
    } else {
      CHECK(r.exitCode == 1);
      CHECK(r.err.find("error[G0002]: the policy needs 5001 custom roles") != std::string::npos);
    }
  }
}

namespace {
const char *kRetryPolicy = R"(import std.azure
import std.retry
resource app : azure.app_service { resource_group = "rg" name = "app" origin = "https://app.example.com" }
retry mine { attempts = 3 backoff = exponential(initial = 100ms, max = 400ms, jitter = full) on = [503] per_try_timeout = 1s budget = { ratio = 10%, min_per_second = 5 } }
edgeworker gw { id = 1 version = "1.0.0" hostnames = ["app.example.com"]
  // ward-ignore W015: open on purpose
  route GET "/a" { forward to app retry retry.edge }
  // ward-ignore W015: open on purpose
  route GET "/b" { forward to app retry mine }
  default deny 404 }
)";
} // namespace

TEST_CASE("code-generation warnings are controllable: ward.json levels, ward-ignore, stdlib presets",
          "[build][config]") {
  TempDir dir;
  std::string out = dir.path() + "/out";
  dir.write("p/policy.ward", kRetryPolicy);
  // As is: the user's own retry gets G0001 (an error with --werror); the
  // stdlib preset's limitation is a note, which --werror leaves alone.
  RunResult plain = runWardc({"build", "--werror", dir.path() + "/p", "-o", out});
  INFO(plain.err);
  CHECK(plain.exitCode == 1);
  CHECK(plain.err.find("error[G0001]: retry `mine`") != std::string::npos);
  CHECK(plain.err.find("note[G0001]: retry `retry.edge`") != std::string::npos);
  // Envoy's budget is a concurrency limit: said as a note, which --werror leaves alone.
  CHECK(plain.err.find(
            "note[G0001]: retry `mine`: Envoy's retry budget limits concurrent retries, not retries per second") !=
        std::string::npos);

  // Silenced in source, with the reason kept for SARIF.
  std::string suppressed = kRetryPolicy;
  suppressed.replace(suppressed.find("retry mine"), 0, "// ward-ignore G0001: no gRPC client uses this policy\n");
  dir.write("p/policy.ward", suppressed);
  RunResult quiet = runWardc({"build", "--werror", dir.path() + "/p", "-o", out});
  INFO(quiet.err);
  CHECK(quiet.exitCode == 0);
  RunResult check = runWardc({"check", "--werror", dir.path() + "/p"});
  CHECK(check.exitCode == 0); // a G-code suppression is not "unused" in check
  RunResult sarif = runWardc({"build", "--format", "sarif", dir.path() + "/p", "-o", out});
  CHECK(sarif.out.find("no gRPC client uses this policy") != std::string::npos);

  // Or set in ward.json.
  dir.write("p/policy.ward", kRetryPolicy);
  dir.write("p/ward.json", R"({"rules": {"G0001": "off"}})");
  CHECK(runWardc({"build", "--werror", dir.path() + "/p", "-o", out}).exitCode == 0);
  dir.write("p/ward.json", R"({"rules": {"G0001": "error"}})");
  RunResult strict = runWardc({"build", dir.path() + "/p", "-o", out});
  CHECK(strict.exitCode == 1);
  // Errors stay errors.
  dir.write("p/ward.json", R"({"rules": {"G0002": "off"}})");
  RunResult refused = runWardc({"check", dir.path() + "/p"});
  CHECK(refused.exitCode == 2);
  CHECK(refused.err.find("unknown rule `G0002`") != std::string::npos);
}

TEST_CASE("every example builds with --werror", "[build]") {
  for (const char *project : {"examples/orders-api", "examples/vm-backup", "examples/multi-issuer-gateway"}) {
    TempDir dir;
    RunResult r = runWardc({"build", "--werror", project, "-o", dir.path() + "/out"});
    INFO(project << "\n" << r.err);
    CHECK(r.exitCode == 0);
    CHECK(r.err.find("warning") == std::string::npos);
  }
}

TEST_CASE("the README's policy checks and builds clean with --werror", "[build][docs]") {
  std::string readme = readFile("README.md");
  size_t begin = readme.find("```ward\n");
  REQUIRE(begin != std::string::npos);
  begin += 8;
  size_t end = readme.find("```", begin);
  REQUIRE(end != std::string::npos);
  TempDir dir;
  dir.write("readme/policy.ward", readme.substr(begin, end - begin));
  RunResult r = runWardc({"build", "--werror", dir.path() + "/readme", "-o", dir.path() + "/out"});
  INFO(r.err);
  CHECK(r.exitCode == 0);
}

TEST_CASE("Compilation runs build itself, and --werror goes through it", "[build][driver]") {
  TempDir dir;
  ward::LoadOptions options;
  options.stdlibDir = stdlibDir();
  {
    ward::Compilation c(options);
    REQUIRE(c.check({sourceDir() + "/examples/vm-backup/backup.ward"}));
    ward::BuildOutcome outcome = c.build(dir.path() + "/out", "test");
    CHECK(outcome.wrote);
    CHECK(outcome.artifactCount == 4);
    CHECK(llvm::sys::fs::exists(dir.path() + "/out/manifest.json"));
  }
  // A warning under --werror is an error: nothing is generated.
  dir.write("w/policy.ward",
            "retry unused { attempts = 2 on = [503] per_try_timeout = 1s "
            "backoff = exponential(initial = 100ms, max = 200ms, jitter = full) budget = { ratio = 10% } }\n");
  ward::Compilation strict(options);
  strict.setWarningsAsErrors(true);
  CHECK_FALSE(strict.check({dir.path() + "/w/policy.ward"}));
  CHECK(strict.diagnostics().warningCount() == 0);
  CHECK(strict.diagnostics().errorCount() > 0); // W025, promoted
  CHECK_FALSE(strict.build(dir.path() + "/w-out", "test").wrote);
  CHECK_FALSE(llvm::sys::fs::exists(dir.path() + "/w-out"));
}

namespace {

/// The entries of `dir` whose name starts with `prefix`.
std::vector<std::string> entriesStartingWith(const std::string &dir, llvm::StringRef prefix) {
  std::vector<std::string> found;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::filename(it->path()).startswith(prefix)) found.push_back(it->path());
  return found;
}

/// Starts `wardc build` of a policy large enough to take a while, waits
/// until its staging directory beside `out` is filling, and stops it with
/// `signal`. Returns how the process ended (LLVM's Wait: -2 and the
/// signal's name for a process a signal ended).
std::pair<int, std::string> interruptBuild(const std::string &policy, const std::string &out, int signal) {
  llvm::ErrorOr<std::string> wardc = llvm::sys::findProgramByName(WARDC_PATH);
  REQUIRE(wardc);
  std::vector<llvm::StringRef> argv{*wardc, "build", "--max-file-size=268435456", policy, "-o", out};
  llvm::Optional<llvm::StringRef> quiet[] = {llvm::StringRef(""), llvm::StringRef(""), llvm::StringRef("")};
  llvm::sys::ProcessInfo child = llvm::sys::ExecuteNoWait(*wardc, argv, llvm::None, quiet);
  REQUIRE(child.Pid > 0);
  std::string parent = llvm::sys::path::parent_path(out).str();
  std::string name = "." + llvm::sys::path::filename(out).str() + ".staging";
  bool filling = false;
  for (int waited = 0; waited < 60000 && !filling; ++waited) {
    for (const std::string &staging : entriesStartingWith(parent, name)) {
      std::error_code ec;
      filling |= llvm::sys::fs::directory_iterator(staging, ec) != llvm::sys::fs::directory_iterator() && !ec;
    }
    if (!filling) usleep(1000);
  }
  kill(child.Pid, signal);
  std::string error;
  llvm::sys::ProcessInfo ended = llvm::sys::Wait(child, 0, true, &error);
  INFO("the build was " << (filling ? "" : "never seen ") << "filling its staging directory");
  CHECK(filling);
  return {ended.ReturnCode, error};
}

} // namespace

TEST_CASE("a build stopped by a signal leaves no staging directory and OUT as it was", "[build][bad-input]") {
  TempDir dir;
  std::string policy = dir.path() + "/policy";
  llvm::sys::fs::create_directories(policy);
  REQUIRE(runProgram("awk", {"-v", "lines=100000", "-v", "files=1", "-v", "out=" + policy, "-f",
                             sourceDir() + "/bench/gen-corpus.awk"})
              .exitCode == 0);
  // SIGINT too, unless this process was started ignoring it (a background
  // job of a non-interactive shell): the build then ignores it as well.
  std::vector<int> signals{SIGTERM, SIGHUP};
  struct sigaction interrupt {};
  if (sigaction(SIGINT, nullptr, &interrupt) == 0 && interrupt.sa_handler != SIG_IGN) signals.push_back(SIGINT);
  for (int signal : signals) {
    INFO("signal " << signal);
    // OUT in parents the build makes: they go too.
    std::string fresh = dir.path() + "/made/for/it/out";
    auto [code, how] = interruptBuild(policy, fresh, signal);
    CHECK(code == -2);
    CHECK(how == strsignal(signal));
    CHECK_FALSE(llvm::sys::fs::exists(dir.path() + "/made"));

    // An OUT that exists stays as it was.
    std::string kept = dir.path() + "/kept";
    std::string marker = dir.path() + "/kept/previous-build.txt";
    llvm::sys::fs::create_directories(kept);
    { std::ofstream(marker) << "from before"; }
    std::tie(code, how) = interruptBuild(policy, kept, signal);
    CHECK(code == -2);
    CHECK(readTree(kept) == std::map<std::string, std::string>{{"previous-build.txt", "from before"}});
    CHECK(entriesStartingWith(dir.path(), ".kept.").empty());
    llvm::sys::fs::remove_directories(kept);
  }
}
