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

#include <llvm/ADT/ArrayRef.h>

#include <map>
#include <string>
#include <vector>

namespace ward::codegen {

struct TarEntry {
  std::string name; // relative, `/`-separated, at most 100 bytes
  std::string bytes;
};

/// The uncompressed ustar archive (entries sorted by name). With
/// `dataOffsets`, also where each entry's bytes start in it.
llvm::Expected<std::string> writeUstar(std::vector<TarEntry> entries,
                                       std::map<std::string, size_t> *dataOffsets = nullptr);
/// gzip (RFC 1952) of `data` at the best compression, mtime 0, no file name.
llvm::Expected<std::string> gzip(llvm::StringRef data);

/// Bytes [begin, end) of a text.
struct ByteRange {
  size_t begin = 0, end = 0;
};

/// gzip of `data` like `gzip`, except that each range in `shared` (sorted,
/// disjoint) is deflated on its own, without the bytes before it as
/// history, and that deflated form is made once per process for each
/// distinct content and reused. A deflate stream may be cut into pieces
/// that each end byte-aligned (zlib's sync flush), so the pieces concatenate
/// into one stream; the gzip trailer's CRC and size are of all of `data`.
/// The other pieces may still refer back into everything before them.
/// Bundles repeat the same few kilobytes of runtime: this compresses them
/// once rather than once per bundle, for a few bytes more per bundle.
llvm::Expected<std::string> gzipSharing(llvm::StringRef data, llvm::ArrayRef<ByteRange> shared);
/// zlib's memory level for every stream Ward deflates with (deflateInit2).
constexpr int kDeflateMemLevel = 8;
/// `data` deflated at the best compression; zlib's `windowBits` chooses the
/// wrapper: 15 + 16, gzip with an empty header; -15, none, as zip stores it
/// (nothing else).
llvm::Expected<std::string> deflateBest(llvm::StringRef data, int windowBits);
/// Both: the `.tgz` bytes.
llvm::Expected<std::string> writeTgz(std::vector<TarEntry> entries);

} // namespace ward::codegen
