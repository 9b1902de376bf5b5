// JsonCursor on any bytes, against llvm::json where that follows RFC 8259:
// the same accept/reject decision, the same decoded string, whether read as
// a copy or as a view. The role
// catalogue's reader, built on the cursor, never crashes either.
#include "FuzzSupport.h"
#include "JsonOracle.h"
#include "analysis/Permissions.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  ward::analysis::RoleCatalog catalog;
  llvm::consumeError(catalog.read(text, "roles.json"));
  std::optional<ward::test::JsonVerdict> expected = ward::test::llvmJsonVerdict(text);
  if (!expected) return 0;
  ward::test::JsonVerdict actual = ward::test::cursorVerdict(text), viewed = ward::test::cursorViewVerdict(text);
  auto show = [](const ward::test::JsonVerdict &v) {
    return std::string(v.accepted ? "accepted" : "rejected") + (v.string ? " \"" + *v.string + "\"" : "");
  };
  if (!(actual == *expected))
    ward::fuzz::propertyFailed("JsonCursor reads as llvm::json", show(*expected), show(actual));
  if (!(viewed == *expected))
    ward::fuzz::propertyFailed("JsonCursor reads views as llvm::json", show(*expected), show(viewed));
  return 0;
}
