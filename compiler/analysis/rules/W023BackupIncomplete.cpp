//===- W023 backup-incomplete: a backup without schedule or retention -----===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  ctx.forEachUser<BackupDecl>([&](BackupDecl &b) {
    if (b.schedules.empty())
      ctx.report(RuleID::BackupIncomplete, b.name.range, fmt::format("backup `{}` has no schedule", b.name.text))
          .withHelp("add `schedule = daily at \"02:00\" zone \"UTC\"`");
    if (!b.settings.retainWritten)
      ctx.report(RuleID::BackupIncomplete, b.name.range, fmt::format("backup `{}` declares no retention", b.name.text))
          .withHelp("add `retain = { daily = 30d }`");
  });
}

} // namespace

WARD_RULE_INFO(BackupIncomplete, "W023", Level::Warning, "backup-incomplete", "backup without schedule or retention",
               {}, check)

} // namespace ward::analysis
