#include "output/Zip.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>

namespace ward::codegen {
namespace {

void le16(std::string &out, uint32_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}
void le32(std::string &out, uint32_t v) {
  le16(out, v & 0xffff);
  le16(out, v >> 16);
}

constexpr uint32_t kDosDate = (0 << 9) | (1 << 5) | 1; // 1980-01-01
constexpr uint32_t kDosTime = 0;                       // 00:00:00
constexpr uint32_t kVersionNeeded = 20;                // deflate
constexpr uint32_t kMadeByUnix = (3 << 8) | 20;
constexpr uint32_t kMode0644 = 0100644u << 16; // a regular file, in the external attributes

} // namespace

llvm::Expected<std::string> writeZip(std::vector<TarEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const TarEntry &a, const TarEntry &b) { return a.name < b.name; });
  std::string out, central;
  for (const TarEntry &e : entries) {
    if (e.name.empty() || e.name.size() > 0xffff || e.bytes.size() >= 0xffffffffu)
      return llvm::createStringError(std::errc::invalid_argument, "cannot store `%s` in a zip", e.name.c_str());
    llvm::Expected<std::string> packed = deflateBest(e.bytes, -15); // raw, as method 8 stores it
    if (!packed) return packed.takeError();
    uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef *>(e.bytes.data()), static_cast<uInt>(e.bytes.size())));
    uint32_t offset = static_cast<uint32_t>(out.size());
    auto common = [&](std::string &to) {
      le16(to, 0); // flags: sizes known up front, no data descriptor
      le16(to, 8); // deflate
      le16(to, kDosTime);
      le16(to, kDosDate);
      le32(to, crc);
      le32(to, static_cast<uint32_t>(packed->size()));
      le32(to, static_cast<uint32_t>(e.bytes.size()));
      le16(to, static_cast<uint32_t>(e.name.size()));
      le16(to, 0); // extra field length
    };
    le32(out, 0x04034b50);
    le16(out, kVersionNeeded);
    common(out);
    out += e.name;
    out += *packed;

    le32(central, 0x02014b50);
    le16(central, kMadeByUnix);
    le16(central, kVersionNeeded);
    common(central);
    le16(central, 0); // comment length
    le16(central, 0); // disk number
    le16(central, 0); // internal attributes
    le32(central, kMode0644);
    le32(central, offset);
    central += e.name;
  }
  if (out.size() + central.size() >= 0xffffffffu || entries.size() > 0xffff)
    return llvm::createStringError(std::errc::file_too_large, "the zip would need ZIP64");
  uint32_t centralOffset = static_cast<uint32_t>(out.size());
  out += central;
  le32(out, 0x06054b50);
  le16(out, 0);
  le16(out, 0);
  le16(out, static_cast<uint32_t>(entries.size()));
  le16(out, static_cast<uint32_t>(entries.size()));
  le32(out, static_cast<uint32_t>(central.size()));
  le32(out, centralOffset);
  le16(out, 0); // comment length
  return out;
}

} // namespace ward::codegen
