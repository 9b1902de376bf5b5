#include "source/JsonLocations.h"

#include <string>

namespace ward {

JsonLocations::JsonLocations(llvm::StringRef text) : text_(text) { scanValue("", 0); }

std::optional<JsonLocations::Range> JsonLocations::key(llvm::StringRef path) const {
  auto it = keys_.find(path);
  if (it == keys_.end()) return value(path);
  return it->second;
}

std::optional<JsonLocations::Range> JsonLocations::value(llvm::StringRef path) const {
  auto it = values_.find(path);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void JsonLocations::skipSpace() {
  while (pos_ < text_.size() &&
         (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
    ++pos_;
}

JsonLocations::Range JsonLocations::scanString() {
  uint32_t begin = static_cast<uint32_t>(pos_);
  ++pos_; // opening quote
  while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
  pos_ = std::min(pos_ + 1, text_.size());
  return {begin, static_cast<uint32_t>(pos_)};
}

void JsonLocations::scanValue(const std::string &path, unsigned depth) {
  skipSpace();
  if (pos_ >= text_.size() || depth > 64) return; // parseJsonBounded refused deeper texts already
  uint32_t begin = static_cast<uint32_t>(pos_);
  char c = text_[pos_];
  if (c == '{' || c == '[') {
    bool object = c == '{';
    ++pos_;
    for (size_t index = 0;;) {
      skipSpace();
      if (pos_ >= text_.size()) break;
      if (text_[pos_] == (object ? '}' : ']')) {
        ++pos_;
        break;
      }
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      std::string child;
      if (object) {
        Range keyRange = scanString();
        llvm::StringRef name = text_.slice(keyRange.first + 1, keyRange.second - 1);
        child = path.empty() ? name.str() : path + "/" + name.str();
        keys_[child] = keyRange;
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == ':') ++pos_;
      } else {
        child = path.empty() ? std::to_string(index) : path + "/" + std::to_string(index);
        ++index;
      }
      scanValue(child, depth + 1);
    }
  } else if (c == '"') {
    scanString();
  } else {
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' &&
           text_[pos_] != ' ' && text_[pos_] != '\n' && text_[pos_] != '\r' && text_[pos_] != '\t')
      ++pos_;
  }
  values_[path] = {begin, static_cast<uint32_t>(pos_)};
}

} // namespace ward
