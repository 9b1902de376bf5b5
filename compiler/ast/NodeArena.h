//===- NodeArena.h - Where the syntax tree being built allocates --*- C++ -*-===//
//
// A large policy's tree is hundreds of thousands of small blocks, most of
// them the lists of CompactVector and the members of HeapOptional. From
// malloc, each costs a call and 8 to 24 bytes of bookkeeping, and the tree is
// never freed piece by piece while the file lives. So while the fast parser
// builds a file's tree, these take their memory from the file's TextStore
// (which lives exactly as long as the tree) by bumping a pointer, and mark
// it so that freeing them gives nothing back; the TextStore frees it all.
//
// The arena is the calling thread's, set by a NodeArenaScope: the parts of a
// large file are parsed on several threads, each into a TextStore of its own.
// Anywhere else (Sema's copies, the ANTLR path, edits) blocks come from the
// heap as before, and a copy of a node is always made where it is copied to.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/Support/Allocator.h>

#include <cassert>
#include <cstddef>
#include <new>

namespace ward {

namespace detail {
inline llvm::BumpPtrAllocator *&threadNodeArena() {
  thread_local llvm::BumpPtrAllocator *arena = nullptr;
  return arena;
}
} // namespace detail

/// While it lives, nodes made on this thread take their memory from `arena`.
class NodeArenaScope {
public:
  explicit NodeArenaScope(llvm::BumpPtrAllocator &arena) : outer_(detail::threadNodeArena()) {
    detail::threadNodeArena() = &arena;
  }
  ~NodeArenaScope() { detail::threadNodeArena() = outer_; }
  NodeArenaScope(const NodeArenaScope &) = delete;
  NodeArenaScope &operator=(const NodeArenaScope &) = delete;

private:
  llvm::BumpPtrAllocator *outer_;
};

/// `bytes` for a node aligned to `alignment` (at most operator new's): from
/// this thread's arena when one is set (`inArena` says so), else from the
/// heap. An arena aligns each block to its own type, not to operator new's
/// 16 bytes: a file's tree is tens of blocks a declaration, and rounding each
/// up to 16 wasted 4 MB of a 1,000,000-line policy's 75.
inline void *allocateNode(size_t bytes, size_t alignment, bool &inArena) {
  assert(alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__ && "operator new aligns the heap's blocks");
  llvm::BumpPtrAllocator *arena = detail::threadNodeArena();
  inArena = arena != nullptr;
  return inArena ? arena->Allocate(bytes, llvm::Align(alignment)) : ::operator new(bytes);
}

/// Gives back what allocateNode gave: to the heap, or (an arena's) nothing.
inline void freeNode(void *memory, bool inArena) {
  if (!inArena) ::operator delete(memory);
}

} // namespace ward
