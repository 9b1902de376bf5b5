#include "TestSupport.h"
#include "analysis/Rules.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::test;

namespace {
template <typename T> const T *firstOf(const CheckResult &r) {
  for (auto &file : r.compilation->program().inputs)
    for (auto &decl : file->decls)
      if (auto *d = llvm::dyn_cast<T>(decl.get())) return d;
  return nullptr;
}
} // namespace

TEST_CASE("every declaration kind parses into its AST node", "[parser]") {
  CheckResult r = checkSource(R"(
import std.azure
import std.retry
tenant contoso { id = "72f988bf-86f1-41af-91ab-2d7cd011db47" }
issuer entra {
  issuer = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
  jwks = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/discovery/v2.0/keys"
  audiences = ["api://orders"]
  algorithms = [RS256]
}
identity sp : service_principal
resource vm : azure.vm { resource_group = "rg" name = "vm" origin = "https://vm.example.net" }
resource vault : azure.recovery_vault { resource_group = "rg" name = "rsv" }
capability vm.peek on azure.vm { actions = ["Microsoft.Compute/virtualMachines/read"] }
allow sp to vm.peek on vm when "@Resource[Microsoft.Compute/virtualMachines:name] StringEquals 'vm'"
grant sp role "Reader" on vm
grant sp actions ["Microsoft.Compute/virtualMachines/read"] data_actions ["Microsoft.Compute/virtualMachines/login/action"] on vm
retry r { attempts = 2 on = [503] }
edgeworker api {
  id = 1
  version = "1.0"
  hostnames = ["api.example.net", "vm.example.net"]
  via = { entra = "https://api.example.net/keys/entra" }
  route GET, HEAD "/a/{id}/*" {
    require token from entra { scopes = ["a.read"] }
    forward to vm retry retry.standard
  }
  route "/b" { respond 200 "ok" }
  default deny 404 "nope"
}
backup nightly {
  protect vm in vault
  schedule = weekly on [Sunday, Wednesday] at "01:30" zone "UTC"
  trigger by sp
}
)");
  INFO(r.text());
  REQUIRE(r.frontEndOk());
  auto *ew = firstOf<EdgeWorkerDecl>(r);
  REQUIRE(ew);
  REQUIRE(ew->routes.size() == 2);
  CHECK(ew->routes[0].methods.size() == 2);
  CHECK(ew->routes[0].methods[1].text == "HEAD");
  CHECK(ew->routes[0].path.text == "/a/{id}/*");
  REQUIRE(ew->routes[0].require);
  CHECK(ew->routes[0].require->issuer.target != nullptr);
  REQUIRE(ew->routes[0].actions.size() == 1);
  CHECK(ew->routes[0].actions[0].kind == RouteAction::Kind::Forward);
  CHECK(ew->routes[0].actions[0].retry->name.text == "retry.standard");
  CHECK(ew->routes[1].methods.empty());
  REQUIRE(ew->defaults.size() == 1);
  CHECK(ew->defaults[0].text->text == "nope");

  auto *allow = firstOf<AllowDecl>(r);
  REQUIRE(allow);
  CHECK(allow->capability.target != nullptr);
  CHECK(allow->condition->text.find("StringEquals") != std::string::npos);

  auto *backup = firstOf<BackupDecl>(r);
  REQUIRE(backup);
  REQUIRE(backup->schedules.size() == 1);
  CHECK(backup->schedules[0].kind == BackupSchedule::Kind::Weekly);
  CHECK(backup->schedules[0].days->items().size() == 2);

  auto *grant = firstOf<GrantDecl>(r);
  REQUIRE(grant);
  CHECK(grant->role->text == "Reader");
}

TEST_CASE("string escapes are decoded and ranges point at the source", "[parser]") {
  CheckResult r =
      checkSource("identity sp : service_principal {\n  description = \"tab\\t \\\"q\\\" \\u{e9} \\\\ /\"\n}\n");
  REQUIRE(r.ok);
  auto *id = firstOf<IdentityDecl>(r);
  REQUIRE(id);
  const Attribute *description = id->attrs.find("description");
  REQUIRE(description);
  CHECK(description->value.text == "tab\t \"q\" \xC3\xA9 \\ /");
  LineColumn at = r.compilation->sources().lineColumn(description->value.range.file, description->value.range.begin);
  CHECK(at.line == 2);
  CHECK(at.column == 17);
  LineColumn nameAt = r.compilation->sources().lineColumn(id->name.range.file, id->name.range.begin);
  CHECK(nameAt.line == 1);
  CHECK(nameAt.column == 10);
}

