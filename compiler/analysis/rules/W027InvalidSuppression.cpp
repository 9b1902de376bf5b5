//===- W027 invalid-suppression: a `ward-ignore` that cannot apply --------===//
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  for (auto &file : ctx.program.files)
    for (const Suppression &s : file->suppressions) {
      for (const Name &id : s.ids)
        if (!findRule(id.text) && !isControllableCode(id.text))
          ctx.report(RuleID::InvalidSuppression, id.range, fmt::format("`{}` is not a rule ID", id.text))
              .withHelp("`wardc check --list-rules` lists the rules");
      if (s.ids.empty()) {
        ctx.report(RuleID::InvalidSuppression, s.range, "`ward-ignore` names no rule")
            .withHelp("write `// ward-ignore W004: <why this is acceptable>`");
      } else if (s.reason.empty()) {
        ctx.report(RuleID::InvalidSuppression, s.range, "a suppression needs a reason")
            .withHelp(fmt::format("write `// ward-ignore {}: <why this is acceptable>`; reviewers read it",
                                  s.ids.front().text));
      }
    }
}

} // namespace

WARD_RULE_INFO(InvalidSuppression, "W027", Level::Error, "invalid-suppression",
               "suppression without a reason or a known rule", {}, check, RuleStage::BeforeSuppressions)

} // namespace ward::analysis
