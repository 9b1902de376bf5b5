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
    /// Where lines 1, 1 + kLinesPerSample, 1 + 2 * kLinesPerSample, ...
    /// start, and how many lines there are; computed on first use (most
    /// files are never asked: a clean run prints no location).
    mutable std::vector<uint32_t> lineSamples;
    mutable uint32_t lineCount = 0; // 0: not computed yet (a text has a line at least)
  };
  /// Every sixteenth line start is kept, not every one: a 1,000,000-line
  /// policy's table is 250 KB, not 4 MB, and a lookup scans at most fifteen
  /// lines (a few hundred bytes) past the binary search.
  static constexpr unsigned kLinesPerSample = 16;
  struct LineAt {
    unsigned line;  // 1-based
    uint32_t start; // byte offset where it starts
  };
  const Buffer &buffer(FileID file) const { return buffers_.at(file - 1); }
  const Buffer &withLineTable(FileID file) const;
  LineAt lineAt(FileID file, uint32_t offset) const; // the line holding `offset` (after a byte order mark)

  std::vector<Buffer> buffers_; // indexed by FileID - 1
};

/// Number of code points in `bytes` (which is valid UTF-8).
unsigned countCodePoints(llvm::StringRef bytes);

} // namespace ward