TEST_CASE("an attribute spans its key to the end of its value, without a trailing comma", "[parser]") {
  const std::string source =
      "retry r {\n  attempts = 3 ,\n  budget = {\n    ratio = 10%\n  },\n  per_try_timeout = 1s\n}\n";
  CheckResult r = checkSource(source);
  INFO(r.text());
  auto *retry = firstOf<RetryDecl>(r);
  REQUIRE(retry);
  auto textOf = [&](const char *key) {
    const Attribute *a = retry->attrs.find(key);
    REQUIRE(a);
    SourceRange range = a->range();
    CHECK(range.file == a->key().range.file);
    return r.compilation->sources().text(range.file).slice(range.begin, range.end).str();
  };
  CHECK(textOf("attempts") == "attempts = 3");
  CHECK(textOf("budget") == "budget = {\n    ratio = 10%\n  }");
  CHECK(textOf("per_try_timeout") == "per_try_timeout = 1s");
}

TEST_CASE("quantities keep magnitude and unit", "[parser]") {
  CheckResult r =
      checkSource("retry r { attempts = 3 on = [503] per_try_timeout = 250ms budget = { ratio = 12.5% } }\n");
  INFO(r.text());
  REQUIRE(r.ok);
  auto *retry = firstOf<RetryDecl>(r);
  const Value &timeout = retry->attrs.find("per_try_timeout")->value;
  CHECK(timeout.kind == Value::Kind::Quantity);
  CHECK(timeout.number() == 250);
  CHECK(timeout.unit() == "ms");
  const Value &budget = retry->attrs.find("budget")->value;
  CHECK(budget.fields()[0].value.unit() == "%");
  CHECK(budget.fields()[0].value.number() == Approx(12.5));
  CHECK(budget.fields()[0].value.text == "12.5%");
  const Value &attempts = retry->attrs.find("attempts")->value;
  CHECK(attempts.kind == Value::Kind::Number);
  CHECK(attempts.unit().empty());
}

TEST_CASE("a quantity's unit is all that follows its digits", "[parser]") {
  // The unit is not stored: it is read off the spelling, as QUANTITY lexes it.
  for (auto [spelling, unit] : std::vector<std::pair<const char *, const char *>>{
           {"30days", "days"}, {"1.5h", "h"}, {"10%", "%"}, {"250ms", "ms"}, {"2mo", "mo"}}) {
    CheckResult r = checkSource(fmt::format("retry r {{ attempts = 3 on = [503] per_try_timeout = {} }}\n", spelling));
    const Value &v = firstOf<RetryDecl>(r)->attrs.find("per_try_timeout")->value;
    INFO(spelling);
    CHECK(v.kind == Value::Kind::Quantity);
    CHECK(v.text == spelling);
    CHECK(v.unit() == unit);
  }
  // A duration option of ward.json is a whole number and a unit.
  CHECK(analysis::parseDurationText("90s") == 90000);
  CHECK_FALSE(analysis::parseDurationText("1.5h"));
  CHECK_FALSE(analysis::parseDurationText("h"));
}

TEST_CASE("comments of both kinds are ignored, and keywords work as attribute names", "[parser]") {
  CheckResult r = checkSource("/* block\n comment */ retry r { // trailing\n  on = [503] attempts = 2 }\n");
  INFO(r.text());
  CHECK(r.ok);
}

TEST_CASE("several independent syntax errors are reported in one run", "[parser]") {
  CheckResult r = checkSource(
      "identity = service_principal\nedgeworker api {\n  id = 1  version \"1.0\"\n}\nretry r {\n  on = [502 503]\n}\n");
  std::vector<std::string> codes = r.codes();
  CHECK(std::count(codes.begin(), codes.end(), "E0101") == 3);
  CHECK(r.text().find("mismatched input") == std::string::npos); // never ANTLR's own words
  CHECK(r.text().find("expecting") == std::string::npos);
}

TEST_CASE("an unclosed block names the block and where it opened", "[parser]") {
  CheckResult r = checkSource("edgeworker orders-gateway {\n  id = 1\n  route GET \"/x\" { deny 403 }\n");
  const Diagnostic *d = r.find("E0101");
  REQUIRE(d);
  CHECK(d->message == "expected `}` to close `edgeworker orders-gateway` opened at 1:27, found end of file");
  REQUIRE(d->labels.size() == 1);
  CHECK(d->help() == "add `}` at the end of `edgeworker orders-gateway`");
}

