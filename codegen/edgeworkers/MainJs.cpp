//===- MainJs.cpp - Writes an EdgeWorkers bundle's main.js ----------------===//
//
// The policy-specific part of `main.js`: the header, the imports a bundle
// uses, its issuers and retry policies as data, one function per route, the
// route table and the event handlers. Every policy value is written through
// quoteJsonString (JSON string syntax plus U+2028/U+2029 and `<`, `>`), and
// values written into comments are written the same way, in line comments
// only, so no value can end a comment or a string early.
//
//===----------------------------------------------------------------------===//
#include "analysis/EdgeWorkersLimits.h"
#include "edgeworkers/BundlePlan.h"
#include "edgeworkers/Runtime.h"
#include "output/JsonWriter.h"
#include "retry/RetryBackend.h"

#include <fmt/format.h>
#include <llvm/ADT/StringExtras.h>

#include <set>
#include <utility>

namespace ward::codegen {

const IssuerPlan *BundlePlan::issuer(const Decl *decl) const {
  for (const IssuerPlan &i : issuers)
    if (i.decl == decl) return &i;
  return nullptr;
}

const RetryPlan *BundlePlan::retry(const Decl *decl) const {
  for (const RetryPlan &r : retries)
    if (r.decl == decl) return &r;
  return nullptr;
}

bool BundlePlan::fetchesKeys() const {
  return std::any_of(issuers.begin(), issuers.end(), [](const IssuerPlan &i) { return !i.embedded; });
}

namespace {

std::string q(llvm::StringRef text) { return quoteJsonString(text); }

std::string stringList(const std::vector<std::string> &items) {
  std::vector<std::string> quoted;
  for (const std::string &s : items) quoted.push_back(q(s));
  return "[" + llvm::join(quoted, ", ") + "]";
}

std::vector<std::string> texts(const std::vector<TextSetting> &settings) {
  std::vector<std::string> out;
  for (const TextSetting &s : settings) out.push_back((*s).str());
  return out;
}

std::string seconds(const NumberSetting &millis, const char *absent) {
  if (!millis) return absent;
  int64_t ms = *millis;
  return ms % 1000 == 0 ? std::to_string(ms / 1000) : fmt::format("{}", double(ms) / 1000.0);
}

} // namespace

std::string methodsOf(const Route &r) {
  std::vector<std::string> m;
  for (const Name &n : r.methods) m.push_back(n.text.str());
  return m.empty() ? "any method" : llvm::join(m, ", ");
}

std::string routeLabel(const Route &r) { return methodsOf(r) + " " + r.path.text.str(); }

namespace {

/// A readable function-name suffix from the path's literal segments and
/// parameter names: `/api/orders/{id}` gives `ApiOrdersId`.
std::string nameSuffix(const Route &r) {
  std::string out;
  bool upper = true;
  for (char c : r.path.text) {
    if (std::isalnum(static_cast<unsigned char>(c)) && (c & 0x80) == 0) {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
    if (out.size() >= 40) break;
  }
  return out;
}

/// The path of the route that polls through `relay`, up to its handle
/// segment: "/checkpoints/status/" for "/checkpoints/status/{handle}".
std::string pollPathPrefix(const EdgeWorkerDecl &ew, const Decl *relay) {
  for (const Route &r : ew.routes)
    for (const RouteAction &a : r.actions)
      if (a.kind == RouteAction::Kind::PollBackup && a.relay().target == relay) {
        llvm::StringRef path = r.path.text;
        return path.take_front(path.rfind('/') + 1).str();
      }
  return "/";
}

bool callsRelay(const RouteAction &a) {
  return a.kind == RouteAction::Kind::TriggerBackup || a.kind == RouteAction::Kind::PollBackup;
}

} // namespace

std::string jsString(llvm::StringRef text) { return quoteJsonString(text); }

/// `ENTRA_ISSUER` from `entra`: upper case, other characters as `_`, unique
/// within the bundle (Ward names may differ only in `-` versus `_`).
std::string jsConstantName(llvm::StringRef name, llvm::StringRef suffix, std::set<std::string> &taken) {
  std::string base;
  for (char c : name) base += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
  if (base.empty() || std::isdigit(static_cast<unsigned char>(base[0]))) base = "_" + base;
  base += "_" + suffix.str();
  std::string candidate = base;
  for (int n = 2; !taken.insert(candidate).second; ++n) candidate = fmt::format("{}_{}", base, n);
  return candidate;
}

std::string issuerConstantJs(const IssuerPlan &issuer) {
  const IssuerSettings &a = issuer.decl->settings;
  std::string out;
  auto line = [&](const std::string &text) { (out += text) += '\n'; };
  line(fmt::format("// Issuer `{}`: tokens signed with {}, keys {}.", issuer.decl->name.text,
                   llvm::join(texts(a.algorithms), " or "),
                   issuer.embedded ? "embedded at build time"
                   : issuer.jwksUrl == *a.jwks
                       ? "fetched from " + q(*a.jwks) + " and cached"
                       : "fetched through the property (which forwards to " + q(*a.jwks) + ") and cached"));
  line("/** @type {Issuer} */");
  line(fmt::format("const {} = {{", issuer.constant));
  line(fmt::format("  name: {},", q(issuer.decl->name.text)));
  line(fmt::format("  issuer: {},", q(*a.issuer)));
  line(fmt::format("  audiences: {},", stringList(texts(a.audiences))));
  line(fmt::format("  algorithms: {},", stringList(texts(a.algorithms))));
  line(fmt::format("  maxLifetimeSeconds: {},", seconds(a.maxLifetimeMs, "null")));
  line(fmt::format("  clockSkewSeconds: {},", seconds(a.clockSkewMs, "0")));
  if (issuer.embedded)
    line(fmt::format("  keys: {},", writeJsonNested(llvm::json::Value(llvm::json::Array(*issuer.embedded)), 1)));
  else line(fmt::format("  keys: {{ url: {}, maxAgeSeconds: {} }},", q(issuer.jwksUrl), issuer.jwksMaxAgeSeconds));
  line("};");
  return out;
}

std::string tokenRequirementJs(const std::string &constant, const TokenRequirement &req) {
  const TokenRequirementSettings &settings = req.settings;
  std::vector<std::string> claims;
  for (const auto &[name, values] : settings.claims)
    claims.push_back(fmt::format("[{}, {}]", q(name), stringList(values)));
  std::string out;
  auto line = [&](const std::string &text) { (out += text) += '\n'; };
  line("/** @type {TokenRequirement} */");
  line(fmt::format("const {} = {{", constant));
  line(fmt::format("  audiences: {},", settings.audiencesWritten ? stringList(texts(settings.audiences)) : "null"));
  line(fmt::format("  scopes: {},", stringList(texts(settings.scopes))));
  line(fmt::format("  roles: {},", stringList(texts(settings.roles))));
  line(fmt::format("  claims: [{}],", llvm::join(claims, ", ")));
  line("};");
  return out;
}

namespace {

class MainJsWriter {
public:
  explicit MainJsWriter(const BundlePlan &plan) : plan_(plan), ew_(*plan.edgeworker) {
    for (const Route &r : ew_.routes) {
      if (r.require && (isForward(r) || callsRelay(r.actions.front()))) refusals_ = plan.responseProvider();
    }
    if (plan.responseProvider()) features_.insert("provider");
    if (plan.logFailures) features_.insert("log");
    // Only the signature algorithms and jitter kinds the policy uses.
    for (const IssuerPlan &issuer : plan.issuers)
      for (const TextSetting &alg : issuer.decl->settings.algorithms) features_.insert((*alg).str());
    for (const RetryPlan &retry : plan.retries) features_.insert("jitter-" + retry.spec.jitter.str());
    for (const Route &r : ew_.routes)
      for (const RouteAction &a : r.actions)
        if (a.kind == RouteAction::Kind::Redirect && !locationPlaceholders(a.text->text).empty())
          features_.insert("redirect-params");
  }

