//===- W013 service-principal-naming: names off the convention ------------===//
#include "analysis/rules/Rule.h"

#include <regex>

namespace ward::analysis {
namespace {

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

void check(RuleContext &ctx) {
  std::string pattern = ctx.config.regexOption(RuleID::ServicePrincipalName, "pattern");
  std::optional<std::regex> regex;
  try {
    regex.emplace(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error &) {
    return; // reported where ward.json was read
  }
  ctx.forEachUser<IdentityDecl>([&](IdentityDecl &id) {
    if (id.identityKind != IdentityKind::ServicePrincipal || std::regex_search(id.name.text.str(), *regex)) return;
    ctx.report(RuleID::ServicePrincipalName, id.name.range,
               fmt::format("service principal `{}` does not follow the naming convention `{}`", id.name.text, pattern))
        .withHelp(spSuggestion(id.name.text, *regex));
  });
}

} // namespace

WARD_RULE_INFO(ServicePrincipalName, "W013", Level::Warning, "service-principal-naming",
               "service principal name off convention",
               {{"pattern", RuleOption::Type::Regex, "^sp-[a-z0-9]+(-[a-z0-9]+)*$"}}, check)

} // namespace ward::analysis
