#include "TestSupport.h"

#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::test;

static const char *kBase = R"(
import std.azure
identity sp-orders-edge : service_principal
resource orders-vm : azure.vm { resource_group = "rg" name = "vm" origin = "https://vm.example.net" }
resource orders-vault : azure.recovery_vault { resource_group = "rg" name = "rsv" }
)";

TEST_CASE("unknown names suggest the closest declared name", "[resolve]") {
  CheckResult r = checkSource(std::string(kBase) + "allow sp-order-edge to vm.read on orders-vm\n");
  const Diagnostic *d = r.find("E0204");
  REQUIRE(d);
  CHECK(d->message == "unknown identity `sp-order-edge`");
  CHECK(d->help == "did you mean `sp-orders-edge`?");
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].replacement == "sp-orders-edge");
  REQUIRE(d->labels.size() == 1); // points at the declaration it suggests
}

TEST_CASE("duplicate names report both locations", "[resolve]") {
  CheckResult r = checkSource(std::string(kBase) + "identity orders-vm : group\n");
  const Diagnostic *d = r.find("E0203");
  REQUIRE(d);
  CHECK(r.start(*d).line == 6);
  REQUIRE(d->labels.size() == 1);
  CHECK(r.compilation->sources().lineColumn(d->labels[0].range.file, d->labels[0].range.begin).line == 4);
  CHECK(d->labels[0].message == "first declared here as a resource");
}

TEST_CASE("a name of the wrong kind says what was expected", "[resolve]") {
  CheckResult r = checkSource(std::string(kBase) + "allow orders-vm to vm.read on orders-vm\n");
  CHECK(r.has("E0205", "`orders-vm` is a resource, but `allow` needs an identity"));
}

TEST_CASE("capabilities are looked up per resource type", "[resolve]") {
  CheckResult wrongType = checkSource(std::string(kBase) + "allow sp-orders-edge to backup.operate on orders-vm\n");
  CHECK(wrongType.has("E0205",
                      "capability `backup.operate` applies to `azure.recovery_vault`, but `orders-vm` is `azure.vm`"));
  CheckResult typo = checkSource(std::string(kBase) + "allow sp-orders-edge to backup.operat on orders-vault\n");
  const Diagnostic *d = typo.find("E0204");
  REQUIRE(d);
  CHECK(d->help == "did you mean `backup.operate`?");
  CheckResult ok = checkSource(std::string(kBase) + "allow sp-orders-edge to backup.operate on orders-vault\n");
  INFO(ok.text());
  CHECK(ok.ok);
}

TEST_CASE("names in other files need an import", "[resolve]") {
  CheckResult r = check(
      {{"a.ward", "import std.azure\nallow sp to vm.read on vm\n"},
       {"b.ward",
        "import std.azure\nidentity sp : group\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"}});
  CHECK(r.has("E0206", "`sp` is declared in"));
  const Diagnostic *d = r.find("E0206");
  REQUIRE(d);
  CHECK(d->help.find("import \"") != std::string::npos);

  CheckResult imported = check(
      {{"a.ward", "import std.azure\nimport \"b.ward\"\nallow sp to vm.read on vm\n"},
       {"b.ward",
        "import std.azure\nidentity sp : group\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"}},
      {"a.ward"});
  INFO(imported.text());
  CHECK(imported.ok);
}

TEST_CASE("stdlib names are visible only where the module is imported", "[resolve]") {
  CheckResult r = checkSource("resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n");
  const Diagnostic *d = r.find("E0206");
  REQUIRE(d);
  CHECK(d->help == "add `import std.azure` at the top of this file");
}

TEST_CASE("import cycles are reported with the whole chain", "[resolve]") {
  CheckResult r = check({{"a.ward", "import \"b.ward\"\nidentity x : group\n"},
                         {"b.ward", "import \"c.ward\"\nidentity y : group\n"},
                         {"c.ward", "import \"a.ward\"\nidentity z : group\n"}},
                        {"a.ward"});
  const Diagnostic *d = r.find("E0202");
  REQUIRE(d);
  CHECK(d->message.find("a.ward -> ") != std::string::npos);
  CHECK(d->message.find("b.ward -> ") != std::string::npos);
  CHECK(d->message.find("c.ward -> ") != std::string::npos);
  CHECK(d->labels.size() == 2);

  CheckResult self = check({{"s.ward", "import \"s.ward\"\nidentity x : group\n"}});
  CHECK(self.has("E0202", "imports itself"));
}

TEST_CASE("a missing import file is reported at the import", "[resolve]") {
  CheckResult r = checkSource("import \"nope.ward\"\nidentity x : group\n");
  const Diagnostic *d = r.find("E0201");
  REQUIRE(d);
  CHECK(r.start(*d).line == 1);
  CHECK(r.start(*d).column == 8);
}

TEST_CASE("E0206 suggests an import path relative to the importing file, and following it works", "[resolver]") {
  std::map<std::string, std::string> files = {
      {"app/main.ward",
       "import std.azure\nidentity sp-app : service_principal {}\nallow sp-app to vm.read on shared-vm\n"},
      {"lib/shared.ward",
       "import std.azure\nresource shared-vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"},
  };
  CheckResult r = check(files);
  const Diagnostic *d = r.find("E0206");
  REQUIRE(d);
  CHECK(d->help == "add `import \"../lib/shared.ward\"` at the top of this file");
  files["app/main.ward"] = "import \"../lib/shared.ward\"\n" + files["app/main.ward"];
  CheckResult fixed = check(files);
  INFO(fixed.text());
  CHECK_FALSE(fixed.has("E0206"));
  CHECK(fixed.frontEndOk());
}