  MainJsText write() {
    MainJsText text;
    header();
    imports();
    issuers();
    retries();
    text.beforeRuntime = std::exchange(out_, {});
    runtime();
    text.runtime = std::exchange(out_, {});
    routes();
    handlers();
    text.afterRuntime = std::move(out_);
    return text;
  }

private:
  static bool isForward(const Route &r) {
    return !r.actions.empty() && r.actions.front().kind == RouteAction::Kind::Forward;
  }

  void line(const std::string &text = "") { (out_ += text) += '\n'; }

  void header() {
    const EdgeWorkerSettings &settings = ew_.settings;
    line(fmt::format("// EdgeWorker {} ({}), version {}.", q(ew_.name.text),
                     settings.id ? std::to_string(*settings.id) : "?", q(*settings.version)));
    if (settings.description) line("// " + q(*settings.description));
    line(fmt::format("// Generated by wardc {} from {}. Do not edit: change the policy and rebuild.",
                     plan_.compilerVersion, q(plan_.source)));
    line("//");
    if (ew_.routes.empty()) {
      line(plan_.defaultAction ? "// No routes: every request gets the default action."
                               : "// No routes and no default: every request continues to the property's origin.");
      return;
    }
    line("// Routes, first match wins:");
    for (size_t i = 0; i < ew_.routes.size(); ++i)
      line(fmt::format("//   {}. {} {}", i + 1, methodsOf(ew_.routes[i]), q(ew_.routes[i].path.text)));
    line(plan_.defaultAction ? "//   otherwise: the default action"
                             : "//   otherwise: the request continues to the property's origin");
  }

