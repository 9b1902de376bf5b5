//===- Hover.cpp - A declaration and what Sema made of it -----------------===//
#include "analysis/rules/EdgeSupport.h"
#include "lsp/Features.h"

#include <fmt/format.h>

namespace ward::lsp {
namespace {

std::string join(const std::vector<TextSetting> &items) {
  std::vector<std::string> quoted;
  for (const TextSetting &t : items) quoted.push_back("`" + (*t).str() + "`");
  return quoted.empty() ? "none" : llvm::join(quoted, ", ");
}

void issuer(std::string &out, const IssuerDecl &d) {
  const IssuerSettings &s = d.settings;
  if (d.templateRef) out += fmt::format("From template `{}`; the effective settings:\n\n", d.templateRef->name.text);
  out += fmt::format("- `iss`: `{}`\n", *s.issuer);
  if (s.jwksFile) out += fmt::format("- keys: embedded from `{}`\n", *s.jwksFile);
  else if (s.jwks) out += fmt::format("- keys: fetched at the edge from `{}`\n", *s.jwks);
  out += fmt::format("- audiences: {}\n- algorithms: {}\n", join(s.audiences), join(s.algorithms));
  if (s.maxLifetimeMs) out += fmt::format("- tokens accepted up to `{}` old\n", s.maxLifetimeMs.spelling().str());
  if (s.tokenLifetimeMs)
    out += fmt::format("- the provider issues tokens for `{}`\n", s.tokenLifetimeMs.spelling().str());
}

void retry(std::string &out, const RetrySpec &r) {
  out += fmt::format("- {} attempt{}, back-off `{}`, jitter `{}`\n", r.attempts, r.attempts == 1 ? "" : "s",
                     r.backoffKind, r.jitter);
  if (r.perTryTimeoutMs)
    out +=
        fmt::format("- worst case: {} (every attempt timing out, every wait at its cap)\n", analysis::arithmetic(r, 0));
  else out += "- no `per_try_timeout`: the worst case has no bound\n";
  if (r.budgetRatio)
    out += fmt::format("- budget: {:g}% extra requests, at least {} per second\n", *r.budgetRatio * 100,
                       r.budgetMinPerSecond);
}

void capability(std::string &out, const CapabilityDecl &d) {
  if (d.settings.description) out += (*d.settings.description).str() + "\n\n";
  for (const TextSetting &a : d.settings.actions) out += fmt::format("- `{}`\n", *a);
  for (const TextSetting &a : d.settings.dataActions) out += fmt::format("- `{}` (data action)\n", *a);
}

} // namespace

std::string hoverText(const Decl &decl, const SourceManager &sm) {
  std::string out = fmt::format("```ward\n{} {}\n```\n", declKindKeyword(decl.kind()).str(), decl.name.text);
  switch (decl.kind()) {
  case DeclKind::Issuer: issuer(out, llvm::cast<IssuerDecl>(decl)); break;
  case DeclKind::Retry: retry(out, llvm::cast<RetryDecl>(decl).spec); break;
  case DeclKind::Capability: capability(out, llvm::cast<CapabilityDecl>(decl)); break;
  case DeclKind::Resource: {
    auto &r = llvm::cast<ResourceDecl>(decl);
    out += fmt::format("- type `{}`\n", r.type.name.text);
    if (r.settings.resourceGroup) out += fmt::format("- resource group `{}`\n", *r.settings.resourceGroup);
    if (r.settings.name) out += fmt::format("- Azure name `{}`\n", *r.settings.name);
    if (r.settings.origin) out += fmt::format("- origin `{}`\n", *r.settings.origin);
    if (const IdentityDecl *id = r.managedIdentity)
      out += fmt::format("- runs as managed identity `{}` ({}-assigned)\n", id->name.text,
                         id->attrs.find("of") ? "system" : "user");
    break;
  }
  case DeclKind::EdgeWorker: {
    auto &e = llvm::cast<EdgeWorkerDecl>(decl);
    out +=
        fmt::format("- id {}, version `{}`, {} tier\n", *e.settings.id, *e.settings.version, analysis::tierOf(e).name);
    out += fmt::format("- {} route{}\n", e.routes.size(), e.routes.size() == 1 ? "" : "s");
    if (!e.hostnames.empty()) out += fmt::format("- serves {}\n", llvm::join(e.hostnames, ", "));
    break;
  }
  default: break;
  }
  out += fmt::format("\nDeclared in `{}`.", sm.displayPath(decl.file));
  return out;
}

} // namespace ward::lsp
