#include "TestSupport.h"

#include "analysis/NamePatterns.h"
#include "analysis/RuleContext.h"
#include "diag/Printers.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <functional>
#include <regex>

using namespace ward;
using namespace ward::test;

static const char *kBackupBase = R"(
import std.azure
tenant contoso { id = "72f988bf-86f1-41af-91ab-2d7cd011db47"  subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590" }
identity mi-backup-runner : managed_identity { resource_group = "rg-ops"  name = "mi-backup-runner" }
resource orders-vm : azure.vm { resource_group = "rg-orders"  name = "orders-api-01" }
resource orders-vault : azure.recovery_vault { resource_group = "rg-backup"  name = "rsv-orders" }
resource rg-backup : azure.resource_group { name = "rg-backup" }
backup orders-nightly {
  protect orders-vm in orders-vault
  schedule = daily at "02:00" zone "UTC"
  retain = { daily = 30d }
  trigger by mi-backup-runner
}
)";

TEST_CASE("a backup identity given Owner, a wildcard or roleAssignments/write is rejected with the narrow alternative",
          "[analysis]") {
  const std::string narrow = "declare `allow mi-backup-runner to backup.operate on orders-vault` instead";
  for (const char *grant :
       {"grant mi-backup-runner role \"Owner\" on rg-backup",
        "grant mi-backup-runner actions [\"Microsoft.RecoveryServices/*\"] on rg-backup",
        "grant mi-backup-runner actions [\"Microsoft.Authorization/roleAssignments/write\"] on orders-vault"}) {
    CheckResult r = checkSource(std::string(kBackupBase) + grant + "\n");
    INFO(grant << "\n" << r.text());
    CHECK_FALSE(r.ok); // exit 1
    bool narrowHelp = false;
    for (const Diagnostic &d : r.compilation->diagnostics().diagnostics())
      if (d.severity == Severity::Error && d.help().find(narrow) != std::string::npos) narrowHelp = true;
    if (llvm::StringRef(grant).contains("Microsoft.RecoveryServices/*")) {
      // A written wildcard: the rule says to list the operations; the
      // trigger is not covered by a generated role, so the help on the
      // escalation/credential rules carries the alternative where they fire.
      CHECK(r.findUnsuppressed("W001"));
    } else {
      CHECK(narrowHelp);
    }
  }
  CheckResult fixed =
      checkSource(std::string(kBackupBase) + "allow mi-backup-runner to backup.operate on orders-vault\n");
  INFO(fixed.text());
  CHECK(fixed.ok);
  CHECK(fixed.codes() == std::vector<std::string>{"W025"}); // only: `rg-backup` is now unused
}

TEST_CASE("sufficient privilege: a trigger identity without the permission", "[analysis]") {
  CheckResult r = checkSource(kBackupBase);
  const Diagnostic *d = r.findUnsuppressed("W007");
  REQUIRE(d);
  CHECK(d->message.find("lacks 6 actions on `orders-vault`") != std::string::npos);
  CHECK(d->help() == "add `allow mi-backup-runner to backup.operate on orders-vault`");
  // A grant of Backup Operator on the vault covers it (and is then flagged for its wildcards instead).
  CheckResult granted =
      checkSource(std::string(kBackupBase) + "grant mi-backup-runner role \"Backup Operator\" on orders-vault\n");
  CHECK_FALSE(granted.findUnsuppressed("W007"));
}

TEST_CASE("broad scope names the narrowest sufficient scope with a fix", "[analysis]") {
  CheckResult r = checkSource(
      std::string(kBackupBase) +
      "grant mi-backup-runner actions [\n"
      "  \"Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/backup/action\",\n"
      "  \"Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/read\",\n"
      "  "
      "\"Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/operationResults/read\",\n"
      "  "
      "\"Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/operationsStatus/read\",\n"
      "  \"Microsoft.RecoveryServices/Vaults/backupJobs/read\",\n"
      "  \"Microsoft.RecoveryServices/Vaults/read\"\n"
      "] on rg-backup\n");
  const Diagnostic *d = r.findUnsuppressed("W005");
  REQUIRE(d);
  CHECK(d->help() == "grant on `orders-vault` instead");
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].replacement == "orders-vault");
  CHECK_FALSE(r.findUnsuppressed("W007"));
  CHECK_FALSE(r.findUnsuppressed("W006"));
}