TEST_CASE("keywords in name positions get a specific hint", "[parser]") {
  CheckResult r = checkSource("identity route : group\n");
  const Diagnostic *d = r.find("E0101");
  REQUIRE(d);
  CHECK(d->help().find("keyword") != std::string::npos);
}

TEST_CASE("the soft keywords are the grammar's own: every one parses as a name", "[parser]") {
  // Read from Ward.g4's `name` rule; each works as an identity name and as an attribute key.
  const std::vector<std::string> expected = {"tenant",     "issuer", "template", "identity", "resource",     "type",
                                             "capability", "allow",  "grant",    "retry",    "edgeworker",   "backup",
                                             "import",     "token",  "from",     "to",       "on",           "in",
                                             "by",         "when",   "role",     "actions",  "data_actions", "at",
                                             "zone",       "every",  "for",      "hourly",   "daily",        "weekly"};
  for (const std::string &word : expected) {
    INFO(word);
    CHECK(checkSource("identity " + word + " : group { description = \"x\" }\n").frontEndOk());
  }
}

namespace {
const SourceFile &mainFile(const CheckResult &r) { return *r.compilation->program().inputs.front(); }
std::vector<std::string> declNames(const SourceFile &f) {
  std::vector<std::string> names;
  for (auto &d : f.decls) names.push_back(d->name.text.str());
  return names;
}
} // namespace

TEST_CASE("a syntax error drops only its declaration, which is recorded as broken", "[parser][recovery]") {
  CheckResult r = checkSource("retry a { attempts = 2 on = [503] }\n"
                              "issuer broken {\n  issuer \"https://x.example\"\n}\n"
                              "retry b { attempts = 3 on = [503] }\n");
  INFO(r.text());
  const SourceFile &f = mainFile(r);
  CHECK_FALSE(f.parsedCleanly);
  CHECK(f.recovered);
  CHECK(declNames(f) == std::vector<std::string>{"a", "b"});
  REQUIRE(f.brokenDecls.size() == 1);
  CHECK(f.brokenDecls[0].name.text == "broken");
  CHECK(r.codes() == std::vector<std::string>{"E0101"});
}

TEST_CASE("a block left open at the end of the file drops that declaration, not the ones before",
          "[parser][recovery]") {
  CheckResult r = checkSource("retry a { attempts = 2 on = [503] }\nretry b {\n  attempts = 0\n");
  INFO(r.text());
  const SourceFile &f = mainFile(r);
  CHECK(declNames(f) == std::vector<std::string>{"a"});
  REQUIRE(f.brokenDecls.size() == 1);
  CHECK(f.brokenDecls[0].name.text == "b");
  CHECK(r.codes() == std::vector<std::string>{"E0101"}); // not also "attempts out of range" in the dropped block
}

TEST_CASE("past a syntax error, the other declarations get their semantic errors and nothing else",
          "[parser][recovery]") {
  CheckResult r =
      checkSource("import std.azure\n"
                  "identity sp : service_principal { object_id = \"3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f\" }\n"
                  "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" \"oops\" }\n"
                  "allow sp to vm.read on vm\n"             // `vm` did not parse: silent
                  "allow sp to vm.read on nowhere\n"        // really unknown
                  "retry r { attempts = 0 on = [503] }\n"); // a real error of a whole declaration
  INFO(r.text());
  std::vector<std::string> codes = r.codes();
  std::sort(codes.begin(), codes.end());
  CHECK(codes == std::vector<std::string>{"E0101", "E0204", "E0306"});
  CHECK(r.has("E0204", "`nowhere`"));
}

TEST_CASE("a reference to a declaration broken in another file is not unknown", "[parser][recovery]") {
  CheckResult r = check(
      {{"a.ward", "import std.azure\nimport \"b.ward\"\nallow sp to vm.read on vm\n"},
       {"b.ward",
        "import std.azure\nidentity sp : group {\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"}},
      {"a.ward"});
  INFO(r.text());
  std::vector<std::string> codes = r.codes();
  CHECK(std::count(codes.begin(), codes.end(), "E0101") == 1);
  CHECK(std::count(codes.begin(), codes.end(), "E0204") == 0);
}

TEST_CASE("a broken import silences unknown names, whatever they are", "[parser][recovery]") {
  CheckResult r = checkSource("import 42\nidentity sp : group\nallow sp to vm.read on vm\n");
  INFO(r.text());
  std::vector<std::string> codes = r.codes();
  CHECK(std::count(codes.begin(), codes.end(), "E0101") >= 1);
  CHECK(std::count(codes.begin(), codes.end(), "E0204") == 0);
}

