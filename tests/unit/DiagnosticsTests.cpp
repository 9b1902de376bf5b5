#include "TestSupport.h"
#include "diag/Printers.h"

#include <catch2/catch.hpp>

#include <random>
#include <set>

using namespace ward;
using namespace ward::test;

TEST_CASE("the text printer shows location, code, snippet, carets, notes and help", "[diag]") {
  CheckResult r = checkSource("import std.azure\nidentity sp-orders-edge : service_principal\n"
                              "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
                              "allow sp-order-edge to vm.read on vm\n");
  std::string text = r.text();
  std::string path = r.compilation->sources().displayPath(r.find("E0204")->range.file);
  CHECK(text == path +
                    ":4:7: error[E0204]: unknown identity `sp-order-edge`\n"
                    "  4 | allow sp-order-edge to vm.read on vm\n"
                    "    |       ^^^^^^^^^^^^^\n" +
                    path +
                    ":2:10: note: `sp-orders-edge` declared here\n"
                    "  2 | identity sp-orders-edge : service_principal\n"
                    "    |          ^^^^^^^^^^^^^^\n"
                    "  help: did you mean `sp-orders-edge`?\n"
                    "  suggestion: replace with `sp-orders-edge` at 4:7\n");
}

TEST_CASE("carets line up after tabs and multi-byte characters", "[diag]") {
  CheckResult r = checkSource("identity x : group {\n\tdescription = \"caf\xC3\xA9\" nme = \"y\"\n}\n");
  std::string text = r.text();
  CHECK(text.find(":2:23: error[E0301]") != std::string::npos);
  CHECK(text.find("  2 | \tdescription = \"caf\xC3\xA9\" nme = \"y\"\n    | \t                     ^^^\n") !=
        std::string::npos);
}

