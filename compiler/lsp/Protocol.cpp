#include "lsp/Protocol.h"

#include <fmt/format.h>

namespace ward::lsp {
namespace {

/// Bytes of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
size_t sequenceLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

size_t lineStart(llvm::StringRef text, int64_t line) {
  size_t at = 0;
  for (int64_t l = 0; l < line; ++l) {
    size_t nl = text.find('\n', at);
    if (nl == llvm::StringRef::npos) return text.size();
    at = nl + 1;
  }
  return at;
}

} // namespace

size_t offsetOf(llvm::StringRef text, Position pos, PositionEncoding encoding) {
  if (pos.line < 0) return 0;
  size_t at = lineStart(text, pos.line);
  size_t end = text.find('\n', at);
  if (end == llvm::StringRef::npos) end = text.size();
  for (int64_t units = 0; at < end && units < pos.character;) {
    size_t length = std::min(sequenceLength(static_cast<unsigned char>(text[at])), end - at);
    units += encoding == PositionEncoding::Utf8 ? static_cast<int64_t>(length) : (length == 4 ? 2 : 1);
    at += length;
  }
  return at;
}

Position positionOf(llvm::StringRef text, size_t offset, PositionEncoding encoding) {
  offset = std::min(offset, text.size());
  Position p;
  size_t start = 0;
  for (size_t nl = text.find('\n'); nl != llvm::StringRef::npos && nl < offset; nl = text.find('\n', nl + 1)) {
    ++p.line;
    start = nl + 1;
  }
  for (size_t at = start; at < offset;) {
    size_t length = sequenceLength(static_cast<unsigned char>(text[at]));
    p.character += encoding == PositionEncoding::Utf8 ? static_cast<int64_t>(length) : (length == 4 ? 2 : 1);
    at += length;
  }
  return p;
}

llvm::json::Value toJson(Position p) { return llvm::json::Object{{"line", p.line}, {"character", p.character}}; }

std::optional<Position> positionFromJson(const llvm::json::Value *v) {
  const llvm::json::Object *o = v ? v->getAsObject() : nullptr;
  if (!o) return std::nullopt;
  llvm::Optional<int64_t> line = o->getInteger("line"), character = o->getInteger("character");
  if (!line || !character || *line < 0 || *character < 0) return std::nullopt;
  return Position{*line, *character};
}

std::optional<std::string> pathFromUri(llvm::StringRef uri) {
  if (!uri.consume_front("file://")) return std::nullopt;
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    unsigned value = 0;
    if (uri[i] == '%' && i + 2 < uri.size() && !uri.substr(i + 1, 2).getAsInteger(16, value)) {
      path += static_cast<char>(value);
      i += 2;
    } else {
      path += uri[i];
    }
  }
  if (path.empty() || path.front() != '/') return std::nullopt;
  return path;
}

std::string uriFromPath(llvm::StringRef path) {
  std::string uri = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || llvm::StringRef("/-._~").contains(static_cast<char>(c))) uri += static_cast<char>(c);
    else uri += fmt::format("%{:02X}", c);
  }
  return uri;
}

} // namespace ward::lsp