  /// Whether onClientRequest does anything: without routes and a default,
  /// every request goes on to the property's origin untouched.
  bool handlesRequests() const { return !ew_.routes.empty() || plan_.defaultAction.has_value(); }

  void imports() {
    std::vector<std::string> imports;
    if (plan_.responseProvider()) imports.push_back("import { createResponse } from \"create-response\";");
    if (plan_.verifiesTokens()) {
      imports.push_back("import { crypto } from \"crypto\";");
      imports.push_back("import { base64url, TextDecoder, TextEncoder } from \"encoding\";");
    }
    if (plan_.responseProvider() || plan_.fetchesKeys())
      imports.push_back("import { httpRequest } from \"http-request\";");
    if (plan_.logFailures && handlesRequests()) imports.push_back("import { logger } from \"log\";");
    if (imports.empty()) return;
    line();
    for (const std::string &i : imports) line(i);
  }

  void issuers() {
    if (!plan_.relays.empty()) {
      line();
      line("// How long a relay may take to answer; rule W018 counts it in the worst case of");
      line("// the routes that call one, and the relay's own calls fit inside it.");
      line(fmt::format("const RELAY_CALL_TIMEOUT_MS = {};", analysis::kRelayCallTimeoutMs));
    }
    if (plan_.fetchesKeys()) {
      line();
      line("// How long a key-set fetch may take; rule W018 counts it in the worst case of");
      line("// forwarding routes, whose responseProvider may have to fetch the keys first.");
      line(fmt::format("const KEY_SET_FETCH_TIMEOUT_MS = {};", analysis::kKeySetFetchTimeoutMs));
    }
    for (const IssuerPlan &issuer : plan_.issuers) {
      line();
      out_ += issuerConstantJs(issuer);
    }
  }

  void retries() {
    for (const RetryPlan &retry : plan_.retries) {
      line();
      line(fmt::format("// Retry policy `{}` (as in retry/{}.json): worst case {} ms.", retry.decl->name.text,
                       retry.decl->name.text, retry.spec.worstCaseMs()));
      line("/** @type {RetryPolicy} */");
      line(fmt::format("const {} = {};", retry.constant, writeJsonNested(wardRetryJson(retry.spec), 0)));
    }
  }

  void runtime() {
    auto piece = [&](const char *name) {
      line();
      out_ += runtimePiece(name, features_);
    };
    if (!ew_.routes.empty()) piece("paths");
    if (plan_.verifiesTokens()) {
      piece("token");
      piece(plan_.fetchesKeys() ? "keys-remote" : "keys-embedded");
      piece("admit-client");
      if (refusals_) piece("admit-provider");
    }
    if (plan_.responseProvider()) piece("forward");
    if (!plan_.relays.empty()) piece("relay-call");
  }

