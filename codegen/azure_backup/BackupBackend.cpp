#include "azure_backup/BackupBackend.h"
#include "azure_rbac/RbacBackend.h"
#include "output/JsonWriter.h"

#include <fmt/format.h>

#include <map>

namespace ward::codegen {

/// A VM's resource id as an ARM `resourceId()` expression, which arm-ttk
/// requires of every `*Id` property.
static std::string vmResourceId(const analysis::Scope &vm) {
  return fmt::format("[resourceId({}, {}, 'Microsoft.Compute/virtualMachines', {})]", armQuote(vm.subscription),
                     armQuote(vm.resourceGroup), armQuote(vm.name));
}
namespace {

constexpr const char *kApiVersion = "2025-08-01";

/// Azure takes times of day as date-times; the date is ignored.
std::string runTime(llvm::StringRef hhmm) { return fmt::format("2000-01-01T{}:00Z", hhmm.str()); }

llvm::json::Array strings(const std::vector<std::string> &v) {
  llvm::json::Array out;
  for (const std::string &s : v) out.push_back(s);
  return out;
}

struct Policy {
  llvm::json::Object properties;
  std::string firstDay = "Sunday"; // the day weekly, monthly and yearly points are kept from
};

std::optional<Policy> policyFor(const BackupDecl &b, DiagnosticEngine &diags) {
  if (b.schedules.empty()) {
    diags
        .report(DiagID::BuildFailed, b.name.range,
                fmt::format("backup `{}` has no schedule, so no backup policy can be made", b.name.text))
        .withHelp("add `schedule = daily at \"02:00\" zone \"UTC\"`");
    return std::nullopt;
  }
  const BackupSettings &settings = b.settings;
  if (!settings.retainWritten) {
    diags
        .report(DiagID::BuildFailed, b.name.range,
                fmt::format("backup `{}` declares no retention, so no backup policy can be made", b.name.text))
        .withHelp("add `retain = { daily = 30d }`");
    return std::nullopt;
  }
  const BackupSchedule &s = b.schedules.front();
  int64_t instantRestore = *settings.instantRestoreDays;
  bool enhanced = s.kind == BackupSchedule::Kind::Hourly || instantRestore > 5;
  std::string zone = s.zone ? s.zone->text.str() : "UTC";

  Policy p;
  std::string time;
  llvm::json::Object schedule;
  std::vector<std::string> days;
  if (s.days)
    for (const Value &d : s.days->items()) days.push_back(d.text.str());
  if (!days.empty()) p.firstDay = days.front();
  switch (s.kind) {
  case BackupSchedule::Kind::Hourly:
    time = runTime(s.windowStart->text);
    schedule = llvm::json::Object{
        {"schedulePolicyType", "SimpleSchedulePolicyV2"},
        {"scheduleRunFrequency", "Hourly"},
        {"hourlySchedule",
         llvm::json::Object{{"interval", static_cast<int64_t>(s.interval->number())},
                            {"scheduleWindowStartTime", time},
                            {"scheduleWindowDuration", static_cast<int64_t>(s.windowDuration->number())}}}};
    break;
  case BackupSchedule::Kind::Daily:
    time = runTime(s.time->text);
    schedule["scheduleRunFrequency"] = "Daily";
    if (enhanced) {
      schedule["schedulePolicyType"] = "SimpleSchedulePolicyV2";
      schedule["dailySchedule"] = llvm::json::Object{{"scheduleRunTimes", llvm::json::Array{time}}};
    } else {
      schedule["schedulePolicyType"] = "SimpleSchedulePolicy";
      schedule["scheduleRunTimes"] = llvm::json::Array{time};
    }
    break;
  case BackupSchedule::Kind::Weekly:
    time = runTime(s.time->text);
    schedule["scheduleRunFrequency"] = "Weekly";
    if (enhanced) {
      schedule["schedulePolicyType"] = "SimpleSchedulePolicyV2";
      schedule["weeklySchedule"] =
          llvm::json::Object{{"scheduleRunDays", strings(days)}, {"scheduleRunTimes", llvm::json::Array{time}}};
    } else {
      schedule["schedulePolicyType"] = "SimpleSchedulePolicy";
      schedule["scheduleRunDays"] = strings(days);
      schedule["scheduleRunTimes"] = llvm::json::Array{time};
    }
    break;
  }

  llvm::json::Object retention{{"retentionPolicyType", "LongTermRetentionPolicy"}};
  auto duration = [](const NumberSetting &count, const char *type) {
    return llvm::json::Object{{"count", *count}, {"durationType", type}};
  };
  auto weeklyFormat = [&] {
    return llvm::json::Object{{"daysOfTheWeek", llvm::json::Array{p.firstDay}},
                              {"weeksOfTheMonth", llvm::json::Array{"First"}}};
  };
  if (settings.dailyDays)
    retention["dailySchedule"] = llvm::json::Object{{"retentionTimes", llvm::json::Array{time}},
                                                    {"retentionDuration", duration(settings.dailyDays, "Days")}};
  if (settings.weeklyWeeks)
    retention["weeklySchedule"] = llvm::json::Object{
        {"daysOfTheWeek",
         strings(s.kind == BackupSchedule::Kind::Weekly ? days : std::vector<std::string>{p.firstDay})},
        {"retentionTimes", llvm::json::Array{time}},
        {"retentionDuration", duration(settings.weeklyWeeks, "Weeks")}};
  if (settings.monthlyMonths)
    retention["monthlySchedule"] =
        llvm::json::Object{{"retentionScheduleFormatType", "Weekly"},
                           {"retentionScheduleWeekly", weeklyFormat()},
                           {"retentionTimes", llvm::json::Array{time}},
                           {"retentionDuration", duration(settings.monthlyMonths, "Months")}};
  if (settings.yearlyYears)
    retention["yearlySchedule"] = llvm::json::Object{{"retentionScheduleFormatType", "Weekly"},
                                                     {"monthsOfYear", llvm::json::Array{"January"}},
                                                     {"retentionScheduleWeekly", weeklyFormat()},
                                                     {"retentionTimes", llvm::json::Array{time}},
                                                     {"retentionDuration", duration(settings.yearlyYears, "Years")}};

  p.properties =
      llvm::json::Object{{"backupManagementType", "AzureIaasVM"},           {"policyType", enhanced ? "V2" : "V1"},
                         {"instantRpRetentionRangeInDays", instantRestore}, {"timeZone", armLiteral(zone)},
                         {"schedulePolicy", std::move(schedule)},           {"retentionPolicy", std::move(retention)}};
  return p;
}

} // namespace

void generateBackupArtifacts(const Program &program, const analysis::PermissionModel &model, ArtifactSet &out,
                             DiagnosticEngine &diags) {
  std::vector<const BackupDecl *> backups;
  for (const auto &file : program.files)
    if (!file->isStdlib())
      for (const auto &decl : file->decls)
        if (auto *b = llvm::dyn_cast<BackupDecl>(decl.get())) backups.push_back(b);
  if (backups.empty()) return;
  std::sort(backups.begin(), backups.end(), [](auto *a, auto *b) { return a->name.text < b->name.text; });

  JsonArrayDocument resources; // printed one by one: there may be thousands
  std::vector<SourceRange> sources;
  std::string deploymentGroup;
  const ResourceDecl *firstVault = nullptr;
  for (const BackupDecl *b : backups) {
    std::optional<Policy> policy = policyFor(*b, diags);
    if (!policy) continue;
    sources.push_back(b->range);
    // One policy per vault the backup uses.
    std::map<std::string, const ResourceDecl *> vaults;
    for (const Protection &p : b->protections)
      if (auto *vault = llvm::dyn_cast_or_null<ResourceDecl>(p.vault.target)) vaults[vault->name.text.str()] = vault;
    for (auto &[_, vault] : vaults) {
      analysis::Scope vaultScope = model.scopeOf(*vault);
      if (deploymentGroup.empty()) {
        deploymentGroup = vaultScope.resourceGroup;
        firstVault = vault;
      } else if (deploymentGroup != vaultScope.resourceGroup) {
        diags
            .report(DiagID::BuildFailed, vault->name.range,
                    fmt::format(
                        "backup.json deploys into one resource group, but vault `{}` is in `{}` and vault `{}` in `{}`",
                        vault->name.text, vaultScope.resourceGroup, firstVault->name.text, deploymentGroup))
            .withHelp("keep the Recovery Services vaults of one project in one resource group");
        return;
      }
      std::string vaultName = (*vault->settings.name).str();
      std::string policyName = "ward-" + b->name.text.str();
      resources.add(llvm::json::Object{{"type", "Microsoft.RecoveryServices/vaults/backupPolicies"},
                                       {"apiVersion", kApiVersion},
                                       {"name", armLiteral(vaultName + "/" + policyName)},
                                       {"properties", llvm::json::Object(policy->properties)}});
      std::string policyId = fmt::format("[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', {}, {})]",
                                         armQuote(vaultName), armQuote(policyName));
      for (const Protection &p : b->protections) {
        if (p.vault.target != vault) continue;
        for (const Ref &item : p.items) {
          auto *vm = llvm::dyn_cast_or_null<ResourceDecl>(item.target);
          if (!vm) continue;
          std::string rg = (*vm->settings.resourceGroup).str(), name = (*vm->settings.name).str();
          std::string container = fmt::format("IaasVMContainer;iaasvmcontainerv2;{};{}", rg, name);
          std::string protectedItem = fmt::format("VM;iaasvmcontainerv2;{};{}", rg, name);
          resources.add(llvm::json::Object{
              {"type", "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"},
              {"apiVersion", kApiVersion},
              {"name", armLiteral(fmt::format("{}/Azure/{}/{}", vaultName, container, protectedItem))},
              {"dependsOn", llvm::json::Array{policyId}},
              {"properties", llvm::json::Object{{"protectedItemType", "Microsoft.Compute/virtualMachines"},
                                                {"policyId", policyId},
                                                {"sourceResourceId", vmResourceId(model.scopeOf(*vm))}}}});
        }
      }
    }
  }
  if (resources.size() == 0) return;
  llvm::json::Object head{
      {"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
      {"contentVersion", "1.0.0.0"},
      {"metadata", llvm::json::Object{{"generator", "wardc"}, {"resourceGroup", deploymentGroup}}}};
  out.add({"azure/backup.json", "arm-template", std::move(resources).finish(head, "resources"), std::move(sources)});
}

} // namespace ward::codegen
