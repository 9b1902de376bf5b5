#include "source/SourceManager.h"

#include <cassert>

namespace ward {

SourceManager::SourceManager() = default;

FileID SourceManager::addBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, std::string displayPath) {
  unsigned id = mgr_.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  paths_.push_back(std::move(displayPath));
  assert(id == paths_.size() && "SourceMgr buffer ids are dense and 1-based");
  return id;
}

llvm::StringRef SourceManager::text(FileID file) const {
  return mgr_.getMemoryBuffer(file)->getBuffer();
}

const std::string &SourceManager::displayPath(FileID file) const { return paths_.at(file - 1); }

static bool hasByteOrderMark(llvm::StringRef text) { return text.startswith("\xEF\xBB\xBF"); }

uint32_t SourceManager::lineStart(FileID file, uint32_t offset) const {
  llvm::StringRef buf = text(file);
  offset = std::min<uint32_t>(offset, buf.size());
  size_t nl = buf.substr(0, offset).rfind('\n');
  uint32_t start = nl == llvm::StringRef::npos ? 0 : static_cast<uint32_t>(nl + 1);
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
  // SourceMgr caches line-start offsets per buffer: O(log n) per query.
  unsigned line = mgr_.FindLineNumber(llvm::SMLoc::getFromPointer(buf.data() + offset), file);
  uint32_t start = lineStart(file, offset);
  return {line, 1 + countCodePoints(buf.slice(start, offset))};
}

std::optional<uint32_t> SourceManager::lineOffset(FileID file, unsigned line) const {
  llvm::SMLoc loc = mgr_.FindLocForLineAndColumn(file, line, 1);
  if (!loc.isValid()) return std::nullopt;
  return static_cast<uint32_t>(loc.getPointer() - text(file).data());
}

llvm::StringRef SourceManager::lineText(FileID file, unsigned line) const {
  llvm::StringRef buf = text(file);
  llvm::SMLoc loc = mgr_.FindLocForLineAndColumn(file, line, 1);
  if (!loc.isValid()) return {};
  uint32_t start = lineStart(file, static_cast<uint32_t>(loc.getPointer() - buf.data()));
  if (line == 1 && hasByteOrderMark(buf)) start = 3;
  llvm::StringRef rest = buf.substr(start);
  rest = rest.take_until([](char c) { return c == '\n'; });
  if (rest.endswith("\r")) rest = rest.drop_back();
  return rest;
}

} // namespace ward