  /// The redirect location as JavaScript: a string literal, or, with
  /// `{param}` placeholders, literals joined with the matched path's segments
  /// (Sema checked that every placeholder is a parameter of the route's path).
  std::string locationExpression(llvm::StringRef location, const Route *route) const {
    std::vector<std::string> placeholders = locationPlaceholders(location);
    if (placeholders.empty() || !route) return q(location);
    // `/a/{id}` splits into "", "a", "{id}": segment i of the pattern is element i + 1.
    llvm::SmallVector<llvm::StringRef, 8> segments;
    llvm::StringRef(route->path.text).split(segments, '/');
    std::vector<std::string> parts;
    llvm::StringRef rest = location;
    while (!rest.empty()) {
      size_t open = rest.find('{');
      size_t close = open == llvm::StringRef::npos ? llvm::StringRef::npos : rest.find('}', open);
      if (close == llvm::StringRef::npos) {
        parts.push_back(q(rest));
        break;
      }
      if (open > 0) parts.push_back(q(rest.take_front(open)));
      std::string param = "{" + rest.slice(open + 1, close).str() + "}";
      for (size_t i = 0; i < segments.size(); ++i)
        if (segments[i] == param) parts.push_back(fmt::format("pathSegment(request.path.split(\"/\")[{}])", i));
      rest = rest.drop_front(close + 1);
    }
    return llvm::join(parts, " + ");
  }

  std::string tokenConstant(size_t index) const { return fmt::format("ROUTE_{}_TOKEN", index + 1); }

  /// The statements that carry out an action in onClientRequest.
  void clientAction(const RouteAction &a, const std::string &indent, const Route *route) {
    switch (a.kind) {
    case RouteAction::Kind::Forward: {
      auto *origin = llvm::dyn_cast_or_null<ResourceDecl>(a.origin().target);
      if (plan_.responseProvider()) {
        line(indent + "// Admitted: responseProvider sends it on to the origin.");
      } else {
        std::string name = origin ? (*origin->settings.edgeOrigin).str() : "";
        if (name.empty() && origin) name = origin->name.text;
        line(indent + fmt::format("request.route({{ origin: {} }});", q(name)));
      }
      return;
    }
    case RouteAction::Kind::Redirect:
      line(indent + fmt::format("request.respondWith({}, {{ location: [{}] }}, \"\");", a.status->text,
                                locationExpression(a.text->text, route)));
      return;
    case RouteAction::Kind::Respond: {
      std::string headers = "{}";
      if (!a.headers().empty()) {
        // Header names come from the policy: Object.fromEntries makes each an
        // own property, even `__proto__`.
        std::vector<std::string> pairs;
        for (const auto &[name, value] : a.headers()) pairs.push_back(fmt::format("[{}, [{}]]", q(name), q(value)));
        headers = "Object.fromEntries([" + llvm::join(pairs, ", ") + "])";
      }
      line(indent +
           fmt::format("request.respondWith({}, {}, {});", a.status->text, headers, q(a.text ? a.text->text : "")));
      return;
    }
    case RouteAction::Kind::Deny:
      line(indent + fmt::format("request.respondWith({}, {{}}, \"\", {});", a.status ? a.status->text : "403",
                                q(a.text ? a.text->text : "denied by policy")));
      return;
    case RouteAction::Kind::TriggerBackup:
    case RouteAction::Kind::PollBackup: line(indent + "// Admitted: responseProvider calls the relay."); return;
    }
  }

