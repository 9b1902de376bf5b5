//===- W016 unpinned-version: an EdgeWorker version that is not exact -----===//
#include "analysis/rules/Rule.h"

#include <regex>

namespace ward::analysis {
namespace {

void check(RuleContext &ctx) {
  static const std::regex pinned(R"(^[0-9]+(\.[0-9]+)*([-_+~][0-9A-Za-z.]+)?$)");
  ctx.forEachUser<EdgeWorkerDecl>([&](EdgeWorkerDecl &ew) {
    if (const TextSetting &v = ew.settings.version; v && !std::regex_match((*v).str(), pinned))
      ctx.report(RuleID::UnpinnedVersion, v.range(), fmt::format("version \"{}\" does not name one exact bundle", *v))
          .withHelp("pin a concrete version such as \"1.4.2\"; deploys must be reproducible and reversible");
  });
}

} // namespace

WARD_RULE_INFO(UnpinnedVersion, "W016", Level::Warning, "unpinned-version", "EdgeWorker version not pinned", {}, check)

} // namespace ward::analysis
