// The language server's model (WardServer) in-process, handler by handler,
// without the protocol: what each feature answers for a document state.
#include "TestSupport.h"
#include "lsp/WardServer.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::lsp;
using namespace ward::test;

namespace {

llvm::json::Array changeAt(int64_t line, int64_t from, int64_t to, const std::string &text) {
  return llvm::json::Array{llvm::json::Object{
      {"range", llvm::json::Object{{"start", llvm::json::Object{{"line", line}, {"character", from}}},
                                   {"end", llvm::json::Object{{"line", line}, {"character", to}}}}},
      {"text", text}}};
}

int64_t startLine(const llvm::json::Value &location) {
  return *location.getAsObject()->getObject("range")->getObject("start")->getInteger("line");
}

} // namespace

TEST_CASE("WardServer: incremental changes apply in UTF-16 units, and misfits are refused", "[lsp][unit]") {
  WardServer server(loadOptions(), PositionEncoding::Utf16);
  server.open("/w/a.ward", "identity é😀 : group\n", 1);
  // `😀` is two UTF-16 units: replacing units 10..12 replaces exactly it.
  REQUIRE(server.change("/w/a.ward", changeAt(0, 10, 12, "x"), 2));
  CHECK(*server.text("/w/a.ward") == "identity éx : group\n");
  CHECK_FALSE(server.change("/w/a.ward", llvm::json::Array{llvm::json::Object{{"range", 1}}}, 3));
  CHECK_FALSE(server.change("/w/other.ward", changeAt(0, 0, 0, "x"), 2)); // not open
  server.close("/w/a.ward");
  CHECK_FALSE(server.text("/w/a.ward"));
}

TEST_CASE("WardServer: check, definition, references and hover over an unsaved project", "[lsp][unit]") {
  WardServer server(loadOptions(), PositionEncoding::Utf16);
  server.addRoot("/nowhere/p");
  server.open("/nowhere/p/a.ward",
              "import std.retry\nretry reads { attempts = 3 on = [503] per_try_timeout = 1s }\n"
              "import std.azure\n",
              1);
  std::vector<FileDiagnostics> diags = server.check("/nowhere/p/a.ward");
  REQUIRE(diags.size() == 1); // the unused retry (W025)
  CHECK(diags[0].version == std::optional<int64_t>(1));
  REQUIRE(diags[0].diagnostics.size() >= 1);
  llvm::json::Value definition = server.definition("/nowhere/p/a.ward", {1, 8});
  REQUIRE(definition.getAsObject());
  CHECK(startLine(definition) == 1);
  llvm::json::Value refs = server.references("/nowhere/p/a.ward", {1, 8}, true);
  CHECK(refs.getAsArray()->size() == 1); // only the declaration
  llvm::json::Value hover = server.hover("/nowhere/p/a.ward", {1, 8});
  REQUIRE(hover.getAsObject());
  std::string text = hover.getAsObject()->getObject("contents")->getString("value")->str();
  CHECK(text.find("worst case: 3 × 1s") != std::string::npos);
  CHECK(server.definition("/nowhere/p/a.ward", {0, 0}).getAsNull()); // a keyword names nothing
}

TEST_CASE("WardServer: formatting answers one minimal edit, none when canonical, nothing on syntax errors",
          "[lsp][unit]") {
  WardServer server(loadOptions(), PositionEncoding::Utf16);
  server.open("/w/a.ward", "// é\nidentity   sp-a : group\n", 1);
  std::optional<std::vector<TextEdit>> edits = server.format("/w/a.ward", std::nullopt);
  REQUIRE(edits);
  REQUIRE(edits->size() == 1);
  CHECK((*edits)[0].start.line == 1);
  CHECK((*edits)[0].start.character == 9);
  CHECK((*edits)[0].end.character == 11);
  CHECK((*edits)[0].newText == "");
  server.open("/w/b.ward", "identity sp-a : group\n", 1);
  CHECK(server.format("/w/b.ward", std::nullopt)->empty());
  server.open("/w/c.ward", "identity sp-a : group {\n", 1);
  CHECK_FALSE(server.format("/w/c.ward", std::nullopt));
}