TEST_CASE("control characters never reach the terminal", "[diag]") {
  CheckResult r = checkSource("identity x : group { description = \"\x1b[31mred\" nme = 1 }\n");
  std::string text = r.text();
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("colour is used only when enabled", "[diag]") {
  CheckResult r = checkSource("identity x : grup\n");
  std::string plain, coloured;
  llvm::raw_string_ostream a(plain), b(coloured);
  b.enable_colors(true);
  printText(a, r.compilation->sources(), r.compilation->diagnostics().diagnostics());
  printText(b, r.compilation->sources(), r.compilation->diagnostics().diagnostics());
  CHECK(a.str().find('\x1b') == std::string::npos);
  CHECK(b.str().find("\x1b[") != std::string::npos);
}

TEST_CASE("the JSON printer carries the same data", "[diag]") {
  CheckResult r = checkSource("identity sp : group\nallow sq to x.y on z\n");
  llvm::json::Value json = diagnosticsToJson(r.compilation->sources(), r.compilation->diagnostics());
  const llvm::json::Object *root = json.getAsObject();
  REQUIRE(root);
  CHECK(root->getString("schema").getValueOr("") == llvm::StringRef("ward-diagnostics"));
  CHECK(root->getInteger("version").getValueOr(-1) == 1);
  const llvm::json::Array *diags = root->getArray("diagnostics");
  REQUIRE(diags);
  REQUIRE(diags->size() == r.compilation->diagnostics().diagnostics().size());
  const llvm::json::Object *first = (*diags)[0].getAsObject();
  CHECK(first->getString("severity").getValueOr("") == llvm::StringRef("error"));
  CHECK(first->getString("code").getValueOr("") == llvm::StringRef("E0204"));
  const llvm::json::Object *loc = first->getObject("location");
  REQUIRE(loc);
  CHECK(loc->getInteger("line").getValueOr(-1) == 2);
  CHECK(loc->getInteger("column").getValueOr(-1) == 7);
  CHECK(loc->getInteger("endColumn").getValueOr(-1) == 9);
  CHECK(loc->getInteger("length").getValueOr(-1) == 2);
  CHECK(first->getArray("fixes")->size() == 1);
  CHECK(first->getString("help").getValueOr("") == llvm::StringRef("did you mean `sp`?"));
  const llvm::json::Object *summary = root->getObject("summary");
  CHECK(summary->getInteger("errors").getValueOr(-1) == int64_t(r.compilation->diagnostics().errorCount()));
}

TEST_CASE("every diagnostic code is unique and well-formed", "[diag]") {
  std::set<std::string> seen;
  for (DiagID id : allDiagIDs()) {
    std::string code = diagInfo(id).code.str();
    CHECK(code.size() == 5);
    CHECK((code[0] == 'E' || code[0] == 'G' || code[0] == 'F'));
    CHECK(seen.insert(code).second);
    CHECK_FALSE(diagInfo(id).title.empty());
  }
}

TEST_CASE("a diagnostic joins the engine when its builder is done, so builders never dangle", "[diag]") {
  ward::DiagnosticEngine diags;
  {
    ward::DiagnosticBuilder first = diags.report(ward::DiagID::UnknownName, {}, "first");
    // Many more reports while `first` is still being written: with references
    // into the engine's vector, this would have moved `first` away.
    for (int i = 0; i < 100; ++i) diags.report(ward::DiagID::UnknownName, {}, "other");
    first.withHelp("still writable").label({}, "label");
    CHECK(diags.diagnostics().size() == 100);
  }
  REQUIRE(diags.diagnostics().size() == 101);
  CHECK(diags.diagnostics().back().message == "first");
  CHECK(diags.diagnostics().back().help == "still writable");
  // A discarded builder (a rule that is off) never joins.
  {
    ward::DiagnosticBuilder off = ward::DiagnosticEngine::discarded();
    off.withHelp("x");
  }
  CHECK(diags.diagnostics().size() == 101);
}

TEST_CASE("engines merged after parallel work keep their order", "[diag]") {
  auto engineOf = [](std::vector<std::string> messages) {
    DiagnosticEngine engine;
    for (std::string &m : messages) engine.report(DiagID::InvalidStatus, SourceRange{}, std::move(m));
    return engine;
  };
  DiagnosticEngine merged;
  merged.commitAll(engineOf({"a", "b"})); // into an empty engine: takes the storage
  merged.reserve(6);
  DiagnosticEngine second = engineOf({"c", "d"});
  merged.commitAll(std::move(second));
  CHECK(second.size() == 0);
  merged.commitAll(engineOf({}));
  merged.commitAll(engineOf({"e", "f"}));
  std::vector<std::string> order;
  for (const Diagnostic &d : merged.diagnostics()) order.push_back(d.message);
  CHECK(order == std::vector<std::string>{"a", "b", "c", "d", "e", "f"});

  DiagnosticEngine reserved;
  reserved.reserve(4);
  reserved.commitAll(engineOf({"x"})); // into an empty engine with room: keeps its room
  reserved.commitAll(engineOf({"y", "z"}));
  CHECK(reserved.size() == 3);
  CHECK(reserved.diagnostics()[2].message == "z");
}

TEST_CASE("engines merged at once reuse the storage of one with room for all", "[diag]") {
  auto engineOf = [](std::vector<std::string> messages, size_t room = 0) {
    DiagnosticEngine engine;
    engine.reserve(room);
    for (std::string &m : messages) engine.report(DiagID::InvalidStatus, SourceRange{}, std::move(m));
    return engine;
  };
  auto messages = [](const DiagnosticEngine &engine) {
    std::vector<std::string> out;
    for (const Diagnostic &d : engine.diagnostics()) out.push_back(d.message);
    return out;
  };

  // One rule reports nearly everything, into storage grown past the total.
  DiagnosticEngine merged = engineOf({"a"});
  std::vector<DiagnosticEngine> found;
  found.push_back(engineOf({"b", "c"}));
  found.push_back(engineOf({}));
  found.push_back(engineOf({"d", "e", "f"}, 16));
  found.push_back(engineOf({"g"}));
  const Diagnostic *roomiest = found[2].diagnostics().data();
  merged.commitAll(std::move(found));
  CHECK(messages(merged) == std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"});
  CHECK(merged.diagnostics().data() == roomiest);
  for (const DiagnosticEngine &e : found) CHECK(e.size() == 0);

  // The roomiest first, and this engine empty.
  DiagnosticEngine intoEmpty;
  std::vector<DiagnosticEngine> first;
  first.push_back(engineOf({"x", "y"}, 8));
  first.push_back(engineOf({"z"}));
  roomiest = first[0].diagnostics().data();
  intoEmpty.commitAll(std::move(first));
  CHECK(messages(intoEmpty) == std::vector<std::string>{"x", "y", "z"});
  CHECK(intoEmpty.diagnostics().data() == roomiest);

  // None has room for all: fresh room, the same order.
  DiagnosticEngine fresh = engineOf({"1"});
  std::vector<DiagnosticEngine> small;
  small.push_back(engineOf({"2", "3"}));
  small.push_back(engineOf({"4"}));
  fresh.commitAll(std::move(small));
  CHECK(messages(fresh) == std::vector<std::string>{"1", "2", "3", "4"});
}

TEST_CASE("engines committed one by one grow their room geometrically", "[diag]") {
  // Retry policies, say, are made in parallel and committed one by one: a
  // reallocation per commit would make that quadratic.
  DiagnosticEngine merged;
  merged.report(DiagID::InvalidStatus, SourceRange{}, "first");
  const Diagnostic *storage = merged.diagnostics().data();
  unsigned moves = 0;
  for (int i = 0; i < 5000; ++i) {
    DiagnosticEngine one;
    one.report(DiagID::InvalidStatus, SourceRange{}, std::to_string(i));
    merged.commitAll(std::move(one));
    if (merged.diagnostics().data() != storage) ++moves, storage = merged.diagnostics().data();
  }
  REQUIRE(merged.size() == 5001);
  CHECK(merged.diagnostics()[5000].message == "4999");
  CHECK(moves <= 14); // doubling from one to 5,001 takes 13
}

TEST_CASE("sorting orders by file, position, code and message, keeping ties in report order", "[diag]") {
  SourceManager sm;
  FileID b = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(std::string(100, ' ')), "b.ward");
  FileID a = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(std::string(100, ' ')), "a.ward");
  // Many ties (same file, position, code and message), told apart by help.
  std::vector<Diagnostic> reported;
  std::mt19937 random(7);
  for (int i = 0; i < 2000; ++i) {
    Diagnostic d;
    d.id = DiagID::InvalidStatus;
    d.range = {random() % 2 ? a : b, static_cast<uint32_t>(random() % 5), static_cast<uint32_t>(5 + random() % 3)};
    d.code = random() % 2 ? "W001" : "W002";
    d.message = random() % 2 ? "x" : "y";
    d.help = std::to_string(i);
    reported.push_back(d);
  }
  std::vector<Diagnostic> expected = reported;
  auto key = [&](const Diagnostic &d) {
    return std::make_tuple(sm.displayPath(d.range.file), d.range.begin, d.range.end, d.code, d.message);
  };
  std::stable_sort(expected.begin(), expected.end(),
                   [&](const Diagnostic &x, const Diagnostic &y) { return key(x) < key(y); });

  DiagnosticEngine engine;
  for (Diagnostic &d : reported) engine.commit(d);
  engine.sort(sm);
  REQUIRE(engine.size() == expected.size());
  size_t differ = 0;
  for (size_t i = 0; i < expected.size(); ++i)
    differ += engine.diagnostics()[i].help != expected[i].help || key(engine.diagnostics()[i]) != key(expected[i]);
  CHECK(differ == 0);
  CHECK(sm.displayPath(engine.diagnostics().front().range.file) == "a.ward");
}
