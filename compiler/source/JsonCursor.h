//===- JsonCursor.h - Reading JSON without building a tree ------*- C++ -*-===//
//
// The Azure data Ward ships (the built-in role definitions: 1.3 MB) is read
// by every `wardc` process. Parsed into an llvm::json tree, and the tree then
// copied into the role catalog, it took 25-30 ms: most of a check of a small
// project. This cursor walks the text once and hands the reader each value
// where it stands, so the reader copies only the strings it keeps.
//
// It accepts exactly RFC 8259 JSON (one value, then only whitespace), in
// UTF-8. The first error stops it; `error()` says what and at which byte.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/StringSaver.h>

#include <cstddef>
#include <string>

namespace ward {

class JsonCursor {
public:
  enum class Kind { Object, Array, String, Number, Literal, Invalid };

  explicit JsonCursor(llvm::StringRef text);

  /// What the next value is (Invalid at the end, or after an error).
  Kind peek();
  /// Consumes `{`; then nextKey() until it returns false.
  bool enterObject();
  /// The next member's key (its value follows), or false at the closing `}`.
  /// A view, valid until the next key is read.
  bool nextKey(llvm::StringRef &key);
  /// Consumes `[`; then nextElement() until it returns false.
  bool enterArray();
  /// True when another element follows, or false at the closing `]`.
  bool nextElement();
  /// A string value, decoded.
  bool readString(std::string &out);
  /// The same, as a view: of the text itself when the string holds no
  /// escape (nearly every string of the Azure data), or of a decoded copy
  /// kept by `saver`.
  bool readString(llvm::StringRef &out, llvm::StringSaver &saver);
  /// For an object (the next value must be one), `read(key)` for each
  /// member, which reads or skips the member's value.
  template <typename Read> bool forEachMember(Read read) {
    llvm::StringRef key;
    if (!enterObject()) return false;
    while (nextKey(key))
      if (!read(key)) return false;
    return !failed();
  }
  /// For an array, `read` on each element of kind `kind`, other elements
  /// passed over; any other value is passed over whole.
  template <typename Read> bool forEachElement(Kind kind, Read read) {
    if (peek() != Kind::Array) return skipValue();
    enterArray();
    while (nextElement())
      if (!(peek() == kind ? read() : skipValue())) return false;
    return !failed();
  }
  /// Any value, whole.
  bool skipValue();
  /// After the top-level value: only whitespace is left.
  bool finish();

  bool failed() const { return !error_.empty(); }
  /// "expected ':' at byte 1234"; empty while nothing has failed.
  const std::string &error() const { return error_; }

private:
  void skipSpace();
  bool fail(const char *what);
  bool expect(char c, const char *what);
  bool enter(char open, const char *what);
  bool literal(llvm::StringRef word);
  bool number();
  bool string(std::string *out);
  /// The string at the cursor: a view of the text, or of `scratch` holding
  /// it decoded when it has an escape.
  bool stringView(llvm::StringRef &out, std::string &scratch);
  bool hex4(unsigned &value);
  /// After a member or an element: `,` (and what must follow it) or `close`.
  bool more(char close, bool &another);

  llvm::StringRef text_;
  size_t at_ = 0;
  unsigned depth_ = 0;
  bool first_ = true; // no member or element yet in the innermost container
  std::string error_;
  std::string keyScratch_; // a key with an escape, decoded
};

} // namespace ward