TEST_CASE("WardServer: rename refuses what cannot change and edits every use", "[lsp][unit]") {
  WardServer server(loadOptions(), PositionEncoding::Utf16);
  server.addRoot("/nowhere/q");
  server.open(
      "/nowhere/q/a.ward",
      "import std.azure\nidentity sp-a : group\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
      "allow sp-a to vm.read on vm\n",
      1);
  server.check("/nowhere/q/a.ward");
  auto renamed = server.rename("/nowhere/q/a.ward", {3, 7}, "sp-orders");
  REQUIRE(std::holds_alternative<llvm::json::Value>(renamed));
  const llvm::json::Array *edits =
      std::get<llvm::json::Value>(renamed).getAsObject()->getObject("changes")->getArray("file:///nowhere/q/a.ward");
  REQUIRE(edits);
  CHECK(edits->size() == 2);
  CHECK(std::holds_alternative<std::string>(server.rename("/nowhere/q/a.ward", {2, 16}, "vm2"))); // azure.vm: stdlib
  CHECK(std::holds_alternative<std::string>(server.rename("/nowhere/q/a.ward", {3, 7}, "vm")));   // taken
  CHECK(std::holds_alternative<std::string>(server.rename("/nowhere/q/a.ward", {3, 7}, "a b")));  // invalid
}

TEST_CASE("WardServer: code lenses say what each declaration generates and open what `wardc build` writes",
          "[lsp][unit]") {
  std::string root = sourceDir() + "/examples/vm-backup", path = root + "/backup.ward";
  WardServer server(loadOptions(), PositionEncoding::Utf16, "test");
  server.addRoot(root);
  server.open(path, readFile(path), 1);
  llvm::json::Value lenses = server.codeLenses(path);
  std::map<std::string, std::string> artifactOf; // title -> artifact
  for (const llvm::json::Value &lens : *lenses.getAsArray()) {
    const llvm::json::Object *command = lens.getAsObject()->getObject("command");
    REQUIRE(command->getString("command") == llvm::Optional<llvm::StringRef>("ward.showGenerated"));
    artifactOf[command->getString("title")->str()] = command->getArray("arguments")->back().getAsString()->str();
  }
  CHECK(artifactOf["role ward-vm-backup-backup-operate: 6 actions"] ==
        "azure/roles/ward-vm-backup-backup-operate.json");
  CHECK(artifactOf["role ward-vm-backup-logs-ingest: 1 data action"] == "azure/roles/ward-vm-backup-logs-ingest.json");
  CHECK(artifactOf["ARM template azure/backup.json: 1 backup policy, 1 protected item"] == "azure/backup.json");

  // Each lens opens exactly the bytes `wardc build` writes.
  Compilation built(loadOptions());
  REQUIRE(built.check({root}));
  TempDir out;
  REQUIRE(built.build(out.path() + "/out", "test").wrote);
  for (const auto &[title, artifact] : artifactOf) {
    auto text = server.generatedText(path, artifact);
    REQUIRE(std::holds_alternative<llvm::json::Value>(text));
    CHECK(*std::get<llvm::json::Value>(text).getAsObject()->getString("text") ==
          readFile(out.path() + "/out/" + artifact));
  }

  // A program with errors generates nothing: no lenses, and the command says why.
  REQUIRE(server.change(path, changeAt(0, 0, 0, "identity broken : nonsense\n"), 2));
  server.check(path);
  CHECK(server.codeLenses(path).getAsArray()->empty());
  auto refused = server.generatedText(path, "azure/backup.json");
  REQUIRE(std::holds_alternative<std::string>(refused));
  CHECK(std::get<std::string>(refused) == "nothing is generated while the project has errors");
}

