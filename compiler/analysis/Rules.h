//===- Rules.h - Rule metadata, configuration and the analysis --*- C++ -*-===//
#pragma once

#include "analysis/Model.h"
#include "analysis/Permissions.h"
#include "diag/Diagnostic.h"
#include "resolve/Loader.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/Support/JSON.h>

#include <map>
#include <memory>

namespace ward::analysis {

/// Every rule, from the files compiler/analysis/rules/W<NNN><Name>.cpp (the
/// build lists them in RuleIndex.inc, in ID order).
enum class RuleID {
#define WARD_RULE(Name, Id) Name,
#include "RuleIndex.inc"
#undef WARD_RULE
};

class RuleContext;

enum class Level { Off, Note, Warning, Error };
llvm::StringRef levelName(Level level);
std::optional<Level> parseLevel(llvm::StringRef text);

/// An option a rule takes in ward.json (`"rules": {"W022": {"max_attempts": 3}}`).
struct RuleOption {
  enum class Type { Integer, Duration, Regex };
  llvm::StringRef key;
  Type type;
  llvm::StringRef defaultValue; // as ward.json would write it: "5", "90m"
  int64_t min = 0;              // Integer: the smallest value that makes sense
};

/// When a rule runs: over the program, or around the application of
/// `ward-ignore` suppressions to the other rules' findings.
enum class RuleStage { Program, BeforeSuppressions, AfterSuppressions };

/// What a rule's findings depend on. Past syntax errors (declarations left
/// out) only the rules whose findings depend on the declarations they are
/// about run: a rule that weighs grants against every intent, or counts the
/// uses of a declaration, would report what the broken declarations held.
enum class RuleScope { Declarations, WholeProgram };

/// What a rule reads besides the checked program. The permission model is
/// built beside the rules that do not read it, so a rule that does must say
/// so: RuleContext::model() stops the compiler otherwise.
enum class RuleInput { Program, PermissionModel };

/// One rule, defined in its own file: what it is, what it takes, what it checks.
struct RuleInfo {
  RuleID rule;
  llvm::StringRef id; // "W004"
  Level defaultLevel;
  llvm::StringRef name;  // "credential-exposure"
  llvm::StringRef title; // one line
  std::vector<RuleOption> options;
  void (*check)(RuleContext &ctx);
  RuleStage stage = RuleStage::Program;
  RuleScope scope = RuleScope::Declarations;
  RuleInput input = RuleInput::Program;

  const RuleOption *option(llvm::StringRef key) const;
};
const RuleInfo &ruleInfo(RuleID rule);
const std::vector<RuleInfo> &allRules();
const RuleInfo *findRule(llvm::StringRef idOrName);
/// The rule's documentation page (docs/rules/<ID>.md), compiled in.
llvm::StringRef ruleDoc(RuleID rule);

/// `ward.json`: per-rule level and options, and catalogue additions.
struct Config {
  std::string path;                                  // empty when no file was found
  std::map<std::string, Level> levels;               // by rule ID
  std::map<std::string, Level> codeLevels;           // by diagnostic code (G0001)
  std::map<std::string, llvm::json::Object> options; // by rule ID
  std::vector<std::string> extraActions, extraDataActions;
  // `build`: naming and placement of generated Azure artifacts.
  std::string project; // default: the inputs' directory name
  std::string roleNamePattern = "ward-{project}-{role}";
  enum class RoleScope { ResourceGroup, Subscription };
  RoleScope roleScope = RoleScope::ResourceGroup; // custom roles' AssignableScopes
  std::string homeResourceGroup;                  // default: where most assignments are
  unsigned formatLineWidth = 100;                 // `format.line_width`: what `wardc fmt` fits lines into

  Level level(RuleID rule) const;
  /// A rule's option as ward.json sets it, or its default. `key` must be
  /// one of the rule's options, of that type; ward.json was checked when read.
  int64_t integerOption(RuleID rule, llvm::StringRef key) const;
  int64_t durationOption(RuleID rule, llvm::StringRef key) const; // milliseconds
  std::string regexOption(RuleID rule, llvm::StringRef key) const;
};

/// Finds `ward.json` in the directory of `start` or above; reports problems
/// with the file to `diags`, located in the file when `sm` is given (the
/// file is then added to it).
Config loadConfig(llvm::StringRef start, DiagnosticEngine &diags, SourceManager *sm = nullptr);
/// "90m", "1h": a duration option, with the language's units.
std::optional<int64_t> parseDurationText(llvm::StringRef text);

/// The data the analysis needs: Azure's built-in roles and operations.
struct AzureData {
  RoleCatalog roles;
  OperationCatalog operations;
  /// The catalogued operations that let a principal raise its own
  /// privileges (W003), and that read keys, credentials or secrets (W004):
  /// resolved once per catalogue, on the thread that reads it while the
  /// policy is parsed, not by every run of the rules (a scan of every
  /// operation per pattern, the most of what the rules cost a small policy).
  std::vector<ActionEntry> escalationOperations, exposureOperations;
  /// `<stdlibDir>/azure/` plus the project's ward.json catalogue. The files
  /// are read once per process and standard library (a language server
  /// compiles many times) and shared by every compilation; only a project
  /// with a catalogue gets a copy of its own. On failure reports and
  /// returns null (and reads again next time).
  static std::shared_ptr<const AzureData> load(llvm::StringRef stdlibDir, const Config &config,
                                               DiagnosticEngine &diags);

private:
  void resolveDangerousOperations(); // rules/PrivilegeSupport.cpp
  static std::shared_ptr<const AzureData> readShipped(llvm::StringRef stdlibDir, DiagnosticEngine &diags);
};

/// Diagnostic codes other than rules whose level a project may set in
/// ward.json and silence in source: the warnings of the code generators
/// (G0001). Errors stay errors.
bool isControllableCode(llvm::StringRef code);

/// Applies ward.json levels and in-source `ward-ignore` to the controllable
/// codes (run after `build` generated its artifacts). Findings located in the
/// standard library become notes: a user cannot change Ward's presets.
void applyCodeControls(const Program &program, const SourceManager &sm, const Config &config, DiagnosticEngine &diags);

/// Runs every enabled rule over a checked program and applies in-source
/// suppressions (a rule that is off does not run). When the program lost
/// declarations to syntax errors (`partial`), only the rules of
/// RuleScope::Declarations run. Builds the permission model into `model`
/// meanwhile, beside the rules that do not read it (the back ends share it).
/// Returns the rules that ran.
std::vector<RuleID> runAnalysis(Program &program, const SourceManager &sm, const AzureData &azure, const Config &config,
                                std::unique_ptr<PermissionModel> &model, DiagnosticEngine &diags, bool partial = false);

} // namespace ward::analysis
