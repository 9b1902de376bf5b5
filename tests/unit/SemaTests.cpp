#include "TestSupport.h"
#include "sema/ValueChecks.h"

#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::test;

TEST_CASE("GUIDs and EdgeWorker versions", "[sema]") {
  CHECK(sema::isValidGuid("72f988bf-86f1-41af-91ab-2d7cd011db47"));
  CHECK(sema::isValidGuid("72F988BF-86F1-41AF-91AB-2D7CD011DB47"));
  CHECK_FALSE(sema::isValidGuid("72f988bf86f141af91ab2d7cd011db47"));
  CHECK_FALSE(sema::isValidGuid("72f988bf-86f1-41af-91ab-2d7cd011db4g"));
  CHECK(sema::isValidEdgeWorkerVersion("1.4.2"));
  CHECK(sema::isValidEdgeWorkerVersion("release_2~rc-1"));
  CHECK_FALSE(sema::isValidEdgeWorkerVersion("1..2"));
  CHECK_FALSE(sema::isValidEdgeWorkerVersion("1.0 beta"));
  CHECK_FALSE(sema::isValidEdgeWorkerVersion(std::string(33, '1')));
  CHECK_FALSE(sema::isValidEdgeWorkerVersion(""));
}

static std::string retryWith(const std::string &attrs) { return "retry r { on = [503] " + attrs + " }\n"; }

TEST_CASE("durations need a known unit", "[sema]") {
  CHECK(checkSource(retryWith("attempts = 2 per_try_timeout = 500ms")).ok);
  CheckResult bare = checkSource(retryWith("attempts = 2 per_try_timeout = 500"));
  CHECK(bare.has("E0305", "needs a unit"));
  // `3days` means `3d`, which a per-try timeout does not take: no fix that would trade one error for another.
  CheckResult days = checkSource(retryWith("attempts = 2 per_try_timeout = 3days"));
  const Diagnostic *d = days.find("E0305");
  REQUIRE(d);
  CHECK(d->fixits.empty());
  CHECK(d->help() == "units here are ms, s, m");
  CheckResult seconds = checkSource(retryWith("attempts = 2 per_try_timeout = 3secs"));
  const Diagnostic *s = seconds.find("E0305");
  REQUIRE(s);
  REQUIRE(s->fixits.size() == 1);
  CHECK(s->fixits[0].replacement == "3s");
  CHECK(checkSource(retryWith("attempts = 2 per_try_timeout = 2h")).has("E0305", "must be given in"));
  CHECK(checkSource(retryWith("attempts = 2 per_try_timeout = 1.5s")).has("E0305", "whole number"));
}

TEST_CASE("ranges of numbers and ratios", "[sema]") {
  CHECK(checkSource(retryWith("attempts = 0")).has("E0306", "between 1 and 100"));
  CHECK(checkSource(retryWith("attempts = 2.5")).has("E0304", "whole number"));
  CHECK(checkSource(retryWith("attempts = 2 budget = { ratio = 0 }")).has("E0306", "greater than 0"));
  CHECK(checkSource(retryWith("attempts = 2 budget = { ratio = 150% }")).has("E0306"));
  CHECK(checkSource(retryWith("attempts = 2 budget = { ratio = 100% }")).ok);
  CHECK(checkSource(retryWith("attempts = 2 budget = { ratio = 0.25, min_per_second = 3 }")).ok);
}

TEST_CASE("numbers beyond any integer get their range error and nothing else", "[sema]") {
  // Found by fuzz-check: the typed settings converted such a number to an
  // integer after its error, which is undefined behaviour (the sanitizer
  // build of this suite stops on it).
  const std::string huge(95, '6');
  CheckResult attempts = checkSource(retryWith("attempts = " + huge));
  CHECK(attempts.has("E0306", "between 1 and 100"));
  CheckResult status = checkSource("retry r { attempts = 2 on = [503, " + huge + "] }\n");
  CHECK(status.has("E0312", "from 400 to 599"));
  CheckResult floor = checkSource(retryWith("attempts = 2 budget = { ratio = 10%, min_per_second = " + huge + " }"));
  CHECK(floor.has("E0306"));
}

TEST_CASE("backoff calls are checked by name and argument", "[sema]") {
  CHECK(checkSource(
            retryWith("attempts = 2 backoff = exponential(initial = 10ms, max = 1s, multiplier = 2, jitter = full)"))
            .ok);
  CHECK(checkSource(retryWith("attempts = 2 backoff = exponentail(initial = 10ms, max = 1s)"))
            .has("E0304", "unknown backoff"));
  CHECK(checkSource(retryWith("attempts = 2 backoff = exponential(max = 1s)")).has("E0302", "needs `initial`"));
  CHECK(checkSource(retryWith("attempts = 2 backoff = constant(delay = 1s, jitter = ful)")).has("E0304", "`ful`"));
}

