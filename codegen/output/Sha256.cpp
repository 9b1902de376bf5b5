#include "output/Sha256.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/SHA256.h>

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WARD_SHA_UNIT 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace ward::codegen {

Sha256Digest sha256Portable(llvm::StringRef bytes) {
  return llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()));
}

#ifdef WARD_SHA_UNIT
namespace {

// FIPS 180-4, section 4.2.2: the first 32 bits of the fractional parts of
// the cube roots of the first 64 primes.
alignas(16) constexpr uint32_t kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Section 5.3.3: the initial hash value.
constexpr uint32_t kInitialState[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

bool cpuHasShaUnit() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  bool ssse3 = ecx & (1u << 9), sse41 = ecx & (1u << 19);
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  bool sha = ebx & (1u << 29);
  return ssse3 && sse41 && sha;
}

/// Runs the compression function over `blocks` 64-byte blocks.
///
/// The SHA unit keeps the eight working variables in two registers, as
/// (A, B, E, F) and (C, D, G, H) from the high lane down; each
/// `sha256rnds2` does two rounds and yields the new (A, B, E, F), while the
/// old one becomes the new (C, D, G, H). The message schedule is made four
/// words at a time: `sha256msg1` adds sigma0 of the next words, the middle
/// term W[t-7] is an unaligned pick of two earlier groups, and `sha256msg2`
/// adds sigma1 of the words just made.
__attribute__((target("sha,sse4.1,ssse3"))) void compressBlocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
  const __m128i byteSwapWords = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state + 4));
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abefBefore = abef, cdghBefore = cdgh;
    __m128i words[4];
    for (int i = 0; i < 4; ++i)
      words[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(data + 16 * i)), byteSwapWords);
    for (int group = 0; group < 16; ++group) {
      __m128i &current = words[group & 3]; // holds the group four back until replaced
      if (group >= 4) {
        const __m128i &threeBack = words[(group + 1) & 3], &twoBack = words[(group + 2) & 3],
                      &oneBack = words[(group + 3) & 3];
        __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(current, threeBack), _mm_alignr_epi8(oneBack, twoBack, 4));
        current = _mm_sha256msg2_epu32(partial, oneBack);
      }
      __m128i wk =
          _mm_add_epi32(current, _mm_load_si128(reinterpret_cast<const __m128i *>(kRoundConstants + 4 * group)));
      // Two rounds leave the old (A, B, E, F) as the new (C, D, G, H), so
      // the registers trade roles twice and end where they started.
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
    }
    abef = _mm_add_epi32(abef, abefBefore);
    cdgh = _mm_add_epi32(cdgh, cdghBefore);
  }

  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i *>(state), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i *>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

Sha256Digest hashOnShaUnit(llvm::StringRef bytes) {
  uint32_t state[8];
  std::memcpy(state, kInitialState, sizeof state);
  const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
  size_t whole = bytes.size() / 64;
  compressBlocks(state, data, whole);

  // Section 5.1.1: the rest, a one bit, zeros, and the length in bits,
  // big-endian, filling one or two last blocks.
  uint8_t tail[128] = {};
  size_t rest = bytes.size() % 64;
  std::memcpy(tail, data + whole * 64, rest);
  tail[rest] = 0x80;
  size_t tailBlocks = rest < 56 ? 1 : 2;
  uint64_t bits = static_cast<uint64_t>(bytes.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tailBlocks * 64 - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  compressBlocks(state, tail, tailBlocks);

  Sha256Digest digest;
  for (int i = 0; i < 8; ++i)
    for (int b = 0; b < 4; ++b) digest[4 * i + b] = static_cast<uint8_t>(state[i] >> (24 - 8 * b));
  return digest;
}

} // namespace
#endif

std::optional<Sha256Digest> sha256Accelerated(llvm::StringRef bytes) {
#ifdef WARD_SHA_UNIT
  static const bool available = cpuHasShaUnit();
  if (available) return hashOnShaUnit(bytes);
#else
  (void)bytes;
#endif
  return std::nullopt;
}

Sha256Digest sha256(llvm::StringRef bytes) {
  if (std::optional<Sha256Digest> fast = sha256Accelerated(bytes)) return *fast;
  return sha256Portable(bytes);
}

} // namespace ward::codegen
