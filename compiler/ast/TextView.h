//===- TextView.h - A name's or a value's text in 12 bytes -------*- C++ -*-===//
//
// What llvm::StringRef holds, with a 32-bit length and 4-byte alignment, so
// that it packs beside a SourceRange: a Name is 24 bytes, not 32, and a Value
// 36, not 40. A large policy holds a name or a value for nearly every token.
// A 32-bit length is enough: a source file is at most 4 GiB (its offsets are
// 32-bit), and a decoded text is never longer than its spelling.
//
// It converts to llvm::StringRef wherever one is expected, and offers the
// StringRef operations the compiler uses on names and values directly.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>

#include <cassert>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace ward {

#pragma pack(push, 4)
class TextView {
public:
  TextView() = default;
  TextView(llvm::StringRef text) : data_(text.data()), size_(static_cast<uint32_t>(text.size())) {
    assert(text.size() <= UINT32_MAX && "a text is shorter than its 4 GiB file");
  }
  TextView(const char *text) : TextView(llvm::StringRef(text)) {}

  llvm::StringRef ref() const { return {data_, size_}; }
  operator llvm::StringRef() const { return ref(); }
  operator std::string_view() const { return {data_, size_}; }

  const char *data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const char *begin() const { return data_; }
  const char *end() const { return data_ + size_; }
  char front() const { return ref().front(); }
  char back() const { return ref().back(); }
  char operator[](size_t i) const { return ref()[i]; }
  std::string str() const { return ref().str(); }

  bool equals(llvm::StringRef other) const { return ref() == other; }
  bool startswith(llvm::StringRef prefix) const { return ref().startswith(prefix); }
  bool endswith(llvm::StringRef suffix) const { return ref().endswith(suffix); }
  bool contains(llvm::StringRef part) const { return ref().contains(part); }
  bool contains(char c) const { return ref().contains(c); }
  size_t find(char c, size_t from = 0) const { return ref().find(c, from); }
  size_t find(llvm::StringRef part, size_t from = 0) const { return ref().find(part, from); }
  size_t rfind(char c) const { return ref().rfind(c); }
  llvm::StringRef substr(size_t start, size_t n = llvm::StringRef::npos) const { return ref().substr(start, n); }
  llvm::StringRef slice(size_t start, size_t end) const { return ref().slice(start, end); }
  llvm::StringRef drop_front(size_t n = 1) const { return ref().drop_front(n); }
  llvm::StringRef drop_back(size_t n = 1) const { return ref().drop_back(n); }
  llvm::StringRef take_front(size_t n = 1) const { return ref().take_front(n); }
  std::string lower() const { return ref().lower(); }
  std::pair<llvm::StringRef, llvm::StringRef> split(char separator) const { return ref().split(separator); }

  // Friends defined here, found only where a TextView takes part: a
  // comparison of two StringRefs stays StringRef's own.
  friend bool operator==(TextView a, TextView b) { return a.ref() == b.ref(); }
  friend bool operator==(TextView a, llvm::StringRef b) { return a.ref() == b; }
  friend bool operator==(llvm::StringRef a, TextView b) { return a == b.ref(); }
  friend bool operator==(TextView a, const char *b) { return a.ref() == b; }
  friend bool operator==(const char *a, TextView b) { return a == b.ref(); }
  friend bool operator!=(TextView a, TextView b) { return a.ref() != b.ref(); }
  friend bool operator!=(TextView a, const char *b) { return a.ref() != b; }
  friend bool operator!=(const char *a, TextView b) { return a != b.ref(); }
  friend bool operator!=(TextView a, llvm::StringRef b) { return a.ref() != b; }
  friend bool operator!=(llvm::StringRef a, TextView b) { return a != b.ref(); }
  friend bool operator<(TextView a, TextView b) { return a.ref() < b.ref(); }
  friend std::ostream &operator<<(std::ostream &out, TextView text) { return out << std::string_view(text); }

private:
  const char *data_ = nullptr;
  uint32_t size_ = 0;
};
#pragma pack(pop)
static_assert(sizeof(TextView) == 12 && alignof(TextView) == 4, "a text view packs beside 32-bit offsets");

} // namespace ward
