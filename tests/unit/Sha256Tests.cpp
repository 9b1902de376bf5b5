// SHA-256 of artifacts: the published test vectors (FIPS 180-4's examples,
// as NIST's "Cryptographic Standards and Guidelines: Examples with
// Intermediate Values" lists them) on both the SHA unit and the portable
// code, and the two compared on every length around the block and padding
// boundaries and on large random inputs.
#include "Bytes.h"
#include "output/Artifacts.h"
#include "output/Sha256.h"

#include <llvm/ADT/StringExtras.h>

#include <catch2/catch.hpp>

using namespace ward::codegen;
using ward::test::randomBytes;

namespace {

std::string hex(const Sha256Digest &digest) { return llvm::toHex(digest, /*LowerCase=*/true); }

} // namespace

TEST_CASE("SHA-256 gives the published digests", "[sha256]") {
  struct Vector {
    std::string input, digest;
  };
  std::vector<Vector> vectors{
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const Vector &v : vectors) {
    INFO("input of " << v.input.size() << " bytes");
    CHECK(hex(sha256Portable(v.input)) == v.digest);
    CHECK(hex(sha256(v.input)) == v.digest);
    CHECK(sha256Hex(v.input) == v.digest);
    if (std::optional<Sha256Digest> fast = sha256Accelerated(v.input)) CHECK(hex(*fast) == v.digest);
  }
}

TEST_CASE("SHA-256 on the SHA unit equals the portable code at every length", "[sha256]") {
  if (!sha256Accelerated("")) {
    WARN("this CPU has no SHA unit; only the portable code is in use");
    return;
  }
  // Every length up to four blocks covers the padding's one-block and
  // two-block cases (a rest of 55 and 56 bytes) at every offset.
  std::string data = randomBytes(4096 + 300, 1);
  for (size_t size = 0; size <= 256; ++size) {
    llvm::StringRef input(data.data(), size);
    INFO("input of " << size << " bytes");
    REQUIRE(hex(*sha256Accelerated(input)) == hex(sha256Portable(input)));
  }
  // Unaligned starts, and large inputs of odd sizes.
  for (size_t start = 1; start < 16; ++start)
    REQUIRE(hex(*sha256Accelerated(llvm::StringRef(data).substr(start, 4096))) ==
            hex(sha256Portable(llvm::StringRef(data).substr(start, 4096))));
  for (uint32_t seed = 2; seed < 6; ++seed) {
    std::string big = randomBytes(1000003 * seed, seed);
    REQUIRE(hex(*sha256Accelerated(big)) == hex(sha256Portable(big)));
  }
}
