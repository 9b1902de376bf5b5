//===- W030 entra-audience: an audience or issuer no Entra token carries --===//
#include "analysis/rules/Rule.h"
#include "sema/ValueChecks.h"

#include <map>

namespace ward::analysis {
namespace {

/// Entra ID's token endpoints, by `iss`: v2.0 tokens carry
/// `https://login.microsoftonline.com/{tenant id}/v2.0` (or a national cloud's
/// host), v1.0 tokens `https://sts.windows.net/{tenant id}/`.
struct EntraIssuer {
  int version = 0; // 0: not Entra ID
  std::string tenant;
};

EntraIssuer entraIssuer(llvm::StringRef url) {
  llvm::StringRef rest = url;
  if (!rest.consume_front("https://")) return {};
  auto [host, path] = rest.split('/');
  auto [tenant, tail] = path.split('/');
  if (host == "sts.windows.net" && (tail.empty())) return {1, tenant.str()};
  bool v2Host = host == "login.microsoftonline.com" || host == "login.microsoftonline.us" ||
                host == "login.partner.microsoftonline.cn";
  if (v2Host && tail == "v2.0") return {2, tenant.str()};
  return {};
}

void entra(RuleContext &ctx, const IssuerDecl &issuer, const std::vector<const TextSetting *> &routeAudiences) {
  const TextSetting &iss = issuer.settings.issuer;
  EntraIssuer entra = iss ? entraIssuer(*iss) : EntraIssuer{};
  if (entra.version == 0) return;
  if (!sema::isValidGuid(entra.tenant))
    ctx.reportOnValue(RuleID::EntraAudience, issuer, iss.range(),
                      fmt::format("Entra ID names the tenant by its ID in `iss`, so no token of issuer `{}` carries "
                                  "\"{}\" there and every token is refused",
                                  issuer.name.text, entra.tenant))
        .withHelp("give the tenant's ID (a GUID), or a `tenant` declaration whose `id` it is");
  if (entra.version != 2) return;

  std::vector<const TextSetting *> audiences = routeAudiences;
  for (const TextSetting &aud : issuer.settings.audiences) audiences.push_back(&aud);
  for (const TextSetting *aud : audiences) {
    llvm::StringRef text = **aud;
    if (sema::isValidGuid(text)) continue;
    bool inherited = false;
    DiagnosticBuilder d = ctx.reportOnValue(
        RuleID::EntraAudience, issuer, aud->range(),
        fmt::format(
            "Entra ID v2.0 access tokens carry the API's application (client) ID, a GUID, as `aud`; no token of "
            "issuer `{}` carries \"{}\", so every one is refused",
            issuer.name.text, text),
        &inherited);
    llvm::StringRef id = text;
    if (id.consume_front("api://") && sema::isValidGuid(id)) {
      d.withHelp(fmt::format("the application ID is the GUID inside the App ID URI: \"{}\"", id.str()));
      if (!inherited) d.fix(aud->range(), fmt::format("\"{}\"", id.str()));
    } else {
      d.withHelp("use the Application (client) ID of the API's app registration; App ID URIs appear only in v1.0 "
                 "tokens, whose issuer is https://sts.windows.net/{tenant}/ (template `issuers.entra_v1`)");
    }
  }
}

void check(RuleContext &ctx) {
  // Audiences that routes require of each issuer, in place of its own.
  std::map<const Decl *, std::vector<const TextSetting *>> routeAudiences;
  ctx.forEachUser<EdgeWorkerDecl>([&](EdgeWorkerDecl &ew) {
    for (const Route &route : ew.routes)
      if (route.require)
        for (const TextSetting &aud : route.require->settings.audiences)
          routeAudiences[route.require->issuer.target].push_back(&aud);
  });
  ctx.forEachUser<IssuerDecl>([&](IssuerDecl &issuer) { entra(ctx, issuer, routeAudiences[&issuer]); });
}

} // namespace

WARD_RULE_INFO(EntraAudience, "W030", Level::Warning, "entra-audience",
               "Entra ID audience or issuer no access token carries", {}, check)

} // namespace ward::analysis
