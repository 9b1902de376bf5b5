//===- W007 insufficient-privilege: an intent lacks what it needs ---------===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

#include <map>

namespace ward::analysis {
namespace {

/// Needs that no generated role and no grant covers (today: backup triggers).
void check(RuleContext &ctx) {
  for (const Principal &p : ctx.model.principals()) {
    const std::string &who = p.identity->name.text;
    std::map<const Decl *, std::vector<const Need *>> missing;
    for (const Need &n : p.implied)
      if (!p.generatedCovers(n) && !p.grantsCover(n)) missing[n.source].push_back(&n);
    for (auto &[source, needs] : missing) {
      std::vector<std::string> actions;
      for (const Need *n : needs) actions.push_back(n->action);
      ctx.report(RuleID::InsufficientPrivilege, needs.front()->range,
                 fmt::format("`{}` is to trigger the {}, but lacks {} action{} on `{}`: {}", who, needs.front()->via,
                             actions.size(), actions.size() == 1 ? "" : "s", needs.front()->resource->name.text,
                             listFew(actions, 2)))
          .label(p.identity->name.range, fmt::format("`{}` declared here", who))
          .withHelp(fmt::format("add `allow {} to backup.operate on {}`", who, needs.front()->resource->name.text));
    }
  }
}

} // namespace

WARD_RULE_INFO(InsufficientPrivilege, "W007", Level::Error, "insufficient-privilege",
               "intent lacks a permission it needs", {}, check, RuleStage::Program, RuleScope::WholeProgram)

} // namespace ward::analysis
