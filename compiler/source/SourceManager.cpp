#include "source/SourceManager.h"
#include "source/ByteScan.h"

#include <algorithm>

namespace ward {

SourceManager::SourceManager() = default;
SourceManager::~SourceManager() = default;

FileID SourceManager::addBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, std::string displayPath) {
  buffers_.push_back({std::move(buffer), std::move(displayPath), {}});
  return static_cast<FileID>(buffers_.size());
}

void SourceManager::replaceBuffer(FileID file, std::unique_ptr<llvm::MemoryBuffer> memory) {
  Buffer &b = buffers_.at(file - 1);
  b.memory = std::move(memory);
  b.lineStarts.clear();
}

llvm::StringRef SourceManager::text(FileID file) const { return buffer(file).memory->getBuffer(); }

const std::string &SourceManager::displayPath(FileID file) const { return buffer(file).path; }

static bool hasByteOrderMark(llvm::StringRef text) { return text.startswith("\xEF\xBB\xBF"); }

const std::vector<uint32_t> &SourceManager::lineStarts(FileID file) const {
  const Buffer &b = buffer(file);
  if (b.lineStarts.empty()) {
    llvm::StringRef text = b.memory->getBuffer();
    b.lineStarts.push_back(0);
    size_t at = 0;
#if defined(WARD_HAS_BYTESCAN16)
    // Sixteen bytes a step: a policy's lines are short, and a call to
    // memchr for each cost more than the search.
    for (; at + 16 <= text.size(); at += 16) {
      unsigned newlines = maskOf16(text.data() + at, [](__m128i bytes) { return bytesEqual(bytes, '\n'); });
      for (; newlines != 0; newlines &= newlines - 1)
        b.lineStarts.push_back(static_cast<uint32_t>(at + __builtin_ctz(newlines) + 1));
    }
#endif
    for (; at < text.size(); ++at)
      if (text[at] == '\n') b.lineStarts.push_back(static_cast<uint32_t>(at + 1));
  }
  return b.lineStarts;
}

void SourceManager::computeLineTables() const {
  for (FileID file = 1; file <= fileCount(); ++file) lineStarts(file);
}

uint32_t SourceManager::lineStart(FileID file, uint32_t offset) const {
  llvm::StringRef buf = text(file);
  offset = std::min<uint32_t>(offset, buf.size());
  const std::vector<uint32_t> &starts = lineStarts(file);
  uint32_t start = *(std::upper_bound(starts.begin(), starts.end(), offset) - 1);
  if (start == 0 && hasByteOrderMark(buf) && offset >= 3) start = 3;
  return start;
}

unsigned countCodePoints(llvm::StringRef bytes) {
  unsigned n = 0;
  for (unsigned char c : bytes)
    if ((c & 0xC0) != 0x80) ++n; // count every byte that is not a continuation byte
  return n;
}

LineColumn SourceManager::lineColumn(FileID file, uint32_t offset) const {
  llvm::StringRef buf = text(file);
  offset = std::min<uint32_t>(offset, buf.size());
  const std::vector<uint32_t> &starts = lineStarts(file);
  unsigned line = static_cast<unsigned>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
  uint32_t start = lineStart(file, offset);
  return {line, 1 + countCodePoints(buf.slice(start, offset))};
}

std::optional<uint32_t> SourceManager::lineOffset(FileID file, unsigned line) const {
  const std::vector<uint32_t> &starts = lineStarts(file);
  if (line == 0 || line > starts.size()) return std::nullopt;
  return starts[line - 1];
}

llvm::StringRef SourceManager::lineText(FileID file, unsigned line) const {
  std::optional<uint32_t> offset = lineOffset(file, line);
  if (!offset) return {};
  llvm::StringRef buf = text(file);
  uint32_t start = line == 1 && hasByteOrderMark(buf) ? 3 : *offset;
  llvm::StringRef rest = buf.substr(start).take_until([](char c) { return c == '\n'; });
  if (rest.endswith("\r")) rest = rest.drop_back();
  return rest;
}

} // namespace ward
