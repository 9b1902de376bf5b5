#include "sema/Schemas.h"
#include "source/Text.h"

#include <fmt/format.h>

namespace ward::sema {
namespace {

// ---- value check combinators --------------------------------------------------

ValueCheck str() {
  return [](SemaContext &ctx, Value &v, const std::string &what) {
    if (!checkKind(ctx.diags, v, Value::Kind::String, what)) return;
    if (v.text.empty()) ctx.diags.report(DiagID::OutOfRange, v.range, fmt::format("{} must not be empty", what));
  };
}
ValueCheck guid() {
  return [](SemaContext &ctx, Value &v, const std::string &what) { checkGuid(ctx.diags, v, what); };
}
ValueCheck url(bool httpsOnly) {
  return [httpsOnly](SemaContext &ctx, Value &v, const std::string &what) {
    if (checkKind(ctx.diags, v, Value::Kind::String, what)) checkUrl(ctx.diags, v.text, v.range, what, httpsOnly);
  };
}
ValueCheck hostname() {
  return [](SemaContext &ctx, Value &v, const std::string &what) {
    if (checkKind(ctx.diags, v, Value::Kind::String, what)) checkHostname(ctx.diags, v);
  };
}
ValueCheck integer(int64_t min, int64_t max) {
  return [=](SemaContext &ctx, Value &v, const std::string &what) { checkInteger(ctx.diags, v, what, min, max); };
}
ValueCheck duration(std::vector<llvm::StringRef> units = {}) {
  return [units](SemaContext &ctx, Value &v, const std::string &what) { checkDuration(ctx.diags, v, what, units); };
}
ValueCheck ratio() {
  return [](SemaContext &ctx, Value &v, const std::string &what) { checkRatio(ctx.diags, v, what); };
}
ValueCheck oneOf(std::vector<std::string> allowed) {
  return ValueCheck(
      [allowed](SemaContext &ctx, Value &v, const std::string &what) { checkOneOf(ctx.diags, v, what, allowed); },
      allowed);
}
ValueCheck boolean() { return oneOf({"true", "false"}); }
ValueCheck listOf(ValueCheck item, bool nonEmpty) {
  std::vector<std::string> values = item.values;
  return ValueCheck(
      [item, nonEmpty](SemaContext &ctx, Value &v, const std::string &what) {
        if (!checkKind(ctx.diags, v, Value::Kind::List, what)) return;
        if (nonEmpty && v.items().empty())
          ctx.diags.report(DiagID::OutOfRange, v.range, fmt::format("{} must not be empty", what));
        for (Value &element : v.items()) item(ctx, element, "element of " + what);
      },
      std::move(values));
}
ValueCheck refTo(DeclKind kind) {
  return [kind](SemaContext &ctx, Value &v, const std::string &what) {
    if (!checkKind(ctx.diags, v, Value::Kind::Ref, what)) return;
    v.setTarget(ctx.resolver.lookup(ctx.file, Name{v.text, v.range}, {kind}, what, ctx.diags));
  };
}
template <typename Entries>
void checkEntries(SemaContext &, Entries &&, const Schema &, const OwnerName &, SourceRange,
                  const std::vector<std::string> &);
ValueCheck objectOf(const Schema *schema) {
  return [schema](SemaContext &ctx, Value &v, const std::string &what) {
    if (!checkKind(ctx.diags, v, Value::Kind::Object, what)) return;
    checkEntries(ctx, v.fields(), *schema, what, v.range, {});
  };
}
/// An object with free keys (claims, headers) whose values pass `check`.
ValueCheck mapOf(ValueCheck check) {
  return [check](SemaContext &ctx, Value &v, const std::string &what) {
    if (!checkKind(ctx.diags, v, Value::Kind::Object, what)) return;
    for (Field &f : v.fields()) check(ctx, f.value, fmt::format("`{}` in {}", f.key().text, what));
  };
}
ValueCheck stringOrStringList() {
  return [](SemaContext &ctx, Value &v, const std::string &what) {
    if (v.kind == Value::Kind::List) listOf(str(), true)(ctx, v, what);
    else str()(ctx, v, what);
  };
}

} // namespace

const Schema *callSchema(llvm::StringRef function) {
  static const Schema exponential = {{"initial", true, duration({"ms", "s"})},
                                     {"max", true, duration({"ms", "s", "m"})},
                                     {"multiplier", false,
                                      [](SemaContext &ctx, Value &v, const std::string &what) {
                                        if (!checkKind(ctx.diags, v, Value::Kind::Number, what)) return;
                                        if (v.number() < 1.0 || v.number() > 10.0)
                                          ctx.diags.report(
                                              DiagID::OutOfRange, v.range,
                                              fmt::format("{} must be from 1 to 10, found `{}`", what, v.text));
                                      }},
                                     {"jitter", false, oneOf({"full", "equal", "decorrelated", "none"})}};
  static const Schema constant = {{"delay", true, duration({"ms", "s"})},
                                  {"jitter", false, oneOf({"full", "equal", "none"})}};
  if (function == "exponential") return &exponential;
  if (function == "constant") return &constant;
  return nullptr;
}

namespace {

ValueCheck backoff() {
  ValueCheck check = [](SemaContext &ctx, Value &v, const std::string &what) {
    if (v.kind != Value::Kind::Call) {
      ctx.diags
          .report(DiagID::WrongValueType, v.range,
                  fmt::format("{} must be `exponential(...)` or `constant(...)`", what))
          .withHelp("e.g. `exponential(initial = 100ms, max = 2s, multiplier = 2, jitter = full)`");
      return;
    }
    const Schema *schema = callSchema(v.text);
    if (!schema) {
      DiagnosticBuilder d =
          ctx.diags.report(DiagID::WrongValueType, v.range, fmt::format("unknown backoff `{}`", v.text));
      auto close = closestNames(v.text, std::vector<std::string>{"exponential", "constant"});
      d.withHelp(close.empty() ? "backoffs are `exponential(...)` and `constant(...)`"
                               : fmt::format("did you mean `{}`?", close.front()));
      return;
    }
    for (Value &positional : v.items())
      ctx.diags.report(DiagID::WrongValueType, positional.range, "backoff arguments are named")
          .withHelp("write `initial = 100ms`, not `100ms`");
    checkEntries(ctx, v.fields(), *schema, OwnerName([&] { return fmt::format("`{}(...)`", v.text); }), v.range, {});
  };
  check.values = {"exponential", "constant"}; // each takes the arguments of callSchema()
  return check;
}

ValueCheck actionString() {
  return [](SemaContext &ctx, Value &v, const std::string &what) { checkActionString(ctx.diags, v, what); };
}

ValueCheck retryCondition() {
  return [](SemaContext &ctx, Value &v, const std::string &what) {
    if (v.kind == Value::Kind::Number) {
      checkStatus(ctx.diags, v, "a retryable status", 400, 599);
      return;
    }
    checkOneOf(ctx.diags, v, "retry condition", {"timeout", "reset", "connect_failure"});
  };
}

template <typename Entries>
void checkEntries(SemaContext &ctx, Entries &&entries, const Schema &schema, const OwnerName &owner,
                  SourceRange ownerRange, const std::vector<std::string> &extraKeys) {
  for (size_t i = 0; i < entries.size(); ++i) {
    auto &entry = entries[i];
    for (size_t j = 0; j < i; ++j)
      if (entries[j].key().text == entry.key().text) {
        ctx.diags
            .report(DiagID::DuplicateAttribute, entry.key().range,
                    fmt::format("`{}` is given twice in {}", entry.key().text, owner.str()))
            .label(entries[j].key().range, "first given here")
            .withHelp("remove one of them");
        break;
      }
    auto spec =
        std::find_if(schema.begin(), schema.end(), [&](const AttrSpec &s) { return s.key == entry.key().text; });
    if (spec == schema.end()) {
      if (std::find(extraKeys.begin(), extraKeys.end(), entry.key().text) != extraKeys.end()) continue;
      DiagnosticBuilder d =
          ctx.diags.report(DiagID::UnknownAttribute, entry.key().range,
                           fmt::format("unknown attribute `{}` in {}", entry.key().text, owner.str()));
      std::vector<std::string> all;
      for (const AttrSpec &known : schema) all.push_back(known.key);
      all.insert(all.end(), extraKeys.begin(), extraKeys.end());
      std::vector<std::string> close = closestNames(entry.key().text, all);
      if (!close.empty()) {
        d.withHelp(fmt::format("did you mean `{}`?", close.front())).suggest(entry.key().range, close.front());
      } else {
        std::vector<std::string> quoted;
        for (auto &k : all) quoted.push_back("`" + k + "`");
        d.withHelp(all.empty() ? "this construct takes no attributes"
                               : fmt::format("known attributes: {}", joinAlternatives(quoted, "and")));
      }
      continue;
    }
    if (spec->check) spec->check(ctx, entry.value, spec->quotedKey); // spec->key is entry.key().text
  }
  for (const AttrSpec &spec : schema) {
    if (!spec.required) continue;
    bool present = std::any_of(entries.begin(), entries.end(), [&](auto &e) { return e.key().text == spec.key; });
    if (!present)
      ctx.diags.report(DiagID::MissingAttribute, ownerRange, fmt::format("{} needs `{}`", owner.str(), spec.key))
          .withHelp(fmt::format("add `{} = ...`", spec.key));
  }
}

// Every algorithm JWS names; W012 and the bundle judge which are acceptable.
const std::vector<std::string> kAlgorithms = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
                                              "ES384", "ES512", "HS256", "HS384", "HS512", "none"};

} // namespace