  std::string describeAction(const RouteAction &a) const {
    switch (a.kind) {
    case RouteAction::Kind::Forward: {
      std::string s = fmt::format("forwards to `{}`", a.origin().name.text);
      if (a.retry) s += fmt::format(" with retry `{}`", a.retry->name.text);
      return s;
    }
    case RouteAction::Kind::Redirect: return fmt::format("redirects ({}) to {}", a.status->text, q(a.text->text));
    case RouteAction::Kind::Respond: return fmt::format("responds {} at the edge", a.status->text);
    case RouteAction::Kind::Deny: return fmt::format("denies ({})", a.status ? a.status->text : "403");
    case RouteAction::Kind::TriggerBackup:
      return fmt::format("triggers an on-demand backup of `{}` through relay `{}`", a.backedUp().name.text,
                         a.relay().name.text);
    case RouteAction::Kind::PollBackup: return fmt::format("polls backups through relay `{}`", a.relay().name.text);
    }
    return "";
  }

  void tokenRequirement(size_t index, const TokenRequirement &req) {
    out_ += tokenRequirementJs(tokenConstant(index), req);
  }

  void routes() {
    for (size_t i = 0; i < ew_.routes.size(); ++i) {
      const Route &r = ew_.routes[i];
      const RouteAction &action = r.actions.front();
      std::string fn = fmt::format("route{}{}", i + 1, nameSuffix(r));
      const IssuerPlan *issuer = r.require ? plan_.issuer(r.require->issuer.target) : nullptr;
      line();
      line(fmt::format("// Route {}: {} {} ({})", i + 1, methodsOf(r), q(r.path.text), q(plan_.routeSources[i])));
      std::string does = describeAction(action);
      if (issuer) does = fmt::format("Requires a token from `{}`, then {}", issuer->decl->name.text, does);
      else does[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(does[0])));
      line(fmt::format("// {}.", does));
      if (issuer) tokenRequirement(i, *r.require);
      line("/** @param {EW.IngressClientRequest} request */");
      line(fmt::format("{}function {}(request) {{", issuer ? "async " : "", fn));
      if (issuer)
        line(fmt::format("  if (!(await admitted(request, {}, {}, {}))) return;", q(routeLabel(r)), issuer->constant,
                         tokenConstant(i)));
      clientAction(action, "  ", &r);
      line("}");
      RouteFunctions names{fn, ""};
      if (callsRelay(action) || (plan_.responseProvider() && action.kind == RouteAction::Kind::Forward)) {
        names.provider = fn + (callsRelay(action) ? "Relay" : "Origin");
        providerFunction(i, r, action, names.provider, issuer);
      }
      functions_.push_back(names);
    }
    if (plan_.defaultAction) {
      line();
      line(fmt::format("// Requests no route matches: {} ({}).", describeAction(*plan_.defaultAction),
                       q(plan_.defaultSource)));
      line("/** @param {EW.IngressClientRequest} request */");
      line("function unrouted(request) {");
      clientAction(*plan_.defaultAction, "  ", nullptr);
      line("}");
    }
    if (ew_.routes.empty()) return;
    line();
    line("/** @type {Route[]} */");
    line("const ROUTES = [");
    for (size_t i = 0; i < ew_.routes.size(); ++i) {
      const Route &r = ew_.routes[i];
      llvm::SmallVector<llvm::StringRef, 8> parts;
      llvm::StringRef(r.path.text).drop_front().split(parts, '/');
      bool tail = !parts.empty() && parts.back() == "*";
      if (tail) parts.pop_back();
      std::vector<std::string> segments;
      for (llvm::StringRef p : parts)
        segments.push_back(p.startswith("{") && p.endswith("}") && p.size() > 2 ? "null" : q(p));
      std::vector<std::string> methods;
      for (const Name &m : r.methods) methods.push_back(m.text.str());
      line("  {");
      line(fmt::format("    label: {},", q(routeLabel(r))));
      line(fmt::format("    methods: {},", stringList(methods)));
      line(fmt::format("    path: {{ segments: [{}], tail: {} }},", llvm::join(segments, ", "),
                       tail ? "true" : "false"));
      line(fmt::format("    onClientRequest: {},", functions_[i].client));
      if (!functions_[i].provider.empty()) line(fmt::format("    responseProvider: {},", functions_[i].provider));
      line("  },");
    }
    line("];");
  }

