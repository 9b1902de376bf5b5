//===- W014 insecure-transport: plain-HTTP URLs ---------------------------===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

/// An issuer's `iss` and key set: anyone on the path could swap the keys.
void issuerUrls(RuleContext &ctx, const IssuerDecl &issuer) {
  for (auto [key, url] : {std::pair<const char *, const TextSetting *>{"issuer", &issuer.settings.issuer},
                          {"jwks", &issuer.settings.jwks}}) {
    if (!*url || !llvm::StringRef(**url).startswith("http://")) continue;
    bool inherited = false;
    SourceRange at = url->range();
    DiagnosticBuilder d =
        ctx.reportOnValue(RuleID::InsecureTransport, issuer, at, fmt::format("`{}` uses plain HTTP", key), &inherited);
    d.withHelp("token issuers and key sets must be fetched over https://; anyone on the path could swap the keys");
    if (!inherited) d.suggest({at.file, at.begin + 1, at.begin + 8}, "https://");
  }
}

void redirects(RuleContext &ctx, const EdgeWorkerDecl &ew) {
  for (const Route &r : ew.routes)
    for (const RouteAction &a : r.actions)
      if (a.kind == RouteAction::Kind::Redirect && llvm::StringRef(a.text->text).startswith("http://"))
        ctx.report(RuleID::InsecureTransport, a.text->range, "the redirect sends clients to plain HTTP")
            .withHelp("redirect to https://");
}

void check(RuleContext &ctx) {
  ctx.forEachUserDecl([&](Decl &decl) {
    if (auto *issuer = llvm::dyn_cast<IssuerDecl>(&decl)) issuerUrls(ctx, *issuer);
    else if (auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(&decl)) redirects(ctx, *ew);
  });
}

} // namespace

WARD_RULE_INFO(InsecureTransport, "W014", Level::Error, "insecure-transport", "plain-HTTP URL", {}, check)

} // namespace ward::analysis
