//===- ByteScan.h - Sixteen bytes classified at once ----------*- C++ -*-===//
//
// Where a scanner looks for the first byte of a class in long runs (names,
// strings and runs of ASCII in a policy; strings and indentation in Azure's
// role data), SSE2 compares sixteen bytes at once. Every x86-64 processor
// has SSE2; elsewhere the callers' byte loops do all the work, so the
// helpers are only declared where it is there (WARD_HAS_BYTESCAN16).
//
//===----------------------------------------------------------------------===//
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>

#include <cstddef>

#define WARD_HAS_BYTESCAN16 1

namespace ward {

/// The sixteen bytes at `at` as a bit mask, bit k set when byte k is in the
/// class `inClass` computes (a byte-wise 0xFF or 0x00 of each of them).
template <typename Classify> unsigned maskOf16(const char *at, Classify inClass) {
  __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(at));
  return static_cast<unsigned>(_mm_movemask_epi8(inClass(bytes)));
}
inline __m128i bytesEqual(__m128i bytes, char c) { return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)); }
/// Bytes in [low, high], both ASCII: bytes of 0x80 and above compare as
/// negative, so they are never in the range.
inline __m128i bytesWithin(__m128i bytes, char low, char high) {
  return _mm_and_si128(_mm_cmpgt_epi8(bytes, _mm_set1_epi8(static_cast<char>(low - 1))),
                       _mm_cmplt_epi8(bytes, _mm_set1_epi8(static_cast<char>(high + 1))));
}
/// Bytes at most `high`, as unsigned bytes.
inline __m128i bytesAtMost(__m128i bytes, unsigned char high) {
  return _mm_cmpeq_epi8(_mm_min_epu8(bytes, _mm_set1_epi8(static_cast<char>(high))), bytes);
}

/// Moves `at` on sixteen bytes a step while sixteen are left and all are
/// in the class `inClass` computes: true when it stopped at a byte outside
/// it, false where fewer than sixteen are left (the caller's byte loop goes
/// on from there).
template <typename Classify> bool skipWhile16(const char *data, size_t size, size_t &at, Classify inClass) {
  for (; at + 16 <= size; at += 16) {
    unsigned inside = maskOf16(data + at, inClass);
    if (inside != 0xFFFF) {
      at += static_cast<size_t>(__builtin_ctz(~inside));
      return true;
    }
  }
  return false;
}
/// The same, up to the first byte that `isStop` accepts.
template <typename Classify> bool skipUntil16(const char *data, size_t size, size_t &at, Classify isStop) {
  for (; at + 16 <= size; at += 16) {
    unsigned stops = maskOf16(data + at, isStop);
    if (stops != 0) {
      at += static_cast<size_t>(__builtin_ctz(stops));
      return true;
    }
  }
  return false;
}

} // namespace ward

#endif
