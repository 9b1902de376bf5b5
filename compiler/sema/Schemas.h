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

#include <functional>

namespace ward::sema {

struct SemaContext {
  DiagnosticEngine &diags;
  Resolver &resolver;
  FileID file = 0;
};

using ValueCheck = std::function<void(SemaContext &, Value &, const std::string &what)>;

struct AttrSpec {
  std::string key;
  bool required = false;
  ValueCheck check;
};
using Schema = std::vector<AttrSpec>;

/// Checks every attribute of `attrs` against `schema`. `owner` names the
/// construct in messages ("retry `edge-default`"); `ownerRange` is where a
/// missing attribute is reported. `extraKeys` are accepted without a check.
void checkAttributes(SemaContext &ctx, AttrList &attrs, const Schema &schema, const std::string &owner,
                     SourceRange ownerRange, const std::vector<std::string> &extraKeys = {});

/// The token signature algorithms `algorithms` may list.
extern const std::vector<std::string> kAlgorithms;

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