TEST_CASE("suppressions: justified, visible in JSON, unused and unjustified ones reported", "[analysis][suppress]") {
  std::string base = "edgeworker gw {\n  id = 1\n  version = \"1.0.0\"\n";
  CheckResult r = checkSource(base + "  route GET \"/a/*\" { deny 403 }\n  // ward-ignore W017: kept until clients "
                                     "move\n  route GET \"/a/b\" {\n    deny 404\n  }\n}\n");
  INFO(r.text());
  CHECK(r.ok);
  const Diagnostic *suppressed = nullptr;
  for (const Diagnostic &d : r.compilation->diagnostics().diagnostics())
    if (d.code == "W017") suppressed = &d;
  REQUIRE(suppressed);
  CHECK(suppressed->suppressed);
  CHECK(suppressed->justification() == "kept until clients move");
  CHECK(r.text().find("W017") == std::string::npos); // not printed as text
  llvm::json::Value json = diagnosticsToJson(r.compilation->sources(), r.compilation->diagnostics());
  const llvm::json::Object *first = (*json.getAsObject()->getArray("diagnostics"))[0].getAsObject();
  CHECK(first->getObject("suppressed")->getString("justification").getValueOr("") ==
        llvm::StringRef("kept until clients move"));

  CheckResult noReason = checkSource(
      base + "  route GET \"/a/*\" { deny 403 }\n  // ward-ignore W017\n  route GET \"/a/b\" { deny 404 }\n}\n");
  CHECK(noReason.findUnsuppressed("W027"));
  CHECK(noReason.findUnsuppressed("W017")); // not suppressed without a reason

  CheckResult unknown = checkSource(base + "  // ward-ignore W999: typo\n  route GET \"/a\" { deny 403 }\n}\n");
  CHECK(unknown.findUnsuppressed("W027"));

  CheckResult unused =
      checkSource(base + "  // ward-ignore W017: nothing to hide\n  route GET \"/a\" { deny 403 }\n}\n");
  CHECK(unused.findUnsuppressed("W028"));
}

TEST_CASE("ward.json sets levels and options, and reports its own mistakes", "[analysis][config]") {
  std::string policy = "identity ordersedge : service_principal\n";
  CHECK(check({{"main.ward", policy}}).has("W013"));
  CheckResult off =
      check({{"main.ward", policy}, {"ward.json", R"({"rules": {"W013": "off", "W025": "off"}})"}}, {"main.ward"});
  CHECK(off.compilation->diagnostics().diagnostics().empty());
  CheckResult pattern = check(
      {{"main.ward", policy}, {"ward.json", R"({"rules": {"W013": {"level": "error", "pattern": "^[a-z]+edge$"}}})"}},
      {"main.ward"});
  CHECK_FALSE(pattern.has("W013"));
  CheckResult asError = check(
      {{"main.ward", policy}, {"ward.json", R"({"rules": {"service-principal-naming": "error"}})"}}, {"main.ward"});
  const Diagnostic *d = asError.find("W013");
  REQUIRE(d);
  CHECK(d->severity == Severity::Error);
  CHECK(check({{"main.ward", policy}, {"ward.json", "{not json"}}, {"main.ward"}).has("E0007", "not valid JSON"));
  CHECK(check({{"main.ward", policy}, {"ward.json", R"({"rules": {"W999": "off"}})"}}, {"main.ward"})
            .has("E0007", "unknown rule"));
  CHECK(check({{"main.ward", policy}, {"ward.json", R"({"rules": {"W013": "loud"}})"}}, {"main.ward"})
            .has("E0007", "unknown level"));
  // Found by walking up from the inputs.
  CheckResult nested =
      check({{"team/policies/main.ward", policy}, {"ward.json", R"({"rules": {"W013": "off", "W025": "off"}})"}},
            {"team/policies/main.ward"});
  CHECK(nested.compilation->diagnostics().diagnostics().empty());
  // A project's own operations extend the catalogue.
  std::string cap = "import std.azure\ncapability vm.beam on azure.vm { actions = "
                    "[\"Microsoft.Compute/virtualMachines/teleport/action\"] }\n";
  CHECK(check({{"main.ward", cap}}).has("W026"));
  CHECK_FALSE(
      check({{"main.ward", cap},
             {"ward.json", R"({"catalog": {"actions": ["Microsoft.Compute/virtualMachines/teleport/action"]}})"}},
            {"main.ward"})
          .has("W026"));
  // Azure's data is read once per process; a project's additions stay its own.
  CHECK(check({{"main.ward", cap}}).has("W026"));
}