void checkAttributes(SemaContext &ctx, AttrList &attrs, const Schema &schema, const OwnerName &owner,
                     SourceRange ownerRange, const std::vector<std::string> &extraKeys) {
  checkEntries(ctx, attrs.items, schema, owner, ownerRange, extraKeys);
}

bool checkActionString(DiagnosticEngine &diags, const Value &v, llvm::StringRef what) {
  if (!checkKind(diags, v, Value::Kind::String, what)) return false;
  llvm::StringRef action = v.text;
  llvm::SmallVector<llvm::StringRef, 8> segments;
  action.split(segments, '/');
  bool providerOk = segments.size() >= 2 && (segments[0] == "*" || segments[0].contains('.'));
  bool segmentsOk = llvm::all_of(segments, [](llvm::StringRef s) {
    return !s.empty() && (s == "*" || llvm::all_of(s, [](char c) {
                            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
                          }));
  });
  size_t stars = action.count('*');
  if (providerOk && segmentsOk && stars <= 1) return true;
  DiagnosticBuilder d = diags.report(DiagID::InvalidAction, v.range,
                                     fmt::format("\"{}\" is not a well-formed Azure action", quoteForMessage(action)));
  if (stars > 1) d.withHelp("an action may contain one `*` at most");
  else if (!segmentsOk)
    d.withHelp("`*` must replace whole segments: `Microsoft.Compute/*/read`, not `Microsoft.Compute/virtual*`");
  else d.withHelp("actions look like `Microsoft.Compute/virtualMachines/read`");
  return false;
}

