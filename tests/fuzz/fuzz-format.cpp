// `wardc fmt` on any input: a file with syntax errors is left alone; any
// other is formatted, its meaning kept (the formatter's own soundness check
// must never fire: F0001 would be a formatter bug), and formatting the result
// again changes nothing.
#include "FuzzSupport.h"
#include "format/Formatter.h"

#include <llvm/Support/MemoryBuffer.h>

namespace {

std::optional<std::string> format(const std::string &text, ward::DiagnosticEngine &diags) {
  ward::SourceManager sm;
  ward::FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz.ward"), "fuzz.ward");
  return ward::format::formatFile(sm, id, ward::format::FormatOptions{}, diags, std::nullopt);
}

bool refusedUnsoundly(const ward::DiagnosticEngine &diags) {
  for (const ward::Diagnostic &d : diags.diagnostics())
    if (d.code == "F0001") return true;
  return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  ward::DiagnosticEngine first;
  std::optional<std::string> once = format(text, first);
  if (refusedUnsoundly(first)) ward::fuzz::propertyFailed("the formatter keeps the meaning", text, "F0001");
  if (!once) return 0;
  ward::DiagnosticEngine second;
  std::optional<std::string> twice = format(*once, second);
  if (!twice) ward::fuzz::propertyFailed("formatted text parses", *once, "(syntax errors)");
  if (*twice != *once) ward::fuzz::propertyFailed("formatting is idempotent", *once, *twice);
  return 0;
}