TEST_CASE("retry arithmetic is shown in the message", "[analysis][edge]") {
  CheckResult r = checkSource(
      "import std.azure\n"
      "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" origin = \"https://vm.example.net\" }\n"
      "retry slow { attempts = 3 backoff = exponential(initial = 500ms, max = 2s, jitter = full) on = [503] "
      "per_try_timeout = 2s budget = { ratio = 10% } }\n"
      "edgeworker gw { id = 1 version = \"1.0.0\" hostnames = [\"vm.example.net\"] route GET \"/x\" { forward to vm "
      "retry slow } }\n");
  const Diagnostic *d = r.findUnsuppressed("W018");
  REQUIRE(d);
  CHECK(d->message == "worst case 3 × 2s + (500ms + 1s) = 7.50s exceeds the 4s wall-time limit of a responseProvider "
                      "on the basic tier");
  // What retries do at the edge is said where the user reads the finding.
  CHECK(d->help().find("EdgeWorkers documents no timer") != std::string::npos);
  CHECK(d->help().find("per isolate") != std::string::npos);
}

TEST_CASE("W020 says what budgets and back-off do at the edge", "[analysis][edge]") {
  CheckResult r = checkSource("retry bare { attempts = 2 on = [503] per_try_timeout = 1s }\n");
  std::vector<std::string> texts;
  for (const Diagnostic &d : r.compilation->diagnostics().diagnostics())
    if (d.code == "W020") texts.push_back(d.message + " " + d.help().str());
  REQUIRE(texts.size() == 2);
  auto said = [&](const char *what, const char *text) {
    return std::any_of(texts.begin(), texts.end(), [&](const std::string &t) {
      return t.find(what) != std::string::npos && t.find(text) != std::string::npos;
    });
  };
  CHECK(said("has no budget", "per isolate"));
  CHECK(said("without jitter", "EdgeWorkers documents no timer"));
}

TEST_CASE("the worst case counts the key-set fetch responseProvider may make first", "[analysis][edge]") {
  auto build = [](const std::string &keys) {
    std::string policy =
        "import std.azure\n"
        "issuer idp { issuer = \"https://id.example.com\" " +
        keys +
        " audiences = [\"api://a\"] algorithms = [RS256] max_lifetime = 15m }\n"
        "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" origin = \"https://vm.example.net\" }\n"
        "retry r { attempts = 3 backoff = exponential(initial = 100ms, max = 200ms, jitter = full) on = [503] "
        "per_try_timeout = 1s budget = { ratio = 10% } }\n"
        "edgeworker gw { id = 1 version = \"1.0.0\" hostnames = [\"vm.example.net\", \"id.example.com\"] "
        "route GET \"/x\" { require token from idp { scopes = [\"a\"] } "
        "forward to vm retry r } }\n";
    std::string jwks = "{\"keys\": [{\"kty\": \"RSA\", \"n\": \"" + std::string(342, 'x') + "\", \"e\": \"AQAB\"}]}";
    return ward::test::check({{"main.ward", policy}, {"keys.json", jwks}}, {"main.ward"});
  };
  // 3 × 1s + (100ms + 200ms) = 3.30s fits the basic tier's 4s; with a 1.5s fetch before it, it does not.
  CheckResult fetched = build("jwks = \"https://id.example.com/keys\"");
  const Diagnostic *d = fetched.findUnsuppressed("W018");
  REQUIRE(d);
  CHECK(d->message ==
        "worst case 1.50s key-set fetch + 3 × 1s + (100ms + 200ms) = 4.80s exceeds the 4s wall-time limit of a "
        "responseProvider on the basic tier");
  CheckResult embedded = build("jwks_file = \"keys.json\"");
  CHECK(embedded.frontEndOk());
  CHECK_FALSE(embedded.has("W018"));
}

