//===- Settings.h - Typed settings from checked attributes -------*- C++ -*-===//
#pragma once

#include "ast/AST.h"

namespace ward::sema {

/// Fills `decl`'s typed settings (ast/Settings.h) from its checked
/// attributes. Values of the wrong kind (already reported) are left out.
void buildSettings(Decl &decl);

} // namespace ward::sema
