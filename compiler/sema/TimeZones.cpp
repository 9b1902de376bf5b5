#include "sema/TimeZones.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringRef.h>

#include <algorithm>

namespace ward::sema {
namespace {

struct EmbeddedFile {
  const char *name;
  const char *text;
};
const EmbeddedFile kFiles[] = {
#include "TimeZones.inc"
};

struct Table {
  std::vector<std::string> windows;           // sorted
  llvm::StringMap<std::string> ianaToWindows; // IANA name -> Windows ID
};

/// The value of attribute `name` in the element text `element`.
llvm::StringRef attribute(llvm::StringRef element, llvm::StringRef name) {
  std::string key = " " + name.str() + "=\"";
  size_t at = element.find(key);
  if (at == llvm::StringRef::npos) return {};
  llvm::StringRef rest = element.drop_front(at + key.size());
  return rest.take_until([](char c) { return c == '"'; });
}

/// Parses the `<mapZone other="..." territory="..." type="a b"/>` elements.
Table parse(llvm::StringRef xml) {
  Table table;
  for (size_t at = xml.find("<mapZone "); at != llvm::StringRef::npos; at = xml.find("<mapZone ", at + 1)) {
    llvm::StringRef element = xml.drop_front(at).take_until([](char c) { return c == '>'; });
    std::string windows = attribute(element, "other").str();
    if (windows.empty()) continue;
    table.windows.push_back(windows);
    llvm::SmallVector<llvm::StringRef, 8> names;
    attribute(element, "type").split(names, ' ', -1, false);
    for (llvm::StringRef iana : names) table.ianaToWindows.try_emplace(iana, windows);
  }
  std::sort(table.windows.begin(), table.windows.end());
  table.windows.erase(std::unique(table.windows.begin(), table.windows.end()), table.windows.end());
  return table;
}

const Table &table() {
  static const Table kTable = parse(kFiles[0].text);
  return kTable;
}

} // namespace

bool isWindowsTimeZone(llvm::StringRef id) {
  return std::binary_search(table().windows.begin(), table().windows.end(), id.str());
}

std::optional<std::string> windowsTimeZoneFor(llvm::StringRef iana) {
  auto it = table().ianaToWindows.find(iana);
  if (it == table().ianaToWindows.end()) return std::nullopt;
  return it->second;
}

const std::vector<std::string> &windowsTimeZones() { return table().windows; }

} // namespace ward::sema
