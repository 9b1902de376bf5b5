// `wardc build` for edgeworkers: bundle layout and manifest entries, and the
// build-time errors (key sets, algorithms, bundle size) that leave OUT as it was.
#include "TestSupport.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace ward::test;

namespace {

// A 2048-bit RSA modulus is 256 bytes: 342 base64url characters.
const std::string kRsaKey =
    R"({"kty":"RSA","kid":"k1","alg":"RS256","n":")" + std::string(342, 'x') + R"(","e":"AQAB"})";

std::string policyWithKeys(const std::string &issuerExtra = "", const std::string &algorithms = "RS256") {
  return fmt::format(R"(import std.azure
issuer idp {{
  issuer = "https://id.example.com"
  jwks_file = "keys.json"
  audiences = ["api://a"]
  algorithms = [{}]
  max_lifetime = 15m
  {}
}}
resource app : azure.app_service {{ resource_group = "rg" name = "app" origin = "https://app.example.com" }}
edgeworker gw {{
  id = 9
  version = "1.0.0"
  route GET "/a" {{ require token from idp {{ scopes = ["a.read"] }} forward to app }}
  default deny 404
}}
)",
                     algorithms, issuerExtra);
}

/// Builds `policy` (with `keys` as keys.json beside it) into an OUT that
/// holds an earlier build; returns the result after checking OUT is intact.
RunResult buildOverExisting(const std::string &policy, const std::string &keys) {
  TempDir dir;
  std::string out = dir.path() + "/out";
  REQUIRE(runWardc({"build", "examples/vm-backup", "-o", out}).exitCode == 0);
  std::string before = readFile(out + "/manifest.json");
  std::string file = dir.write("p/policy.ward", policy);
  if (!keys.empty()) dir.write("p/keys.json", keys);
  RunResult r = runWardc({"build", dir.path() + "/p", "-o", out});
  CHECK(readFile(out + "/manifest.json") == before);
  CHECK_FALSE(llvm::sys::fs::exists(out + "/edgeworkers"));
  return r;
}

} // namespace

TEST_CASE("each edgeworker gets main.js, bundle.json and <name>-<version>.tgz in the manifest",
          "[build][edgeworkers]") {
  TempDir dir;
  std::string out = dir.path() + "/out";
  REQUIRE(runWardc({"build", "examples/multi-issuer-gateway", "-o", out}).exitCode == 0);
  llvm::Expected<llvm::json::Value> manifest = llvm::json::parse(readFile(out + "/manifest.json"));
  REQUIRE(bool(manifest));
  std::map<std::string, std::string> kinds;
  for (const llvm::json::Value &a : *manifest->getAsObject()->getArray("artifacts"))
    kinds[a.getAsObject()->getString("path")->str()] = a.getAsObject()->getString("kind")->str();
  CHECK(kinds["edgeworkers/partner-gateway/main.js"] == "edgeworker-main");
  CHECK(kinds["edgeworkers/partner-gateway/bundle.json"] == "edgeworker-bundle-json");
  CHECK(kinds["edgeworkers/partner-gateway-2.0.0.tgz"] == "edgeworker-bundle");
  std::string tgz = readFile(out + "/edgeworkers/partner-gateway-2.0.0.tgz");
  REQUIRE(tgz.size() > 18);
  CHECK(static_cast<unsigned char>(tgz[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(tgz[1]) == 0x8b);
}

TEST_CASE("an issuer's own jwks_file replaces its template's key-set URL and is embedded", "[build][edgeworkers]") {
  TempDir dir;
  dir.write("p/keys.json", "{\"keys\": [" + kRsaKey + "]}");
  dir.write("p/policy.ward", R"(import std.azure
import std.issuers
tenant t { id = "72f988bf-86f1-41af-91ab-2d7cd011db47" }
issuer entra : issuers.entra_v2 { tenant = t  audiences = ["api://a"]  jwks_file = "keys.json" }
resource app : azure.app_service { resource_group = "rg" name = "app" origin = "https://app.example.com" }
edgeworker gw {
  id = 9
  version = "1.0.0"
  route GET "/a" { require token from entra { scopes = ["a.read"] } forward to app }
}
)");
  std::string out = dir.path() + "/out";
  RunResult r = runWardc({"build", dir.path() + "/p", "-o", out});
  INFO(r.err);
  REQUIRE(r.exitCode == 0);
  std::string js = readFile(out + "/edgeworkers/gw/main.js");
  CHECK(js.find("\"kid\": \"k1\"") != std::string::npos);
  CHECK(js.find("discovery/v2.0/keys") == std::string::npos);
  CHECK(js.find("http-request") == std::string::npos); // no key fetch, no retry: no sub-requests at all
  CHECK(js.find("request.route({ origin: \"app\" })") != std::string::npos);
}

TEST_CASE("key-set files that cannot be embedded are errors at jwks_file, in check and build", "[build][edgeworkers]") {
  struct Case {
    const char *name, *keys, *message;
  };
  std::string weak = R"({"keys":[{"kty":"RSA","kid":"k","n":")" + std::string(171, 'x') + R"(","e":"AQAB"}]})";
  std::string withPrivate =
      R"({"keys":[{"kty":"RSA","kid":"k","n":")" + std::string(342, 'x') + R"(","e":"AQAB","d":"secret"}]})";
  std::string encryptOnly =
      R"({"keys":[{"kty":"RSA","kid":"k","key_ops":["encrypt"],"n":")" + std::string(342, 'x') + R"(","e":"AQAB"}]})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "cannot read the key set of issuer `idp`"},
      {"{\"keys\": [", "is not JSON"},
      {"{\"key\": []}", "has no `keys` array"},
      {weak, "an RSA key of 1024 bits is too weak"},
      {withPrivate, "a key holds the private member `d`"},
      {R"({"keys":[{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA","kid":"e"}]})", "has no key for RS256"},
      {encryptOnly, "has no key for RS256"}, // key_ops without `verify` (RFC 7517, 4.3)
  };
  for (const auto &[keys, message] : cases) {
    INFO(message);
    RunResult r = buildOverExisting(policyWithKeys(), keys);
    INFO(r.err);
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("error[E0320]") != std::string::npos);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(r.err.find("policy.ward:4:15") != std::string::npos); // at the jwks_file value
  }
  // Special files and directories are refused before anything is read.
  for (const char *path : {"/dev/zero", "/tmp"}) {
    std::string policy = policyWithKeys();
    policy.replace(policy.find("\"keys.json\""), 11, fmt::format("\"{}\"", path));
    RunResult r = buildOverExisting(policy, "");
    INFO(r.err);
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("is not a regular file") != std::string::npos);
  }
  std::string deep(1000, '[');
  RunResult r = buildOverExisting(policyWithKeys(), deep);
  CHECK(r.err.find("nested more than 64 levels deep") != std::string::npos);
}

