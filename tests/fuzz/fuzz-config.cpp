// ward.json on any bytes: read with located diagnostics, never a crash. The
// file must be on disk (the reader finds it by walking up from a path), so
// each input is written to a private directory first.
#include "FuzzSupport.h"
#include "analysis/Rules.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <fstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string dir = [] {
    llvm::SmallString<128> made;
    if (llvm::sys::fs::createUniqueDirectory("ward-fuzz-config", made)) std::abort();
    return std::string(made);
  }();
  {
    std::ofstream out(dir + "/ward.json", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  }
  ward::DiagnosticEngine diags;
  ward::SourceManager sm;
  ward::analysis::Config config = ward::analysis::loadConfig(dir + "/policy.ward", diags, &sm);
  (void)config;
  return 0;
}