TEST_CASE("route shadowing uses real pattern subsumption", "[analysis][edge]") {
  auto shadowed = [](const std::string &first, const std::string &second) {
    CheckResult r = checkSource("edgeworker gw {\n  id = 1\n  version = \"1.0.0\"\n  route " + first +
                                " { deny 403 }\n  route " + second + " { deny 404 }\n}\n");
    return r.has("W017");
  };
  CHECK(shadowed("GET \"/a/*\"", "GET \"/a/b/c\""));
  CHECK(shadowed("GET \"/a/*\"", "GET \"/a\"") == false); // `/a/*` needs the slash
  CHECK(shadowed("GET \"/a/*\"", "GET \"/a/\""));
  CHECK(shadowed("GET \"/a/{id}\"", "GET \"/a/42\""));
  CHECK_FALSE(shadowed("GET \"/a/42\"", "GET \"/a/{id}\""));
  CHECK_FALSE(shadowed("GET \"/a/{id}\"", "GET \"/a/*\""));
  CHECK(shadowed("\"/a/*\"", "POST \"/a/b\"")); // no methods: any method
  CHECK_FALSE(shadowed("GET \"/a/*\"", "POST \"/a/b\""));
  CHECK_FALSE(shadowed("GET \"/a/*\"", "\"/a/b\""));
  CHECK(shadowed("GET, POST \"/a/{x}/c\"", "POST \"/a/{y}/c\""));
}

TEST_CASE("secrets are recognised and ordinary strings are not", "[analysis][secrets]") {
  auto flagged = [](const std::string &text) {
    return checkSource("identity sp-x : service_principal { description = \"" + text + "\" }\n").has("W010");
  };
  CHECK(flagged("-----BEGIN RSA PRIVATE KEY-----\\nMIIE...\\n-----END RSA PRIVATE KEY-----"));
  CHECK(flagged("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc123=="));
  CHECK(flagged("abc8Q~" + std::string(34, 'x')));
  CHECK(flagged(std::string(86, 'A') + "=="));
  CHECK_FALSE(flagged("EdgeWorker fronting the orders API"));
  CHECK_FALSE(flagged("72f988bf-86f1-41af-91ab-2d7cd011db47"));
  CHECK_FALSE(flagged("eyJ is how a JWT starts"));
  // The first screen reads eight bytes at a time: each marker at every
  // offset in a word, and in the bytes after the last whole word.
  const std::string jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcmRlcnMifQ.c2lnbmF0dXJl";
  for (size_t shift = 0; shift < 17; ++shift) {
    std::string pad(shift, 'x');
    INFO("shifted by " << shift);
    CHECK(flagged(pad + " -----BEGIN EC PRIVATE KEY-----"));
    CHECK(flagged(pad + " token " + jwt));
    CHECK(flagged(pad + ";AccountKey=abc"));
    CHECK(flagged(pad + "abc8Q~" + std::string(31, 'y')));
    CHECK_FALSE(flagged(pad + " ----BEGIN EC PRIVATE KEY----")); // four dashes are not a PEM armour
    CHECK_FALSE(flagged(pad + " 72f988bf-86f1-41af-91ab-2d7cd011db47"));
  }
}

namespace {
const char *kTenant = "import std.issuers\ntenant contoso { id = \"72f988bf-86f1-41af-91ab-2d7cd011db47\" }\n";
}

