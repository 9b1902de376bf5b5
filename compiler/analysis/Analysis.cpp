//===- Analysis.cpp - Runs the rules and applies suppressions -------------===//
#include "analysis/RuleContext.h"
#include "ast/Walk.h"
#include "source/PhaseTimer.h"

#include <llvm/ADT/StringSet.h>
#include <llvm/Support/Parallel.h>

#include <fmt/format.h>

#include <chrono>
#include <locale>
#include <map>

namespace ward::analysis {

static Severity severityOf(Level level) {
  switch (level) {
  case Level::Error: return Severity::Error;
  case Level::Warning: return Severity::Warning;
  default: return Severity::Note;
  }
}

DiagnosticBuilder RuleContext::report(RuleID rule, SourceRange range, std::string message) {
  const RuleInfo &info = ruleInfo(rule);
  Level level = config.level(rule);
  if (level == Level::Off) return DiagnosticEngine::discarded();
  return diags.reportRule(info.id, info.title, severityOf(level), range, std::move(message));
}

DiagnosticBuilder RuleContext::reportOnValue(RuleID rule, const Decl &owner, SourceRange value, std::string message,
                                             bool *inherited) {
  bool elsewhere = value.file != owner.range.file || value.begin < owner.range.begin || value.end > owner.range.end;
  if (inherited) *inherited = elsewhere;
  if (!elsewhere) return report(rule, value, std::move(message));
  const auto *issuer = llvm::dyn_cast<IssuerDecl>(&owner);
  std::string from = issuer && issuer->templateRef ? fmt::format("template `{}`", issuer->templateRef->name.text)
                                                   : sm.displayPath(value.file);
  DiagnosticBuilder b = report(rule, owner.name.range, std::move(message));
  b.label(value, fmt::format("the value comes from {}", from));
  return b;
}

UserDeclsByKind::UserDeclsByKind(Program &program) {
  // Counted first, so that each list is allocated once at its size: it is
  // held while the rules run, at the run's peak.
  std::array<size_t, kDeclKindCount> counts{};
  forEachUserDecl(program, [&](Decl &decl) { ++counts[static_cast<size_t>(decl.kind())]; });
  for (size_t kind = 0; kind < kDeclKindCount; ++kind) lists_[kind].reserve(counts[kind]);
  forEachUserDecl(program, [&](Decl &decl) { lists_[static_cast<size_t>(decl.kind())].push_back(&decl); });
}

std::string quoteName(const Decl &decl) {
  return fmt::format("{} `{}`", declKindKeyword(decl.kind()).str(), decl.name.text);
}

namespace {

/// For each line, the end of the longest construct that starts on it: a
/// suppression on the line before covers that whole construct.
std::map<unsigned, uint32_t> constructExtents(const SourceFile &file, const SourceManager &sm) {
  std::map<unsigned, uint32_t> extents;
  auto add = [&](SourceRange r) {
    if (!r.valid()) return;
    unsigned line = sm.lineColumn(r.file, r.begin).line;
    extents[line] = std::max(extents[line], r.end);
  };
  for (const auto &decl : file.decls) forEachConstructRange(*decl, add);
  return extents;
}

/// The source range a suppression covers: the construct that starts on the
/// next line, or just that line.
std::pair<uint32_t, uint32_t> coveredRange(const SourceFile &file, const Suppression &s, const SourceManager &sm,
                                           const std::map<unsigned, uint32_t> &extents) {
  unsigned line = sm.lineColumn(s.range.file, s.range.begin).line;
  uint32_t from = UINT32_MAX, to = 0;
  if (std::optional<uint32_t> next = sm.lineOffset(file.id, line + 1)) {
    from = *next;
    auto extent = extents.find(line + 1);
    to = extent != extents.end() ? extent->second : from + static_cast<uint32_t>(sm.lineText(file.id, line + 1).size());
  }
  return {from, to};
}

bool namesCode(const Suppression &s, llvm::StringRef code) {
  return std::any_of(s.ids.begin(), s.ids.end(), [&](const Name &id) { return id.text == code; });
}

} // namespace

bool isControllableCode(llvm::StringRef code) {
  static const llvm::StringSet<> kCodes = [] {
    llvm::StringSet<> codes;
    for (DiagID id : allDiagIDs())
      if (diagInfo(id).defaultSeverity == Severity::Warning) codes.insert(diagInfo(id).code);
    return codes;
  }();
  return kCodes.contains(code);
}

void applyCodeControls(const Program &program, const SourceManager &sm, const Config &config, DiagnosticEngine &diags) {
  auto levelOf = [&](const Diagnostic &d) -> std::optional<Level> {
    auto level = config.codeLevels.find(d.code.str());
    return level == config.codeLevels.end() ? std::nullopt : std::optional<Level>(level->second);
  };
  std::map<const SourceFile *, std::map<unsigned, uint32_t>> extentsOf; // each file's, computed once
  DiagnosticList &all = diags.mutableDiagnostics();
  for (Diagnostic &d : all) {
    if (d.id == DiagID::Rule || diagInfo(d.id).defaultSeverity != Severity::Warning) continue;
    const SourceFile *file = d.range.valid() ? program.file(d.range.file) : nullptr;
    if (file && file->isStdlib()) d.severity = Severity::Note;
    if (std::optional<Level> level = levelOf(d); level && *level != Level::Off)
      d.severity = *level == Level::Note      ? Severity::Note
                   : *level == Level::Warning ? Severity::Warning
                                              : Severity::Error;
    if (!file || file->suppressions.empty()) continue;
    auto extents = extentsOf.find(file);
    if (extents == extentsOf.end()) extents = extentsOf.emplace(file, constructExtents(*file, sm)).first;
    for (const Suppression &s : file->suppressions) {
      if (!namesCode(s, d.code) || s.reason.empty()) continue;
      auto [from, to] = coveredRange(*file, s, sm, extents->second);
      if (d.range.begin < from || d.range.begin > to) continue;
      d.suppressed = true;
      d.setJustification(s.reason);
      s.used = true;
    }
  }
  all.erase(std::remove_if(all.begin(), all.end(),
                           [&](const Diagnostic &d) { return d.id != DiagID::Rule && levelOf(d) == Level::Off; }),
            all.end());
}

bool isValidSuppression(const Suppression &s) {
  if (s.ids.empty() || s.reason.empty()) return false;
  return std::all_of(s.ids.begin(), s.ids.end(),
                     [](const Name &id) { return findRule(id.text) || isControllableCode(id.text); });
}

bool namesBuildCode(const Suppression &s) {
  return std::any_of(s.ids.begin(), s.ids.end(), [](const Name &id) { return isControllableCode(id.text); });
}

namespace {

/// Marks the rule findings each valid `ward-ignore` covers as suppressed.
void applySuppressions(RuleContext &ctx) {
  for (auto &file : ctx.program.files) {
    if (file->suppressions.empty()) continue;
    std::map<unsigned, uint32_t> extents = constructExtents(*file, ctx.sm);
    for (const Suppression &s : file->suppressions) {
      if (!isValidSuppression(s)) continue;
      auto [from, to] = coveredRange(*file, s, ctx.sm, extents);
      for (Diagnostic &d : ctx.diags.mutableDiagnostics()) {
        if (d.id != DiagID::Rule || d.suppressed || d.range.file != file->id) continue;
        if (d.range.begin < from || d.range.begin > to) continue;
        bool named = std::any_of(s.ids.begin(), s.ids.end(), [&](const Name &id) {
          const RuleInfo *rule = findRule(id.text);
          return rule && rule->id == d.code && rule->stage == RuleStage::Program;
        });
        if (!named) continue;
        d.suppressed = true;
        d.setJustification(s.reason);
        s.used = true;
      }
    }
  }
}

/// std::regex reads patterns through the global locale's ctype<char>, whose
/// narrow() caches each character's answer on first use: a write that two
/// rules compiling patterns at once (W013, W016) would race on. Filled once
/// from one thread, the cache is only read afterwards.
void fillNarrowCache() {
  static const bool kFilled = [] {
    const auto &ctype = std::use_facet<std::ctype<char>>(std::locale());
    for (int c = 0; c < 256; ++c) ctype.narrow(static_cast<char>(c), '\0');
    return true;
  }();
  (void)kFilled;
}

/// The enabled rules of `stage`, in the index's order.
std::vector<const RuleInfo *> rulesOf(const RuleContext &ctx, RuleStage stage, bool partial) {
  std::vector<const RuleInfo *> rules;
  for (const RuleInfo &rule : allRules())
    if (rule.stage == stage && ctx.enabled(rule.rule) && // a rule that is off does no work
        !(partial && rule.scope == RuleScope::WholeProgram))
      rules.push_back(&rule);
  return rules;
}

/// What the rules of a stage found, and how long each took; by the rules' index.
struct RuleResults {
  std::vector<DiagnosticEngine> found;
  std::vector<double> milliseconds;
};

/// Runs the rules of `rules` that `selected` accepts in parallel, each
/// reporting into its own engine, and `alongside` (when given) as one more
/// task.
void runRules(RuleContext &ctx, const std::vector<const RuleInfo *> &rules,
              llvm::function_ref<bool(const RuleInfo &)> selected, const PermissionModel *model,
              llvm::function_ref<void()> alongside, RuleResults &results) {
  std::vector<size_t> chosen;
  for (size_t i = 0; i < rules.size(); ++i)
    if (selected(*rules[i])) chosen.push_back(i);
  // The extra task is the last index, which LLVM's parallelForEachN runs on
  // the calling thread at once, while the pool's threads take the rules.
  llvm::parallelForEachN(0, chosen.size() + (alongside ? 1 : 0), [&](size_t task) {
    if (task == chosen.size()) return alongside();
    size_t i = chosen[task];
    auto start = std::chrono::steady_clock::now();
    RuleContext own(ctx.program, ctx.sm, ctx.azure, ctx.config, results.found[i], model, ctx.byKind());
    rules[i]->check(own);
    results.milliseconds[i] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  });
}

bool readsModel(const RuleInfo &rule) { return rule.input == RuleInput::PermissionModel; }

/// Runs the enabled rules of `stage`, then takes their findings in the
/// index's order, so the output does not depend on the schedule. When the
/// permission model is still to be built, it is built beside the rules that
/// do not read it, and the rules that do run after.
void runStage(RuleContext &ctx, RuleStage stage, bool partial, std::unique_ptr<PermissionModel> &model,
              std::vector<RuleID> &ran) {
  std::vector<const RuleInfo *> rules = rulesOf(ctx, stage, partial);
  ctx.sm.computeLineTables();
  fillNarrowCache();
  RuleResults results{std::vector<DiagnosticEngine>(rules.size()), std::vector<double>(rules.size())};
  if (!model) {
    PhaseTimer timer("  permission");
    auto build = [&] {
      model = std::make_unique<PermissionModel>(PermissionModel::build(ctx.program, ctx.azure.roles));
      timer.mark("model");
    };
    runRules(
        ctx, rules, [](const RuleInfo &rule) { return !readsModel(rule); }, nullptr, build, results);
    runRules(ctx, rules, readsModel, model.get(), nullptr, results);
  } else {
    runRules(
        ctx, rules, [](const RuleInfo &) { return true; }, model.get(), nullptr, results);
  }
  ctx.diags.commitAll(std::move(results.found));
  for (size_t i = 0; i < rules.size(); ++i) {
    ran.push_back(rules[i]->rule);
    PhaseTimer::report("  rule", rules[i]->id, results.milliseconds[i]); // with WARD_TIME_PHASES, each rule's own time
  }
}

} // namespace

std::vector<RuleID> runAnalysis(Program &program, const SourceManager &sm, const AzureData &azure, const Config &config,
                                std::unique_ptr<PermissionModel> &model, DiagnosticEngine &diags, bool partial) {
  model.reset();
  UserDeclsByKind byKind(program);
  RuleContext ctx(program, sm, azure, config, diags, nullptr, byKind);
  std::vector<RuleID> ran;
  runStage(ctx, RuleStage::Program, partial, model, ran);
  runStage(ctx, RuleStage::BeforeSuppressions, partial, model, ran);
  applySuppressions(ctx);
  runStage(ctx, RuleStage::AfterSuppressions, partial, model, ran);
  return ran;
}

} // namespace ward::analysis
