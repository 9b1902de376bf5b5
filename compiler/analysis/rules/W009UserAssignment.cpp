//===- W009 user-assignment: permissions assigned to a user ---------------===//
#include "analysis/rules/Rule.h"

#include <set>

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  for (const Principal &p : ctx.model().principals()) {
    if (p.identity->identityKind != IdentityKind::User) continue;
    llvm::StringRef who = p.identity->name.text;
    for (const Hold &h : p.grants)
      ctx.report(RuleID::UserAssignment, h.grant->identity.name.range,
                 fmt::format("`{}` is a user: assign permissions to a group the user belongs to", who))
          .label(p.identity->name.range, "declared as a user here")
          .withHelp("declare an `identity ... : group` and grant or allow it instead");
    std::set<const Decl *> seen;
    for (const Need &n : p.intents)
      if (seen.insert(n.source()).second)
        ctx.report(RuleID::UserAssignment, llvm::cast<AllowDecl>(n.source())->identity.name.range,
                   fmt::format("`{}` is a user: assign permissions to a group the user belongs to", who))
            .withHelp("declare an `identity ... : group` and allow it instead");
  }
}

} // namespace

WARD_RULE_INFO(UserAssignment, "W009", Level::Warning, "user-assignment",
               "permission assigned to a user instead of a group", {}, check, RuleStage::Program,
               RuleScope::Declarations, RuleInput::PermissionModel)

} // namespace ward::analysis
