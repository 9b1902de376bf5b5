// Backups triggered from the edge through a relay: what Sema requires of the
// routes, the relay and the VM, and what W007 requires of the relay's identity.
#include "TestSupport.h"

#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::test;

namespace {

// A whole pattern that checks clean; the tests below break one piece each.
const std::string kPattern = R"(import std.azure
import std.issuers
tenant contoso {
  id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
}
resource vm : azure.vm { resource_group = "rg" name = "vm-01" }
resource vault : azure.recovery_vault { resource_group = "rg-backup" name = "rsv" }
backup nightly {
  protect vm in vault
  schedule = daily at "02:00" zone "UTC"
  retain = { daily = 30d }
}
issuer entra : issuers.entra_v2 {
  tenant = contoso
  audiences = ["0c9f4b2a-7d3e-4f61-8a5b-9e2d1c3b4a5f"]
  token_lifetime = 15m
  max_lifetime = 15m
}
resource relay : azure.function_app { resource_group = "rg-ops" name = "fn" origin = "https://fn.azurewebsites.net" }
identity relay-id : managed_identity { assigned = system  of = relay }
edgeworker ew {
  id = 1
  version = "1.0.0"
  hostnames = ["api.contoso.com", "relay.contoso.com"]
  via = { entra = "https://api.contoso.com/keys", relay = "https://relay.contoso.com" }
  route POST "/backups/vm" {
    require token from entra { roles = ["Backup.Run"] }
    trigger backup vm through relay
  }
  route GET "/backups/status/{handle}" {
    require token from entra { roles = ["Backup.Run"] }
    poll backup through relay
  }
  default deny 404
}
allow relay-id to backup.on_demand on vault
)";

std::string replaced(std::string text, const std::string &from, const std::string &to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

} // namespace

TEST_CASE("the whole relay pattern checks clean", "[sema][relay]") {
  CheckResult r = checkSource(kPattern);
  INFO(r.text());
  CHECK(r.ok);
  CHECK(r.text().empty());
}

TEST_CASE("a trigger or poll route must require a token", "[sema][relay]") {
  std::string noToken =
      replaced(kPattern, "require token from entra { roles = [\"Backup.Run\"] }\n    trigger", "trigger");
  CHECK(checkSource(noToken).has("E0323", "anyone could start backups"));
  std::string noPollToken =
      replaced(kPattern, "require token from entra { roles = [\"Backup.Run\"] }\n    poll", "poll");
  CHECK(checkSource(noPollToken).has("E0323", "anyone could read backup operations"));
}

TEST_CASE("a trigger answers POST and a poll GET, with the handle last", "[sema][relay]") {
  CHECK(checkSource(replaced(kPattern, "route POST \"/backups/vm\"", "route GET \"/backups/vm\""))
            .has("E0311", "POST only"));
  CHECK(
      checkSource(replaced(kPattern, "route POST \"/backups/vm\"", "route \"/backups/vm\"")).has("E0311", "POST only"));
  CHECK(checkSource(
            replaced(kPattern, "route GET \"/backups/status/{handle}\"", "route POST \"/backups/status/{handle}\""))
            .has("E0311", "GET (and HEAD) only"));
  CHECK(checkSource(replaced(kPattern, "\"/backups/status/{handle}\"", "\"/backups/status\""))
            .has("E0310", "last segment"));
  CHECK(checkSource(replaced(kPattern, "\"/backups/status/{handle}\"", "\"/backups/{vm}/status/{handle}\""))
            .has("E0310", "one path parameter"));
}

