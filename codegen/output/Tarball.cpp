#include "output/Tarball.h"

#include <fmt/format.h>
#include <zlib.h>

#include <llvm/ADT/StringMap.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <mutex>

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

llvm::Expected<std::string> writeUstar(std::vector<TarEntry> entries, std::map<std::string, size_t> *dataOffsets) {
  std::sort(entries.begin(), entries.end(), [](const TarEntry &a, const TarEntry &b) { return a.name < b.name; });
  // Sized once: a bundle's archive grown by appends is copied several times
  // over, into memory the process has not touched before.
  size_t total = 2 * kBlock;
  for (const TarEntry &e : entries) total += kBlock + (e.bytes.size() + kBlock - 1) / kBlock * kBlock;
  std::string out;
  out.reserve(total);
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
    if (dataOffsets) (*dataOffsets)[e.name] = out.size();
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

/// A deflate stream kept for reuse. Its state is about 256 KB, and setting
/// it up (allocating and clearing it) costs more than compressing a typical
/// bundle; deflateReset keeps the memory and gives exactly the output a
/// fresh stream would. zlib's default memory level (8), not its largest: a
/// reset clears the hash table, which the largest doubles, and a bundle of
/// a few kilobytes compresses to the same size with either.
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
    ready_ = deflateInit2(&stream_, Z_BEST_COMPRESSION, Z_DEFLATED, windowBits_, kDeflateMemLevel,
                          Z_DEFAULT_STRATEGY) == Z_OK;
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

namespace {

/// Deflates `data` onto the end of `out` through `stream`, ending with
/// `flush`: Z_FINISH ends the stream, Z_SYNC_FLUSH leaves it open and
/// byte-aligned, for another piece to follow.
llvm::Error deflatePiece(z_stream *stream, std::string &out, llvm::StringRef data, int flush) {
  if (data.size() > std::numeric_limits<uInt>::max())
    return llvm::createStringError(std::errc::file_too_large, "too large for one zlib call");
  size_t start = out.size();
  // deflateBound covers a finished stream; a sync flush adds an empty stored
  // block of at most 5 bytes more. The loop below grows the room regardless.
  out.resize(start + deflateBound(stream, data.size()) + 8);
  stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
  stream->avail_in = static_cast<uInt>(data.size());
  size_t written = 0;
  for (;;) {
    size_t room = out.size() - start - written;
    stream->next_out = reinterpret_cast<Bytef *>(out.data() + start + written);
    stream->avail_out = static_cast<uInt>(room);
    int result = deflate(stream, flush);
    written += room - stream->avail_out;
    if (flush == Z_FINISH && result == Z_STREAM_END) break;
    // A flush is complete when zlib stops short of the room it was given
    // (a repeated call with nothing left to do reports Z_BUF_ERROR).
    bool flushed = stream->avail_in == 0 && stream->avail_out > 0 && (result == Z_OK || result == Z_BUF_ERROR);
    if (flush != Z_FINISH && flushed) break;
    if ((result != Z_OK && result != Z_BUF_ERROR) || stream->avail_out > 0)
      return llvm::createStringError(std::errc::io_error, "zlib could not compress");
    out.resize(out.size() + 4096); // out of room: more, and go on
  }
  out.resize(start + written);
  return llvm::Error::success();
}

/// This thread's stream for `windowBits`, fresh.
llvm::Expected<z_stream *> freshStream(int windowBits) {
  z_stream *stream = deflaterFor(windowBits);
  if (!stream)
    return llvm::createStringError(std::errc::not_enough_memory, "zlib could not start (windowBits %d)", windowBits);
  return stream;
}

/// `data` deflated onto the end of `out` by a fresh stream.
llvm::Error deflateOnto(std::string &out, llvm::StringRef data, int windowBits, int flush) {
  llvm::Expected<z_stream *> stream = freshStream(windowBits);
  if (!stream) return stream.takeError();
  return deflatePiece(*stream, out, data, flush);
}

/// The raw deflated form of each shared piece, by content: computed once,
/// outside the lock (two threads may both compute one; they agree).
llvm::Expected<std::string> sharedPiece(llvm::StringRef piece) {
  static std::mutex mutex;
  static llvm::StringMap<std::string> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(piece);
    if (it != cache.end()) return it->second;
  }
  // A stream of its own: the thread's is in the middle of the text around it.
  ReusableDeflater own(-15);
  z_stream *stream = own.acquire();
  if (!stream) return llvm::createStringError(std::errc::not_enough_memory, "zlib could not start");
  std::string deflated;
  if (llvm::Error e = deflatePiece(stream, deflated, piece, Z_SYNC_FLUSH)) return e;
  std::lock_guard<std::mutex> lock(mutex);
  return cache.try_emplace(piece, std::move(deflated)).first->second;
}

void appendLittleEndian32(std::string &out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

} // namespace

llvm::Expected<std::string> deflateBest(llvm::StringRef data, int windowBits) {
  std::string out;
  if (llvm::Error e = deflateOnto(out, data, windowBits, Z_FINISH)) return e;
  return out;
}

llvm::Expected<std::string> gzipSharing(llvm::StringRef data, llvm::ArrayRef<ByteRange> shared) {
  if (data.size() > std::numeric_limits<uInt>::max())
    return llvm::createStringError(std::errc::file_too_large, "too large for one zlib call");
  // RFC 1952, section 2.3: magic, deflate, no flags, mtime 0, "maximum
  // compression" as extra flags, and Unix as the system, as zlib writes them.
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10);
  // One raw stream deflates this text's own pieces. A shared piece's bytes
  // go out as deflated on their own; the stream is told them afterwards as a
  // dictionary, which raw deflate allows after a sync flush, so that its
  // window holds what the decompressor's holds and later pieces may refer
  // back into them.
  llvm::Expected<z_stream *> stream = freshStream(-15);
  if (!stream) return stream.takeError();
  size_t at = 0;
  for (const ByteRange &range : shared) {
    if (range.begin < at || range.end < range.begin || range.end > data.size())
      return llvm::createStringError(std::errc::invalid_argument, "shared ranges out of order");
    if (range.begin > at)
      if (llvm::Error e = deflatePiece(*stream, out, data.slice(at, range.begin), Z_SYNC_FLUSH)) return e;
    if (range.end > range.begin) {
      llvm::StringRef bytes = data.slice(range.begin, range.end);
      llvm::Expected<std::string> piece = sharedPiece(bytes);
      if (!piece) return piece.takeError();
      out += *piece;
      constexpr size_t kWindow = 32 * 1024; // deflate refers back at most this far
      llvm::StringRef window = bytes.take_back(kWindow);
      if (deflateSetDictionary(*stream, reinterpret_cast<const Bytef *>(window.data()),
                               static_cast<uInt>(window.size())) != Z_OK)
        return llvm::createStringError(std::errc::io_error, "zlib could not take a shared piece as history");
    }
    at = range.end;
  }
  // The last piece, maybe empty, carries the final block.
  if (llvm::Error e = deflatePiece(*stream, out, data.substr(at), Z_FINISH)) return e;
  appendLittleEndian32(out,
                       static_cast<uint32_t>(crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef *>(data.data()),
                                                   static_cast<uInt>(data.size()))));
  appendLittleEndian32(out, static_cast<uint32_t>(data.size())); // ISIZE: the size modulo 2^32
  return out;
}

llvm::Expected<std::string> writeTgz(std::vector<TarEntry> entries) {
  llvm::Expected<std::string> tar = writeUstar(std::move(entries));
  if (!tar) return tar.takeError();
  return gzip(*tar);
}

} // namespace ward::codegen
