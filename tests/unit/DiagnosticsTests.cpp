#include "TestSupport.h"
#include "diag/Printers.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
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

TEST_CASE("many findings print exactly as one at a time would print them, in order", "[diag]") {
  // Past a few hundred findings, runs of them are rendered side by side and
  // written a wave at a time; 5,000 cross several waves and end mid-run.
  std::string source;
  for (int line = 0; line < 2'000; ++line) source += "route GET \"/api/" + std::to_string(line) + "\" { deny 404 }\n";
  SourceManager sm;
  FileID file = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(source, "big.ward"), "big.ward");
  DiagnosticEngine engine;
  for (uint32_t i = 0; i < 5'000; ++i) {
    uint32_t at = static_cast<uint32_t>((i * 7919u) % (source.size() - 8));
    DiagnosticBuilder finding =
        engine.report(DiagID::InvalidStatus, SourceRange{file, at, at + 3}, "finding " + std::to_string(i) + ".");
    if (i % 3 == 0) finding.withHelp("help " + std::to_string(i));
    if (i % 5 == 0) finding.label(SourceRange{file, at / 2, at / 2 + 1}, "related " + std::to_string(i));
    finding->suppressed = i % 7 == 0; // left out of text
  }
  for (bool colours : {false, true}) {
    std::string together, oneByOne;
    llvm::raw_string_ostream all(together), each(oneByOne);
    all.enable_colors(colours);
    each.enable_colors(colours);
    printText(all, sm, engine.diagnostics());
    for (const Diagnostic &d : engine.diagnostics()) {
      DiagnosticList one;
      one.push_back(d);
      printText(each, sm, one);
    }
    CHECK(together.size() > 500'000);
    CHECK(together == oneByOne);
    CHECK(together.find("finding 4999.") != std::string::npos);
    CHECK(together.find("finding 4998.") == std::string::npos); // suppressed: 4998 = 7 * 714
    CHECK(together.find("finding 13.") < together.find("finding 14."));
  }
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
  CHECK(diags.diagnostics().back().help() == "still writable");
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
  auto messages = [](const DiagnosticEngine &engine) {
    std::vector<std::string> out;
    for (const Diagnostic &d : engine.diagnostics()) out.push_back(d.message);
    return out;
  };
  DiagnosticEngine merged;
  merged.commitAll(engineOf({"a", "b"})); // into an empty engine
  DiagnosticEngine second = engineOf({"c", "d"});
  merged.commitAll(std::move(second));
  CHECK(second.size() == 0);
  merged.commitAll(engineOf({}));
  merged.commitAll(engineOf({"e", "f"}));
  CHECK(messages(merged) == std::vector<std::string>{"a", "b", "c", "d", "e", "f"});

  // At once: this engine's first, then each in turn.
  DiagnosticEngine atOnce = engineOf({"1"});
  std::vector<DiagnosticEngine> found;
  found.push_back(engineOf({"2", "3"}));
  found.push_back(engineOf({}));
  found.push_back(engineOf({"4", "5", "6"}));
  found.push_back(engineOf({"7"}));
  atOnce.commitAll(std::move(found));
  CHECK(messages(atOnce) == std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7"});
  for (const DiagnosticEngine &e : found) CHECK(e.size() == 0);
}

TEST_CASE("an engine with many findings keeps them in blocks that never move", "[diag]") {
  // One rule on every route of a large policy reports tens of thousands: a
  // vector grown by doubling would hold its old storage beside the new at
  // the run's peak, and up to half of the new unused.
  auto engineOf = [](int from, int count, Severity severity = Severity::Warning) {
    DiagnosticEngine engine;
    for (int i = from; i < from + count; ++i)
      engine.report(DiagID::InvalidStatus, SourceRange{}, std::to_string(i))->severity = severity;
    return engine;
  };
  auto inOrder = [](const DiagnosticEngine &engine, int from, int count) {
    const DiagnosticList &all = engine.diagnostics();
    if (all.size() != static_cast<size_t>(count)) return false;
    for (int i = 0; i < count; ++i)
      if (all[i].message != std::to_string(from + i)) return false;
    return true;
  };

  DiagnosticEngine many = engineOf(0, 600);
  const Diagnostic *first = &many.diagnostics()[0]; // its block is full
  for (int i = 600; i < 5'000; ++i) {
    many.commitAll(engineOf(i, 1));
  }
  CHECK(&many.diagnostics()[0] == first);
  CHECK(inOrder(many, 0, 5'000));
  CHECK(many.warningCount() == 5'000);

  // Merged after a partly filled block (moved one by one) and after full
  // blocks only (taken whole): the same order either way.
  DiagnosticEngine few = engineOf(0, 3, Severity::Error);
  few.commitAll(engineOf(3, 9'000));
  CHECK(inOrder(few, 0, 9'003));
  CHECK(few.errorCount() == 3);
  DiagnosticEngine aligned = engineOf(0, 1'024);
  DiagnosticEngine taken = engineOf(1'024, 700);
  const Diagnostic *takenFirst = &taken.diagnostics()[0];
  aligned.commitAll(std::move(taken));
  CHECK(inOrder(aligned, 0, 1'724));
  CHECK(&aligned.diagnostics()[1'024] == takenFirst);
  aligned.report(DiagID::InvalidStatus, SourceRange{}, "1724");
  CHECK(inOrder(aligned, 0, 1'725));
}

TEST_CASE("a block list behaves as a vector under every operation it offers", "[diag]") {
  // Blocks of 4, so that every operation meets block boundaries; a
  // std::vector is the reference after each step.
  using List = ward::BlockList<std::string, 4>;
  std::mt19937 random(11);
  auto listOf = [&](int count, int &next) {
    List list;
    for (int i = 0; i < count; ++i) list.push_back(std::to_string(next++));
    return list;
  };
  auto same = [](const List &list, const std::vector<std::string> &reference) {
    if (list.size() != reference.size() || list.empty() != reference.empty()) return false;
    if (!std::equal(list.begin(), list.end(), reference.begin(), reference.end())) return false;
    for (size_t i = 0; i < reference.size(); ++i)
      if (list[i] != reference[i]) return false;
    return reference.empty() || (list.front() == reference.front() && list.back() == reference.back());
  };
  for (int round = 0; round < 200; ++round) {
    List list;
    std::vector<std::string> reference;
    int next = 0;
    for (int step = 0; step < 30; ++step) {
      switch (random() % 5) {
      case 0:
      case 1: { // push
        for (int n = random() % 6; n > 0; --n) {
          reference.push_back(std::to_string(next));
          list.push_back(std::to_string(next++));
        }
        break;
      }
      case 2: { // append another list, of any length
        int first = next;
        List other = listOf(random() % 11, next);
        for (int i = first; i < next; ++i) reference.push_back(std::to_string(i));
        list.append(std::move(other));
        REQUIRE(other.empty());
        break;
      }
      case 3: { // erase a tail, as std::remove_if leaves it
        auto odd = [](const std::string &t) { return (t.back() - '0') % 2 == 1; };
        reference.erase(std::remove_if(reference.begin(), reference.end(), odd), reference.end());
        list.erase(std::remove_if(list.begin(), list.end(), odd), list.end());
        break;
      }
      case 4: { // sort through the iterators, and a copy
        std::sort(reference.begin(), reference.end(), std::greater<>());
        std::sort(list.begin(), list.end(), std::greater<>());
        List copy = list;
        REQUIRE(same(copy, reference));
        break;
      }
      }
      REQUIRE(same(list, reference));
    }
  }
  // Iterator arithmetic, both ways, across blocks.
  List list;
  for (int i = 0; i < 10; ++i) list.push_back(std::to_string(i));
  List::const_iterator it = list.begin() + 9;
  CHECK(*it == "9");
  CHECK(*(it - 5) == "4");
  CHECK(it - list.begin() == 9);
  CHECK(it[-9] == "0");
  CHECK(*--it == "8");
  CHECK(*it++ == "8");
  CHECK(it + 1 == list.end());
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
    d.withHelp(std::to_string(i));
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
    differ += engine.diagnostics()[i].help() != expected[i].help() || key(engine.diagnostics()[i]) != key(expected[i]);
  CHECK(differ == 0);
  CHECK(sm.displayPath(engine.diagnostics().front().range.file) == "a.ward");
}

TEST_CASE("a literal help is kept by reference, other help is owned, and either survives copies", "[diag]") {
  static const char kLiteral[] = "add `require token from <issuer>` to the route";
  Diagnostic literal;
  literal.withHelp(kLiteral);
  CHECK(literal.help().data() == kLiteral); // not copied
  CHECK(literal.help() == kLiteral);

  std::string text = "did you mean `vm-1`?";
  Diagnostic owned;
  owned.withHelp(text);
  text.assign(text.size(), 'x'); // the diagnostic has its own copy
  CHECK(owned.help() == "did you mean `vm-1`?");

  // The last help given wins, whichever kind it is.
  Diagnostic both = literal;
  both.withHelp(std::string("owned now"));
  CHECK(both.help() == "owned now");
  both.withHelp(kLiteral);
  CHECK(both.help() == kLiteral);
  CHECK(Diagnostic().help().empty());

  DiagnosticList list;
  list.push_back(owned);
  list.push_back(std::move(literal));
  DiagnosticList copy = list;
  CHECK(copy[0].help() == "did you mean `vm-1`?");
  CHECK(copy[1].help().data() == kLiteral);
}
