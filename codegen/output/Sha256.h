//===- Sha256.h - SHA-256 of artifacts, on the CPU's SHA unit when present -*- C++ -*-===//
//
// The manifest lists the SHA-256 of every artifact: at a hundred thousand
// lines of policy that is about 100 MB hashed per build. LLVM's portable
// SHA-256 runs at a few hundred MB/s; the x86 SHA extensions (in Intel CPUs
// since Ice Lake and Goldmont, AMD since Zen) run several times faster.
// The digest is the same either way; tests/unit/Sha256Tests.cpp compares the
// two paths with each other and with published test vectors.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>

#include <array>
#include <cstdint>
#include <optional>

namespace ward::codegen {

using Sha256Digest = std::array<uint8_t, 32>;

/// The digest of `bytes`, on the SHA unit when the CPU has one.
Sha256Digest sha256(llvm::StringRef bytes);

/// The digest by the portable code (LLVM's), whatever the CPU.
Sha256Digest sha256Portable(llvm::StringRef bytes);

/// The digest by the SHA unit; none when this CPU (or build) has no SHA unit.
std::optional<Sha256Digest> sha256Accelerated(llvm::StringRef bytes);

} // namespace ward::codegen
