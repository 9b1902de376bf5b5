#include "source/SourceManager.h"
#include "source/ByteScan.h"

#include <algorithm>
#include <cstring>

namespace ward {

SourceManager::SourceManager() = default;
SourceManager::~SourceManager() = default;

FileID SourceManager::addBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, std::string displayPath) {
  buffers_.push_back({std::move(buffer), std::move(displayPath), {}, 0});
  return static_cast<FileID>(buffers_.size());
}

void SourceManager::replaceBuffer(FileID file, std::unique_ptr<llvm::MemoryBuffer> memory) {
  Buffer &b = buffers_.at(file - 1);
  b.memory = std::move(memory);
  b.lineSamples.clear();
  b.lineCount = 0;
}

llvm::StringRef SourceManager::text(FileID file) const { return buffer(file).memory->getBuffer(); }

const std::string &SourceManager::displayPath(FileID file) const { return buffer(file).path; }

static bool hasByteOrderMark(llvm::StringRef text) { return text.startswith("\xEF\xBB\xBF"); }

const SourceManager::Buffer &SourceManager::withLineTable(FileID file) const {
  const Buffer &b = buffer(file);
  if (b.lineCount != 0) return b;
  llvm::StringRef text = b.memory->getBuffer();
  std::vector<uint32_t> samples{0};
  uint32_t lines = 1;
  auto newlineAt = [&](size_t at) {
    if (lines++ % kLinesPerSample == 0) samples.push_back(static_cast<uint32_t>(at + 1));
  };
  size_t at = 0;
#if defined(WARD_HAS_BYTESCAN16)
  // Sixteen bytes a step: a policy's lines are short, and a call to
  // memchr for each cost more than the search.
  for (; at + 16 <= text.size(); at += 16)
    for (unsigned newlines = maskOf16(text.data() + at, [](__m128i bytes) { return bytesEqual(bytes, '\n'); });
         newlines != 0; newlines &= newlines - 1)
      newlineAt(at + __builtin_ctz(newlines));
#endif
  for (; at < text.size(); ++at)
    if (text[at] == '\n') newlineAt(at);
  b.lineSamples = std::move(samples);
  b.lineCount = lines;
  return b;
}

void SourceManager::computeLineTables() const {
  for (FileID file = 1; file <= fileCount(); ++file) withLineTable(file);
}

SourceManager::LineAt SourceManager::lineAt(FileID file, uint32_t offset) const {
  const Buffer &b = withLineTable(file);
  llvm::StringRef text = b.memory->getBuffer();
  offset = std::min<uint32_t>(offset, text.size());
  size_t sample = std::upper_bound(b.lineSamples.begin(), b.lineSamples.end(), offset) - b.lineSamples.begin() - 1;
  LineAt at{static_cast<unsigned>(sample * kLinesPerSample + 1), b.lineSamples[sample]};
  // Fewer than kLinesPerSample newlines lie between the sample and `offset`.
  while (const void *newline = std::memchr(text.data() + at.start, '\n', offset - at.start)) {
    at.start = static_cast<uint32_t>(static_cast<const char *>(newline) - text.data()) + 1;
    ++at.line;
  }
  if (at.start == 0 && offset >= 3 && hasByteOrderMark(text)) at.start = 3; // the first line starts after it
  return at;
}

uint32_t SourceManager::lineStart(FileID file, uint32_t offset) const { return lineAt(file, offset).start; }

unsigned countCodePoints(llvm::StringRef bytes) {
  unsigned n = 0;
  for (unsigned char c : bytes)
    if ((c & 0xC0) != 0x80) ++n; // count every byte that is not a continuation byte
  return n;
}

LineColumn SourceManager::lineColumn(FileID file, uint32_t offset) const {
  llvm::StringRef buf = text(file);
  offset = std::min<uint32_t>(offset, buf.size());
  LineAt at = lineAt(file, offset);
  return {at.line, 1 + countCodePoints(buf.slice(at.start, offset))};
}

std::optional<uint32_t> SourceManager::lineOffset(FileID file, unsigned line) const {
  const Buffer &b = withLineTable(file);
  if (line == 0 || line > b.lineCount) return std::nullopt;
  llvm::StringRef text = b.memory->getBuffer();
  uint32_t start = b.lineSamples[(line - 1) / kLinesPerSample];
  for (unsigned skip = (line - 1) % kLinesPerSample; skip > 0; --skip)
    start = static_cast<uint32_t>(text.find('\n', start)) + 1; // the line exists: so does the newline
  return start;
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
