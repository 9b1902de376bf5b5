//===- W024 retention-floor: daily recovery points kept too briefly -------===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  int64_t floor = ctx.config.integerOption(RuleID::RetentionFloor, "min_daily_days");
  ctx.forEachUser<BackupDecl>([&](BackupDecl &b) {
    if (const NumberSetting &daily = b.settings.dailyDays; daily && *daily < floor)
      ctx.report(RuleID::RetentionFloor, daily.range(),
                 fmt::format("daily recovery points are kept {} days, below the floor of {}", *daily, floor))
          .withHelp(fmt::format("keep them at least `{}d`", floor));
  });
}

} // namespace

WARD_RULE_INFO(RetentionFloor, "W024", Level::Warning, "retention-floor", "backup retention below the floor",
               {{"min_daily_days", RuleOption::Type::Integer, "14", 7}}, check)

} // namespace ward::analysis
