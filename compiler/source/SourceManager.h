//===- SourceManager.h - Source buffers and locations -----------*- C++ -*-===//
//
// Owns every loaded source buffer and turns byte
// offsets into the line/column pairs that diagnostics print. Columns count
// Unicode code points, so a caret under a non-ASCII name lands where a reader
// expects it; a UTF-8 byte-order mark does not count as a column.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/MemoryBuffer.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ward {

using FileID = uint32_t; // 0 means "no file"; otherwise a SourceManager buffer, from 1

/// A half-open byte range [begin, end) inside one source buffer.
struct SourceRange {
  FileID file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool valid() const { return file != 0; }
  static SourceRange merge(SourceRange a, SourceRange b) {
    if (!a.valid()) return b;
    if (!b.valid()) return a;
    return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
  }
};

struct LineColumn {
  unsigned line = 0;   // 1-based
  unsigned column = 0; // 1-based, in code points
};

class SourceManager {
public:
  SourceManager();
  ~SourceManager();

  /// Takes ownership of `buffer`; `displayPath` is how the file is named in
  /// diagnostics (the path as the user gave it).
  FileID addBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, std::string displayPath);
  /// Gives `file` new text (an edited buffer), keeping its FileID and path.
  /// Ranges into the old text become meaningless: re-parse the file.
  void replaceBuffer(FileID file, std::unique_ptr<llvm::MemoryBuffer> buffer);

  llvm::StringRef text(FileID file) const;
  /// The buffer of `file`, for a tree that points into it and must outlive
  /// its replacement.
  std::shared_ptr<const llvm::MemoryBuffer> share(FileID file) const { return buffer(file).memory; }
  const std::string &displayPath(FileID file) const;
  unsigned fileCount() const { return static_cast<unsigned>(buffers_.size()); }

  LineColumn lineColumn(FileID file, uint32_t offset) const;
  /// The text of the 1-based line `line`, without its line terminator.
  llvm::StringRef lineText(FileID file, unsigned line) const;
  /// Byte offset where the line containing `offset` starts.
  uint32_t lineStart(FileID file, uint32_t offset) const;

  /// Byte offset where 1-based `line` starts, if the file has that line.
  std::optional<uint32_t> lineOffset(FileID file, unsigned line) const;

  /// Computes every file's line table now. Tables are otherwise made on
  /// first use, which is not safe from several threads: call this before
  /// work that asks for locations in parallel.
  void computeLineTables() const;

private:
  struct Buffer {
    std::shared_ptr<const llvm::MemoryBuffer> memory;
    std::string path;
    /// Offsets where lines start, computed on first use (most files are
    /// never asked: a clean run prints no location).
    mutable std::vector<uint32_t> lineStarts;
  };
  const Buffer &buffer(FileID file) const { return buffers_.at(file - 1); }
  const std::vector<uint32_t> &lineStarts(FileID file) const;

  std::vector<Buffer> buffers_; // indexed by FileID - 1
};

/// Number of code points in `bytes` (which is valid UTF-8).
unsigned countCodePoints(llvm::StringRef bytes);

} // namespace ward