TEST_CASE("issuers pinned to algorithms bundles cannot verify fail the build", "[build][edgeworkers]") {
  std::string rs384Key = kRsaKey;
  rs384Key.replace(rs384Key.find("RS256"), 5, "RS384");
  RunResult r = buildOverExisting(policyWithKeys("", "RS384"), "{\"keys\": [" + rs384Key + "]}");
  INFO(r.err);
  CHECK(r.exitCode == 1);
  CHECK(r.err.find("EdgeWorkers bundles verify RS256 and ES256 tokens, not RS384") != std::string::npos);
}

TEST_CASE("a bundle over EdgeWorkers' size limit is an error and nothing is written", "[build][edgeworkers]") {
  std::string policy = "edgeworker big {\n  id = 9\n  version = \"1.0.0\"\n";
  for (int i = 0; i < 600; ++i)
    policy += fmt::format("  route GET \"/r{}\" {{ respond 200 \"{}{}\" }}\n", i, i, std::string(1900, 'a' + i % 26));
  policy += "}\n";
  RunResult r = buildOverExisting(policy, "");
  INFO(r.err.substr(0, 2000));
  CHECK(r.exitCode == 1);
  CHECK(r.err.find("error[G0004]") != std::string::npos);
  CHECK(r.err.find("EdgeWorkers accepts at most 512000 compressed and 1000000 unpacked") != std::string::npos);
}

TEST_CASE("a retrying bundle without a default says what unrouted requests get", "[build][edgeworkers]") {
  TempDir dir;
  std::string file = dir.write("p.ward", R"(import std.azure
import std.retry
resource app : azure.app_service { resource_group = "rg" name = "app" origin = "https://app.example.com" }
edgeworker gw {
  id = 9
  version = "1.0.0"
  hostnames = ["app.example.com"]
  // ward-ignore W015: open on purpose
  route GET "/a" { forward to app retry retry.edge }
}
)");
  std::string out = dir.path() + "/out";
  RunResult r = runWardc({"build", file, "-o", out});
  INFO(r.err);
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.find("warning[G0001]: edgeworker `gw` retries through responseProvider") != std::string::npos);
  std::string js = readFile(out + "/edgeworkers/gw/main.js");
  CHECK(js.find("export async function responseProvider(request)") != std::string::npos);
  CHECK(js.find("request.respondWith(403, {}, \"\", \"denied by policy\");") != std::string::npos);
}

TEST_CASE("golden bundle of the orders-api example", "[build][edgeworkers][golden]") {
  // The generated code as a reviewer reads it; tests/edgeworkers runs the same
  // bundle under Jest for what it does.
  TempDir dir;
  std::string out = dir.path() + "/out";
  REQUIRE(runWardc({"build", "examples/orders-api", "-o", out}).exitCode == 0);
  compareGolden("orders-gateway/main.js", readFile(out + "/edgeworkers/orders-gateway/main.js"));
  compareGolden("orders-gateway/bundle.json", readFile(out + "/edgeworkers/orders-gateway/bundle.json"));
}