TEST_CASE("W030: Entra ID v2.0 audiences are application IDs, tenants are IDs", "[analysis][issuers]") {
  std::string uri =
      std::string(kTenant) + "issuer entra : issuers.entra_v2 { tenant = contoso  audiences = [\"api://orders\"] }\n";
  CheckResult r = checkSource(uri);
  const Diagnostic *d = r.findUnsuppressed("W030");
  REQUIRE(d);
  CHECK(d->message.find("carry the API's application (client) ID, a GUID") != std::string::npos);
  CHECK(d->fixits.empty()); // the GUID cannot be guessed
  CHECK(d->help().find("issuers.entra_v1") != std::string::npos);

  // `api://{GUID}` holds the application ID: the fix takes it out, and the finding goes.
  std::string guidUri = std::string(kTenant) + "issuer entra : issuers.entra_v2 { tenant = contoso  audiences = "
                                               "[\"api://6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f\"] }\n";
  CheckResult withGuid = checkSource(guidUri);
  const Diagnostic *fixable = withGuid.findUnsuppressed("W030");
  REQUIRE(fixable);
  REQUIRE(fixable->fixits.size() == 1);
  std::string fixed = applyFixIts(guidUri, *fixable);
  CHECK(fixed.find("audiences = [\"6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f\"]") != std::string::npos);
  CheckResult after = checkSource(fixed);
  CHECK_FALSE(after.has("W030"));
  CHECK(after.ok);

  // v1.0 tokens carry App ID URIs: no finding with the v1 template.
  CHECK_FALSE(checkSource(std::string(kTenant) +
                          "issuer e1 : issuers.entra_v1 { tenant = contoso  audiences = [\"api://orders\"] }\n")
                  .has("W030"));
  // A route's own audiences are what the edge compares, so they are checked too.
  std::string jwks = "{\"keys\": [{\"kty\": \"RSA\", \"n\": \"" + std::string(342, 'x') + "\", \"e\": \"AQAB\"}]}";
  CheckResult route = check(
      {{"main.ward",
        std::string(kTenant) +
            R"(issuer entra : issuers.entra_v2 { tenant = contoso  audiences = ["6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f"] jwks_file = "k.json" }
edgeworker gw { id = 1 version = "1.0.0" route GET "/a" { require token from entra { audiences = ["api://other"] } respond 200 "ok" } }
)"},
       {"k.json", jwks}},
      {"main.ward"});
  INFO(route.text());
  CHECK(route.has("W030", "\"api://other\""));
  // `iss` names the tenant by ID: a domain as tenant matches no token.
  CHECK(checkSource("import std.issuers\nissuer entra : issuers.entra_v2 { tenant = \"contoso.com\"  audiences = "
                    "[\"6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f\"] }\n")
            .has("W030", "names the tenant by its ID"));
}

TEST_CASE("W029: max_lifetime below the lifetime the provider issues", "[analysis][issuers]") {
  std::string source = std::string(kTenant) + "issuer entra : issuers.entra_v2 { tenant = contoso  audiences = "
                                              "[\"6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f\"]  max_lifetime = 15m }\n";
  CheckResult r = checkSource(source);
  const Diagnostic *d = r.findUnsuppressed("W029");
  REQUIRE(d);
  CHECK(d->message.find("issues tokens that live up to 90m") != std::string::npos);
  REQUIRE(d->fixits.size() == 1);
  CheckResult fixed = checkSource(applyFixIts(source, *d));
  CHECK_FALSE(fixed.has("W029"));
  CHECK_FALSE(fixed.has("W011")); // raising to the provider's lifetime stays within the default cap
  CHECK(fixed.ok);
  // Declaring the lifetime the provider was configured to issue settles it too.
  std::string declared = source;
  declared.replace(declared.find("max_lifetime"), 0, "token_lifetime = 15m  ");
  CHECK_FALSE(checkSource(declared).has("W029"));
  // The templates agree with W011's default cap: a plain template issuer is clean.
  CheckResult plain = checkSource(
      std::string(kTenant) +
      "issuer entra : issuers.entra_v2 { tenant = contoso  audiences = [\"6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f\"] }\n"
      "issuer okta : issuers.okta { domain = \"x.okta.com\"  server = \"default\"  audiences = [\"api://x\"] }\n");
  CHECK_FALSE(plain.has("W011"));
  CHECK_FALSE(plain.has("W029"));
}

