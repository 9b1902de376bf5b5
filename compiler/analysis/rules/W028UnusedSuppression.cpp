//===- W028 unused-suppression: a `ward-ignore` that silences nothing -----===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  for (auto &file : ctx.program.files)
    for (const Suppression &s : file->suppressions) {
      // Code-generation warnings (G0001) exist only in `build`, after this
      // runs, so a suppression naming one cannot be judged unused here.
      if (s.used || !isValidSuppression(s) || namesBuildCode(s)) continue;
      ctx.report(RuleID::UnusedSuppression, s.range, "this suppression suppresses nothing")
          .withHelp("remove it; the finding it silenced is gone (or it is not on the line before the construct)");
    }
}

} // namespace

WARD_RULE_INFO(UnusedSuppression, "W028", Level::Warning, "unused-suppression", "suppression that suppresses nothing",
               {}, check, RuleStage::AfterSuppressions, RuleScope::WholeProgram)

} // namespace ward::analysis
