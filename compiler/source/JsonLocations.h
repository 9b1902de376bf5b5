//===- JsonLocations.h - Where each key and value of a JSON text is -------===//
//
// llvm::json parses values but forgets positions; configuration errors must
// point into the file. This scans the same text once and records the byte
// range of every member key and value by path: "rules", "rules/W011",
// "rules/W011/max_lifetime", "catalog/actions/0".
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>
#include <utility>

namespace ward {

class JsonLocations {
public:
  using Range = std::pair<uint32_t, uint32_t>; // [begin, end) byte offsets
  /// Scans `text`, which must already have parsed as JSON.
  explicit JsonLocations(llvm::StringRef text);
  /// The member key at `path` (for array elements, the element itself).
  std::optional<Range> key(llvm::StringRef path) const;
  /// The value at `path`.
  std::optional<Range> value(llvm::StringRef path) const;

private:
  void skipSpace();
  void scanValue(const std::string &path, unsigned depth);
  Range scanString();

  llvm::StringRef text_;
  size_t pos_ = 0;
  llvm::StringMap<Range> keys_, values_;
};

} // namespace ward
