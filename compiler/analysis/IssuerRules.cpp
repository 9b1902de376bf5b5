//===- IssuerRules.cpp - Token issuers: lifetimes, algorithms, Entra ID ---===//
//
// Rules about the effective values of `issuer` declarations (own attributes
// over their template's). Template values live in the standard library, so
// findings about them are placed on the user's issuer (reportOnValue).
//
//===----------------------------------------------------------------------===//
#include "analysis/RuleContext.h"
#include "sema/ValueChecks.h"

#include <fmt/format.h>

namespace ward::analysis {
namespace {

/// A duration option; ward.json was checked when it was read, so a value
/// that does not parse here is the default.
int64_t durationOption(const RuleContext &ctx, RuleID rule, llvm::StringRef key, llvm::StringRef fallback) {
  std::optional<int64_t> ms = parseDurationText(ctx.config.stringOption(rule, key, fallback));
  return ms ? *ms : parseDurationText(fallback).value_or(0);
}

std::string minutes(int64_t ms) { return ms % 60000 == 0 ? fmt::format("{}m", ms / 60000) : fmt::format("{}s", ms / 1000); }

void lifetimes(RuleContext &ctx, const IssuerDecl &issuer, int64_t cap) {
  const NumberSetting &lifetime = issuer.settings.maxLifetimeMs;
  if (!lifetime) {
    ctx.report(RuleID::TokenLifetime, issuer.name.range, fmt::format("issuer `{}` accepts tokens of any lifetime", issuer.name.text))
        .withHelp(fmt::format("add `max_lifetime` (at most the cap, now {}): the edge then refuses tokens that live longer",
                              minutes(cap)));
    return;
  }
  int64_t ms = *lifetime;
  if (ms > cap)
    ctx.reportOnValue(RuleID::TokenLifetime, issuer, lifetime.range(),
                      fmt::format("tokens of issuer `{}` may live {} here, over the cap of {}", issuer.name.text,
                                  lifetime.spelling(), minutes(cap)))
        .withHelp("lower `max_lifetime`; stolen tokens stay useful for as long as they live");

  const NumberSetting &issued = issuer.settings.tokenLifetimeMs;
  if (!issued || ms >= *issued) return;
  bool inherited = false;
  DiagnosticBuilder d = ctx.reportOnValue(
      RuleID::LifetimeBelowIssued, issuer, lifetime.range(),
      fmt::format("`max_lifetime = {}` refuses every token that lives longer, and issuer `{}` issues tokens that live up "
                  "to {} (`token_lifetime`): tokens of the provider's default lifetime are refused",
                  lifetime.spelling(), issuer.name.text, issued.spelling()),
      &inherited);
  d.label(issued.range(), "the provider's token lifetime");
  d.withHelp(fmt::format("raise `max_lifetime` to {}, or shorten the lifetime the provider issues (Entra ID: a token "
                         "lifetime policy; Okta: the access policy rule) and declare it: `token_lifetime = {}`",
                         issued.spelling(), lifetime.spelling()));
  // Raising the cap is the fix that cannot introduce another finding only
  // when the issued lifetime is within W011's cap.
  if (!inherited && *issued <= cap) d.suggest(lifetime.range(), issued.spelling().str());
}

void algorithmsAndTransport(RuleContext &ctx, const IssuerDecl &issuer) {
  for (const TextSetting &alg : issuer.settings.algorithms)
    if (*alg == "none" || llvm::StringRef(*alg).startswith("HS"))
      ctx.reportOnValue(RuleID::WeakAlgorithm, issuer, alg.range(),
                        *alg == "none"
                            ? std::string("`none` accepts unsigned tokens")
                            : fmt::format("`{}` needs a shared secret at the edge, where anyone with the bundle can read it",
                                          *alg))
            .withHelp("use RS256 or ES256: the edge verifies with the issuer's public keys");
  for (auto [key, url] : {std::pair<const char *, const TextSetting *>{"issuer", &issuer.settings.issuer},
                          {"jwks", &issuer.settings.jwks}}) {
    if (!*url || !llvm::StringRef(**url).startswith("http://")) continue;
    bool inherited = false;
    SourceRange at = url->range();
    DiagnosticBuilder d = ctx.reportOnValue(RuleID::InsecureTransport, issuer, at, fmt::format("`{}` uses plain HTTP", key),
                                            &inherited);
    d.withHelp("token issuers and key sets must be fetched over https://; anyone on the path could swap the keys");
    if (!inherited) d.suggest({at.file, at.begin + 1, at.begin + 8}, "https://");
  }
}

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
        fmt::format("Entra ID v2.0 access tokens carry the API's application (client) ID, a GUID, as `aud`; no token of "
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

} // namespace

void runIssuerRules(RuleContext &ctx) {
  int64_t cap = durationOption(ctx, RuleID::TokenLifetime, "max_lifetime", "90m");
  // Audiences that routes require of each issuer, in place of its own.
  std::map<const Decl *, std::vector<const TextSetting *>> routeAudiences;
  ctx.forEachUserDecl([&](Decl &decl) {
    if (auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(&decl))
      for (const Route &route : ew->routes)
        if (route.require)
          for (const TextSetting &aud : route.require->settings.audiences)
            routeAudiences[route.require->issuer.target].push_back(&aud);
  });
  ctx.forEachUserDecl([&](Decl &decl) {
    auto *issuer = llvm::dyn_cast<IssuerDecl>(&decl);
    if (!issuer) return;
    lifetimes(ctx, *issuer, cap);
    algorithmsAndTransport(ctx, *issuer);
    entra(ctx, *issuer, routeAudiences[issuer]);
  });
}

} // namespace ward::analysis
