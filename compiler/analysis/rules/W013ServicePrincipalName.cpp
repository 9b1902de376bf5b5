//===- W013 service-principal-naming: names off the convention ------------===//
#include "analysis/NamePatterns.h"
#include "analysis/rules/Rule.h"

#include <regex>

namespace ward::analysis {
namespace {

/// The configured pattern. The default one matches by hand (NamePatterns.h);
/// another is compiled when the first service principal is checked, so a
/// policy without one pays nothing for it.
class NamePattern {
public:
  explicit NamePattern(std::string pattern) : pattern_(std::move(pattern)) {}

  /// Whether `name` matches (std::regex_search, as the option documents);
  /// None if the pattern does not compile (ward.json's reader reports it).
  std::optional<bool> matches(llvm::StringRef name) {
    if (pattern_ == kServicePrincipalNamePattern) return isConventionalServicePrincipalName(name);
    if (!compiled_ && !failed_) {
      try {
        compiled_.emplace(pattern_, std::regex::ECMAScript);
      } catch (const std::regex_error &) {
        failed_ = true;
      }
    }
    if (failed_) return std::nullopt;
    return std::regex_search(name.begin(), name.end(), *compiled_);
  }
  const std::string &text() const { return pattern_; }

private:
  std::string pattern_;
  std::optional<std::regex> compiled_;
  bool failed_ = false;
};

/// A name for a service principal that follows the convention: lower case,
/// runs of other characters as one `-`, one `sp-` in front. Offered only when
/// it matches the configured pattern, so the suggestion never trips W013.
std::string spSuggestion(llvm::StringRef name, NamePattern &pattern) {
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
  if (!suggestion.empty() && pattern.matches(suggestion).value_or(false))
    return fmt::format("rename it, e.g. `{}`", suggestion);
  return "rename it to match the pattern";
}

void check(RuleContext &ctx) {
  NamePattern pattern(ctx.config.regexOption(RuleID::ServicePrincipalName, "pattern"));
  ctx.forEachUser<IdentityDecl>([&](IdentityDecl &id) {
    if (id.identityKind != IdentityKind::ServicePrincipal) return;
    // A pattern that does not compile is reported where ward.json was read.
    if (pattern.matches(id.name.text).value_or(true)) return;
    ctx.report(RuleID::ServicePrincipalName, id.name.range,
               fmt::format("service principal `{}` does not follow the naming convention `{}`", id.name.text,
                           pattern.text()))
        .withHelp(spSuggestion(id.name.text, pattern));
  });
}

} // namespace

WARD_RULE_INFO(ServicePrincipalName, "W013", Level::Warning, "service-principal-naming",
               "service principal name off convention",
               {{"pattern", RuleOption::Type::Regex, kServicePrincipalNamePattern}}, check)

} // namespace ward::analysis
