//===- CompactVector.h - A vector that takes one pointer when empty -*- C++ -*-===//
//
// For the syntax tree's lists, which are many, short and often empty: a
// value's list items and object fields, a block's attributes, a route's
// methods and actions. A std::vector takes three pointers whether or not it
// holds anything, and a policy holds a value per attribute, nearly all of
// them scalars; this takes one, and allocates only when an element is added: one
// block holding the size, the capacity and the elements (a std::vector behind
// a pointer would take a second allocation for itself). It copies deeply, so
// the value keeps its value semantics, and offers the part of std::vector's
// interface the compiler uses.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/NodeArena.h"

#include <llvm/Support/Compiler.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace ward {

template <typename T> class CompactVector {
public:
  using value_type = T;
  using iterator = T *;
  using const_iterator = const T *;

  CompactVector() = default;
  CompactVector(std::vector<T> elements) {
    reserve(elements.size());
    for (T &e : elements) push_back(std::move(e));
  }
  CompactVector(const CompactVector &other) { *this = other; }
  CompactVector(CompactVector &&other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  CompactVector &operator=(const CompactVector &other) {
    if (this == &other) return *this;
    clear();
    reserve(other.size());
    for (const T &e : other) push_back(e);
    return *this;
  }
  CompactVector &operator=(CompactVector &&other) noexcept {
    if (this != &other) {
      clear();
      block_ = std::exchange(other.block_, nullptr);
    }
    return *this;
  }
  ~CompactVector() { clear(); }

  /// Replaces the elements with those of [first, last), in a block of exactly their number.
  template <typename It> void assign(It first, It last) {
    clear();
    reserve(static_cast<size_t>(std::distance(first, last)));
    for (; first != last; ++first) push_back(*first);
  }
  void push_back(T element) { emplace_back(std::move(element)); }
  template <typename... Args> T &emplace_back(Args &&...args) {
    if (size() == capacity()) reserve(capacity() == 0 ? 1 : 2 * capacity());
    T *slot = new (data() + block_->size) T(std::forward<Args>(args)...);
    ++block_->size;
    return *slot;
  }
  /// Destroys the elements and gives the block back: empty takes no memory.
  /// The test inline, the work not: most vectors destroyed are empty or
  /// moved from (a value's items and fields, nearly always).
  void clear() {
    if (block_) release();
  }

  size_t size() const { return block_ ? block_->size : 0; }
  bool empty() const { return size() == 0; }
  T *begin() { return data(); }
  T *end() { return data() + size(); }
  const T *begin() const { return data(); }
  const T *end() const { return data() + size(); }
  T &operator[](size_t i) { return data()[i]; }
  const T &operator[](size_t i) const { return data()[i]; }
  T &front() { return data()[0]; }
  const T &front() const { return data()[0]; }
  T &back() { return data()[size() - 1]; }
  const T &back() const { return data()[size() - 1]; }

  /// The elements as a std::vector, moved out.
  std::vector<T> take() && {
    std::vector<T> out(std::make_move_iterator(begin()), std::make_move_iterator(end()));
    clear();
    return out;
  }

private:
  struct Header {
    uint32_t size;
    uint32_t capacity; // and kInArena when the block is a NodeArena's (NodeArena.h)
  };
  static constexpr uint32_t kInArena = 1u << 31;
  // A function, not a constant: T is incomplete where a Value holds a
  // CompactVector<Value>, and complete where this is first called. The
  // elements start at the first multiple of their alignment after the header.
  static constexpr size_t elementsAt() { return (sizeof(Header) + alignof(T) - 1) / alignof(T) * alignof(T); }

  size_t capacity() const { return block_ ? block_->capacity & ~kInArena : 0; }
  LLVM_ATTRIBUTE_NOINLINE void release() {
    for (T &e : *this) e.~T();
    freeNode(block_, block_->capacity & kInArena);
    block_ = nullptr;
  }
  T *data() const {
    return block_ ? std::launder(reinterpret_cast<T *>(reinterpret_cast<char *>(block_) + elementsAt())) : nullptr;
  }
  /// Room for `count` elements in one block; the elements move there.
  void reserve(size_t count) {
    static_assert(std::is_nothrow_move_constructible_v<T>, "elements are moved when the block grows");
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "operator new aligns the block for T");
    if (count <= capacity()) return;
    bool inArena = false;
    void *memory = allocateNode(elementsAt() + count * sizeof(T), std::max(alignof(Header), alignof(T)), inArena);
    Header *grown = new (memory) Header{0, static_cast<uint32_t>(count) | (inArena ? kInArena : 0)};
    T *to = reinterpret_cast<T *>(static_cast<char *>(memory) + elementsAt());
    for (T &e : *this) {
      new (to + grown->size) T(std::move(e));
      ++grown->size;
    }
    clear();
    block_ = grown;
  }

  Header *block_ = nullptr;
};

} // namespace ward