#define WARD_SCHEMA(fn, ...)                                                                                           \
  const Schema &fn() {                                                                                                 \
    static const Schema kSchema = __VA_ARGS__;                                                                         \
    return kSchema;                                                                                                    \
  }

WARD_SCHEMA(tenantSchema, {{"id", true, guid()},
                           {"subscription", false, guid()},
                           {"subscriptions", false, listOf(guid(), true)},
                           {"region", false, str()},
                           {"resource_group", false, str()},
                           {"description", false, str()}})

WARD_SCHEMA(issuerSchema, {{"issuer", true, url(false)},
                           {"jwks", false, url(false)},
                           {"jwks_file", false, str()},
                           {"jwks_max_age", false, duration({"s", "m", "h"})},
                           {"audiences", true, listOf(str(), true)},
                           {"algorithms", true, listOf(oneOf(kAlgorithms), true)},
                           {"max_lifetime", false, duration({"s", "m", "h", "d"})},
                           {"token_lifetime", false, duration({"s", "m", "h", "d"})},
                           {"clock_skew", false, duration({"ms", "s", "m"})},
                           {"description", false, str()}})

// Templates hold placeholders (`{tenant}`), so URLs are checked once applied.
WARD_SCHEMA(issuerTemplateSchema, {{"issuer", false, str()},
                                   {"jwks", false, str()},
                                   {"jwks_max_age", false, duration({"s", "m", "h"})},
                                   {"audiences", false, listOf(str(), false)},
                                   {"algorithms", false, listOf(oneOf(kAlgorithms), true)},
                                   {"max_lifetime", false, duration({"s", "m", "h", "d"})},
                                   {"token_lifetime", false, duration({"s", "m", "h", "d"})},
                                   {"clock_skew", false, duration({"ms", "s", "m"})},
                                   {"description", false, str()}})

