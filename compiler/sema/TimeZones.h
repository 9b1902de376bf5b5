//===- TimeZones.h - Windows time zone IDs, as Azure Backup takes them ----===//
#pragma once

#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>
#include <vector>

namespace ward::sema {

/// Whether `id` is a Windows time zone ID (Unicode CLDR's windowsZones.xml).
bool isWindowsTimeZone(llvm::StringRef id);
/// The Windows time zone ID CLDR maps the IANA name `iana` to, if any.
std::optional<std::string> windowsTimeZoneFor(llvm::StringRef iana);
/// Every Windows time zone ID, sorted.
const std::vector<std::string> &windowsTimeZones();

} // namespace ward::sema
