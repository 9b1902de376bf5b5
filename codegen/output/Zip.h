//===- Zip.h - Deterministic .zip archives ----------------------*- C++ -*-===//
//
// A relay is deployed with Azure Functions' zip deploy. Ward writes the zip
// itself so that its bytes depend only on the contents: entries sorted by
// name, raw deflate at the best compression, every timestamp 1980-01-01
// 00:00 (the first DOS date), Unix mode 0644, no extra fields, no comment.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "output/Tarball.h"

namespace ward::codegen {

/// A .zip (PKWARE APPNOTE 6.3, no ZIP64) of `entries`, sorted by name.
llvm::Expected<std::string> writeZip(std::vector<TarEntry> entries);

} // namespace ward::codegen
