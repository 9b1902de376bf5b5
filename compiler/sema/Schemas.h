//===- Schemas.h - Which attributes each construct accepts ------*- C++ -*-===//
//
// A schema lists the attributes of one construct, whether each is required,
// and the check its value must pass. Unknown attributes get "did you mean";
// missing ones name the attribute to add.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "resolve/Resolver.h"
#include "sema/ValueChecks.h"

#include <llvm/ADT/STLFunctionalExtras.h>

#include <functional>

namespace ward::sema {

struct SemaContext {
  DiagnosticEngine &diags;
  const Resolver &resolver; // lookups report into `diags`
  FileID file = 0;
};

/// Checks a value; `values` lists the identifiers it accepts when it accepts
/// a fixed set (of the value, or of a list's elements), for completion.
struct ValueCheck {
  std::function<void(SemaContext &, Value &, const std::string &what)> check;
  std::vector<std::string> values;

  ValueCheck() = default;
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, ValueCheck>>>
  ValueCheck(F f, std::vector<std::string> values = {}) : check(std::move(f)), values(std::move(values)) {}
  void operator()(SemaContext &ctx, Value &v, const std::string &what) const { check(ctx, v, what); }
  explicit operator bool() const { return bool(check); }
};

struct AttrSpec {
  AttrSpec(std::string key, bool required = false, ValueCheck check = {})
      : key(std::move(key)), required(required), check(std::move(check)), quotedKey("`" + this->key + "`") {}
  std::string key;
  bool required = false;
  ValueCheck check;
  /// "`key`", how the checks name the attribute in their messages: made once
  /// with the schema, not for each of the many attributes a policy gives.
  std::string quotedKey;
};
using Schema = std::vector<AttrSpec>;

/// What a block of attributes belongs to, as its messages name it ("retry
/// `edge-default`", "route \"/api\""): a text at hand, or one made only when
/// a message needs it. Most blocks have nothing to report, and a large
/// policy has a block for every route.
class OwnerName {
public:
  OwnerName(const std::string &text) : text_(&text) {}
  OwnerName(const char *text) : literal_(text) {}
  /// `make` must outlive the check it is given to (a lambda written in the call does).
  explicit OwnerName(llvm::function_ref<std::string()> make) : make_(make) {}
  std::string str() const { return text_ ? *text_ : literal_ ? std::string(literal_) : make_(); }

private:
  const std::string *text_ = nullptr;
  const char *literal_ = nullptr;
  llvm::function_ref<std::string()> make_;
};

/// Checks every attribute of `attrs` against `schema`. `owner` names the
/// construct in messages; `ownerRange` is where a missing attribute is
/// reported. `extraKeys` are accepted without a check.
void checkAttributes(SemaContext &ctx, AttrList &attrs, const Schema &schema, const OwnerName &owner,
                     SourceRange ownerRange, const std::vector<std::string> &extraKeys = {});

/// The named arguments of a call value (`exponential(initial = ..., ...)`,
/// `constant(...)`); null for a function Ward does not know.
const Schema *callSchema(llvm::StringRef function);

const Schema &tenantSchema();
const Schema &issuerSchema();
const Schema &issuerTemplateSchema();
const Schema &identitySchema();
const Schema &resourceTypeSchema();
const Schema &resourceSchema();
const Schema &capabilitySchema();
const Schema &grantSchema();
const Schema &retrySchema();
const Schema &edgeworkerSchema();
const Schema &routeSchema();
const Schema &tokenRequirementSchema();
const Schema &respondSchema();
const Schema &backupSchema();

/// `Microsoft.Compute/virtualMachines/read`: provider, segments, one `*` at most.
bool checkActionString(DiagnosticEngine &diags, const Value &v, llvm::StringRef what);

} // namespace ward::sema
