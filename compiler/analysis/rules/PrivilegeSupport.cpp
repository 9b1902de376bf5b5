#include "analysis/rules/PrivilegeSupport.h"
#include "source/Text.h"

#include <fmt/format.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringSet.h>

#include <map>
#include <set>

namespace ward::analysis {

bool isOwnerClassRole(llvm::StringRef roleName) {
  static const std::set<std::string> kOwnerClass = {"owner", "contributor", "user access administrator",
                                                    "role based access control administrator"};
  return kOwnerClass.count(roleName.lower()) != 0;
}

std::string narrowAlternative(const Principal &p) {
  llvm::StringRef name = p.identity->name.text;
  std::set<std::string> intentActions;
  for (const Need &n : p.intents) intentActions.insert(n.action().str());
  std::set<std::string> triggerCaps;
  for (const Need &n : p.implied)
    if (!p.generatedCovers(n))
      triggerCaps.insert(fmt::format("`allow {} to {} on {}`", name, n.capability(), n.resource()->name.text));
  if (!triggerCaps.empty())
    return fmt::format(
        "declare {} instead: Ward generates a role with exactly the {} actions an on-demand backup needs",
        *triggerCaps.begin(), p.implied.size() / std::max<size_t>(1, triggerCaps.size()));
  if (!intentActions.empty())
    return fmt::format("`{}` needs {} action{} for its intents, and Ward already generates a role with exactly those "
                       "from its `allow` rules; remove this grant",
                       name, intentActions.size(), intentActions.size() == 1 ? "" : "s");
  return fmt::format("declare what `{}` needs with `allow {} to <capability> on <resource>`; Ward generates a role "
                     "with exactly those actions",
                     name, name);
}

std::string describeScope(const Hold &h) { return fmt::format("`{}`", h.scopeResource->name.text); }

std::string listFew(const std::vector<std::string> &items, size_t limit, llvm::StringRef conjunction) {
  std::vector<std::string> quoted;
  for (size_t i = 0; i < items.size() && i < limit; ++i) quoted.push_back("`" + items[i] + "`");
  if (items.size() <= limit) return joinAlternatives(quoted, conjunction);
  return llvm::join(quoted, ", ") + fmt::format(" and {} more", items.size() - limit);
}

SourceRange grantWhatRange(const Hold &h) {
  if (h.grant->role) return h.grant->role->range;
  if (!h.grant->actions.empty()) return h.grant->actions.front().range;
  if (!h.grant->dataActions.empty()) return h.grant->dataActions.front().range;
  return h.grant->keyword;
}

// At a resource, only that resource type's own operations (and
// Microsoft.Authorization's, which apply at every scope) take effect; at a
// resource group or above, all do.
bool appliesAt(llvm::StringRef action, const Scope &scope) {
  if (scope.level != Scope::Level::Resource || action.startswith_insensitive("Microsoft.Authorization/")) return true;
  llvm::StringRef type = scope.resourceType;
  return action.size() > type.size() && action.startswith_insensitive(type) && action[type.size()] == '/';
}

std::vector<std::string> allowedButUnneeded(const Hold &h, const std::vector<const Need *> &needs,
                                            const Operations &candidates) {
  std::vector<std::string> out;
  for (const auto &[action, data] : candidates) {
    if (!h.allows(action, data)) continue;
    bool needed = std::any_of(needs.begin(), needs.end(), [&, &action = action, data = data](const Need *n) {
      return n->data() == data && actionMatches(n->action(), action);
    });
    if (!needed) out.push_back(action.str());
  }
  return out;
}

std::vector<std::string> dangerousForGrant(const Hold &h, const std::vector<const Need *> &needs,
                                           const Operations &dangerous) {
  Operations atScope;
  for (const auto &op : dangerous)
    if (appliesAt(op.first, h.scope)) atScope.push_back(op);
  std::vector<std::string> operations = allowedButUnneeded(h, needs, atScope);
  if (h.role) return operations;
  std::vector<std::string> written;
  for (const auto &[pattern, data] : h.writtenActions())
    for (const std::string &op : operations)
      if (actionMatches(pattern, op) && !llvm::is_contained(written, pattern)) written.push_back(pattern);
  return written;
}

std::vector<const Need *> servedBy(const Hold &h, const std::vector<const Need *> &needs) {
  std::vector<const Need *> served;
  for (const Need *n : needs)
    if (h.allows(n->action(), n->data()) && h.scope.contains(*n->scope())) served.push_back(n);
  return served;
}

void AzureData::resolveDangerousOperations() {
  escalationOperations = {{"Microsoft.Authorization/roleAssignments/write", false},
                          {"Microsoft.Authorization/roleDefinitions/write", false},
                          {"Microsoft.Authorization/elevateAccess/action", false}};
  for (llvm::StringRef a : operations.matching("*/assign/action", false)) escalationOperations.emplace_back(a, false);
  exposureOperations.clear();
  for (auto [pattern, data] : {std::pair<const char *, bool>{"*/listKeys/action", false},
                               {"*/listCredentials/action", false},
                               {"Microsoft.KeyVault/vaults/secrets/getSecret/action", true}})
    for (llvm::StringRef a : operations.matching(pattern, data)) exposureOperations.emplace_back(a, data);
}

namespace {
/// Operations by their lower-case name: the concrete actions of every need
/// are looked up here, not compared with each operation in turn.
class OperationSet {
public:
  explicit OperationSet(const Operations &ops) {
    for (const auto &[action, data] : ops) names_[data].insert(llvm::StringRef(action).lower());
  }
  /// Needs share their action texts (those of the capability they come
  /// from), so each text is looked up once, by where it is.
  bool has(llvm::StringRef action, bool data) {
    auto [known, first] = seen_[data].try_emplace(std::make_pair(action.data(), action.size()), false);
    if (first) {
      llvm::SmallString<128> lower;
      for (char c : action) lower.push_back(llvm::toLower(c));
      known->second = names_[data].count(lower) > 0;
    }
    return known->second;
  }

private:
  llvm::StringSet<> names_[2];
  llvm::DenseMap<std::pair<const char *, size_t>, bool> seen_[2];
};
} // namespace

/// An escalation or credential read that the policy declares as an intent
/// (a capability of its own holding `roleAssignments/write`, say) may be the
/// point of that identity, so it is not an error; but a reviewer must see it,
/// so it is reported as a note naming the operations.
static void reportDeclaredDanger(RuleContext &ctx, RuleID rule, const Principal &p, const Operations &dangerous,
                                 OperationSet &concrete, const char *what) {
  std::map<const Decl *, std::vector<std::string>> bySource;
  for (const Need &n : p.intents) {
    // Most needs are concrete operations, looked up at once; a pattern is
    // matched against each dangerous operation.
    bool matches =
        n.action().contains('*')
            ? std::any_of(dangerous.begin(), dangerous.end(),
                          [&](const auto &op) { return op.second == n.data() && actionMatches(n.action(), op.first); })
            : concrete.has(n.action(), n.data());
    if (!matches) continue;
    std::vector<std::string> &found = bySource[n.source()];
    if (!llvm::is_contained(found, n.action())) found.push_back(n.action().str());
  }
  for (auto &[source, ops] : bySource) {
    auto *allow = llvm::dyn_cast<AllowDecl>(source);
    if (!allow || ops.empty()) continue;
    DiagnosticBuilder d = ctx.report(
        rule, allow->capability.name.range,
        fmt::format("`{}` lets `{}` {}: {}", allow->capability.name.text, p.identity->name.text, what, listFew(ops)));
    if (d->severity == Severity::Error) d->severity = Severity::Note; // declared on purpose, shown for review
    d.withHelp("an intent the policy declares is allowed; make sure this identity is meant to do this, and keep it "
               "to the narrowest resource");
  }
}

void checkDangerousOperations(RuleContext &ctx, RuleID rule, const Operations &dangerous, const char *declared,
                              const char *granted) {
  OperationSet concrete(dangerous);
  for (const Principal &p : ctx.model().principals()) {
    reportDeclaredDanger(ctx, rule, p, dangerous, concrete, declared);
    const std::vector<const Need *> needs = p.allNeeds();
    for (const Hold &h : p.grants) {
      if (grantsUnknownRole(h)) continue;
      std::vector<std::string> operations = dangerousForGrant(h, needs, dangerous);
      if (!operations.empty())
        ctx.report(rule, grantWhatRange(h),
                   fmt::format("this grant lets `{}` {}: {}", p.identity->name.text, granted, listFew(operations)))
            .withHelp(narrowAlternative(p));
    }
  }
}

} // namespace ward::analysis