TEST_CASE("findings about inherited values point at the user's issuer and obey its ward-ignore",
          "[analysis][issuers]") {
  // The template's max_lifetime (90m) is over a 1h cap.
  std::string source =
      std::string(kTenant) +
      "issuer entra : issuers.entra_v2 { tenant = contoso  audiences = [\"6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f\"] }\n";
  std::string config = R"({"rules": {"W011": {"level": "warning", "max_lifetime": "1h"}}})";
  CheckResult r = check({{"main.ward", source}, {"ward.json", config}}, {"main.ward"});
  const Diagnostic *d = r.findUnsuppressed("W011");
  REQUIRE(d);
  CHECK(r.compilation->sources().displayPath(d->range.file).find("main.ward") != std::string::npos);
  CHECK(r.start(*d).line == 3);
  REQUIRE(d->labels.size() == 1);
  CHECK(d->labels[0].message == "the value comes from template `issuers.entra_v2`");
  CHECK(r.compilation->sources().displayPath(d->labels[0].range.file).find("issuers.ward") != std::string::npos);
  CHECK(d->fixits.empty());

  std::string ignored = std::string(kTenant) + "// ward-ignore W011: the gateway accepts Entra's default lifetime\n" +
                        source.substr(std::string(kTenant).size());
  CheckResult quiet = check({{"main.ward", ignored}, {"ward.json", config}}, {"main.ward"});
  CHECK(quiet.has("W011"));
  CHECK_FALSE(quiet.findUnsuppressed("W011"));
  CHECK_FALSE(quiet.has("W028")); // the suppression is used
}

namespace {
const char *kPrivilegeBase = R"(import std.azure
tenant t { id = "72f988bf-86f1-41af-91ab-2d7cd011db47"  subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590" }
identity sp-ops : service_principal { object_id = "3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f" }
resource vm : azure.vm { resource_group = "rg" name = "vm" }
resource vault : azure.recovery_vault { resource_group = "rg" name = "rsv" }
resource kv : azure.key_vault { resource_group = "rg" name = "kv" }
)";
}

TEST_CASE("W006: a built-in role that an intent uses only in part", "[analysis][privilege]") {
  // Backup Contributor for an on-demand backup: most of the role goes unused.
  CheckResult backup =
      checkSource(std::string(kPrivilegeBase) + "backup nightly { protect vm in vault  schedule = daily at \"02:00\"  "
                                                "retain = { daily = 30d }  trigger by sp-ops }\n"
                                                "grant sp-ops role \"Backup Contributor\" on vault\n");
  const Diagnostic *d = backup.findUnsuppressed("W006");
  REQUIRE(d);
  CHECK(d->message.find("role `Backup Contributor` lets `sp-ops` perform") != std::string::npos);
  CHECK(d->message.find("Microsoft.RecoveryServices/") != std::string::npos); // the vault's own operations first
  CHECK(d->help().find("allow sp-ops to backup.operate on vault") != std::string::npos);
  // Key Vault Crypto User next to an allow that already covers signing.
  CheckResult signer = checkSource(std::string(kPrivilegeBase) + "allow sp-ops to keys.sign on kv\n"
                                                                 "grant sp-ops role \"Key Vault Crypto User\" on kv\n");
  const Diagnostic *s = signer.findUnsuppressed("W006");
  REQUIRE(s);
  CHECK(s->message.find("Microsoft.KeyVault/vaults/keys/") != std::string::npos);
  CHECK(s->help().find("remove this grant") != std::string::npos);
}

TEST_CASE("one cause, one finding: a misspelt action gets W026 only", "[analysis][privilege]") {
  CheckResult r =
      checkSource(std::string(kPrivilegeBase) + "allow sp-ops to vm.read on vm\n"
                                                "grant sp-ops actions [\"Microsoft.Compute/virtualMachines/read\", "
                                                "\"Microsoft.Compute/virtualMachines/restrat/action\"] on vm\n");
  CHECK(r.has("W026", "restrat"));
  for (const Diagnostic &d : r.compilation->diagnostics().diagnostics())
    if (d.code == "W006") CHECK(d.message.find("restrat") == std::string::npos);
}

