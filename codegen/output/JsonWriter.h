//===- JsonWriter.h - Deterministic JSON text -------------------*- C++ -*-===//
//
// The one writer of generated JSON (and of every policy value that reaches
// JavaScript): object keys sorted, numbers in their shortest round-trip form
// (`0.1`, not `0.10000000000000001`), strings escaped so that the text is
// also safe inside JavaScript source — U+2028 and U+2029 are escaped too.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/Support/JSON.h>

#include <string>

namespace ward::codegen {

/// `"..."` with JSON escapes plus \u2028 and \u2029.
std::string quoteJsonString(llvm::StringRef text);
/// The same, appended to `out`.
void appendJsonString(std::string &out, llvm::StringRef text);
/// Pretty-printed with two-space indentation and a final newline.
std::string writeJson(const llvm::json::Value &value);
/// The same text without the final newline, as if nested `indent` levels
/// deep: for embedding a value into generated JavaScript.
std::string writeJsonNested(const llvm::json::Value &value, unsigned indent);

/// Prints a JSON object whose last member is a long array, element by
/// element, exactly as writeJson would print the whole value. An
/// llvm::json::Object takes kilobytes however few its members, so a template
/// of many thousand resources is never held as one value: each resource is
/// printed as it is made and dropped.
class JsonArrayDocument {
public:
  void add(const llvm::json::Value &element);
  /// An element's text as `add` prints it, made apart (in parallel, say)
  /// and then added with addPrinted, in order.
  static std::string print(const llvm::json::Value &element);
  void addPrinted(llvm::StringRef printed);
  size_t size() const { return count_; }
  /// A member whose value was printed apart, as `print` prints an element
  /// (for an object of thousands of members, see printObject).
  struct PrintedMember {
    std::string key;
    std::string value;
  };
  /// `head`'s members and the `printed` ones, by key, then `arrayKey` with
  /// the elements added (every other key must sort before it), and a final
  /// newline.
  std::string finish(const llvm::json::Object &head, llvm::StringRef arrayKey,
                     std::vector<PrintedMember> printed = {}) &&;
  /// The text of an object member's value whose own members were each
  /// printed apart (by `print`): what writeJson prints for that object as
  /// a member of the document's top-level object. Keys must differ.
  static std::string printObject(std::vector<PrintedMember> members);

private:
  std::string elements_;
  size_t count_ = 0;
};

} // namespace ward::codegen
