// The runtime pieces bundles are assembled from, and the feature switches
// that keep unused code out of them.
#include "edgeworkers/Runtime.h"

#include <catch2/catch.hpp>

using ward::codegen::runtimePiece;

TEST_CASE("runtime pieces keep only the code of enabled features", "[edgeworkers]") {
  std::string rsOnly = runtimePiece("token", {"RS256"});
  CHECK(rsOnly.find("RS256: {") != std::string::npos);
  CHECK(rsOnly.find("ES256: {") == std::string::npos);
  std::string both = runtimePiece("token", {"RS256", "ES256"});
  CHECK(both.find("ES256: {") != std::string::npos);

  std::string full = runtimePiece("forward", {"jitter-full"});
  CHECK(full.find("case \"full\"") != std::string::npos);
  CHECK(full.find("case \"equal\"") == std::string::npos);
  CHECK(full.find("case \"decorrelated\"") == std::string::npos);

  CHECK(runtimePiece("admit-client", {}).find("logger.log") == std::string::npos);
  CHECK(runtimePiece("admit-client", {"log"}).find("logger.log") != std::string::npos);
}

TEST_CASE("no feature switch survives into generated code", "[edgeworkers]") {
  const std::set<std::string> all = {"provider",           "log", "RS256", "ES256", "jitter-full", "jitter-equal",
                                     "jitter-decorrelated"};
  for (const char *piece :
       {"paths", "token", "keys-embedded", "keys-remote", "admit-client", "admit-provider", "forward"}) {
    INFO(piece);
    for (const std::set<std::string> &features : {std::set<std::string>{}, all}) {
      std::string text = runtimePiece(piece, features);
      CHECK_FALSE(text.empty());
      CHECK(text.find("//#") == std::string::npos);
    }
  }
}
