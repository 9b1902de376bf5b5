//===- W006 unused-permission: a granted permission no intent uses --------===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

/// A built-in role that serves some needs still grants what none uses.
void unusedRoleOperations(RuleContext &ctx, const Principal &p, const Hold &h, const std::vector<const Need *> &needs,
                          const Operations &catalogued) {
  Operations atScope;
  for (const auto &op : catalogued)
    if (appliesAt(op.first, h.scope)) atScope.push_back(op);
  std::vector<std::string> unused = allowedButUnneeded(h, needs, atScope);
  // Name the resource's own operations first; Microsoft.Authorization's apply everywhere.
  std::stable_partition(unused.begin(), unused.end(), [](const std::string &op) {
    return !llvm::StringRef(op).startswith_insensitive("Microsoft.Authorization/");
  });
  if (!unused.empty())
    ctx.report(RuleID::UnusedPermission, grantWhatRange(h),
               fmt::format("role `{}` lets `{}` perform {} operation{} on {} that no intent uses, such as {}",
                           h.role->name, p.identity->name.text, unused.size(), unused.size() == 1 ? "" : "s",
                           describeScope(h), listFew(unused, 2)))
        .withHelp(narrowAlternative(p));
}

/// `value`, an item of a list, with the comma that separates it from the
/// next item (or, for the last, from the previous one), so that deleting it
/// leaves a list.
SourceRange withSeparator(const SourceManager &sm, SourceRange value) {
  llvm::StringRef text = sm.text(value.file);
  size_t after = value.end;
  while (after < text.size() && std::isspace(static_cast<unsigned char>(text[after]))) ++after;
  if (after < text.size() && text[after] == ',') {
    ++after;
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
    return {value.file, value.begin, uint32_t(after)};
  }
  size_t before = value.begin;
  while (before > 0 && std::isspace(static_cast<unsigned char>(text[before - 1]))) --before;
  if (before > 0 && text[before - 1] == ',') return {value.file, uint32_t(before - 1), value.end};
  return value;
}

/// Each action an action-list grant writes that no served need uses.
void unusedWrittenActions(RuleContext &ctx, const Principal &p, const Hold &h,
                          const std::vector<const Need *> &served) {
  for (const auto &[action, data] : h.writtenActions()) {
    bool used = std::any_of(served.begin(), served.end(), [&, &action = action, data = data](const Need *n) {
      return n->data() == data && actionMatches(action, n->action());
    });
    // One cause, one finding: an action W026 reports as unknown or of the
    // other kind gets W026's fix, not a second one that deletes it.
    if (used || ctx.azure.operations.lookup(action, data) != OperationCatalog::Status::Known) continue;
    auto &list = data ? h.grant->dataActions : h.grant->actions;
    for (const Value &v : list)
      if (v.text == action)
        ctx.report(RuleID::UnusedPermission, v.range,
                   fmt::format("no intent of `{}` uses `{}`", p.identity->name.text, action))
            .withHelp("remove it from the grant")
            .fix(withSeparator(ctx.sm, v.range), "");
  }
}

void check(RuleContext &ctx) {
  // Every catalogued operation, for what a built-in role grants beyond the needs.
  Operations catalogued;
  for (bool data : {false, true})
    for (llvm::StringRef op : ctx.azure.operations.matching("*", data)) catalogued.emplace_back(op, data);
  for (const Principal &p : ctx.model().principals()) {
    const std::vector<const Need *> needs = p.allNeeds();
    for (const Hold &h : p.grants) {
      if (grantsUnknownRole(h)) continue;
      std::vector<const Need *> served = servedBy(h, needs);
      if (served.empty()) {
        ctx.report(RuleID::UnusedPermission, grantWhatRange(h),
                   fmt::format("no intent of `{}` uses this grant on {}", p.identity->name.text, describeScope(h)))
            .withHelp("remove the grant, or declare the intent that needs it with `allow`");
        continue;
      }
      if (h.role) unusedRoleOperations(ctx, p, h, needs, catalogued);
      unusedWrittenActions(ctx, p, h, served);
    }
  }
}

} // namespace

WARD_RULE_INFO(UnusedPermission, "W006", Level::Warning, "unused-permission", "granted permission that no intent uses",
               {}, check, RuleStage::Program, RuleScope::WholeProgram, RuleInput::PermissionModel)

} // namespace ward::analysis
