//===- Runtime.h - The hand-written JavaScript of generated bundles -*- C++ -*-===//
//
// The parts of `main.js` that do not depend on the policy (path matching,
// token verification, key sets, forwarding with retries) are JavaScript files
// in codegen/edgeworkers/runtime/, embedded into the compiler at build time.
// A bundle takes only the pieces it uses; lines between `//#if NAME` and
// `//#endif` are kept only when NAME is among the enabled features.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>

#include <set>
#include <string>

namespace ward::codegen {

/// The text of runtime piece `name` (a file name without `.js`) with its
/// conditional lines resolved; aborts on an unknown name (a compiler bug).
std::string runtimePiece(llvm::StringRef name, const std::set<std::string> &features);

} // namespace ward::codegen