TEST_CASE("WardServer: the relay's lens opens its code, as `wardc build` writes it", "[lsp][unit][relay]") {
  std::string root = sourceDir() + "/examples/edge-backup", path = root + "/checkpoint.ward";
  WardServer server(loadOptions(), PositionEncoding::Utf16, "test");
  server.addRoot(root);
  server.open(path, readFile(path), 1);
  std::map<std::string, std::pair<std::vector<int64_t>, std::string>> lensOf; // title -> (lines, artifact)
  llvm::json::Value lenses = server.codeLenses(path);
  for (const llvm::json::Value &lens : *lenses.getAsArray()) {
    const llvm::json::Object *command = lens.getAsObject()->getObject("command");
    int64_t line = *lens.getAsObject()->getObject("range")->getObject("start")->getInteger("line");
    auto &entry = lensOf[command->getString("title")->str()];
    entry.first.push_back(line);
    entry.second = command->getArray("arguments")->back().getAsString()->str();
  }
  auto relay = std::find_if(lensOf.begin(), lensOf.end(), [](const auto &l) {
    return llvm::StringRef(l.first).startswith("relay backup-relay.zip: ") &&
           llvm::StringRef(l.first).endswith(" to zip deploy");
  });
  REQUIRE(relay != lensOf.end());
  // Over `resource backup-relay` and over the edgeworker whose routes call it.
  CHECK(relay->second.first == std::vector<int64_t>{22, 40});
  CHECK(relay->second.second == "relays/backup-relay/src/index.js");
  Compilation built(loadOptions());
  REQUIRE(built.check({root}));
  TempDir out;
  REQUIRE(built.build(out.path() + "/out", "test").wrote);
  auto text = server.generatedText(path, relay->second.second);
  REQUIRE(std::holds_alternative<llvm::json::Value>(text));
  CHECK(*std::get<llvm::json::Value>(text).getAsObject()->getString("text") ==
        readFile(out.path() + "/out/relays/backup-relay/src/index.js"));
  CHECK(lensOf.count("role ward-edge-backup-backup-on_demand: 4 actions"));
  // The relay's hover says which identity it runs as; `through backup-relay` (line 55) leads to it.
  llvm::json::Value hover = server.hover(path, {55, 40});
  REQUIRE(hover.getAsObject());
  std::string hoverText = hover.getAsObject()->getObject("contents")->getString("value")->str();
  CHECK(hoverText.find("resource backup-relay") != std::string::npos);
  CHECK(hoverText.find("- runs as managed identity `backup-relay-id` (system-assigned)") != std::string::npos);
  CHECK(startLine(server.definition(path, {55, 40})) == 22);
}

TEST_CASE("WardServer: a tenant named as an issuer template's parameter is a use of it", "[lsp][unit]") {
  std::string root = sourceDir() + "/examples/orders-api", path = root + "/orders.ward";
  WardServer server(loadOptions(), PositionEncoding::Utf16);
  server.addRoot(root);
  server.open(path, readFile(path), 1);
  server.check(path);
  // `  tenant = contoso` (line 11): definition goes to tenant.ward, references include this use.
  llvm::json::Value definition = server.definition(path, {10, 12});
  REQUIRE(definition.getAsObject());
  CHECK(llvm::StringRef(*definition.getAsObject()->getString("uri")).endswith("/tenant.ward"));
  CHECK(server.references(path, {10, 12}, true).getAsArray()->size() == 2);
}

TEST_CASE("WardServer: a long completion list is cut to the best matches of the typed word and marked incomplete",
          "[lsp][unit]") {
  std::string text;
  for (int i = 0; i < 150; ++i) text += fmt::format("identity id-{:03} : group\n", i);
  text += "identity other-one : group\n";
  text += "allow \n";
  text += "allow i13\n";
  WardServer server(loadOptions(), PositionEncoding::Utf16);
  server.open("/w/a.ward", text, 1);
  server.check("/w/a.ward");
  auto labels = [](const llvm::json::Value &list) {
    std::vector<std::string> out;
    for (const llvm::json::Value &item : *list.getAsObject()->getArray("items"))
      out.push_back(item.getAsObject()->getString("label")->str());
    return out;
  };
  // `allow |`: 151 identities, 100 of them, in declaration order.
  llvm::json::Value all = server.completion("/w/a.ward", {151, 6});
  REQUIRE(all.getAsObject());
  CHECK(all.getAsObject()->getBoolean("isIncomplete") == llvm::Optional<bool>(true));
  std::vector<std::string> first = labels(all);
  REQUIRE(first.size() == 100);
  CHECK(first.front() == "id-000");
  CHECK(first.back() == "id-099");
  // `allow i13|`: no name begins with it; those that contain i, 1, 3 in order (id-013, id-113, id-130...).
  std::vector<std::string> typed = labels(server.completion("/w/a.ward", {152, 9}));
  CHECK(typed.size() == 15); // 013, 023 ... 113, 123, 130-139, 143
  CHECK(std::find(typed.begin(), typed.end(), "id-013") != typed.end());
  CHECK(std::find(typed.begin(), typed.end(), "other-one") == typed.end());
  CHECK(std::find(typed.begin(), typed.end(), "id-120") == typed.end());
}