TEST_CASE("tenant ids and URLs", "[sema]") {
  CHECK(checkSource("tenant t { id = \"not-a-guid\" }\n").has("E0307"));
  CheckResult http = checkSource("import std.azure\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" "
                                 "origin = \"http://x.example\" }\n");
  const Diagnostic *d = http.find("E0308");
  REQUIRE(d);
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].replacement == "https://");
  CHECK(checkSource("import std.azure\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" origin = "
                    "\"https://user:pw@x.example\" }\n")
            .has("E0308", "credentials"));
  CHECK(checkSource(
            "import std.azure\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" origin = \"ftp://x\" }\n")
            .has("E0308", "absolute URL"));
}

static std::string edgeworkerWith(const std::string &body) {
  return "import std.azure\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" origin = "
         "\"https://vm.example.net\" }\n"
         "resource kv : azure.key_vault { resource_group = \"rg\" name = \"kv\" }\n"
         "edgeworker api {\n  id = 1\n  version = \"1.0\"\n" +
         body + "\n}\n";
}

TEST_CASE("route path patterns", "[sema]") {
  CHECK(checkSource(edgeworkerWith("route GET \"/a/{id}/b/*\" { forward to vm }")).ok);
  CHECK(checkSource(edgeworkerWith("route GET \"a\" { deny }")).has("E0310", "must start with `/`"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a/*/b\" { deny }")).has("E0310", "last segment"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a/*.js\" { deny }")).has("E0310", "whole path segments"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a/{id}/{id}\" { deny }")).has("E0310", "appears twice"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a/b c\" { deny }")).has("E0310", "cannot contain spaces"));
  // A segment wrong both ways is named for its wildcard first.
  CHECK(checkSource(edgeworkerWith("route GET \"/a/b *\" { deny }")).has("E0310", "whole path segments"));
  CHECK_FALSE(checkSource(edgeworkerWith("route GET \"/a/{id}/{ix}/b\" { deny }")).has("E0310"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a?x=1\" { deny }")).has("E0310", "query"));
}

TEST_CASE("a block's owner is named in its messages, made only when one is reported", "[sema]") {
  // The names of routes and backoff calls are worked out when a message
  // needs them (OwnerName); each message still names its block.
  CHECK(checkSource(edgeworkerWith("route GET \"/a\" { color = 1 deny }"))
            .has("E0301", "unknown attribute `color` in route \"/a\""));
  CHECK(checkSource(retryWith("attempts = 2 backoff = exponential(max = 1s)"))
            .has("E0302", "`exponential(...)` needs `initial`"));
  CHECK(checkSource(retryWith("attempts = 2 backoff = constant(delay = 1s, delay = 2s)"))
            .has("E0303", "`delay` is given twice in `constant(...)`"));
  // A declaration's own messages name it too.
  CHECK(checkSource("backup nightly { schedule = daily at \"02:00\" }\n")
            .has("E0302", "backup `nightly` protects nothing"));
  CHECK(checkSource(retryWith("attempts = 2 colour = 1")).has("E0301", "unknown attribute `colour` in retry `r`"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a\" { deny }\n  default deny\n  default deny"))
            .has("E0303", "edgeworker `api` has two defaults"));
}

TEST_CASE("route actions and methods", "[sema]") {
  CHECK(checkSource(edgeworkerWith("route get \"/a\" { deny }")).has("E0311", "`get`"));
  CHECK(checkSource(edgeworkerWith("route GET, GET \"/a\" { deny }")).has("E0303", "listed twice"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a\" { deny forward to vm }")).has("E0322", "exactly one action"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a\" { forward to kv }")).has("E0314", "no HTTPS origin"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a\" { redirect 302 \"//evil.example\" }"))
            .has("E0308", "leaves the site"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a\" { respond 700 }")).has("E0312"));
  CHECK(checkSource(edgeworkerWith("route GET \"/a\" { respond 200 \"" + std::string(2049, 'x') + "\" }"))
            .has("E0306", "2,048"));
  CHECK(checkSource(edgeworkerWith("default deny 404\ndefault deny 403")).has("E0303", "two defaults"));
}

TEST_CASE("backup schedules follow Azure Backup's rules", "[sema]") {
  std::string base = "import std.azure\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
                     "resource vault : azure.recovery_vault { resource_group = \"rg\" name = \"rsv\" }\n";
  auto backupWith = [&](const std::string &body) {
    return base + "backup b {\n  protect vm in vault\n  " + body + "\n}\n";
  };
  CHECK(checkSource(backupWith("schedule = daily at \"02:30\" zone \"UTC\"")).ok);
  CHECK(checkSource(backupWith("schedule = hourly every 4h from \"08:00\" for 12h zone \"UTC\"")).ok);
  CHECK(checkSource(backupWith("schedule = hourly every 5h from \"08:00\" for 12h")).has("E0313", "4h, 6h, 8h or 12h"));
  CHECK(checkSource(backupWith("schedule = hourly every 4h from \"08:00\" for 2h")).has("E0313", "4h to 24h"));
  CHECK(checkSource(backupWith("schedule = daily at \"25:00\"")).has("E0313", "24-hour"));
  CHECK(checkSource(backupWith("schedule = weekly on [Sunday, Funday] at \"01:00\"")).has("E0304", "`Funday`"));
  CHECK(checkSource(backupWith("retain = { daily = 4w }")).has("E0305", "`d`"));
  CHECK(checkSource(
            backupWith("retain = { daily = 30d, weekly = 12w, monthly = 12mo, yearly = 5y } instant_restore = 2d"))
            .ok);
}

TEST_CASE("issuer templates fill their parameters", "[sema]") {
  CheckResult r = checkSource(
      "import std.issuers\n"
      "tenant contoso { id = \"72f988bf-86f1-41af-91ab-2d7cd011db47\" }\n"
      "issuer entra : issuers.entra_v2 { tenant = contoso audiences = [\"api://x\"] max_lifetime = 10m }\n");
  INFO(r.text());
  REQUIRE(r.ok);
  const IssuerDecl *issuer = nullptr;
  for (auto &decl : r.compilation->program().inputs[0]->decls)
    if (auto *i = llvm::dyn_cast<IssuerDecl>(decl.get())) issuer = i;
  REQUIRE(issuer);
  CHECK(issuer->effective.find("issuer")->value.text ==
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0");
  CHECK(issuer->effective.find("jwks")->value.text ==
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/discovery/v2.0/keys");
  CHECK(issuer->effective.find("max_lifetime")->value.text == "10m"); // own value overrides the template

  CHECK(checkSource("import std.issuers\nissuer okta : issuers.okta { domain = \"x.okta.com\" audiences = [\"a\"] }\n")
            .has("E0302", "needs `server`"));
  CHECK(checkSource("import std.issuers\nissuer okta : issuers.okta { domain = \"evil.example/#\" server = \"default\" "
                    "audiences = [\"a\"] }\n")
            .has("E0306", "plain name"));
}

TEST_CASE("identities: kinds and system-assigned identities", "[sema]") {
  CHECK(checkSource("identity x : managed_identity { assigned = system }\n").has("E0302", "needs `of`"));
  CHECK(checkSource("import std.azure\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\nidentity x : "
                    "managed_identity { assigned = system of = vm }\n")
            .ok);
  CHECK(checkSource("identity x : group { assigned = user }\n").has("E0314", "managed identities only"));
  CHECK(checkSource("identity x : service_principle\n").has("E0317"));
}

TEST_CASE("resources need the attributes of their level", "[sema]") {
  CHECK(checkSource("import std.azure\nresource vm : azure.vm { name = \"vm\" }\n")
            .has("E0302", "needs `resource_group`"));
  CHECK(checkSource("import std.azure\nresource rg : azure.resource_group { name = \"rg\" }\n").ok);
  CHECK(checkSource("import std.azure\nresource kv : azure.key_vault { resource_group = \"rg\" name = \"kv\" origin = "
                    "\"https://kv.example\" }\n")
            .has("E0314", "cannot serve as an HTTP origin"));
}

TEST_CASE("the standard library itself checks clean", "[sema][stdlib]") {
  CheckResult r = checkSource("import std.azure\nimport std.retry\nimport std.issuers\n");
  INFO(r.text());
  CHECK(r.ok);
  CHECK(r.compilation->diagnostics().diagnostics().empty());
}

namespace {
/// An edgeworker whose route verifies tokens of `idp` (keys fetched from
/// keys.idp.example) and forwards to `app` (origin app.example.net) with
/// retry, so both the key set and the origin are sub-requests.
std::string subrequestPolicy(const std::string &edgeworkerExtra) {
  return R"(import std.azure
import std.retry
issuer idp {
  issuer = "https://idp.example/"
  jwks = "https://keys.idp.example/jwks"
  audiences = ["a"]
  algorithms = [RS256]
}
resource app : azure.app_service { resource_group = "rg" name = "app" origin = "https://app.example.net" }
edgeworker gw {
  id = 1
  version = "1.0.0"
  )" + edgeworkerExtra +
         R"(
  route GET "/a" { require token from idp { scopes = ["a"] } forward to app retry retry.edge }
  default deny 404
}
)";
}
} // namespace

TEST_CASE("sub-requests must reach hostnames the property serves", "[sema][edgeworkers]") {
  CheckResult none = checkSource(subrequestPolicy(""));
  CHECK(none.has("E0321", "fetches the key set of issuer `idp` from `keys.idp.example`"));
  CHECK(none.has("E0321", "forwards through responseProvider to `app` at `app.example.net`"));
  CHECK(none.has("E0321", "it declares no `hostnames`"));

  // The property serves both hosts itself: no `via` needed, the URLs are used as they are.
  CheckResult direct = checkSource(subrequestPolicy(R"(hostnames = ["app.example.net", "keys.idp.example"])"));
  INFO(direct.text());
  CHECK(direct.frontEndOk());
  const EdgeWorkerDecl *ew = nullptr;
  for (auto &file : direct.compilation->program().files)
    for (auto &decl : file->decls)
      if (auto *e = llvm::dyn_cast<EdgeWorkerDecl>(decl.get())) ew = e;
  REQUIRE(ew);
  REQUIRE(ew->via.size() == 2);
  CHECK(ew->via[0].url == "https://keys.idp.example/jwks");
  CHECK(ew->via[1].url == "https://app.example.net");

  // Through the property's own hostnames; a wildcard covers one label.
  CheckResult via = checkSource(subrequestPolicy(
      R"(hostnames = ["*.edge.example.com"] via = { idp = "https://api.edge.example.com/keys/idp", app = "https://origin.edge.example.com/" })"));
  INFO(via.text());
  CHECK(via.frontEndOk());

  // A wildcard does not cover two labels, nor the bare domain.
  CHECK(
      checkSource(
          subrequestPolicy(
              R"(hostnames = ["*.example.com"] via = { idp = "https://a.b.example.com/keys", app = "https://example.com" })"))
          .codes() == std::vector<std::string>{"E0321", "E0321"});

  // An origin reached `via` the property is scheme and host only.
  CHECK(
      checkSource(
          subrequestPolicy(
              R"(hostnames = ["edge.example.com"] via = { idp = "https://edge.example.com/k", app = "https://edge.example.com/app" })"))
          .has("E0308", "scheme and host only"));
  // Hostnames are hostnames, not URLs.
  CHECK(checkSource(subrequestPolicy(R"(hostnames = ["https://edge.example.com"])")).has("E0308", "is not a hostname"));

  // Without a retry the bundle routes to the origin (request.route), so only
  // the key set is a sub-request; with embedded keys nothing is.
  std::string noRetry =
      subrequestPolicy(R"(hostnames = ["edge.example.com"] via = { idp = "https://edge.example.com/k" })");
  noRetry.replace(noRetry.find(" retry retry.edge"), 17, "");
  CheckResult routed = checkSource(noRetry);
  INFO(routed.text());
  CHECK(routed.frontEndOk());
}

namespace {
std::string backupWithZone(const std::string &zone) {
  return R"(import std.azure
resource vm : azure.vm { resource_group = "rg" name = "vm" }
resource vault : azure.recovery_vault { resource_group = "rg" name = "rsv" }
backup nightly { protect vm in vault  schedule = daily at "02:00" zone ")" +
         zone + R"("  retain = { daily = 30d } }
)";
}
} // namespace

TEST_CASE("backup time zones are Windows time zone IDs", "[sema][backup]") {
  for (const char *ok : {"UTC", "W. Europe Standard Time", "Pacific Standard Time", "Tokyo Standard Time"}) {
    INFO(ok);
    CHECK(checkSource(backupWithZone(ok)).frontEndOk());
  }
  // An IANA name: the Windows ID CLDR maps it to, as a fix that settles it.
  std::string iana = backupWithZone("Europe/Amsterdam");
  CheckResult r = checkSource(iana);
  const Diagnostic *d = r.find("E0313");
  REQUIRE(d);
  CHECK(d->message == "\"Europe/Amsterdam\" is an IANA time zone; Azure Backup takes Windows time zone IDs");
  REQUIRE(d->fixits.size() == 1);
  std::string fixed = applyFixIts(iana, *d);
  CHECK(fixed.find("zone \"W. Europe Standard Time\"") != std::string::npos);
  CHECK(checkSource(fixed).frontEndOk());
  CHECK(checkSource(backupWithZone("America/New_York")).has("E0313", "IANA"));
  // Wrong case is fixed to the exact ID; a near miss gets a suggestion.
  CheckResult lowerCase = checkSource(backupWithZone("utc"));
  const Diagnostic *lower = lowerCase.find("E0313");
  REQUIRE(lower);
  REQUIRE(lower->fixits.size() == 1);
  CHECK(lower->fixits[0].replacement == "\"UTC\"");
  CHECK(checkSource(backupWithZone("W. Europe Standard Tim")).has("E0313", "is not a Windows time zone ID"));
  CHECK(checkSource(backupWithZone("Mars/Olympus_Mons")).has("E0313"));
}

TEST_CASE("a VM is protected once", "[sema][backup]") {
  std::string twice = R"(import std.azure
resource vm : azure.vm { resource_group = "rg" name = "vm" }
resource vault : azure.recovery_vault { resource_group = "rg" name = "rsv" }
resource vault2 : azure.recovery_vault { resource_group = "rg" name = "rsv2" }
backup nightly { protect vm in vault  schedule = daily at "02:00"  retain = { daily = 30d } }
backup weekly { protect vm in vault2  schedule = weekly on [Sunday] at "02:00"  retain = { weekly = 12w } }
)";
  CheckResult r = checkSource(twice);
  const Diagnostic *d = r.find("E0315");
  REQUIRE(d);
  CHECK(d->message.find("`vm` is protected twice") != std::string::npos);
  REQUIRE(d->labels.size() == 1);
  CHECK(r.start(*d).line == 6);
  CHECK(checkSource("import std.azure\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
                    "resource vault : azure.recovery_vault { resource_group = \"rg\" name = \"rsv\" }\n"
                    "backup b { protect vm, vm in vault  schedule = daily at \"02:00\"  retain = { daily = 30d } }\n")
            .has("E0315", "protected twice"));
}

TEST_CASE("a missing or wrong unit is one error with a sensible suggestion", "[sema][units]") {
  auto only = [](const std::string &source) {
    CheckResult r = checkSource(source);
    INFO(r.text());
    REQUIRE(r.codes() == std::vector<std::string>{"E0305"});
    return std::string(r.find("E0305")->help());
  };
  std::string retry = "retry r { attempts = 3 on = [503] per_try_timeout = {} budget = { ratio = 10% } }\n";
  auto with = [&](const std::string &value) {
    std::string s = retry;
    s.replace(s.find("{}"), 2, value);
    return s;
  };
  CHECK(only(with("1500")) == "write `1500ms` (units here: ms, s, m)");
  CHECK(only(with("2")) == "write `2s` (units here: ms, s, m)");
  CHECK(only(with("1.5")) == "write `1500ms` (units here: ms, s, m)");
  CHECK(only(with("2sec")) == "write `2s` (units here: ms, s, m)");
  CHECK(only(with("1.5s")) == "write `1500ms`");
  // One error, not a cascade of Azure Backup range errors about the same value.
  std::string backup = "import std.azure\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
                       "resource vault : azure.recovery_vault { resource_group = \"rg\" name = \"rsv\" }\n"
                       "backup b { protect vm in vault  schedule = daily at \"02:00\"  retain = { daily = 5 } }\n";
  CheckResult r = checkSource(backup);
  REQUIRE(r.codes() == std::vector<std::string>{"E0305"});
  const Diagnostic *d = r.find("E0305");
  REQUIRE(d->fixits.size() == 1); // days are the only unit there: a certain fix
  CHECK(d->fixits[0].replacement == "5d");
}

TEST_CASE("redirect locations take {param} only from the route's path", "[sema][edgeworkers]") {
  auto with = [](const std::string &route) { return "edgeworker gw { id = 1 version = \"1.0.0\" " + route + " }\n"; };
  CHECK(checkSource(with(R"(route GET "/old/{id}" { redirect 301 "/new/{id}" })")).frontEndOk());
  CHECK(checkSource(with(R"(route GET "/old/{id}" { redirect 301 "/new/{oid}" })"))
            .has("E0308", "`{oid}` in the redirect location is not a parameter of the route's path \"/old/{id}\""));
  CHECK(checkSource(with(R"(route GET "/old/*" { redirect 301 "/new/{id}" })")).has("E0308", "not a parameter"));
  CHECK(checkSource(with(R"(default redirect 302 "/new/{id}")")).has("E0308", "has no path to come from"));
}
