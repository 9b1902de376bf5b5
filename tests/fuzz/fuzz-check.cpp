// `wardc check` and then `wardc build` into memory on one policy file (an
// editor buffer, so nothing touches the disk): never a crash, a hang or a
// sanitizer report, whatever the input; a program that checks clean either
// generates every artifact or reports why not (an error, never silence).
#include "FuzzSupport.h"
#include "driver/Driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path = "/nonexistent-ward-fuzz/policy.ward";
  ward::Compilation compilation(ward::fuzz::loadOptions());
  compilation.setBuffer(path, std::string(reinterpret_cast<const char *>(data), size));
  if (!compilation.check({path})) return 0;
  if (compilation.diagnostics().hasErrors()) ward::fuzz::propertyFailed("check() is true only without errors", "", "");
  std::optional<ward::codegen::ArtifactSet> artifacts = compilation.generate("fuzz");
  (void)artifacts; // a generation error is a diagnostic of its own; both are fine here
  return 0;
}