TEST_CASE("a file the parser cannot recover stops the compilation before names are resolved", "[parser][recovery]") {
  CheckResult r = checkSource("identity sp : group\nallow sp to x.y on " + std::string(70, '[') + "\n");
  INFO(r.text());
  CHECK_FALSE(mainFile(r).recovered);
  CHECK(r.codes() == std::vector<std::string>{"E0105"});
}

TEST_CASE("past a syntax error, the rules about single declarations still run, and whole-program ones do not",
          "[parser][recovery][rules]") {
  // `sp-spare` is used only by the broken allow: W025 would call it unused.
  CheckResult r = checkSource("import std.azure\n"
                              "identity sp-spare : group { object_id = \"3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f\" }\n"
                              "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
                              "allow sp-spare to vm.read on vm when\n"
                              "edgeworker gw {\n  id = 1\n  version = \"latest\"\n  default deny 404\n}\n");
  INFO(r.text());
  std::vector<std::string> codes = r.codes();
  std::sort(codes.begin(), codes.end());
  CHECK(codes == std::vector<std::string>{"E0101", "W016"});
  const std::vector<analysis::RuleID> &ran = r.compilation->rulesRun();
  CHECK(std::count(ran.begin(), ran.end(), analysis::RuleID::UnpinnedVersion) == 1);
  CHECK(std::count(ran.begin(), ran.end(), analysis::RuleID::UnusedDeclaration) == 0);
}

TEST_CASE("a seldom-written member copies deeply and holds nothing when absent", "[parser]") {
  HeapOptional<Name> none;
  CHECK_FALSE(none);
  CHECK(sizeof(HeapOptional<Value>) == sizeof(void *));

  HeapOptional<Name> zone = Name{"UTC", SourceRange{}};
  HeapOptional<Name> copy = zone;
  copy->text = "Europe/Paris";
  CHECK(zone->text == "UTC"); // the copy owns its own value
  copy = zone;
  CHECK(copy->text == "UTC");
  copy = std::nullopt;
  CHECK_FALSE(copy);
  CHECK(zone);
  HeapOptional<Name> moved = std::move(zone);
  CHECK(moved->text == "UTC");
  moved.emplace(Name{"Asia/Tokyo", SourceRange{}});
  CHECK((*moved).text == "Asia/Tokyo");
}

TEST_CASE("a usually empty list copies deeply and takes one pointer when empty", "[parser]") {
  CompactVector<Name> none;
  CHECK(none.empty());
  CHECK(none.begin() == none.end());
  for (const Name &n : none) FAIL("an empty list has no element: " << n.text);
  CHECK(sizeof(CompactVector<Value>) == sizeof(void *));

  CompactVector<Name> days;
  days.push_back(Name{"Mon", SourceRange{}});
  days.emplace_back(Name{"Tue", SourceRange{}});
  REQUIRE(days.size() == 2);
  CompactVector<Name> copy = days;
  copy[0].text = "Sun";
  CHECK(days.front().text == "Mon"); // the copy owns its own elements
  CHECK(copy.back().text == "Tue");
  copy = CompactVector<Name>();
  CHECK(copy.empty());
  copy = days;
  CHECK(copy.size() == 2);
  std::vector<Name> taken = std::move(copy).take();
  CHECK(taken.size() == 2);
  CHECK(taken[1].text == "Tue");
  CompactVector<Name> fromVector(std::vector<Name>{});
  CHECK(fromVector.empty());
  CHECK(taken.size() == 2);
  CHECK(std::move(copy).take().empty()); // taken from: empty
}

