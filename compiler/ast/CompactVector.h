//===- CompactVector.h - A vector that takes one pointer when empty -*- C++ -*-===//
//
// For syntax tree members that are usually empty: a value's list items and
// object fields. A std::vector takes three pointers whether or not it holds
// anything, and a policy holds a value per attribute, nearly all of them
// scalars; this takes one, and allocates only when an element is added. It
// copies deeply, so the value keeps its value semantics, and offers the part
// of std::vector's interface the compiler uses.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <memory>
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
    if (!elements.empty()) elements_ = std::make_unique<std::vector<T>>(std::move(elements));
  }
  CompactVector(const CompactVector &other) { *this = other; }
  CompactVector(CompactVector &&) noexcept = default;
  CompactVector &operator=(const CompactVector &other) {
    if (this != &other) elements_ = other.empty() ? nullptr : std::make_unique<std::vector<T>>(*other.elements_);
    return *this;
  }
  CompactVector &operator=(CompactVector &&) noexcept = default;

  void push_back(T element) { grown().push_back(std::move(element)); }
  template <typename... Args> T &emplace_back(Args &&...args) {
    return grown().emplace_back(std::forward<Args>(args)...);
  }
  void clear() { elements_.reset(); }

  size_t size() const { return elements_ ? elements_->size() : 0; }
  bool empty() const { return size() == 0; }
  T *begin() { return elements_ ? elements_->data() : nullptr; }
  T *end() { return elements_ ? elements_->data() + elements_->size() : nullptr; }
  const T *begin() const { return elements_ ? elements_->data() : nullptr; }
  const T *end() const { return elements_ ? elements_->data() + elements_->size() : nullptr; }
  T &operator[](size_t i) { return (*elements_)[i]; }
  const T &operator[](size_t i) const { return (*elements_)[i]; }
  T &front() { return elements_->front(); }
  const T &front() const { return elements_->front(); }
  T &back() { return elements_->back(); }
  const T &back() const { return elements_->back(); }

  /// The elements as a std::vector, moved out.
  std::vector<T> take() && { return elements_ ? std::move(*elements_) : std::vector<T>(); }

private:
  std::vector<T> &grown() {
    if (!elements_) elements_ = std::make_unique<std::vector<T>>();
    return *elements_;
  }

  std::unique_ptr<std::vector<T>> elements_;
};

} // namespace ward
