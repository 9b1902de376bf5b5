//===- Bytes.h - Random bytes and gunzip, for tests and fuzz targets -*- C++ -*-===//
#pragma once

#include <llvm/ADT/StringRef.h>
#include <zlib.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace ward::test {

/// `size` bytes of every value, the same for the same seed: text that
/// deflate cannot shrink, or hashes' input.
inline std::string randomBytes(size_t size, uint32_t seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (char &c : out) c = static_cast<char>(random() & 0xff);
  return out;
}

/// What zlib's own inflate makes of a gzip stream: the bytes, or none if
/// `gz` is not exactly one whole, valid gzip stream.
inline std::optional<std::string> gunzip(llvm::StringRef gz) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return std::nullopt;
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(gz.data()));
  stream.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  int result = Z_OK;
  while (result == Z_OK) {
    char chunk[16384];
    stream.next_out = reinterpret_cast<Bytef *>(chunk);
    stream.avail_out = sizeof chunk;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  bool whole = result == Z_STREAM_END && stream.avail_in == 0;
  inflateEnd(&stream);
  if (!whole) return std::nullopt;
  return out;
}

} // namespace ward::test