TEST_CASE("the VM must be under a scheduled backup, the relay a function app with an identity", "[sema][relay]") {
  CHECK(checkSource(replaced(kPattern, "  schedule = daily at \"02:00\" zone \"UTC\"\n", ""))
            .has("E0323", "has no schedule"));
  CHECK(checkSource(replaced(kPattern, "  protect vm in vault\n", "")).has("E0323", "no `backup` protects it"));
  CHECK(checkSource(replaced(kPattern, "trigger backup vm through", "trigger backup vault through"))
            .has("E0314", "Azure Backup does not protect"));
  CHECK(checkSource(replaced(kPattern, "identity relay-id : managed_identity { assigned = system  of = relay }\n", ""))
            .has("E0323", "no managed identity"));
  CHECK(checkSource(replaced(kPattern, "resource relay : azure.function_app", "resource relay : azure.app_service"))
            .has("E0314", "not a relay"));
  CHECK(checkSource(replaced(kPattern, " origin = \"https://fn.azurewebsites.net\"", "")).has("E0302", "no `origin`"));
  // A user-assigned identity, named by the relay, serves as well.
  std::string user =
      replaced(kPattern, "identity relay-id : managed_identity { assigned = system  of = relay }",
               "identity relay-id : managed_identity { client_id = \"5d2e8f14-3b6a-4c7d-9e0f-1a2b3c4d5e6f\" }");
  user = replaced(user, "name = \"fn\" ", "name = \"fn\" identity = relay-id ");
  CheckResult r = checkSource(user);
  INFO(r.text());
  CHECK(r.ok);
  CHECK(checkSource(replaced(user, "client_id = \"5d2e8f14-3b6a-4c7d-9e0f-1a2b3c4d5e6f\"",
                             "name = \"mi\" resource_group = \"rg\""))
            .has("E0302", "has no `client_id`"));
}

TEST_CASE("a trigger needs a route that polls the same relay, and neither is a default", "[sema][relay]") {
  std::string noPoll = replaced(kPattern, "    poll backup through relay\n", "    deny 404\n");
  CHECK(checkSource(noPoll).has("E0323", "nothing polls"));
  CHECK(checkSource(replaced(kPattern, "default deny 404", "default poll backup through relay"))
            .has("E0314", "not a default"));
}

TEST_CASE("the relay's hostname must be one the property serves", "[sema][relay]") {
  std::string unserved = replaced(kPattern, ", relay = \"https://relay.contoso.com\"", "");
  CHECK(checkSource(unserved).has("E0321", "calls relay `relay` at `fn.azurewebsites.net`"));
}

TEST_CASE("W007: the relay's identity must hold backup.on_demand on the vault, and the suggestion settles it",
          "[analysis][relay]") {
  std::string missing = replaced(kPattern, "allow relay-id to backup.on_demand on vault\n", "");
  CheckResult r = checkSource(missing);
  const Diagnostic *d = r.findUnsuppressed("W007");
  REQUIRE(d);
  CHECK(d->message.find("on-demand backup of `vm` through relay `relay`") != std::string::npos);
  CHECK(d->message.find("lacks 4 actions on `vault`") != std::string::npos);
  CheckResult fixed = checkSource(applyFixIts(missing, *d));
  INFO(fixed.text());
  CHECK(fixed.ok);
  CHECK(fixed.text().empty());
  // Backup Operator's actions by grant cover it too (W002 and W006 have their say about that).
  CHECK_FALSE(checkSource(replaced(kPattern, "allow relay-id to backup.on_demand on vault",
                                   "grant relay-id role \"Backup Operator\" on vault"))
                  .has("W007"));
}

TEST_CASE("W018: the relay call's worst case fits the tier's wall time", "[analysis][relay]") {
  // dynamic (8s): 1.5s for the key set and 6s for the relay fit.
  CHECK_FALSE(
      checkSource(replaced(kPattern, "version = \"1.0.0\"", "version = \"1.0.0\"  tier = dynamic")).has("W018"));
  CheckResult basic = checkSource(replaced(kPattern, "version = \"1.0.0\"", "version = \"1.0.0\"  tier = basic"));
  CHECK(basic.has("W018", "1.50s (key set) + 6s (relay) = 7.50s exceeds the 4s"));
  CHECK(basic.text().find("help: choose a larger `tier`: the relay alone may take 6s") != std::string::npos);
}
