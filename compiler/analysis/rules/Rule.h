//===- Rule.h - What a rule file includes ------------------------*- C++ -*-===//
//
// A rule is one file, compiler/analysis/rules/W<NNN><Name>.cpp, beside its
// page docs/rules/W<NNN>.md. It defines its check and, with WARD_RULE_INFO,
// its ID, default level, name, title and options. The build generates the
// index of rules from the file names.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analysis/RuleContext.h"

#include <fmt/format.h>

/// Defines `ruleInfo<Name>()`, the rule's entry in the index:
///   WARD_RULE_INFO(Name, "W0NN", Level::Warning, "slug", "title", {options}, check[, stage])
#define WARD_RULE_INFO(Name, ...)                                                                                      \
  const RuleInfo &ruleInfo##Name() {                                                                                   \
    static const RuleInfo kInfo{RuleID::Name, __VA_ARGS__};                                                            \
    return kInfo;                                                                                                      \
  }