TEST_CASE("a value holds a magnitude, a target or elements in one slot, and never mistakes one for another",
          "[parser]") {
  Value number;
  number.kind = Value::Kind::Number;
  number.setNumber(2.5);
  Value copied = number;
  CHECK(copied.number() == 2.5);
  CHECK(copied.items().empty());
  CHECK(copied.fields().empty());

  auto listOf = [](std::vector<uint32_t> marks) {
    Value list;
    list.kind = Value::Kind::List;
    CompactVector<Value> items;
    for (uint32_t mark : marks) items.emplace_back().range.begin = mark;
    list.setItems(std::move(items));
    return list;
  };
  Value outer = listOf({1, 2});
  CHECK(outer.number() == 0);
  CHECK(outer.target() == nullptr);
  CompactVector<Value> nested;
  nested.push_back(listOf({7, 8, 9}));
  nested.push_back(number);
  outer.setItems(std::move(nested));
  REQUIRE(outer.items().size() == 2);
  CHECK(outer.items()[0].items().size() == 3);
  CHECK(outer.items()[1].number() == 2.5);

  // Assigned one of its own elements: taken before the elements go.
  Value twice = outer;
  twice = twice.items()[0];
  REQUIRE(twice.items().size() == 3);
  CHECK(twice.items()[2].range.begin == 9);
  outer = std::move(outer.items()[0]);
  REQUIRE(outer.items().size() == 3);
  CHECK(outer.items()[0].range.begin == 7);

  // A kind changed after the elements were set: the address is not a magnitude.
  outer.kind = Value::Kind::Number;
  CHECK(outer.number() == 0);
  CHECK(outer.items().size() == 3);

  // An empty list keeps nothing; its elements can be taken.
  Value empty;
  empty.kind = Value::Kind::List;
  empty.setItems({});
  CHECK(empty.items().empty());
  CHECK(empty.takeItems().empty());
  Value taken = listOf({4, 5});
  CompactVector<Value> out = taken.takeItems();
  CHECK(out.size() == 2);
  CHECK(taken.items().empty());
}

TEST_CASE("a compact list grows in one block, keeps its elements in order and owns nested lists", "[parser]") {
  // Values nest lists of values: growth moves them, copies copy them all.
  CompactVector<Value> list;
  for (int i = 0; i < 1000; ++i) {
    Value v;
    v.kind = Value::Kind::List;
    v.range.begin = i; // a mark to find it by
    CompactVector<Value> items;
    for (int j = 0; j < i % 4; ++j) items.emplace_back().range.begin = 1000 * i + j;
    v.setItems(std::move(items));
    list.push_back(std::move(v));
  }
  REQUIRE(list.size() == 1000);
  CHECK(list.end() - list.begin() == 1000); // contiguous
  size_t wrong = 0;
  for (int i = 0; i < 1000; ++i) {
    wrong += list[i].range.begin != uint32_t(i) || list[i].items().size() != size_t(i % 4);
    for (int j = 0; j < i % 4; ++j) wrong += list[i].items()[j].range.begin != uint32_t(1000 * i + j);
  }
  CHECK(wrong == 0);

  CompactVector<Value> copy = list;
  copy[3].items()[1].range.begin = 0;
  CHECK(list[3].items()[1].range.begin == 3001); // deep
  CompactVector<Value> &same = copy;
  copy = same; // assigning itself keeps it
  CHECK(copy.size() == 1000);
  CHECK(copy[999].items()[2].range.begin == 999002);

  CompactVector<Value> moved = std::move(copy);
  CHECK(copy.empty());
  CHECK(moved.size() == 1000);
  moved = CompactVector<Value>(std::vector<Value>(2));
  CHECK(moved.size() == 2);
  moved.clear();
  CHECK(moved.empty());
  CHECK(moved.begin() == moved.end());
}

TEST_CASE("a quantity's unit is the suffix of its spelling", "[parser]") {
  CheckResult r = checkSource("import std.retry\nretry r { attempts = 2 per_try_timeout = 1500ms on = [502, 503, 504] "
                              "budget = { ratio = 12.5%, min_per_second = 5 } }\n");
  const RetryDecl *retry = firstOf<RetryDecl>(r);
  REQUIRE(retry);
  const Attribute *timeout = retry->attrs.find("per_try_timeout");
  REQUIRE(timeout);
  CHECK(timeout->value.text == "1500ms");
  CHECK(timeout->value.unit() == "ms");
  CHECK(timeout->value.number() == 1500);
  const Attribute *budget = retry->attrs.find("budget");
  REQUIRE(budget);
  REQUIRE(budget->value.fields().size() == 2);
  CHECK(budget->value.fields()[0].value.unit() == "%");
  CHECK(budget->value.fields()[1].value.unit().empty());
  CHECK(budget->value.items().empty());
  CHECK(retry->spec.budgetRatio == Approx(0.125));
  // A list keeps its items in order (a value's items and fields are
  // CompactVectors).
  const Attribute *on = retry->attrs.find("on");
  REQUIRE(on);
  REQUIRE(on->value.items().size() == 3);
  CHECK(on->value.items()[2].text == "504");
  CHECK(on->value.fields().empty());
}
