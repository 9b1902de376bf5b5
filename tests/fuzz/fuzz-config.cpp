// ward.json on any bytes: read with located diagnostics, never a crash. The
// file must be on disk (the reader finds it by walking up from a path), so
// each input is written to a private directory first.
#include "FuzzSupport.h"
#include "analysis/Rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string dir = ward::fuzz::writeToPrivateDir("ward.json", data, size);
  ward::DiagnosticEngine diags;
  ward::SourceManager sm;
  ward::analysis::Config config = ward::analysis::loadConfig(dir + "/policy.ward", diags, &sm);
  (void)config;
  return 0;
}