  /// A route's responseProvider: the token checked again (it may run in
  /// another isolate), then the forward to the origin, or the one call to the
  /// relay, at a property hostname (settled by Sema).
  void providerFunction(size_t i, const Route &r, const RouteAction &action, const std::string &fn,
                        const IssuerPlan *issuer) {
    llvm::StringRef url = ew_.subrequestUrl(callsRelay(action) ? action.relay().target : action.origin().target);
    line();
    line(fmt::format("// Route {} as the origin: {}.", i + 1, describeAction(action)));
    line("/**");
    line(" * @param {EW.ResponseProviderRequest} request");
    line(" * @returns {Promise<object>}");
    line(" */");
    line(fmt::format("async function {}(request) {{", fn));
    if (issuer) {
      line(fmt::format("  const refused = await refusal(request, {}, {}, {});", q(routeLabel(r)), issuer->constant,
                       tokenConstant(i)));
      line("  if (refused !== undefined) return refused;");
    }
    if (action.kind == RouteAction::Kind::TriggerBackup) {
      line(fmt::format("  return triggerThroughRelay({}, {}, {}, request);", q(url.rtrim('/')),
                       q(action.backedUp().name.text), q(pollPathPrefix(ew_, action.relay().target))));
    } else if (action.kind == RouteAction::Kind::PollBackup) {
      line(fmt::format("  return pollThroughRelay({}, request);", q(url.rtrim('/'))));
    } else {
      const RetryPlan *retry = action.retry ? plan_.retry(action.retry->target) : nullptr;
      line(fmt::format("  return forward(request, {}, {});", q(url.rtrim('/')), retry ? retry->constant : "null"));
    }
    line("}");
  }

  void handlers() {
    line();
    if (!handlesRequests()) {
      line("/**");
      line(" * The policy declares no routes and no default: every request continues to");
      line(" * the property's origin unchanged.");
      line(" * @param {EW.IngressClientRequest} request");
      line(" */");
      line("export function onClientRequest(request) {}");
      return;
    }
    line("/**");
    line(" * Every request: the first matching route decides. Any error answers 503,");
    line(" * so a request whose checks did not finish never reaches the origin.");
    line(" * @param {EW.IngressClientRequest} request");
    line(" */");
    line("export async function onClientRequest(request) {");
    line("  try {");
    if (ew_.routes.empty()) {
      line("    unrouted(request);");
    } else {
      line("    const route = findRoute(request);");
      line("    if (route !== undefined) await route.onClientRequest(request);");
      if (plan_.defaultAction) line("    else unrouted(request);");
    }
    line("  } catch (error) {");
    if (plan_.logFailures) line("    logger.error(\"request failed at the edge: %s\", String(error));");
    line("    request.respondWith(503, {}, \"\", \"edge error\");");
    line("  }");
    line("}");
    if (!plan_.responseProvider()) return;
    line();
    line("/**");
    line(" * Answers as the origin for the forwarding routes; every other request was");
    line(" * already answered in onClientRequest.");
    line(" * @param {EW.ResponseProviderRequest} request");
    line(" * @returns {Promise<object>}");
    line(" */");
    line("export async function responseProvider(request) {");
    line("  try {");
    line("    const route = findRoute(request);");
    line("    if (route !== undefined && route.responseProvider !== undefined) return await "
         "route.responseProvider(request);");
    line("    return createResponse(404, {}, \"\", \"not routed\");");
    line("  } catch (error) {");
    if (plan_.logFailures) line("    logger.error(\"forwarding failed at the edge: %s\", String(error));");
    line("    return createResponse(503, {}, \"\", \"edge error\");");
    line("  }");
    line("}");
  }

  struct RouteFunctions {
    std::string client, provider;
  };

  const BundlePlan &plan_;
  const EdgeWorkerDecl &ew_;
  bool refusals_ = false;
  std::set<std::string> features_;
  std::vector<RouteFunctions> functions_;
  std::string out_;
};

} // namespace

MainJsText writeMainJsParts(const BundlePlan &plan) { return MainJsWriter(plan).write(); }

} // namespace ward::codegen
