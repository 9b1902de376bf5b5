//===- TextStore.h - Texts of the AST that the source does not hold -*- C++ -*-===//
//
// Names and values point into the source buffer they were written in: most
// are spelled there exactly. The rest (strings with escapes, decoded; dotted
// names written with spaces; texts made by Sema or read from ward.json) are
// kept here, by whatever owns the nodes that point at them. A file's store
// also holds the lists and members of the tree the fast parser built
// (NodeArena.h), so it must outlive that tree.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Allocator.h>

#include <memory>
#include <vector>

namespace ward {

class TextStore {
public:
  TextStore() = default;
  TextStore(TextStore &&) noexcept = default;
  TextStore &operator=(TextStore &&) noexcept = default;
  TextStore(const TextStore &) = delete;
  TextStore &operator=(const TextStore &) = delete;

  /// A copy of `text` that lives as long as this store (or the one that
  /// absorbs it). Not safe from several threads at once.
  llvm::StringRef keep(llvm::StringRef text) {
    if (text.empty()) return {};
    char *copy = arena().Allocate<char>(text.size());
    std::copy(text.begin(), text.end(), copy);
    return {copy, text.size()};
  }
  /// Memory that lives as long as this store (or the one that absorbs it),
  /// for the nodes of NodeArena.h. Not safe from several threads at once.
  llvm::BumpPtrAllocator &arena() {
    if (arenas_.empty()) arenas_.push_back(std::make_unique<llvm::BumpPtrAllocator>());
    return *arenas_.back();
  }
  /// Keeps what `other` holds alive as long as this store: texts kept there
  /// stay where they are.
  void absorb(TextStore &&other) {
    for (auto &arena : other.arenas_) arenas_.push_back(std::move(arena));
    other.arenas_.clear();
  }

private:
  // Each behind a pointer, so that absorbing never moves a text.
  std::vector<std::unique_ptr<llvm::BumpPtrAllocator>> arenas_;
};

} // namespace ward