TEST_CASE("W003/W004: escalation in a declared capability is a note, and grants list what applies as written",
          "[analysis][privilege]") {
  // (Azure compares operations without case, and so do the rules.)
  for (std::string action :
       {"Microsoft.Authorization/roleAssignments/write", "microsoft.authorization/ROLEASSIGNMENTS/write"}) {
    CheckResult declared =
        checkSource(std::string(kPrivilegeBase) + "capability rbac.assign on azure.vm { actions = [\"" + action +
                    "\"] }\nallow sp-ops to rbac.assign on vm\n");
    const Diagnostic *note = declared.findUnsuppressed("W003");
    REQUIRE(note);
    CHECK(note->severity == Severity::Note);
    CHECK(note->message == "`rbac.assign` lets `sp-ops` escalate privileges: `" + action + "`");
    CHECK(declared.ok);
  }

  CheckResult written =
      checkSource(std::string(kPrivilegeBase) + "grant sp-ops actions [\"Microsoft.Authorization/*/write\"] on vm\n");
  const Diagnostic *esc = written.findUnsuppressed("W003");
  REQUIRE(esc);
  CHECK(esc->message == "this grant lets `sp-ops` escalate its own privileges: `Microsoft.Authorization/*/write`");
  // At a VM, other resource types' operations (assigning a managed identity, joining a subnet) do not apply.
  CheckResult vmRole =
      checkSource(std::string(kPrivilegeBase) + "grant sp-ops role \"Virtual Machine Contributor\" on vm\n");
  for (const Diagnostic &d : vmRole.compilation->diagnostics().diagnostics())
    if (d.code == "W003") CHECK(d.message.find("Microsoft.ManagedIdentity") == std::string::npos);
}

TEST_CASE("W021 says what the bundle does with a POST and no idempotency key", "[analysis][edge]") {
  CheckResult r = checkSource(R"(import std.azure
resource app : azure.app_service { resource_group = "rg" name = "app" origin = "https://app.example.com" }
retry r { attempts = 2 backoff = exponential(initial = 100ms, max = 200ms, jitter = full) on = [503] per_try_timeout = 1s budget = { ratio = 10% } }
edgeworker gw { id = 1 version = "1.0.0" hostnames = ["app.example.com"]
  // ward-ignore W015: test
  route POST "/orders" { forward to app retry r }
  default deny 404 }
)");
  const Diagnostic *d = r.findUnsuppressed("W021");
  REQUIRE(d);
  CHECK(d->message.find("POST requests here are sent once, never retried") != std::string::npos);
}

TEST_CASE("W013's suggested name follows the convention", "[analysis][identity]") {
  for (const char *name : {"SP_Orders", "sp_orders_edge", "Orders--Edge", "spOrders", "SPOrdersEdge"}) {
    CheckResult r = checkSource(fmt::format("identity {} : service_principal {{}}\n", name));
    const Diagnostic *d = r.findUnsuppressed("W013");
    INFO(name);
    REQUIRE(d);
    std::smatch m;
    std::string help = d->help().str();
    REQUIRE(std::regex_search(help, m, std::regex("`([^`]+)`")));
    std::string suggested = m[1];
    CHECK(suggested.rfind("sp-sp", 0) != 0);
    CheckResult renamed = checkSource(fmt::format("identity {} : service_principal {{}}\n", suggested));
    CHECK_FALSE(renamed.has("W013"));
  }
}

TEST_CASE("W010 scans every string that reaches an artifact", "[analysis][secrets]") {
  const std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
  const std::string sas = "https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=abcdEFGH1234%3D&se=2030-01-01";
  auto edgeworker = [](const std::string &route) {
    return "edgeworker gw { id = 1 version = \"1.0.0\" " + route + " }\n";
  };
  CHECK(checkSource(edgeworker("route GET \"/a\" { respond 200 \"" + jwt + "\" }")).has("W010", "JSON Web Token"));
  CHECK(checkSource(edgeworker("route GET \"/a\" { redirect 302 \"" + sas + "\" }")).has("W010", "signed URL"));
  CHECK(checkSource(edgeworker("route GET \"/a\" { deny 403 \"token " + jwt + "\" }")).has("W010"));
  CHECK(checkSource(edgeworker("default respond 200 \"" + jwt + "\"")).has("W010"));
  CHECK(checkSource("import std.azure\nidentity sp-a : service_principal {}\nresource vm : azure.vm { resource_group = "
                    "\"rg\" name = \"vm\" }\n"
                    "allow sp-a to vm.read on vm when \"@Request[x] StringEquals '" +
                    jwt + "'\"\n")
            .has("W010"));
  CHECK_FALSE(checkSource(edgeworker("route GET \"/a\" { respond 200 \"ok\" }")).has("W010"));
}

