//===- W010 static-secret: a secret literal in a policy -------------------===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

bool isBase64Url(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }
bool isBase64(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/'; }

/// What kind of secret `text` looks like, if any. Cheap checks first: this
/// runs on every string of the policy.
std::optional<std::string> secretKind(llvm::StringRef text) {
  // Every kind below needs one of these (five dashes of `-----BEGIN`, the
  // `J` of `eyJ`, a `=` of a key or padding, `Q~`): one pass rules out nearly
  // every string, GUIDs and host names with their single dashes included.
  // Eight bytes at a time (source/Text.h; the padding of the last word is
  // none of these); a dash is common (GUIDs, host names), five in a row are
  // looked for only where one is.
  bool dash = false, jay = false, equals = false, tilde = false;
  forEachWord(text, [&](uint64_t word) {
    dash |= wordHasByte(word, '-');
    jay |= wordHasByte(word, 'J');
    equals |= wordHasByte(word, '=');
    tilde |= wordHasByte(word, '~');
  });
  bool dashes = false; // five in a row, the start of `-----BEGIN`
  for (size_t at = dash ? text.find('-') : llvm::StringRef::npos, run = 0; at < text.size() && !dashes; ++at) {
    run = text[at] == '-' ? run + 1 : 0;
    dashes = run == 5;
  }
  if (!dashes && !jay && !equals && !tilde) return std::nullopt;
  if (dashes && text.contains("-----BEGIN") && text.contains("PRIVATE KEY")) return "a PEM private key";
  for (size_t pos = jay ? text.find("eyJ") : llvm::StringRef::npos; pos != llvm::StringRef::npos;
       pos = text.find("eyJ", pos + 3)) {
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
  // Every marker ends in `=`, and a key in a connection string or URL sits
  // beside other settings (`;`, `&`): most strings fail these first.
  if (equals && (text.contains(';') || text.contains('&')))
    for (const char *marker :
         {"accountkey=", "sharedaccesskey=", "sharedaccesssignature=", "password=", "pwd=", "sig="})
      if (text.contains_insensitive(marker)) return "a connection string or signed URL with a key";
  // Entra ID client secrets: three characters, a digit, `Q~`, then 31 to 34 more.
  for (size_t pos = tilde ? text.find("Q~") : llvm::StringRef::npos; pos != llvm::StringRef::npos;
       pos = text.find("Q~", pos + 2)) {
    if (pos < 4 || !std::isdigit(static_cast<unsigned char>(text[pos - 1]))) continue;
    size_t tail = 0;
    for (size_t i = pos + 2; i < text.size() && (isBase64Url(text[i]) || text[i] == '~' || text[i] == '.'); ++i) ++tail;
    if (tail >= 31 && tail <= 34) return "an Entra ID client secret";
  }
  // Storage account keys: 86 base64 characters and `==`.
  if (equals && text.size() >= 88)
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
          .withHelp("never put secrets in a policy: use a managed identity, or a Key Vault reference resolved at "
                    "deploy time");
    return;
  }
  for (const Value &item : v.items()) scanValue(ctx, item);
  for (const Field &f : v.fields()) scanValue(ctx, f.value);
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

/// Every string that reaches an artifact: attributes, and the texts that the
/// bundle sends to every client (response bodies, redirect locations, deny
/// reasons, paths) or that ARM stores (ABAC conditions).
void check(RuleContext &ctx) {
  ctx.forEachUserDecl([&](Decl &decl) {
    scanAttrs(ctx, decl.attrs);
    auto scanAction = [&](const RouteAction &a) {
      scanAttrs(ctx, a.attrs());
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
  });
}

} // namespace

WARD_RULE_INFO(StaticSecret, "W010", Level::Error, "static-secret", "secret literal in a policy", {}, check)

} // namespace ward::analysis
