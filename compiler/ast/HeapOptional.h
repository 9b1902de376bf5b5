//===- HeapOptional.h - An optional whose value lives on the heap -*- C++ -*-===//
//
// For syntax tree members that are seldom written (a route's token
// requirement, a deny's status, an hourly schedule's window): a
// std::optional<Value> takes 160 bytes whether or not the policy wrote the
// value, and a million-line policy holds a million such members. This one
// takes a pointer, and allocates only when a value is present (from the
// arena of NodeArena.h while the fast parser builds the tree). It copies
// deeply, so the node holding it keeps its value semantics, and offers the
// part of std::optional's interface the compiler uses.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "ast/NodeArena.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

namespace ward {

template <typename T> class HeapOptional {
public:
  HeapOptional() = default;
  HeapOptional(std::nullopt_t) {}
  HeapOptional(T value) { make(std::move(value)); }
  HeapOptional(const HeapOptional &other) {
    if (other) make(*other);
  }
  HeapOptional(HeapOptional &&other) noexcept : tagged_(std::exchange(other.tagged_, 0)) {}
  HeapOptional &operator=(const HeapOptional &other) {
    if (this != &other) {
      reset();
      if (other) make(*other);
    }
    return *this;
  }
  HeapOptional &operator=(HeapOptional &&other) noexcept {
    if (this != &other) {
      reset();
      tagged_ = std::exchange(other.tagged_, 0);
    }
    return *this;
  }
  HeapOptional &operator=(T value) {
    if (has_value()) **this = std::move(value);
    else make(std::move(value));
    return *this;
  }
  HeapOptional &operator=(std::nullopt_t) {
    reset();
    return *this;
  }
  ~HeapOptional() { reset(); }

  template <typename... Args> T &emplace(Args &&...args) {
    reset();
    return make(std::forward<Args>(args)...);
  }
  void reset() {
    if (!tagged_) return;
    T *value = get();
    value->~T();
    freeNode(value, tagged_ & kInArena);
    tagged_ = 0;
  }

  bool has_value() const { return tagged_ != 0; }
  explicit operator bool() const { return has_value(); }
  T &operator*() { return *get(); }
  const T &operator*() const { return *get(); }
  T *operator->() { return get(); }
  const T *operator->() const { return get(); }

private:
  // The value's address, and in its lowest bit whether it is a NodeArena's
  // (NodeArena.h): the address is aligned, so that bit is free.
  static constexpr uintptr_t kInArena = 1;

  T *get() const { return reinterpret_cast<T *>(tagged_ & ~kInArena); }
  template <typename... Args> T &make(Args &&...args) {
    bool inArena = false;
    // Aligned to 2 at least, so that the address leaves its lowest bit free.
    void *memory = allocateNode(sizeof(T), std::max<size_t>(alignof(T), 2), inArena);
    T *value = new (memory) T(std::forward<Args>(args)...);
    tagged_ = reinterpret_cast<uintptr_t>(value) | (inArena ? kInArena : 0);
    return *value;
  }

  uintptr_t tagged_ = 0;
};

} // namespace ward
