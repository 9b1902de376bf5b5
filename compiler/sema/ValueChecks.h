//===- ValueChecks.h - Checks of single literal values ----------*- C++ -*-===//
//
// Each check reports its own diagnostic (what is wrong, at the value, and how
// to write it instead) and returns nullopt/false on failure.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/AST.h"
#include "diag/Diagnostic.h"

#include <llvm/ADT/ArrayRef.h>

#include <optional>

namespace ward::sema {

struct Duration {
  int64_t count = 0;  // as written
  std::string unit;   // ms s m h d w mo y
  int64_t millis = 0; // months count 30 days, years 365 days
};

bool isValidGuid(llvm::StringRef text);
/// Milliseconds of a duration value that Sema has accepted (nullopt otherwise).
std::optional<int64_t> durationMillis(const Value &v);
bool isValidEdgeWorkerVersion(llvm::StringRef text);

bool checkKind(DiagnosticEngine &diags, const Value &v, Value::Kind kind, llvm::StringRef what);
std::optional<int64_t> checkInteger(DiagnosticEngine &diags, const Value &v, llvm::StringRef what, int64_t min,
                                    int64_t max);
/// A ratio in (0, 1]: `0.1` or `10%`.
std::optional<double> checkRatio(DiagnosticEngine &diags, const Value &v, llvm::StringRef what);
/// A duration with a unit; `units` restricts which units are accepted.
std::optional<Duration> checkDuration(DiagnosticEngine &diags, const Value &v, llvm::StringRef what,
                                      llvm::ArrayRef<llvm::StringRef> units = {});
bool checkGuid(DiagnosticEngine &diags, const Value &v, llvm::StringRef what);
/// An absolute http(s) URL without credentials; `httpsOnly` rejects http.
bool checkUrl(DiagnosticEngine &diags, llvm::StringRef url, SourceRange range, llvm::StringRef what, bool httpsOnly);
/// The host of an absolute URL that checkUrl accepted, lower case.
std::string urlHost(llvm::StringRef url);
/// A property hostname: DNS labels of letters, digits and `-`, or a wildcard
/// `*.` in front of them (Akamai properties serve wildcard hostnames).
bool checkHostname(DiagnosticEngine &diags, const Value &v);
/// Whether `host` is one of `hostnames`, directly or under a `*.` wildcard
/// (which covers exactly one more label, as in a TLS certificate).
bool hostServed(llvm::StringRef host, llvm::ArrayRef<std::string> hostnames);
bool checkEdgeWorkerVersion(DiagnosticEngine &diags, const Value &v);
/// `HH:MM` on the hour or half hour (Azure Backup accepts no other times).
bool checkClockTime(DiagnosticEngine &diags, const Name &time, llvm::StringRef what, bool halfHours);
/// `/api/orders/{id}/*`: segments are literals, `{param}` or `*`.
bool checkPathPattern(DiagnosticEngine &diags, const Name &path);
bool checkHttpMethod(DiagnosticEngine &diags, const Name &method);
std::optional<int64_t> checkStatus(DiagnosticEngine &diags, const Value &v, llvm::StringRef what, int64_t min,
                                   int64_t max);
/// Reports an identifier that is not one of `allowed`, with "did you mean".
bool checkOneOf(DiagnosticEngine &diags, const Value &v, llvm::StringRef what, llvm::ArrayRef<std::string> allowed);

/// An HTTP header set by the policy: the name an RFC 9110 token, the value
/// free of control characters (no line breaks that could split the header).
bool checkHeaderField(DiagnosticEngine &diags, const Field &header);
/// An OAuth scope (RFC 6749, section 3.3): printable ASCII without spaces,
/// quotes or backslashes, as it must appear in a `WWW-Authenticate` challenge.
bool checkScopeToken(DiagnosticEngine &diags, const Value &scope);

} // namespace ward::sema
