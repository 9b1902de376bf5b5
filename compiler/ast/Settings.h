//===- Settings.h - The typed values of checked declarations ----*- C++ -*-===//
//
// What Sema makes of each declaration's attributes once they are checked:
// decoded values (durations in milliseconds, whole numbers, texts) with the
// syntax each came from, for locations and for quoting the user's spelling.
// The stages after Sema (analysis, code generation) read these and never
// look an attribute up by its name.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "source/SourceManager.h"

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ward {

struct Value;
class Decl;
class ResourceDecl;
class RetryDecl;

/// A checked value and where it is written. When not written, `value` is the
/// default and the setting tests false.
template <typename T> struct Setting {
  T value{};
  const Value *written = nullptr;

  explicit operator bool() const { return written != nullptr; }
  const T &operator*() const { return value; }
  SourceRange range() const;
  /// As written in the source: `15m`, `3` (a string's decoded text).
  llvm::StringRef spelling() const;
};
using NumberSetting = Setting<int64_t>; // whole numbers; durations in milliseconds

/// A checked text (a string's decoded value, or an identifier): the text is
/// the syntax's own, not a copy.
struct TextSetting {
  const Value *written = nullptr;

  explicit operator bool() const { return written != nullptr; }
  llvm::StringRef operator*() const; // "" when not written
  SourceRange range() const;
  llvm::StringRef spelling() const { return **this; }
};

struct TenantSettings {
  TextSetting id, subscription, region, resourceGroup;
};

/// An issuer's effective settings: its template's, with its own over them.
struct IssuerSettings {
  TextSetting issuer;   // the `iss` tokens carry
  TextSetting jwks;     // the key set's URL
  TextSetting jwksFile; // a key set embedded in the bundle
  NumberSetting jwksMaxAgeMs, maxLifetimeMs, tokenLifetimeMs, clockSkewMs;
  std::vector<TextSetting> audiences, algorithms;
};

struct IdentitySettings {
  TextSetting objectId, clientId;
};

enum class ScopeLevel { Resource, ResourceGroup, Subscription, ManagementGroup };

struct ResourceTypeSettings {
  TextSetting armType;
  ScopeLevel level = ScopeLevel::Resource;
  std::vector<std::string> traits; // origin, backup_source, backup_vault, relay
};

struct ResourceSettings {
  TextSetting subscription, resourceGroup, name, origin, edgeOrigin;
};

struct CapabilitySettings {
  std::vector<TextSetting> actions, dataActions;
  TextSetting description;
};

/// A retry policy's values and the arithmetic of its worst case, shared by
/// the rules that prove limits (W018, W019) and the backends that write
/// configurations, so both agree.
struct RetrySpec {
  // Texts are views of the checked AST (or literals): a large policy has a
  // retry policy per unit, and each kept copies of its name and words.
  const RetryDecl *decl = nullptr;
  llvm::StringRef name;
  int64_t attempts = 1;
  const Value *attemptsWritten = nullptr;
  std::optional<int64_t> perTryTimeoutMs;
  llvm::StringRef backoffKind = "none"; // exponential | constant | none
  const Value *backoff = nullptr;       // the `backoff = ...(...)` call as written
  int64_t initialMs = 0, maxMs = 0;
  double multiplier = 2.0;
  llvm::StringRef jitter = "none";
  const Value *jitterWritten = nullptr;
  std::vector<int64_t> statuses;
  std::vector<llvm::StringRef> conditions; // timeout, reset, connect_failure
  bool hasBudget = false;
  std::optional<double> budgetRatio;
  int64_t budgetMinPerSecond = 0;
  std::optional<llvm::StringRef> idempotencyKey;

  /// The upper bound of each wait between attempts (jitter only shortens them).
  std::vector<int64_t> backoffCaps() const;
  /// Every attempt timing out and every wait at its cap (0 per attempt when unbounded).
  int64_t worstCaseMs() const;
  bool hasJitter() const { return backoffKind != "none" && jitter != "none"; }
};

enum class EdgeWorkerTier { Basic, Dynamic, Enterprise };

struct EdgeWorkerSettings {
  NumberSetting id;
  TextSetting version, description;
  Setting<EdgeWorkerTier> tier; // Basic when not written
  bool logFailures = true;      // `log_failures`, on unless written false
};

/// What `require token from X { ... }` asks of a token besides the issuer's.
struct TokenRequirementSettings {
  std::vector<TextSetting> scopes, audiences, roles;
  bool audiencesWritten = false;                                        // `audiences` replaces the issuer's own
  std::vector<std::pair<std::string, std::vector<std::string>>> claims; // in source order
};

struct BackupSettings {
  bool retainWritten = false;
  NumberSetting dailyDays, weeklyWeeks, monthlyMonths, yearlyYears; // retention counts
  const Value *retain = nullptr;                                    // the `retain = {...}` object
  NumberSetting instantRestoreDays{2, nullptr};
};

} // namespace ward
