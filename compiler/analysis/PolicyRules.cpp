//===- PolicyRules.cpp - Secrets, identity, transport, backup, hygiene ---===//
#include "analysis/RuleContext.h"
#include "ast/Walk.h"
#include "source/Text.h"

#include <fmt/format.h>

#include <regex>
#include <set>

namespace ward::analysis {
namespace {

bool isBase64Url(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }
bool isBase64(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/'; }

/// What kind of secret `text` looks like, if any. Cheap checks first: this
/// runs on every string of the policy.
std::optional<std::string> secretKind(llvm::StringRef text) {
  if (text.contains("-----BEGIN") && text.contains("PRIVATE KEY")) return "a PEM private key";
  for (size_t pos = text.find("eyJ"); pos != llvm::StringRef::npos; pos = text.find("eyJ", pos + 3)) {
    // header.payload.signature, the first two base64url JSON objects
    size_t i = pos, dots = 0, segment = 0;
    bool ok = true;
    for (; i < text.size() && (isBase64Url(text[i]) || text[i] == '.'); ++i) {
      if (text[i] == '.') {
        if (segment < 4) ok = false;
        ++dots, segment = 0;
      } else {
        ++segment;
      }
    }
    if (ok && dots == 2 && text.substr(pos).split('.').second.startswith("eyJ")) return "a JSON Web Token";
  }
  std::string lower = text.lower();
  for (const char *marker : {"accountkey=", "sharedaccesskey=", "sharedaccesssignature=", "password=", "pwd=", "sig="})
    if (lower.find(marker) != std::string::npos && (lower.find(';') != std::string::npos || lower.find('&') != std::string::npos))
      return "a connection string or signed URL with a key";
  // Entra ID client secrets: three characters, a digit, `Q~`, then 31 to 34 more.
  for (size_t pos = text.find("Q~"); pos != llvm::StringRef::npos; pos = text.find("Q~", pos + 2)) {
    if (pos < 4 || !std::isdigit(static_cast<unsigned char>(text[pos - 1]))) continue;
    size_t tail = 0;
    for (size_t i = pos + 2; i < text.size() && (isBase64Url(text[i]) || text[i] == '~' || text[i] == '.'); ++i) ++tail;
    if (tail >= 31 && tail <= 34) return "an Entra ID client secret";
  }
  // Storage account keys: 86 base64 characters and `==`.
  if (text.size() >= 88)
    for (size_t pos = text.find("=="); pos != llvm::StringRef::npos; pos = text.find("==", pos + 2)) {
      if (pos < 86) continue;
      if (std::all_of(text.begin() + pos - 86, text.begin() + pos, isBase64)) return "a storage account key";
    }
  return std::nullopt;
}

void scanValue(RuleContext &ctx, const Value &v) {
  if (v.kind == Value::Kind::String) {
    if (auto kind = secretKind(v.text))
      ctx.report(RuleID::StaticSecret, v.range, fmt::format("this string looks like {}", *kind))
          .withHelp("never put secrets in a policy: use a managed identity, or a Key Vault reference resolved at deploy time");
    return;
  }
  for (const Value &item : v.items) scanValue(ctx, item);
  for (const Field &f : v.fields) scanValue(ctx, f.value);
}

void scanText(RuleContext &ctx, const Name &text) {
  if (auto kind = secretKind(text.text))
    ctx.report(RuleID::StaticSecret, text.range, fmt::format("this string looks like {}", *kind))
        .withHelp("never put secrets in a policy: the bundle serves this text to every client, and artifacts are read "
                  "by anyone who can read the build");
}

void scanAttrs(RuleContext &ctx, const AttrList &attrs) {
  for (const Attribute &a : attrs.items) scanValue(ctx, a.value);
}



/// A name for a service principal that follows the convention: lower case,
/// runs of other characters as one `-`, one `sp-` in front. Offered only when
/// it matches the configured pattern, so the suggestion never trips W013.
std::string spSuggestion(llvm::StringRef name, const std::regex &pattern) {
  std::string words;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    // camelCase word boundaries become `-` (spOrders -> sp-orders), and so do
    // acronym ends: SPOrders -> sp-orders.
    bool afterLower = i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
    bool acronymEnd = i > 0 && i + 1 < name.size() && std::isupper(static_cast<unsigned char>(name[i - 1])) &&
                      std::islower(static_cast<unsigned char>(name[i + 1]));
    if (std::isupper(c) && (afterLower || acronymEnd) && !words.empty() && words.back() != '-') words += '-';
    if (std::isalnum(c)) words += static_cast<char>(std::tolower(c));
    else if (!words.empty() && words.back() != '-') words += '-';
  }
  llvm::StringRef rest = llvm::StringRef(words).trim('-');
  while (rest.consume_front("sp-")) {}
  if (rest == "sp") rest = "";
  std::string suggestion = rest.empty() ? "" : "sp-" + rest.str();
  if (!suggestion.empty() && std::regex_search(suggestion, pattern))
    return fmt::format("rename it, e.g. `{}`", suggestion);
  return "rename it to match the pattern";
}

} // namespace

void runPolicyRules(RuleContext &ctx) {
  std::set<const Decl *> used;
  std::string spPattern = ctx.config.stringOption(RuleID::ServicePrincipalName, "pattern", "^sp-[a-z0-9]+(-[a-z0-9]+)*$");
  std::optional<std::regex> spRegex;
  try {
    spRegex.emplace(spPattern, std::regex::ECMAScript);
  } catch (const std::regex_error &) {
    // Reported where ward.json was read; W013 is then not applied.
  }
  int64_t dailyFloor = ctx.config.intOption(RuleID::RetentionFloor, "min_daily_days", 14);

  // References from every file count as uses (a user's declaration may be used from anywhere).
  for (auto &file : ctx.program.files)
    for (auto &decl : file->decls) {
      forEachRef(std::as_const(*decl), [&](const Ref &ref, RefSite) {
        if (ref.target) used.insert(ref.target);
      });
      forEachValue(std::as_const(*decl), [&](const Value &v) {
        if (v.target) used.insert(v.target);
      });
    }

  ctx.forEachUserDecl([&](Decl &decl) {
    // Every string that reaches an artifact: attributes, and the texts that
    // the bundle sends to every client (response bodies, redirect locations,
    // deny reasons, paths) or that ARM stores (ABAC conditions).
    scanAttrs(ctx, decl.attrs);
    auto scanAction = [&](const RouteAction &a) {
      scanAttrs(ctx, a.attrs);
      if (a.text) scanText(ctx, *a.text);
    };
    if (auto *ew = llvm::dyn_cast<EdgeWorkerDecl>(&decl)) {
      for (const Route &r : ew->routes) {
        scanText(ctx, r.path);
        if (r.require) scanAttrs(ctx, r.require->attrs);
        for (const RouteAction &a : r.actions) scanAction(a);
      }
      for (const RouteAction &a : ew->defaults) scanAction(a);
    } else if (auto *allow = llvm::dyn_cast<AllowDecl>(&decl); allow && allow->condition) {
      scanText(ctx, *allow->condition);
    }

    switch (decl.kind()) {
    case DeclKind::Identity: {
      auto &id = llvm::cast<IdentityDecl>(decl);
      if (id.identityKind == IdentityKind::ServicePrincipal && spRegex && !std::regex_search(id.name.text, *spRegex))
        ctx.report(RuleID::ServicePrincipalName, id.name.range,
                   fmt::format("service principal `{}` does not follow the naming convention `{}`", id.name.text, spPattern))
            .withHelp(spSuggestion(id.name.text, *spRegex));
      break;
    }
    case DeclKind::EdgeWorker: {
      auto &ew = llvm::cast<EdgeWorkerDecl>(decl);
      for (const Route &r : ew.routes)
        for (const RouteAction &a : r.actions)
          if (a.kind == RouteAction::Kind::Redirect && llvm::StringRef(a.text->text).startswith("http://"))
            ctx.report(RuleID::InsecureTransport, a.text->range, "the redirect sends clients to plain HTTP")
                .withHelp("redirect to https://");
      break;
    }
    case DeclKind::Backup: {
      auto &b = llvm::cast<BackupDecl>(decl);
      if (b.schedules.empty())
        ctx.report(RuleID::BackupIncomplete, b.name.range, fmt::format("backup `{}` has no schedule", b.name.text))
            .withHelp("add `schedule = daily at \"02:00\" zone \"UTC\"`");
      if (!b.settings.retainWritten) {
        ctx.report(RuleID::BackupIncomplete, b.name.range, fmt::format("backup `{}` declares no retention", b.name.text))
            .withHelp("add `retain = { daily = 30d }`");
      } else if (const NumberSetting &daily = b.settings.dailyDays; daily && *daily < dailyFloor) {
        ctx.report(RuleID::RetentionFloor, daily.range(),
                   fmt::format("daily recovery points are kept {} days, below the floor of {}", *daily, dailyFloor))
            .withHelp(fmt::format("keep them at least `{}d`", dailyFloor));
      }
      break;
    }
    default: break;
    }

    bool trackable = llvm::isa<IdentityDecl>(decl) || llvm::isa<ResourceDecl>(decl) || llvm::isa<RetryDecl>(decl) ||
                     llvm::isa<IssuerDecl>(decl) || llvm::isa<CapabilityDecl>(decl) ||
                     llvm::isa<IssuerTemplateDecl>(decl) || llvm::isa<ResourceTypeDecl>(decl);
    if (trackable && !used.count(&decl))
      ctx.report(RuleID::UnusedDeclaration, decl.name.range,
                 fmt::format("{} `{}` is declared but never used", declKindKeyword(decl.kind()).str(), decl.name.text))
          .withHelp("remove it, or use it in an `allow`, `grant`, route or backup");
  });
}

} // namespace ward::analysis
