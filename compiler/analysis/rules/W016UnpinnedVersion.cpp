//===- W016 unpinned-version: an EdgeWorker version that is not exact -----===//
#include "analysis/NamePatterns.h"
#include "analysis/rules/Rule.h"

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  ctx.forEachUser<EdgeWorkerDecl>([&](EdgeWorkerDecl &ew) {
    if (const TextSetting &v = ew.settings.version; v && !isPinnedVersion(*v))
      ctx.report(RuleID::UnpinnedVersion, v.range(), fmt::format("version \"{}\" does not name one exact bundle", *v))
          .withHelp("pin a concrete version such as \"1.4.2\"; deploys must be reproducible and reversible");
  });
}

} // namespace

WARD_RULE_INFO(UnpinnedVersion, "W016", Level::Warning, "unpinned-version", "EdgeWorker version not pinned", {}, check)

} // namespace ward::analysis
