//===- Sema.h - Type and value checks of a resolved program -----*- C++ -*-===//
#pragma once

#include "resolve/Resolver.h"

namespace ward {

/// Checks every declaration of `program` (attributes against schemas, the
/// right kind of declaration in each position, units, ranges, formats).
void runSema(Program &program, Resolver &resolver, DiagnosticEngine &diags, const SourceManager &sm);

} // namespace ward
