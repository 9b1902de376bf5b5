//===- BlockList.h - A list kept in blocks that never move -------*- C++ -*-===//
//
// For a list that may grow to tens of thousands of large elements with no
// size known in advance: a diagnostic engine's findings (one rule on every
// route of a large policy). A std::vector grown by doubling holds its old
// storage beside the new while it grows, and up to half of the new unused,
// at the run's peak; joining blocks into one vector at the end needs room
// for all of them beside the blocks. This keeps its elements in blocks of
// `BlockSize`: a full block never moves, an empty list takes no memory, and
// appending another list gives back each of its blocks once it is moved.
//
// Every block but the last holds exactly `BlockSize` elements, so element i
// is at place i % BlockSize of block i / BlockSize (random access).
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cassert>
#include <cstddef>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

namespace ward {

template <typename T, size_t BlockSize> class BlockList {
  static_assert(BlockSize > 0 && (BlockSize & (BlockSize - 1)) == 0, "a power of two: i / BlockSize is a shift");

public:
  template <bool Const> class Iterator {
    using List = std::conditional_t<Const, const BlockList, BlockList>;

  public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<Const, const T *, T *>;
    using reference = std::conditional_t<Const, const T &, T &>;

    Iterator() = default;
    Iterator(List *list, size_t at) : list_(list), at_(at) {}
    /// A mutable iterator converts to a constant one, as std::vector's does.
    template <bool C = Const, typename = std::enable_if_t<!C>> operator Iterator<true>() const { return {list_, at_}; }

    reference operator*() const { return (*list_)[at_]; }
    pointer operator->() const { return &(*list_)[at_]; }
    reference operator[](difference_type n) const { return (*list_)[at_ + n]; }
    Iterator &operator++() { return *this += 1; }
    Iterator &operator--() { return *this -= 1; }
    Iterator operator++(int) { return std::exchange(*this, *this + 1); }
    Iterator operator--(int) { return std::exchange(*this, *this - 1); }
    Iterator &operator+=(difference_type n) {
      at_ = static_cast<size_t>(static_cast<difference_type>(at_) + n);
      return *this;
    }
    Iterator &operator-=(difference_type n) { return *this += -n; }
    friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
    friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
    friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const Iterator &a, const Iterator &b) {
      return static_cast<difference_type>(a.at_) - static_cast<difference_type>(b.at_);
    }
    friend bool operator==(const Iterator &a, const Iterator &b) { return a.at_ == b.at_; }
    friend bool operator!=(const Iterator &a, const Iterator &b) { return a.at_ != b.at_; }
    friend bool operator<(const Iterator &a, const Iterator &b) { return a.at_ < b.at_; }
    friend bool operator>(const Iterator &a, const Iterator &b) { return a.at_ > b.at_; }
    friend bool operator<=(const Iterator &a, const Iterator &b) { return a.at_ <= b.at_; }
    friend bool operator>=(const Iterator &a, const Iterator &b) { return a.at_ >= b.at_; }

  private:
    List *list_ = nullptr;
    size_t at_ = 0;
  };

  using value_type = T;
  using size_type = size_t;
  using iterator = Iterator<false>;
  using const_iterator = Iterator<true>;

  size_t size() const { return blocks_.empty() ? 0 : (blocks_.size() - 1) * BlockSize + blocks_.back().size(); }
  bool empty() const { return blocks_.empty(); }

  T &operator[](size_t i) { return blocks_[i / BlockSize][i % BlockSize]; }
  const T &operator[](size_t i) const { return blocks_[i / BlockSize][i % BlockSize]; }
  T &front() { return blocks_.front().front(); }
  const T &front() const { return blocks_.front().front(); }
  T &back() { return blocks_.back().back(); }
  const T &back() const { return blocks_.back().back(); }
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size()}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

  /// The last block grows as a vector does, up to `BlockSize`; then a new
  /// one starts, and nothing before it moves again.
  void push_back(T element) {
    if (blocks_.empty() || blocks_.back().size() == BlockSize) blocks_.emplace_back();
    blocks_.back().push_back(std::move(element));
  }

  /// Moves every element of `other` onto the end, in order, and leaves it
  /// empty. When this list's blocks are all full, `other`'s blocks are taken
  /// as they are; otherwise its elements are moved one by one, and each of
  /// its blocks is given back as soon as it is empty.
  void append(BlockList &&other) {
    if (blocks_.empty() || blocks_.back().size() == BlockSize) {
      for (std::vector<T> &block : other.blocks_) blocks_.push_back(std::move(block));
    } else {
      for (std::vector<T> &block : other.blocks_) {
        for (T &element : block) push_back(std::move(element));
        std::vector<T>().swap(block);
      }
    }
    other.blocks_.clear();
  }

  /// Erases a tail, from `first` to the end (what std::remove_if leaves
  /// there); erasing from the middle is not offered.
  void erase(const_iterator first, const_iterator last) {
    assert(last == end() && "BlockList erases a tail only");
    size_t keep = static_cast<size_t>(first - begin());
    while (size() > keep) {
      std::vector<T> &block = blocks_.back();
      size_t excess = size() - keep;
      if (block.size() <= excess) blocks_.pop_back();
      else block.erase(block.end() - static_cast<std::ptrdiff_t>(excess), block.end());
    }
  }

  void clear() { blocks_.clear(); }

private:
  std::vector<std::vector<T>> blocks_;
};

} // namespace ward
