#include "sema/ValueChecks.h"
#include "source/Text.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

namespace ward::sema {

bool checkKind(DiagnosticEngine &diags, const Value &v, Value::Kind kind, llvm::StringRef what) {
  if (v.kind == kind) return true;
  Value expected;
  expected.kind = kind;
  diags.report(DiagID::WrongValueType, v.range,
               fmt::format("{} must be {}, found {}", what.str(), expected.kindName().str(), v.kindName().str()));
  return false;
}

std::optional<int64_t> checkInteger(DiagnosticEngine &diags, const Value &v, llvm::StringRef what, int64_t min,
                                    int64_t max) {
  if (v.kind == Value::Kind::Quantity) {
    diags
        .report(DiagID::WrongValueType, v.range,
                fmt::format("{} is a plain number; `{}` has a unit", what.str(), v.text))
        .withHelp(fmt::format("write `{}`", v.text.substr(0, v.text.size() - v.unit().size())));
    return std::nullopt;
  }
  if (!checkKind(diags, v, Value::Kind::Number, what)) return std::nullopt;
  if (!v.isInteger) {
    diags.report(DiagID::WrongValueType, v.range, fmt::format("{} must be a whole number", what.str()));
    return std::nullopt;
  }
  if (v.number() < double(min) || v.number() > double(max)) {
    diags.report(DiagID::OutOfRange, v.range,
                 fmt::format("{} must be between {} and {}, found {}", what.str(), min, max, v.text));
    return std::nullopt;
  }
  return static_cast<int64_t>(v.number());
}

std::optional<double> checkRatio(DiagnosticEngine &diags, const Value &v, llvm::StringRef what) {
  double ratio;
  if (v.kind == Value::Kind::Quantity && v.unit() == "%") {
    ratio = v.number() / 100.0;
  } else if (v.kind == Value::Kind::Number) {
    ratio = v.number();
  } else {
    diags.report(DiagID::WrongValueType, v.range,
                 fmt::format("{} must be a ratio such as `0.1` or `10%`, found {}", what.str(), v.kindName().str()));
    return std::nullopt;
  }
  if (!(ratio > 0.0 && ratio <= 1.0)) {
    diags
        .report(DiagID::OutOfRange, v.range,
                fmt::format("{} must be greater than 0 and at most 1 (100%), found `{}`", what.str(), v.text))
        .withHelp(v.kind == Value::Kind::Number && v.number() > 1 && v.number() <= 100
                      ? fmt::format("for a percentage write `{}%`", v.text)
                      : "");
    return std::nullopt;
  }
  return ratio;
}

static const std::vector<std::string> kDurationUnits = {"ms", "s", "m", "h", "d", "w", "mo", "y"};

static int64_t unitMillis(llvm::StringRef unit) {
  constexpr int64_t s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
  if (unit == "ms") return 1;
  if (unit == "s") return s;
  if (unit == "m") return m;
  if (unit == "h") return h;
  if (unit == "d") return d;
  if (unit == "w") return 7 * d;
  if (unit == "mo") return 30 * d;
  return 365 * d; // y
}

/// `magnitude` (a number as written) expressed in one of `units`, the way a
/// person most likely meant it: a whole number of milliseconds when it is 100
/// or more and milliseconds are allowed (`1500` -> `1500ms`), seconds
/// otherwise (`2` -> `2s`, `1.5` -> `1500ms`), else the only or first unit.
static std::string likelyDuration(double magnitude, llvm::StringRef text, llvm::ArrayRef<std::string> units) {
  auto allowed = [&](llvm::StringRef u) { return llvm::is_contained(units, u.str()); };
  bool whole = magnitude == std::floor(magnitude);
  if (units.size() == 1) {
    if (whole) return text.str() + units.front();
  } else if (whole && magnitude >= 100 && allowed("ms")) {
    return text.str() + "ms";
  } else if (allowed("s")) {
    if (whole) return text.str() + "s";
    if (allowed("ms")) return fmt::format("{}ms", static_cast<int64_t>(std::llround(magnitude * 1000)));
  }
  // A fraction in a larger unit: the next smaller allowed unit, when exact.
  for (const std::string &u : units)
    for (const std::string &smaller : units) {
      double factor = double(unitMillis(u)) / double(unitMillis(smaller));
      double scaled = magnitude * factor;
      if (factor > 1 && scaled == std::floor(scaled)) return fmt::format("{}{}", static_cast<int64_t>(scaled), smaller);
    }
  return whole ? text.str() + units.front() : "";
}

std::optional<Duration> checkDuration(DiagnosticEngine &diags, const Value &v, llvm::StringRef what,
                                      llvm::ArrayRef<llvm::StringRef> units) {
  // What the help of an error needs, made only for one: a large policy has
  // a duration in nearly every declaration, and nearly all are fine.
  struct Accepted {
    std::vector<std::string> units;
    std::string list; // "ms, s, m"
  };
  auto acceptedUnits = [&] {
    Accepted accepted;
    for (llvm::StringRef u : units) accepted.units.push_back(u.str());
    if (accepted.units.empty()) accepted.units.assign(kDurationUnits.begin(), kDurationUnits.end());
    accepted.list = llvm::join(accepted.units, ", ");
    return accepted;
  };
  if (v.kind == Value::Kind::Number) {
    auto [accepted, unitList] = acceptedUnits();
    DiagnosticBuilder d = diags.report(DiagID::InvalidDuration, v.range,
                                       fmt::format("{} needs a unit: `{}` alone is ambiguous", what.str(), v.text));
    std::string likely = likelyDuration(v.number(), v.text, accepted);
    if (likely.empty()) {
      d.withHelp(fmt::format("add a unit (here: {})", unitList));
    } else {
      d.withHelp(fmt::format("write `{}` (units here: {})", likely, unitList));
      if (accepted.size() == 1) d.fix(v.range, likely); // the only unit: certain
    }
    return std::nullopt;
  }
  // Found by a loop over the digits: worked out once, not for every use.
  const llvm::StringRef suffix = v.unit();
  if (v.kind != Value::Kind::Quantity || suffix == "%") {
    diags.report(DiagID::InvalidDuration, v.range,
                 fmt::format("{} must be a duration such as `30s` or `15m`, found {}", what.str(), v.kindName().str()));
    return std::nullopt;
  }
  if (std::find(kDurationUnits.begin(), kDurationUnits.end(), suffix) == kDurationUnits.end()) {
    auto [accepted, unitList] = acceptedUnits();
    std::string magnitude = v.text.drop_back(suffix.size()).str();
    DiagnosticBuilder d =
        diags.report(DiagID::InvalidDuration, v.range, fmt::format("unknown duration unit `{}`", suffix));
    std::vector<std::string> close = closestNames(suffix, accepted);
    llvm::StringRef unit = llvm::StringRef(suffix).lower() == suffix ? llvm::StringRef(suffix) : llvm::StringRef();
    if (unit == "days" || unit == "day") close = {"d"};
    if (unit == "min" || unit == "mins" || unit == "minutes") close = {"m"};
    if (unit == "sec" || unit == "secs" || unit == "seconds") close = {"s"};
    if (unit == "months" || unit == "month") close = {"mo"};
    if (unit == "hours" || unit == "hour" || unit == "hr") close = {"h"};
    if (!close.empty() && llvm::is_contained(accepted, close.front()))
      d.withHelp(fmt::format("write `{}{}` (units here: {})", magnitude, close.front(), unitList))
          .fix(v.range, magnitude + close.front());
    else d.withHelp(fmt::format("units here are {}", unitList));
    return std::nullopt;
  }
  if (!v.isInteger) {
    auto [accepted, unitList] = acceptedUnits();
    DiagnosticBuilder d =
        diags.report(DiagID::InvalidDuration, v.range, fmt::format("{} must be a whole number of units", what.str()));
    std::vector<std::string> smaller;
    for (const std::string &u : accepted)
      if (unitMillis(u) < unitMillis(suffix)) smaller.push_back(u);
    // The same length in the largest smaller unit that holds it exactly: `1.5h` is `90m`.
    std::string likely;
    double scaled = v.number() * double(unitMillis(suffix));
    for (auto it = smaller.rbegin(); it != smaller.rend(); ++it) {
      double inUnit = scaled / double(unitMillis(*it));
      if (inUnit == std::floor(inUnit)) {
        likely = fmt::format("{}{}", static_cast<int64_t>(inUnit), *it);
        break;
      }
    }
    if (!likely.empty()) d.withHelp(fmt::format("write `{}`", likely)).fix(v.range, likely);
    else d.withHelp(fmt::format("use a smaller unit (here: {})", unitList));
    return std::nullopt;
  }
  if (!units.empty() && std::find(units.begin(), units.end(), suffix) == units.end()) {
    std::vector<std::string> names;
    for (llvm::StringRef u : units) names.push_back("`" + u.str() + "`");
    diags.report(DiagID::InvalidDuration, v.range,
                 fmt::format("{} must be given in {}, found `{}`", what.str(), joinAlternatives(names, "or"), v.text));
    return std::nullopt;
  }
  if (v.number() > 1e12) {
    diags.report(DiagID::OutOfRange, v.range, fmt::format("{} is unreasonably large", what.str()));
    return std::nullopt;
  }
  Duration out;
  out.count = static_cast<int64_t>(v.number());
  out.unit = suffix;
  out.millis = out.count * unitMillis(suffix);
  return out;
}

std::optional<int64_t> durationMillis(const Value &v) {
  DiagnosticEngine quiet;
  std::optional<Duration> d = checkDuration(quiet, v, "duration");
  if (!d) return std::nullopt;
  return d->millis;
}

bool isValidGuid(llvm::StringRef text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

bool checkGuid(DiagnosticEngine &diags, const Value &v, llvm::StringRef what) {
  if (!checkKind(diags, v, Value::Kind::String, what)) return false;
  if (isValidGuid(v.text)) return true;
  diags
      .report(DiagID::InvalidGuid, v.range,
              fmt::format("{} must be a GUID, found \"{}\"", what.str(), quoteForMessage(v.text)))
      .withHelp("write it as 8-4-4-4-12 hexadecimal digits, e.g. \"72f988bf-86f1-41af-91ab-2d7cd011db47\"");
  return false;
}

bool checkUrl(DiagnosticEngine &diags, llvm::StringRef url, SourceRange range, llvm::StringRef what, bool httpsOnly) {
  llvm::StringRef rest = url;
  bool https = rest.consume_front("https://");
  bool http = !https && rest.consume_front("http://");
  if (!https && !http) {
    diags.report(DiagID::InvalidUrl, range,
                 fmt::format("{} must be an absolute URL starting with https://, found \"{}\"", what.str(),
                             quoteForMessage(url)));
    return false;
  }
  if (httpsOnly && http) {
    diags.report(DiagID::InvalidUrl, range, fmt::format("{} must use https://", what.str()))
        .withHelp("traffic to this endpoint carries tokens or user data; serve it over TLS")
        .suggest({range.file, range.begin + 1, range.begin + 1 + 7}, "https://");
    return false;
  }
  llvm::StringRef authority = rest.take_until([](char c) { return c == '/' || c == '?' || c == '#'; });
  if (authority.contains('@')) {
    diags.report(DiagID::InvalidUrl, range, fmt::format("{} must not contain credentials (`user@`)", what.str()))
        .withHelp("credentials never belong in a policy; the identity's role grants access");
    return false;
  }
  llvm::StringRef host = authority, port;
  if (size_t colon = authority.rfind(':'); colon != llvm::StringRef::npos) {
    host = authority.take_front(colon);
    port = authority.drop_front(colon + 1);
  }
  bool hostOk =
      !host.empty() &&
      llvm::all_of(host, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'; }) &&
      !host.startswith(".") && !host.startswith("-");
  unsigned portNumber = 0;
  bool portOk = port.empty() || (!port.getAsInteger(10, portNumber) && portNumber > 0 && portNumber < 65536);
  bool restOk = llvm::none_of(rest, [](char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '\\'; });
  if (!hostOk || !portOk || !restOk) {
    diags
        .report(DiagID::InvalidUrl, range,
                fmt::format("{} is not a valid URL: \"{}\"", what.str(), quoteForMessage(url)))
        .withHelp(!hostOk   ? "the host name may contain letters, digits, `-` and `.`"
                  : !portOk ? "the port must be a number from 1 to 65535"
                            : "spaces and backslashes must be percent-encoded");
    return false;
  }
  return true;
}

std::string urlHost(llvm::StringRef url) {
  llvm::StringRef rest = url;
  if (!rest.consume_front("https://")) rest.consume_front("http://");
  llvm::StringRef authority = rest.take_until([](char c) { return c == '/' || c == '?' || c == '#'; });
  llvm::StringRef host = authority.take_until([](char c) { return c == ':'; });
  return host.lower();
}

bool checkHostname(DiagnosticEngine &diags, const Value &v) {
  llvm::StringRef host = v.text;
  llvm::StringRef labels = host;
  labels.consume_front("*.");
  llvm::SmallVector<llvm::StringRef, 8> parts;
  labels.split(parts, '.');
  bool ok =
      host.size() <= 253 && parts.size() >= 2 && llvm::all_of(parts, [](llvm::StringRef label) {
        return !label.empty() && label.size() <= 63 && !label.startswith("-") && !label.endswith("-") &&
               llvm::all_of(label, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
      });
  if (ok) return true;
  diags.report(DiagID::InvalidUrl, v.range, fmt::format("\"{}\" is not a hostname", quoteForMessage(host)))
      .withHelp(host.contains("://") ? "write the hostname alone, without scheme or path: \"api.example.com\""
                                     : "hostnames are dot-separated labels of letters, digits and `-`, e.g. "
                                       "\"api.example.com\" or \"*.example.com\"");
  return false;
}

bool hostServed(llvm::StringRef host, llvm::ArrayRef<std::string> hostnames) {
  std::string lower = host.lower();
  for (const std::string &served : hostnames) {
    llvm::StringRef s = served;
    if (s.equals_insensitive(lower)) return true;
    if (s.consume_front("*.")) {
      llvm::StringRef h = lower;
      size_t dot = h.find('.');
      if (dot != llvm::StringRef::npos && h.drop_front(dot + 1).equals_insensitive(s)) return true;
    }
  }
  return false;
}

bool isValidEdgeWorkerVersion(llvm::StringRef text) {
  // ^(?!.*?\.{2})[.a-zA-Z0-9_~-]{1,32}$
  if (text.empty() || text.size() > 32 || text.contains("..")) return false;
  return llvm::all_of(text, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '~' || c == '-';
  });
}

bool checkEdgeWorkerVersion(DiagnosticEngine &diags, const Value &v) {
  if (!checkKind(diags, v, Value::Kind::String, "`version`")) return false;
  if (isValidEdgeWorkerVersion(v.text)) return true;
  diags
      .report(DiagID::InvalidVersion, v.range,
              fmt::format("\"{}\" is not a valid EdgeWorker version", quoteForMessage(v.text)))
      .withHelp("1 to 32 characters from letters, digits and `.`, `_`, `~`, `-`, without `..`; e.g. \"1.4.2\"");
  return false;
}

bool checkClockTime(DiagnosticEngine &diags, const Name &time, llvm::StringRef what, bool halfHours) {
  llvm::StringRef t = time.text;
  unsigned hh = 0, mm = 0;
  bool ok = t.size() == 5 && t[2] == ':' && !t.substr(0, 2).getAsInteger(10, hh) &&
            !t.substr(3, 2).getAsInteger(10, mm) && hh < 24 && mm < 60;
  if (!ok) {
    diags.report(DiagID::InvalidSchedule, time.range,
                 fmt::format("{} must be a 24-hour time \"HH:MM\", found \"{}\"", what.str(), quoteForMessage(t)));
    return false;
  }
  if (halfHours && mm != 0 && mm != 30) {
    diags
        .report(DiagID::InvalidSchedule, time.range,
                fmt::format("{} must be on the hour or half hour, found \"{}\"", what.str(), t.str()))
        .withHelp("Azure Backup schedules start at :00 or :30");
    return false;
  }
  return true;
}

bool checkPathPattern(DiagnosticEngine &diags, const Name &path) {
  auto fail = [&](std::string message, std::string help) {
    diags.report(DiagID::InvalidPathPattern, path.range, std::move(message)).withHelp(std::move(help));
    return false;
  };
  llvm::StringRef p = path.text;
  if (!p.startswith("/"))
    return fail(fmt::format("route path \"{}\" must start with `/`", quoteForMessage(p)),
                fmt::format("write \"/{}\"", quoteForMessage(p)));
  if (p.contains('?') || p.contains('#'))
    return fail("route paths match the path only; remove the query or fragment",
                "match query parameters in the origin");
  llvm::SmallVector<llvm::StringRef, 8> segments;
  p.drop_front().split(segments, '/');
  llvm::SmallVector<llvm::StringRef, 4> params; // views of the path
  for (size_t i = 0; i < segments.size(); ++i) {
    llvm::StringRef s = segments[i];
    if (s == "*") {
      if (i + 1 != segments.size())
        return fail("`*` matches the rest of the path and must be the last segment",
                    "use `{name}` to match one segment in the middle of a path");
      continue;
    }
    if (s.startswith("{") || s.endswith("}")) {
      llvm::StringRef param = s;
      if (!param.consume_front("{") || !param.consume_back("}") || param.empty() ||
          !llvm::all_of(param, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
        return fail(fmt::format("malformed path parameter `{}`", quoteForMessage(s)),
                    "a parameter is a whole segment: `{name}` with letters, digits and `_`");
      if (llvm::is_contained(params, param))
        return fail(fmt::format("path parameter `{}` appears twice", param.str()), "give each parameter its own name");
      params.push_back(param);
      continue;
    }
    // One pass for both questions; the first is answered first.
    bool wildcard = false, unsafe = false;
    for (char c : s) {
      wildcard |= c == '*' || c == '{' || c == '}';
      unsafe |= static_cast<unsigned char>(c) < 0x21 || c == '\\' || c == '"';
    }
    if (wildcard)
      return fail(fmt::format("`*` and `{{...}}` must be whole path segments, found `{}`", quoteForMessage(s)),
                  "write `/files/*` rather than `/files/*.js`");
    if (unsafe)
      return fail("route paths cannot contain spaces, control characters, quotes or backslashes",
                  "percent-encode them");
  }
  return true;
}

bool checkHeaderField(DiagnosticEngine &diags, const Field &header) {
  llvm::StringRef name = header.key().text;
  auto isTokenChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || llvm::StringRef("!#$%&'*+-.^_`|~").contains(c);
  };
  if (name.empty() || !llvm::all_of(name, isTokenChar)) {
    diags
        .report(DiagID::InvalidHeader, header.key().range,
                fmt::format("\"{}\" is not an HTTP header name", quoteForMessage(name)))
        .withHelp("header names are letters, digits and `!#$%&'*+-.^_`|~`, e.g. \"content-type\"");
    return false;
  }
  llvm::StringRef value = header.value.text;
  if (llvm::any_of(value, [](char c) { return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F; })) {
    diags
        .report(DiagID::InvalidHeader, header.value.range,
                fmt::format("the value of header \"{}\" contains a control character", name.str()))
        .withHelp("header values are one line of text; remove line breaks and control characters");
    return false;
  }
  return true;
}

bool checkScopeToken(DiagnosticEngine &diags, const Value &scope) {
  llvm::StringRef s = scope.text;
  if (!s.empty() && llvm::all_of(s, [](char c) { return c >= 0x21 && c <= 0x7E && c != '"' && c != '\\'; }))
    return true;
  diags.report(DiagID::InvalidScope, scope.range, fmt::format("\"{}\" is not an OAuth scope", quoteForMessage(s)))
      .withHelp("a scope is one word of printable ASCII without quotes or backslashes, e.g. \"orders.read\"");
  return false;
}

static const std::vector<std::string> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

bool checkHttpMethod(DiagnosticEngine &diags, const Name &method) {
  if (std::find(kMethods.begin(), kMethods.end(), method.text) != kMethods.end()) return true;
  DiagnosticBuilder d =
      diags.report(DiagID::InvalidMethod, method.range, fmt::format("unknown HTTP method `{}`", method.text));
  std::string upper = llvm::StringRef(method.text).upper();
  std::vector<std::string> close = std::find(kMethods.begin(), kMethods.end(), upper) != kMethods.end()
                                       ? std::vector<std::string>{upper}
                                       : closestNames(method.text, kMethods);
  if (!close.empty()) d.withHelp(fmt::format("did you mean `{}`?", close.front())).suggest(method.range, close.front());
  else d.withHelp("methods are GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS");
  return false;
}

std::optional<int64_t> checkStatus(DiagnosticEngine &diags, const Value &v, llvm::StringRef what, int64_t min,
                                   int64_t max) {
  if (!v.isInteger || v.number() < double(min) || v.number() > double(max)) {
    diags.report(DiagID::InvalidStatus, v.range,
                 fmt::format("{} must be an HTTP status from {} to {}, found `{}`", what.str(), min, max, v.text));
    return std::nullopt;
  }
  return static_cast<int64_t>(v.number());
}

bool checkOneOf(DiagnosticEngine &diags, const Value &v, llvm::StringRef what, llvm::ArrayRef<std::string> allowed) {
  if (v.kind == Value::Kind::Ref && std::find(allowed.begin(), allowed.end(), v.text) != allowed.end()) return true;
  std::vector<std::string> quoted;
  for (const std::string &a : allowed) quoted.push_back("`" + a + "`");
  if (v.kind != Value::Kind::Ref) {
    diags
        .report(DiagID::WrongValueType, v.range,
                fmt::format("{} must be one of {}, found {}", what.str(), joinAlternatives(quoted, "or"),
                            v.kindName().str()))
        .withHelp(v.kind == Value::Kind::String ? fmt::format("write it without quotes: `{}`", quoteForMessage(v.text))
                                                : "");
    return false;
  }
  DiagnosticBuilder d = diags.report(
      DiagID::WrongValueType, v.range,
      fmt::format("`{}` is not a valid {}; expected {}", v.text, what.str(), joinAlternatives(quoted, "or")));
  std::vector<std::string> close = closestNames(v.text, std::vector<std::string>(allowed.begin(), allowed.end()));
  if (!close.empty()) d.withHelp(fmt::format("did you mean `{}`?", close.front())).suggest(v.range, close.front());
  return false;
}

} // namespace ward::sema
