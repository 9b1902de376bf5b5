#include "analysis/Rules.h"
#include "sema/ValueChecks.h"
#include "source/JsonLocations.h"
#include "source/PhaseTimer.h"
#include "source/Text.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <fmt/format.h>

#include <cassert>
#include <future>
#include <map>
#include <mutex>
#include <regex>

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

// Each rule file defines `const RuleInfo &ruleInfo<Name>()`.
#define WARD_RULE(Name, Id) const RuleInfo &ruleInfo##Name();
#include "RuleIndex.inc"
#undef WARD_RULE

const std::vector<RuleInfo> &allRules() {
  static const std::vector<RuleInfo> kRules = [] {
    std::vector<RuleInfo> rules;
#define WARD_RULE(Name, Id)                                                                                            \
  rules.push_back(ruleInfo##Name());                                                                                   \
  assert(rules.back().rule == RuleID::Name && rules.back().id == Id && "a rule's file name gives its ID");
#include "RuleIndex.inc"
#undef WARD_RULE
    return rules;
  }();
  return kRules;
}

const RuleOption *RuleInfo::option(llvm::StringRef key) const {
  for (const RuleOption &o : options)
    if (o.key == key) return &o;
  return nullptr;
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

/// The option's value in ward.json, or null when not set there.
static const llvm::json::Value *optionValue(const Config &config, RuleID rule, llvm::StringRef key) {
  auto it = config.options.find(ruleInfo(rule).id.str());
  return it == config.options.end() ? nullptr : it->second.get(key);
}

static const RuleOption &optionSpec(RuleID rule, llvm::StringRef key, RuleOption::Type type) {
  const RuleOption *spec = ruleInfo(rule).option(key);
  assert(spec && spec->type == type && "a rule reads only the options it declares");
  (void)type;
  return *spec;
}

int64_t Config::integerOption(RuleID rule, llvm::StringRef key) const {
  const RuleOption &spec = optionSpec(rule, key, RuleOption::Type::Integer);
  if (const llvm::json::Value *v = optionValue(*this, rule, key))
    if (llvm::Optional<int64_t> n = v->getAsInteger(); n && *n >= spec.min) return *n;
  int64_t fallback = 0;
  spec.defaultValue.getAsInteger(10, fallback);
  return fallback;
}

int64_t Config::durationOption(RuleID rule, llvm::StringRef key) const {
  const RuleOption &spec = optionSpec(rule, key, RuleOption::Type::Duration);
  if (const llvm::json::Value *v = optionValue(*this, rule, key))
    if (llvm::Optional<llvm::StringRef> text = v->getAsString())
      if (std::optional<int64_t> ms = parseDurationText(*text)) return *ms;
  return parseDurationText(spec.defaultValue).value_or(0);
}

std::string Config::regexOption(RuleID rule, llvm::StringRef key) const {
  const RuleOption &spec = optionSpec(rule, key, RuleOption::Type::Regex);
  if (const llvm::json::Value *v = optionValue(*this, rule, key))
    if (llvm::Optional<llvm::StringRef> text = v->getAsString()) return text->str();
  return spec.defaultValue.str();
}

namespace {

/// Reads ward.json; every problem is an E0007 at the key or value it is about.
class ConfigReader {
public:
  ConfigReader(Config &config, DiagnosticEngine &diags, SourceManager *sm) : config_(config), diags_(diags), sm_(sm) {}

  void read() {
    auto buffer = llvm::MemoryBuffer::getFile(config_.path);
    if (!buffer) {
      diags_.reportAtPath(DiagID::InvalidConfig, config_.path,
                          fmt::format("cannot read: {}", buffer.getError().message()));
      return;
    }
    std::string text = (*buffer)->getBuffer().str();
    if (sm_) file_ = sm_->addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, config_.path), config_.path);
    llvm::Expected<llvm::json::Value> json = parseJsonBounded(text);
    if (!json) {
      diags_.reportAtPath(DiagID::InvalidConfig, config_.path,
                          fmt::format("not valid JSON: {}", llvm::toString(json.takeError())));
      return;
    }
    locations_.emplace(text);
    const llvm::json::Object *root = json->getAsObject();
    if (!root) {
      fail("", "expected a JSON object");
      return;
    }
    for (const auto &entry : *root) {
      llvm::StringRef key = entry.first;
      if (key == "rules") rules(entry.second);
      else if (key == "catalog") catalog(entry.second);
      else if (key == "build") build(entry.second);
      else if (key == "format") format(entry.second);
      else unknownKey(key, key, {"rules", "catalog", "build", "format"});
    }
  }

private:
  DiagnosticBuilder fail(llvm::StringRef path, std::string message, bool atValue = false) {
    std::optional<JsonLocations::Range> range =
        locations_ ? (atValue ? locations_->value(path) : locations_->key(path)) : std::nullopt;
    if (file_ && range)
      return diags_.report(DiagID::InvalidConfig, {file_, range->first, range->second}, std::move(message));
    return diags_.reportAtPath(DiagID::InvalidConfig, config_.path, std::move(message));
  }

  void unknownKey(llvm::StringRef path, llvm::StringRef key, std::vector<std::string> known) {
    DiagnosticBuilder d = fail(path, fmt::format("unknown key `{}`", key.str()));
    std::vector<std::string> close = closestNames(key, known);
    std::vector<std::string> quoted;
    for (const std::string &k : known) quoted.push_back("`" + k + "`");
    d.withHelp(close.empty() ? fmt::format("the keys here are {}", joinAlternatives(quoted, "and"))
                             : fmt::format("did you mean `{}`?", close.front()));
    if (file_ && !close.empty())
      if (auto range = locations_->key(path))
        d.suggest({file_, range->first, range->second}, "\"" + close.front() + "\"");
  }

  void rules(const llvm::json::Value &value) {
    const llvm::json::Object *rules = value.getAsObject();
    if (!rules) {
      fail("rules", "`rules` must be an object of rule IDs", true);
      return;
    }
    for (const auto &entry : *rules) {
      std::string path = "rules/" + entry.first.str();
      const RuleInfo *rule = findRule(entry.first);
      bool code = !rule && isControllableCode(entry.first);
      if (!rule && !code) {
        DiagnosticBuilder d = fail(path, fmt::format("unknown rule `{}`", entry.first.str()));
        d.withHelp("`wardc --list-rules` lists them");
        continue;
      }
      std::string id = rule ? rule->id.str() : entry.first.str();
      const llvm::json::Object *settings = entry.second.getAsObject();
      llvm::Optional<llvm::StringRef> levelText = entry.second.getAsString();
      if (!settings && !levelText) {
        fail(path, fmt::format("{}: give a level (\"off\", \"note\", \"warning\", \"error\") or an object", id), true);
        continue;
      }
      if (settings) {
        for (const auto &option : *settings) {
          llvm::StringRef key = option.first;
          if (key == "level") {
            levelText = option.second.getAsString();
            if (!levelText) fail(path + "/level", fmt::format("{}: `level` must be a string", id), true);
            continue;
          }
          if (code) {
            unknownKey(path + "/" + key.str(), key, {"level"});
            continue;
          }
          ruleOption(*rule, path, key, option.second);
        }
        config_.options[id] = *settings;
      }
      if (!levelText) continue;
      std::optional<Level> level = parseLevel(*levelText);
      if (!level) {
        fail(settings ? path + "/level" : path, fmt::format("{}: unknown level `{}`", id, levelText->str()), true)
            .withHelp("levels are off, note, warning and error");
        continue;
      }
      (code ? config_.codeLevels : config_.levels)[id] = *level;
    }
  }

  void ruleOption(const RuleInfo &rule, const std::string &rulePath, llvm::StringRef key,
                  const llvm::json::Value &value) {
    std::string path = rulePath + "/" + key.str();
    std::vector<std::string> known = {"level"};
    for (const RuleOption &o : rule.options) known.push_back(o.key.str());
    const RuleOption *spec = rule.option(key);
    if (!spec) {
      unknownKey(path, key, known);
      return;
    }
    std::string what = fmt::format("{}: `{}`", rule.id.str(), key.str());
    switch (spec->type) {
    case RuleOption::Type::Integer: {
      llvm::Optional<int64_t> n = value.getAsInteger();
      if (!n) fail(path, fmt::format("{} must be a whole number", what), true);
      else if (*n < spec->min) fail(path, fmt::format("{} must be at least {}, not {}", what, spec->min, *n), true);
      return;
    }
    case RuleOption::Type::Regex: {
      llvm::Optional<llvm::StringRef> text = value.getAsString();
      if (!text) {
        fail(path, fmt::format("{} must be a string (a regular expression)", what), true);
        return;
      }
      try {
        std::regex check(text->str(), std::regex::ECMAScript);
      } catch (const std::regex_error &) {
        fail(path, fmt::format("{} is not a valid regular expression", what), true);
      }
      return;
    }
    case RuleOption::Type::Duration: {
      if (llvm::Optional<double> n = value.getAsNumber()) {
        fail(path, fmt::format("{} needs a unit: {} alone is ambiguous", what, *n), true)
            .withHelp(fmt::format("write \"{}m\" for minutes or \"{}h\" for hours, as a string", *n, *n));
        return;
      }
      llvm::Optional<llvm::StringRef> text = value.getAsString();
      if (!text || !parseDurationText(*text)) {
        DiagnosticBuilder d = fail(path, fmt::format("{} must be a duration such as \"90m\" or \"1h\"", what), true);
        if (text && !text->empty() &&
            llvm::all_of(*text, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
          d.withHelp(fmt::format("add a unit: \"{}m\"", text->str()));
      }
      return;
    }
    }
  }

  void catalog(const llvm::json::Value &value) {
    const llvm::json::Object *catalog = value.getAsObject();
    if (!catalog) {
      fail("catalog", "`catalog` must be an object with `actions` and `data_actions`", true);
      return;
    }
    for (const auto &entry : *catalog) {
      std::string path = "catalog/" + entry.first.str();
      std::vector<std::string> *out = entry.first == "actions"        ? &config_.extraActions
                                      : entry.first == "data_actions" ? &config_.extraDataActions
                                                                      : nullptr;
      if (!out) {
        unknownKey(path, entry.first, {"actions", "data_actions"});
        continue;
      }
      const llvm::json::Array *list = entry.second.getAsArray();
      if (!list) {
        fail(path, fmt::format("`catalog.{}` must be a list of operation names", entry.first.str()), true);
        continue;
      }
      for (size_t i = 0; i < list->size(); ++i) {
        if (auto s = (*list)[i].getAsString()) out->push_back(s->str());
        else fail(path + "/" + std::to_string(i), "an operation name must be a string", true);
      }
    }
  }

  void format(const llvm::json::Value &value) {
    const llvm::json::Object *format = value.getAsObject();
    if (!format) {
      fail("format", "`format` must be an object", true);
      return;
    }
    for (const auto &entry : *format) {
      std::string path = "format/" + entry.first.str();
      if (entry.first != "line_width") {
        unknownKey(path, entry.first, {"line_width"});
        continue;
      }
      llvm::Optional<int64_t> width = entry.second.getAsInteger();
      if (!width || *width < 40 || *width > 400)
        fail(path, "format: `line_width` must be a whole number from 40 to 400", true);
      else config_.formatLineWidth = static_cast<unsigned>(*width);
    }
  }

  void build(const llvm::json::Value &value) {
    const llvm::json::Object *build = value.getAsObject();
    if (!build) {
      fail("build", "`build` must be an object", true);
      return;
    }
    for (const auto &entry : *build) {
      llvm::StringRef key = entry.first;
      std::string path = "build/" + key.str();
      if (key != "project" && key != "role_name" && key != "resource_group" && key != "role_scope") {
        unknownKey(path, key, {"project", "role_name", "role_scope", "resource_group"});
        continue;
      }
      auto text = entry.second.getAsString();
      if (!text || text->empty()) {
        fail(path, fmt::format("build: `{}` must be a non-empty string", key.str()), true);
        continue;
      }
      if (key == "project") config_.project = text->str();
      else if (key == "resource_group") config_.homeResourceGroup = text->str();
      else if (key == "role_scope") {
        if (*text == "resource_group") config_.roleScope = Config::RoleScope::ResourceGroup;
        else if (*text == "subscription") config_.roleScope = Config::RoleScope::Subscription;
        else
          fail(path,
               fmt::format("build: `role_scope` is \"resource_group\" or \"subscription\", not \"{}\"", text->str()),
               true);
      } else if (text->contains("{principal}")) {
        fail(path,
             "build: `role_name` cannot contain `{principal}`: one role serves every principal that needs the same "
             "permissions",
             true)
            .withHelp("use `{role}` (the capability, or `grant-N`) and `{project}`");
      } else if (!text->contains("{role}") && !text->contains("{capability}")) {
        fail(path, "build: `role_name` must contain `{role}`, so that different roles get different names", true);
      } else {
        config_.roleNamePattern = text->str();
      }
    }
  }

  Config &config_;
  DiagnosticEngine &diags_;
  SourceManager *sm_;
  FileID file_ = 0;
  std::optional<JsonLocations> locations_;
};

} // namespace

std::optional<int64_t> parseDurationText(llvm::StringRef text) {
  llvm::StringRef digits = text.take_while([](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  // Whole numbers only: `1.5h` has no unit `.5h`.
  if (digits.empty() || digits.size() > 12 || text.drop_front(digits.size()).startswith(".")) return std::nullopt;
  Value v;
  v.kind = Value::Kind::Quantity;
  v.setNumber(std::stod(digits.str()));
  v.isInteger = true;
  v.text = text; // read at once, while the caller's text lives
  return sema::durationMillis(v);
}

Config loadConfig(llvm::StringRef start, DiagnosticEngine &diags, SourceManager *sm) {
  Config config;
  llvm::SmallString<256> dir(start);
  llvm::sys::fs::make_absolute(dir);
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
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
  if (!config.path.empty()) ConfigReader(config, diags, sm).read();
  return config;
}

std::shared_ptr<const AzureData> AzureData::load(llvm::StringRef stdlibDir, const Config &config,
                                                 DiagnosticEngine &diags) {
  static std::mutex cacheMutex;
  static std::map<std::string, std::shared_ptr<const AzureData>> cache;
  std::shared_ptr<const AzureData> shipped;
  {
    std::lock_guard<std::mutex> lock(cacheMutex);
    std::shared_ptr<const AzureData> &cached = cache[stdlibDir.str()];
    if (!cached) cached = readShipped(stdlibDir, diags);
    shipped = cached;
  }
  if (!shipped || (config.extraActions.empty() && config.extraDataActions.empty())) return shipped;
  auto own = std::make_shared<AzureData>(*shipped);
  for (const std::string &a : config.extraActions) own->operations.add(a, false);
  for (const std::string &a : config.extraDataActions) own->operations.add(a, true);
  own->resolveDangerousOperations();
  return own;
}

std::shared_ptr<const AzureData> AzureData::readShipped(llvm::StringRef stdlibDir, DiagnosticEngine &diags) {
  PhaseTimer timer("  azure-data");
  auto data = std::make_shared<AzureData>();
  llvm::SmallString<256> rolesPath(stdlibDir), opsDir(stdlibDir);
  llvm::sys::path::append(rolesPath, "azure", "built-in-roles.json");
  llvm::sys::path::append(opsDir, "azure", "operations");
  // The operations are read on a thread of their own while the roles are
  // parsed: the two are independent, and a small policy's check waits for
  // both before its rules can run.
  std::future<llvm::Error> operations =
      std::async(std::launch::async, [&] { return data->operations.loadDirectory(opsDir); });
  llvm::Error rolesError = data->roles.load(rolesPath);
  llvm::Error operationsError = operations.get();
  timer.mark("roles and operations");
  if (rolesError) {
    llvm::consumeError(std::move(operationsError)); // one cause, one error: the data is not where it should be
    diags.reportAtPath(DiagID::IoError, std::string(rolesPath), llvm::toString(std::move(rolesError)))
        .withHelp("the Azure data ships with the standard library; reinstall wardc or set WARD_STDLIB");
    return nullptr;
  }
  if (operationsError) {
    diags.reportAtPath(DiagID::IoError, std::string(opsDir), llvm::toString(std::move(operationsError)));
    return nullptr;
  }
  data->operations.addRoles(data->roles);
  timer.mark("role actions");
  data->resolveDangerousOperations();
  timer.mark("dangerous operations");
  return data;
}

} // namespace ward::analysis
