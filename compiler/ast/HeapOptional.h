//===- HeapOptional.h - An optional whose value lives on the heap -*- C++ -*-===//
//
// For syntax tree members that are seldom written (a route's token
// requirement, a deny's status, an hourly schedule's window): a
// std::optional<Value> takes 160 bytes whether or not the policy wrote the
// value, and a million-line policy holds a million such members. This one
// takes a pointer, and allocates only when a value is present. It copies
// deeply, so the node holding it keeps its value semantics, and offers the
// part of std::optional's interface the compiler uses.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace ward {

template <typename T> class HeapOptional {
public:
  HeapOptional() = default;
  HeapOptional(std::nullopt_t) {}
  HeapOptional(T value) : value_(std::make_unique<T>(std::move(value))) {}
  HeapOptional(const HeapOptional &other) : value_(other ? std::make_unique<T>(*other) : nullptr) {}
  HeapOptional(HeapOptional &&) noexcept = default;
  HeapOptional &operator=(const HeapOptional &other) {
    if (this != &other) value_ = other ? std::make_unique<T>(*other) : nullptr;
    return *this;
  }
  HeapOptional &operator=(HeapOptional &&) noexcept = default;
  HeapOptional &operator=(T value) {
    if (value_) *value_ = std::move(value);
    else value_ = std::make_unique<T>(std::move(value));
    return *this;
  }
  HeapOptional &operator=(std::nullopt_t) {
    value_.reset();
    return *this;
  }

  template <typename... Args> T &emplace(Args &&...args) {
    value_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *value_;
  }
  void reset() { value_.reset(); }

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T &operator*() { return *value_; }
  const T &operator*() const { return *value_; }
  T *operator->() { return value_.get(); }
  const T *operator->() const { return value_.get(); }

private:
  std::unique_ptr<T> value_;
};

} // namespace ward
