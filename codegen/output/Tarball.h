//===- Tarball.h - Deterministic .tgz archives ------------------*- C++ -*-===//
//
// EdgeWorkers bundles are gzip'd tar files with `bundle.json` and `main.js`
// at the root. Ward writes them itself so that the bytes depend only on the
// contents: POSIX ustar headers, regular files only, mode 0644, uid/gid 0,
// empty owner names, mtime 0, entries sorted by name, and a gzip stream with
// no name and no timestamp.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace ward::codegen {

struct TarEntry {
  std::string name; // relative, `/`-separated, at most 100 bytes
  std::string bytes;
};

/// The uncompressed ustar archive (entries sorted by name).
llvm::Expected<std::string> writeUstar(std::vector<TarEntry> entries);
/// gzip (RFC 1952) of `data` at the best compression, mtime 0, no file name.
llvm::Expected<std::string> gzip(llvm::StringRef data);
/// `data` deflated at the best compression; zlib's `windowBits` chooses the
/// wrapper: 15 + 16, gzip with an empty header; -15, none, as zip stores it
/// (nothing else).
llvm::Expected<std::string> deflateBest(llvm::StringRef data, int windowBits);
/// Both: the `.tgz` bytes.
llvm::Expected<std::string> writeTgz(std::vector<TarEntry> entries);

} // namespace ward::codegen
