//===- W007 insufficient-privilege: an intent lacks what it needs ---------===//
#include "analysis/rules/PrivilegeSupport.h"
#include "analysis/rules/Rule.h"

#include <map>

namespace ward::analysis {
namespace {

/// Whether `file` imports `std.azure`, where `backup.operate` and `backup.on_demand` are declared.
bool importsAzure(const SourceFile &file) {
  return std::any_of(file.imports.begin(), file.imports.end(),
                     [](const Import &i) { return i.isModule && i.target.text == "std.azure"; });
}

/// Needs that no generated role and no grant covers (today: backup triggers,
/// by `trigger by` and by edge routes through a relay), one finding per
/// declaration and resource.
void check(RuleContext &ctx) {
  for (const Principal &p : ctx.model().principals()) {
    llvm::StringRef who = p.identity->name.text;
    std::map<std::pair<const Decl *, const ResourceDecl *>, std::vector<const Need *>> missing;
    for (const Need &n : p.implied)
      if (!p.generatedCovers(n) && !p.grantsCover(n)) missing[{n.source(), n.resource()}].push_back(&n);
    for (auto &[key, needs] : missing) {
      const Decl *source = key.first;
      std::vector<std::string> actions;
      for (const Need *n : needs)
        if (!llvm::is_contained(actions, n->action())) actions.push_back(n->action().str());
      std::string allow =
          fmt::format("allow {} to {} on {}", who, needs.front()->capability(), needs.front()->resource()->name.text);
      DiagnosticBuilder d = ctx.report(RuleID::InsufficientPrivilege, needs.front()->range(),
                                       fmt::format("`{}` is to trigger the {}, but lacks {} action{} on `{}`: {}", who,
                                                   needs.front()->via(), actions.size(), actions.size() == 1 ? "" : "s",
                                                   needs.front()->resource()->name.text, listFew(actions, 2)));
      d.label(p.identity->name.range, fmt::format("`{}` declared here", who)).withHelp(fmt::format("add `{}`", allow));
      // The intent, after the backup that needs it; offered (not applied
      // unasked: it grants permissions) where `backup.operate` is visible.
      const SourceFile *file = ctx.program.file(source->file);
      if (file && importsAzure(*file)) d.suggest({source->file, source->range.end, source->range.end}, "\n" + allow);
    }
  }
}

} // namespace

WARD_RULE_INFO(InsufficientPrivilege, "W007", Level::Error, "insufficient-privilege",
               "intent lacks a permission it needs", {}, check, RuleStage::Program, RuleScope::WholeProgram,
               RuleInput::PermissionModel)

} // namespace ward::analysis
