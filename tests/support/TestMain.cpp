#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// CTest runs each test case by name (catch_discover_tests), and CMake splits
// names at `;`: a test case with one in its name would be registered as two
// names that match nothing, and "pass" without running. Keep them out.
TEST_CASE("no test case name contains a semicolon", "[meta]") {
  for (const Catch::TestCase &test : Catch::getAllTestCasesSorted(*Catch::getCurrentContext().getConfig())) {
    INFO(test.name);
    CHECK(test.name.find(';') == std::string::npos);
  }
}
