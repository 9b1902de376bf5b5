//===- ParallelDecls.h - Per-declaration work on both cores -----*- C++ -*-===//
//
// Resolution and checking treat each declaration on its own: the work on
// one writes only that declaration and reads tables built before. Such work
// runs in parallel over runs of one file's declarations. Each run reports
// into its own diagnostics, and the runs are committed in file and
// declaration order, so the output is the serial walk's, byte for byte.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "resolve/Loader.h"

#include <llvm/ADT/STLFunctionalExtras.h>

namespace ward {

/// Calls `work` on every declaration `wanted` selects, reporting into a
/// DiagnosticEngine of its run; commits them all to `diags`. Positions are
/// computed from `sm`'s line tables, which are built first. `alongside`,
/// when given, runs meanwhile as one more task: work on other declarations
/// than these, which reports into its own engine (a parallel loop inside
/// another would run on one thread).
void forEachDeclInParallel(Program &program, const SourceManager &sm, DiagnosticEngine &diags,
                           llvm::function_ref<bool(const Decl &)> wanted,
                           llvm::function_ref<void(SourceFile &, Decl &, DiagnosticEngine &)> work,
                           llvm::function_ref<void()> alongside = nullptr);

} // namespace ward
