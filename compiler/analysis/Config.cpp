#include "analysis/Rules.h"
#include "source/Text.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <fmt/format.h>

namespace ward::analysis {

llvm::StringRef levelName(Level level) {
  switch (level) {
  case Level::Off: return "off";
  case Level::Note: return "note";
  case Level::Warning: return "warning";
  case Level::Error: return "error";
  }
  return "off";
}

std::optional<Level> parseLevel(llvm::StringRef text) {
  for (Level l : {Level::Off, Level::Note, Level::Warning, Level::Error})
    if (text == levelName(l)) return l;
  return std::nullopt;
}

const std::vector<RuleInfo> &allRules() {
  static const std::vector<RuleInfo> kRules = {
#define WARD_RULE(Name, Id, Lvl, Slug, Title) {RuleID::Name, Id, Level::Lvl, Slug, Title},
#include "analysis/Rules.def"
#undef WARD_RULE
  };
  return kRules;
}

const RuleInfo &ruleInfo(RuleID rule) { return allRules()[static_cast<size_t>(rule)]; }

const RuleInfo *findRule(llvm::StringRef idOrName) {
  for (const RuleInfo &r : allRules())
    if (r.id.equals_insensitive(idOrName) || r.name == idOrName) return &r;
  return nullptr;
}

namespace {
struct EmbeddedDoc {
  const char *id;
  const char *text;
};
const EmbeddedDoc kDocs[] = {
#include "RuleDocs.inc"
};
} // namespace

llvm::StringRef ruleDoc(RuleID rule) {
  for (const EmbeddedDoc &doc : kDocs)
    if (ruleInfo(rule).id == doc.id) return doc.text;
  return {};
}

Level Config::level(RuleID rule) const {
  auto it = levels.find(ruleInfo(rule).id.str());
  return it == levels.end() ? ruleInfo(rule).defaultLevel : it->second;
}

std::string Config::stringOption(RuleID rule, llvm::StringRef key, llvm::StringRef fallback) const {
  auto it = options.find(ruleInfo(rule).id.str());
  if (it == options.end()) return fallback.str();
  auto value = it->second.getString(key);
  return value ? value->str() : fallback.str();
}

int64_t Config::intOption(RuleID rule, llvm::StringRef key, int64_t fallback) const {
  auto it = options.find(ruleInfo(rule).id.str());
  if (it == options.end()) return fallback;
  return it->second.getInteger(key).getValueOr(fallback);
}

Config loadConfig(llvm::StringRef start, DiagnosticEngine &diags) {
  Config config;
  llvm::SmallString<256> dir(start);
  llvm::sys::fs::make_absolute(dir);
  if (!llvm::sys::fs::is_directory(dir)) dir = llvm::sys::path::parent_path(dir);
  for (; !dir.empty(); dir = llvm::sys::path::parent_path(dir)) {
    llvm::SmallString<256> candidate(dir);
    llvm::sys::path::append(candidate, "ward.json");
    if (llvm::sys::fs::exists(candidate)) {
      config.path = std::string(candidate);
      break;
    }
    if (llvm::sys::path::parent_path(dir) == dir) break;
  }
  if (config.path.empty()) return config;

  auto fail = [&](std::string message) -> Diagnostic & {
    return diags.reportAtPath(DiagID::InvalidConfig, config.path, std::move(message));
  };
  auto buffer = llvm::MemoryBuffer::getFile(config.path);
  if (!buffer) {
    fail(fmt::format("cannot read: {}", buffer.getError().message()));
    return config;
  }
  llvm::Expected<llvm::json::Value> json = parseJsonBounded((*buffer)->getBuffer());
  if (!json) {
    fail(fmt::format("not valid JSON: {}", llvm::toString(json.takeError())));
    return config;
  }
  const llvm::json::Object *root = json->getAsObject();
  if (!root) {
    fail("expected a JSON object");
    return config;
  }
  for (const auto &entry : *root)
    if (entry.first != "rules" && entry.first != "catalog" && entry.first != "build")
      fail(fmt::format("unknown key `{}`", entry.first.str())).withHelp("the keys are `rules`, `catalog` and `build`");
  if (const llvm::json::Object *rules = root->getObject("rules")) {
    for (const auto &entry : *rules) {
      const RuleInfo *rule = findRule(entry.first);
      if (!rule && isControllableCode(entry.first)) {
        llvm::Optional<llvm::StringRef> levelText = entry.second.getAsString();
        if (const llvm::json::Object *settings = entry.second.getAsObject()) levelText = settings->getString("level");
        std::optional<Level> level = levelText ? parseLevel(*levelText) : std::nullopt;
        if (level) config.codeLevels[entry.first.str()] = *level;
        else fail(fmt::format("{}: the level must be off, note, warning or error", entry.first.str()));
        continue;
      }
      if (!rule) {
        fail(fmt::format("unknown rule `{}`", entry.first.str())).withHelp("`wardc check --list-rules` lists them");
        continue;
      }
      std::string id = rule->id.str();
      llvm::Optional<llvm::StringRef> levelText = entry.second.getAsString();
      const llvm::json::Object *settings = entry.second.getAsObject();
      if (settings) levelText = settings->getString("level");
      if (levelText) {
        if (auto level = parseLevel(*levelText)) config.levels[id] = *level;
        else fail(fmt::format("rule {}: unknown level `{}`", id, levelText->str())).withHelp("levels are off, note, warning and error");
      }
      if (settings) config.options[id] = *settings;
    }
  }
  if (const llvm::json::Object *build = root->getObject("build")) {
    for (const auto &entry : *build) {
      llvm::StringRef key = entry.first;
      auto value = entry.second.getAsString();
      if (key != "project" && key != "role_name" && key != "resource_group" && key != "role_scope") {
        fail(fmt::format("build: unknown key `{}`", key.str()))
            .withHelp("the keys are `project`, `role_name`, `role_scope` and `resource_group`");
        continue;
      }
      if (!value || value->empty()) {
        fail(fmt::format("build: `{}` must be a non-empty string", key.str()));
        continue;
      }
      if (key == "project") config.project = value->str();
      else if (key == "resource_group") config.homeResourceGroup = value->str();
      else if (key == "role_scope") {
        if (*value == "resource_group") config.roleScope = Config::RoleScope::ResourceGroup;
        else if (*value == "subscription") config.roleScope = Config::RoleScope::Subscription;
        else fail(fmt::format("build: `role_scope` is \"resource_group\" or \"subscription\", not \"{}\"", value->str()));
      } else if (value->contains("{principal}"))
        fail("build: `role_name` cannot contain `{principal}`: one role serves every principal that needs the same "
             "permissions")
            .withHelp("use `{role}` (the capability, or `grant-N`) and `{project}`");
      else if (!value->contains("{role}") && !value->contains("{capability}"))
        fail("build: `role_name` must contain `{role}`, so that different roles get different names");
      else config.roleNamePattern = value->str();
    }
  }
  if (const llvm::json::Object *catalog = root->getObject("catalog")) {
    for (auto [key, out] : {std::pair<const char *, std::vector<std::string> *>{"actions", &config.extraActions},
                            {"data_actions", &config.extraDataActions}})
      if (const llvm::json::Array *list = catalog->getArray(key))
        for (const llvm::json::Value &v : *list)
          if (auto s = v.getAsString()) out->push_back(s->str());
  }
  return config;
}

bool AzureData::load(llvm::StringRef stdlibDir, const Config &config, DiagnosticEngine &diags) {
  llvm::SmallString<256> rolesPath(stdlibDir), opsDir(stdlibDir);
  llvm::sys::path::append(rolesPath, "azure", "built-in-roles.json");
  llvm::sys::path::append(opsDir, "azure", "operations");
  if (llvm::Error e = roles.load(rolesPath)) {
    diags.reportAtPath(DiagID::IoError, std::string(rolesPath), llvm::toString(std::move(e)))
        .withHelp("the Azure data ships with the standard library; reinstall wardc or set WARD_STDLIB");
    return false;
  }
  if (llvm::Error e = operations.loadDirectory(opsDir)) {
    diags.reportAtPath(DiagID::IoError, std::string(opsDir), llvm::toString(std::move(e)));
    return false;
  }
  operations.addRoles(roles);
  for (const std::string &a : config.extraActions) operations.add(a, false);
  for (const std::string &a : config.extraDataActions) operations.add(a, true);
  return true;
}

} // namespace ward::analysis