namespace {
/// Every text of up to `maxLength` characters over `alphabet`, shortest first.
std::vector<std::string> allTexts(llvm::StringRef alphabet, size_t maxLength) {
  std::vector<std::string> texts{""};
  for (size_t from = 0, length = 1; length <= maxLength; ++length) {
    size_t to = texts.size();
    for (size_t i = from; i < to; ++i)
      for (char c : alphabet) texts.push_back(texts[i] + c);
    from = to;
  }
  return texts;
}

/// Requires `byHand` and `byRegex` to agree on every text; how many matched.
size_t countAgreeing(const std::vector<std::string> &texts, bool (*byHand)(llvm::StringRef),
                     const std::function<bool(const std::string &)> &byRegex) {
  size_t matched = 0;
  for (const std::string &text : texts) {
    INFO("text \"" << text << "\"");
    bool expected = byRegex(text);
    REQUIRE(byHand(text) == expected);
    matched += expected;
  }
  return matched;
}
} // namespace

TEST_CASE("the hand-written patterns match exactly what their regular expressions match", "[analysis][patterns]") {
  SECTION("W016's pinned version, matched whole") {
    const std::regex pinned(R"(^[0-9]+(\.[0-9]+)*([-_+~][0-9A-Za-z.]+)?$)");
    // Digits, every separator and tag lead, letters of both cases, and a
    // character no version holds.
    std::vector<std::string> texts = allTexts("07.-_+~aZ!", 5);
    for (const char *extra : {"1.2.3", "10.20.30-rc.1", "1.0.0+build.5", "1.0~beta", "1..2", "1.2.", ".1", "1-", "1.x",
                              "v1.2", "1.2.3-", "1_2_3", "latest", "*", "1.*", "^1.2", "1.2 "})
      texts.push_back(extra);
    size_t pinnedCount = countAgreeing(texts, ward::analysis::isPinnedVersion,
                                       [&](const std::string &text) { return std::regex_match(text, pinned); });
    CHECK(pinnedCount > 1000); // both answers are well represented
    CHECK(pinnedCount < texts.size() / 2);
  }
  SECTION("W013's default naming convention, searched") {
    const std::regex convention(ward::analysis::kServicePrincipalNamePattern, std::regex::ECMAScript);
    std::vector<std::string> texts;
    for (const std::string &tail : allTexts("a9-Z_", 5)) {
      texts.push_back("sp-" + tail);
      texts.push_back("s" + tail);
      texts.push_back(tail);
    }
    size_t conventional = countAgreeing(texts, ward::analysis::isConventionalServicePrincipalName,
                                        [&](const std::string &text) { return std::regex_search(text, convention); });
    CHECK(conventional > 100);
    CHECK(conventional < texts.size() / 2);
  }
}

TEST_CASE("the rules' index of declarations by kind holds each user declaration once, in source order", "[analysis]") {
  CheckResult r = check({{"a.ward", readFile(sourceDir() + "/examples/orders-api/orders.ward")},
                         {"b.ward", "identity sp-b : service_principal\nretry r-b { attempts = 2 }\n"}});
  Program &program = r.compilation->program();
  ward::analysis::UserDeclsByKind byKind(program);
  size_t indexed = 0, kinds = 0;
  for (size_t k = 0; k < kDeclKindCount; ++k) {
    auto kind = static_cast<DeclKind>(k);
    std::vector<Decl *> walked;
    for (auto &file : program.files)
      if (!file->isStdlib())
        for (auto &decl : file->decls)
          if (decl->kind() == kind) walked.push_back(decl.get());
    CHECK(byKind.of(kind) == walked);
    indexed += byKind.of(kind).size();
    kinds += !walked.empty();
  }
  CHECK(kinds >= 6);                             // the example declares most kinds
  CHECK(byKind.of(DeclKind::Retry).size() >= 2); // from both files
  size_t stdlibDecls = 0, all = 0;
  for (auto &file : program.files) (file->isStdlib() ? stdlibDecls : all) += file->decls.size();
  CHECK(stdlibDecls > 0);
  CHECK(indexed == all); // the standard library's are left out
}
