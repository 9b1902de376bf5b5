#include "sema/KeySets.h"
#include "source/Text.h"

#include <fmt/format.h>
#include <map>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

namespace ward::sema {
namespace {

constexpr uint64_t kMaxKeySetBytes = 1 << 20;
constexpr size_t kMaxKeys = 32; // as many as a bundle keeps from a fetched key set

/// Decoded length of an unpadded base64url string, or nullopt when it is not one.
std::optional<size_t> base64urlLength(llvm::StringRef s) {
  if (s.empty() || s.size() % 4 == 1) return std::nullopt;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
  return s.size() * 6 / 8;
}

struct KeyCheck {
  std::optional<std::string> alg; // the pinned algorithm the key verifies
  std::string problem;            // why a key that claims to be usable is not
};

KeyCheck checkKey(const llvm::json::Object &key, const std::vector<std::string> &algorithms) {
  auto str = [&](llvm::StringRef member) { return key.getString(member).getValueOr(""); };
  if (key.get("use") && str("use") != "sig") return {};
  // RFC 7517, 4.3: a key whose `key_ops` do not include `verify` is not for checking signatures.
  if (key.get("key_ops")) {
    const llvm::json::Array *ops = key.getArray("key_ops");
    if (!ops ||
        llvm::none_of(*ops, [](const llvm::json::Value &op) { return op.getAsString() == llvm::StringRef("verify"); }))
      return {};
  }
  for (const char *secret : {"d", "p", "q", "dp", "dq", "qi", "k"})
    if (key.get(secret))
      return {std::nullopt, fmt::format("a key holds the private member `{}`; publish only public keys", secret)};
  // The curve and coordinate size of each ECDSA algorithm (RFC 7518, 3.4).
  static const std::map<std::string, std::pair<std::string, size_t>> curves = {
      {"ES256", {"P-256", 32}}, {"ES384", {"P-384", 48}}, {"ES512", {"P-521", 66}}};
  for (const std::string &alg : algorithms) {
    if (key.get("alg") && str("alg") != alg) continue;
    bool rsa = llvm::StringRef(alg).startswith("RS") || llvm::StringRef(alg).startswith("PS");
    if (rsa && str("kty") == "RSA") {
      auto n = base64urlLength(str("n"));
      if (!n || !base64urlLength(str("e"))) return {std::nullopt, "an RSA key needs base64url `n` and `e`"};
      if (*n < 256)
        return {std::nullopt, fmt::format("an RSA key of {} bits is too weak; use 2048 bits or more", *n * 8)};
      return {alg, ""};
    }
    auto curve = curves.find(alg);
    if (curve != curves.end() && str("kty") == "EC" && str("crv") == curve->second.first) {
      size_t bytes = curve->second.second;
      std::optional<size_t> x = base64urlLength(str("x"));
      std::optional<size_t> y = base64urlLength(str("y"));
      if (x != bytes || y != bytes)
        return {std::nullopt, fmt::format("a {} key needs {}-byte base64url `x` and `y`", curve->second.first, bytes)};
      return {alg, ""};
    }
  }
  return {};
}

} // namespace

std::optional<llvm::json::Array> loadKeySet(llvm::StringRef issuerName, const std::vector<std::string> &algorithms,
                                            const Attribute &jwksFile, const SourceManager &sm,
                                            DiagnosticEngine &diags) {
  auto fail = [&](std::string message, std::string help) {
    diags.report(DiagID::InvalidKeySet, jwksFile.value.range, std::move(message)).withHelp(std::move(help));
    return std::nullopt;
  };
  llvm::SmallString<256> path;
  if (!llvm::sys::path::is_absolute(jwksFile.value.text.ref()))
    path = llvm::sys::path::parent_path(sm.displayPath(jwksFile.value.range.file));
  llvm::sys::path::append(path, jwksFile.value.text.ref());

  // Size and kind first: a device or a pipe named here must not be read.
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return fail(
        fmt::format("cannot read the key set of issuer `{}` from {}: {}", issuerName.str(), path.str(), ec.message()),
        "`jwks_file` is relative to the policy file; save the issuer's JWKS there");
  if (!llvm::sys::fs::is_regular_file(status))
    return fail(fmt::format("the key set {} is not a regular file", path.str()), "name the saved JWKS document");
  if (status.getSize() > kMaxKeySetBytes)
    return fail(fmt::format("the key set {} is larger than 1 MiB", path.str()), "a key set holds a few public keys");
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(fmt::format("cannot read the key set of issuer `{}` from {}: {}", issuerName.str(), path.str(),
                            buffer.getError().message()),
                "check the file's permissions");
  llvm::Expected<llvm::json::Value> json = parseJsonBounded((*buffer)->getBuffer());
  if (!json)
    return fail(fmt::format("the key set {} is not JSON: {}", path.str(), llvm::toString(json.takeError())),
                "save the issuer's JWKS document as it is published");
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Array *keys = root ? root->getArray("keys") : nullptr;
  if (!keys)
    return fail(fmt::format("the key set {} has no `keys` array", path.str()), "a JWKS looks like {\"keys\": [...]}");

  llvm::json::Array usable;
  for (const llvm::json::Value &entry : *keys) {
    const llvm::json::Object *key = entry.getAsObject();
    if (!key) continue;
    KeyCheck check = checkKey(*key, algorithms);
    if (!check.problem.empty())
      return fail(fmt::format("the key set {}: {}", path.str(), check.problem), "fix or remove that key");
    if (!check.alg) continue;
    if (usable.size() == kMaxKeys)
      return fail(fmt::format("the key set {} has more than {} usable keys", path.str(), kMaxKeys),
                  "keep the keys the issuer currently signs with");
    llvm::json::Object kept;
    for (const char *member : {"kty", "kid", "alg", "use", "n", "e", "crv", "x", "y"})
      if (auto value = key->getString(member)) kept[member] = value->str();
    usable.push_back(std::move(kept));
  }
  if (usable.empty())
    return fail(fmt::format("the key set {} has no key for {}", path.str(), llvm::join(algorithms, " or ")),
                "embed the key set the issuer signs its tokens with");
  return usable;
}

} // namespace ward::sema
