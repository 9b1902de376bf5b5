// A JSON Web Key Set on any bytes, as an issuer's `jwks_file` embeds it: the
// policy names a file written with the input; `check` reads, selects and
// reduces its keys, or reports E0320 at the attribute, never crashes.
#include "FuzzSupport.h"
#include "driver/Driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string dir = ward::fuzz::writeToPrivateDir("jwks.json", data, size);
  ward::Compilation compilation(ward::fuzz::loadOptions());
  std::string policy = dir + "/policy.ward";
  compilation.setBuffer(policy, "issuer idp {\n"
                                "  issuer = \"https://id.example.test/\"\n"
                                "  jwks_file = \"jwks.json\"\n"
                                "  audiences = [\"api://fuzz\"]\n"
                                "  algorithms = [RS256, PS256, ES256, ES384]\n"
                                "  max_lifetime = 1h\n"
                                "}\n");
  compilation.check({policy});
  for (const ward::Diagnostic &d : compilation.diagnostics().diagnostics())
    if (d.severity == ward::Severity::Error && d.code != "E0320" && d.code != "W025")
      ward::fuzz::propertyFailed("a key set's only error is E0320", "E0320", d.code.str() + ": " + d.message);
  return 0;
}
