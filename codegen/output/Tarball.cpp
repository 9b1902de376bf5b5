#include "output/Tarball.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace ward::codegen {
namespace {

constexpr size_t kBlock = 512;

/// An octal field of `width` bytes: digits, zero-padded, then NUL.
void putOctal(char *field, size_t width, uint64_t value) {
  std::string digits = fmt::format("{:0{}o}", value, width - 1);
  std::memcpy(field, digits.data(), width - 1);
  field[width - 1] = '\0';
}

} // namespace

llvm::Expected<std::string> writeUstar(std::vector<TarEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const TarEntry &a, const TarEntry &b) { return a.name < b.name; });
  std::string out;
  for (size_t i = 0; i < entries.size(); ++i) {
    const TarEntry &e = entries[i];
    if (e.name.empty() || e.name.size() > 100 || e.name.front() == '/' || e.name.find("..") != std::string::npos)
      return llvm::createStringError(std::errc::invalid_argument, "cannot store `%s` in a bundle", e.name.c_str());
    if (i > 0 && entries[i - 1].name == e.name)
      return llvm::createStringError(std::errc::invalid_argument, "`%s` is in the bundle twice", e.name.c_str());
    if (e.bytes.size() > 077777777777ull)
      return llvm::createStringError(std::errc::file_too_large, "`%s` is too large for a tar header", e.name.c_str());
    char header[kBlock] = {};
    std::memcpy(header, e.name.data(), e.name.size()); // name[100]
    putOctal(header + 100, 8, 0644);                   // mode
    putOctal(header + 108, 8, 0);                      // uid
    putOctal(header + 116, 8, 0);                      // gid
    putOctal(header + 124, 12, e.bytes.size());        // size
    putOctal(header + 136, 12, 0);                     // mtime
    std::memset(header + 148, ' ', 8);                 // chksum, as spaces while summing
    header[156] = '0';                                 // typeflag: regular file
    std::memcpy(header + 257, "ustar", 6);             // magic, NUL-terminated
    std::memcpy(header + 263, "00", 2);                // version
    putOctal(header + 329, 8, 0);                      // devmajor
    putOctal(header + 337, 8, 0);                      // devminor
    unsigned sum = 0;
    for (unsigned char c : header) sum += c;
    std::string checksum = fmt::format("{:06o}", sum);
    std::memcpy(header + 148, checksum.data(), 6);
    header[154] = '\0';
    header[155] = ' ';
    out.append(header, kBlock);
    out += e.bytes;
    out.append((kBlock - e.bytes.size() % kBlock) % kBlock, '\0');
  }
  out.append(2 * kBlock, '\0'); // end of archive
  return out;
}

llvm::Expected<std::string> gzip(llvm::StringRef data) {
  // windowBits 15 + 16: a gzip wrapper whose header has no name and mtime 0.
  return deflateBest(data, 15 + 16);
}

namespace {

/// A deflate stream kept for reuse. At these settings zlib's state is about
/// 400 KB, and setting it up (allocating and clearing it) costs more than
/// compressing a typical bundle; deflateReset keeps the memory and gives
/// exactly the output a fresh stream would.
class ReusableDeflater {
public:
  explicit ReusableDeflater(int windowBits) : windowBits_(windowBits) {}
  ReusableDeflater(const ReusableDeflater &) = delete;
  ReusableDeflater &operator=(const ReusableDeflater &) = delete;
  ~ReusableDeflater() {
    if (ready_) deflateEnd(&stream_);
  }

  /// The stream, fresh; null if zlib could not allocate its state.
  z_stream *acquire() {
    if (ready_) return deflateReset(&stream_) == Z_OK ? &stream_ : nullptr;
    stream_ = z_stream{};
    ready_ = deflateInit2(&stream_, Z_BEST_COMPRESSION, Z_DEFLATED, windowBits_, 9, Z_DEFAULT_STRATEGY) == Z_OK;
    return ready_ ? &stream_ : nullptr;
  }

private:
  int windowBits_;
  z_stream stream_{};
  bool ready_ = false;
};

/// One per thread and wrapper: zlib streams are not shared between threads.
/// Null for a wrapper Ward does not write.
z_stream *deflaterFor(int windowBits) {
  thread_local ReusableDeflater gzipWrapped(15 + 16), raw(-15);
  if (windowBits == 15 + 16) return gzipWrapped.acquire();
  if (windowBits == -15) return raw.acquire();
  return nullptr;
}

} // namespace

llvm::Expected<std::string> deflateBest(llvm::StringRef data, int windowBits) {
  if (data.size() > std::numeric_limits<uInt>::max())
    return llvm::createStringError(std::errc::file_too_large, "too large for one zlib call");
  z_stream *stream = deflaterFor(windowBits);
  if (!stream)
    return llvm::createStringError(std::errc::not_enough_memory, "zlib could not start (windowBits %d)", windowBits);
  std::string out(deflateBound(stream, data.size()), '\0');
  stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
  stream->avail_in = static_cast<uInt>(data.size());
  stream->next_out = reinterpret_cast<Bytef *>(out.data());
  stream->avail_out = static_cast<uInt>(out.size());
  int result = deflate(stream, Z_FINISH);
  if (result != Z_STREAM_END) return llvm::createStringError(std::errc::io_error, "zlib could not compress");
  out.resize(stream->total_out);
  return out;
}

llvm::Expected<std::string> writeTgz(std::vector<TarEntry> entries) {
  llvm::Expected<std::string> tar = writeUstar(std::move(entries));
  if (!tar) return tar.takeError();
  return gzip(*tar);
}

} // namespace ward::codegen