WARD_SCHEMA(identitySchema, {{"description", false, str()},
                             {"object_id", false, guid()},
                             {"client_id", false, guid()},
                             {"subscription", false, guid()},
                             {"resource_group", false, str()},
                             {"name", false, str()},
                             {"assigned", false, oneOf({"user", "system"})},
                             {"of", false, refTo(DeclKind::Resource)}})

WARD_SCHEMA(resourceTypeSchema,
            {{"arm_type", true, str()},
             {"level", true, oneOf({"resource", "resource_group", "subscription", "management_group"})},
             {"traits", false, listOf(oneOf({"origin", "backup_source", "backup_vault", "relay"}), false)},
             {"description", false, str()}})

WARD_SCHEMA(resourceSchema, {{"subscription", false, guid()},
                             {"resource_group", false, str()},
                             {"name", false, str()},
                             {"origin", false, url(false)},
                             {"edge_origin", false, str()},
                             {"location", false, str()},
                             {"identity", false, refTo(DeclKind::Identity)},
                             {"description", false, str()}})

WARD_SCHEMA(capabilitySchema, {{"actions", false, listOf(actionString(), false)},
                               {"data_actions", false, listOf(actionString(), false)},
                               {"description", false, str()}})

WARD_SCHEMA(grantSchema, {{"reason", false, str()}, {"description", false, str()}})

static const Schema kBudgetSchema = {{"ratio", true, ratio()}, {"min_per_second", false, integer(0, 100000)}};
WARD_SCHEMA(retrySchema, {{"attempts", true, integer(1, 100)},
                          {"backoff", false, backoff()},
                          {"on", true, listOf(retryCondition(), true)},
                          {"budget", false, objectOf(&kBudgetSchema)},
                          {"per_try_timeout", false, duration({"ms", "s", "m"})},
                          {"idempotency_key", false, str()},
                          {"description", false, str()}})

WARD_SCHEMA(edgeworkerSchema,
            {{"id", true, integer(1, 2147483647)},
             {"version", true,
              [](SemaContext &ctx, Value &v, const std::string &) { checkEdgeWorkerVersion(ctx.diags, v); }},
             {"description", false, str()},
             {"tier", false, oneOf({"basic", "dynamic", "enterprise"})},
             {"log_failures", false, boolean()},
             {"hostnames", false, listOf(hostname(), true)},
             {"via", false, mapOf(url(true))}})

WARD_SCHEMA(routeSchema, {{"description", false, str()}})

WARD_SCHEMA(tokenRequirementSchema, {{"scopes", false, listOf(str(), true)},
                                     {"audiences", false, listOf(str(), true)},
                                     {"roles", false, listOf(str(), true)},
                                     {"claims", false, mapOf(stringOrStringList())}})

WARD_SCHEMA(respondSchema, {{"headers", false, mapOf(str())}})

static const Schema kRetentionSchema = {{"daily", false, duration({"d"})},
                                        {"weekly", false, duration({"w"})},
                                        {"monthly", false, duration({"mo"})},
                                        {"yearly", false, duration({"y"})}};
WARD_SCHEMA(backupSchema, {{"retain", false, objectOf(&kRetentionSchema)},
                           {"instant_restore", false, duration({"d"})},
                           {"description", false, str()}})

#undef WARD_SCHEMA

} // namespace ward::sema
