#include "JsonOracle.h"
#include "TestSupport.h"
#include "analysis/Permissions.h"
#include "source/JsonCursor.h"

#include <catch2/catch.hpp>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>

using namespace ward;
using namespace ward::analysis;
using namespace ward::test;

namespace {
/// A role as the oracle reads it, owning its texts (the catalogue's roles
/// are views of its own copy of the file).
struct ExpectedRole {
  std::string id, name, description;
  struct Permissions {
    std::vector<std::string> actions, notActions, dataActions, notDataActions;
  };
  std::vector<Permissions> permissions;
};

std::vector<std::string> owned(const std::vector<llvm::StringRef> &views) {
  return std::vector<std::string>(views.begin(), views.end());
}

/// The role catalogue as reading a whole llvm::json tree gives it: the
/// oracle the cursor-based reader must agree with.
std::vector<ExpectedRole> rolesFromTree(llvm::StringRef text) {
  auto strings = [](const llvm::json::Object &o, llvm::StringRef key) {
    std::vector<std::string> out;
    if (const llvm::json::Array *a = o.getArray(key))
      for (const llvm::json::Value &v : *a)
        if (auto s = v.getAsString()) out.push_back(s->str());
    return out;
  };
  std::vector<ExpectedRole> out;
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  REQUIRE(bool(json));
  for (const llvm::json::Value &value : *json->getAsArray()) {
    const llvm::json::Object *o = value.getAsObject();
    if (!o) continue;
    ExpectedRole role;
    role.id = o->getString("name").getValueOr("").str();
    role.name = o->getString("roleName").getValueOr("").str();
    role.description = o->getString("description").getValueOr("").str();
    if (const llvm::json::Array *perms = o->getArray("permissions"))
      for (const llvm::json::Value &p : *perms)
        if (const llvm::json::Object *po = p.getAsObject())
          role.permissions.push_back({strings(*po, "actions"), strings(*po, "notActions"), strings(*po, "dataActions"),
                                      strings(*po, "notDataActions")});
    out.push_back(std::move(role));
  }
  return out;
}

void requireSameRoles(const RoleCatalog &catalog, const std::vector<ExpectedRole> &expected) {
  REQUIRE(catalog.roles().size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const RoleDefinition &a = catalog.roles()[i];
    const ExpectedRole &b = expected[i];
    INFO("role " << i << " " << b.name);
    CHECK(a.id == b.id);
    CHECK(a.name == b.name);
    CHECK(a.description == b.description);
    REQUIRE(a.permissions.size() == b.permissions.size());
    for (size_t p = 0; p < b.permissions.size(); ++p) {
      CHECK(owned(a.permissions[p].actions) == b.permissions[p].actions);
      CHECK(owned(a.permissions[p].notActions) == b.permissions[p].notActions);
      CHECK(owned(a.permissions[p].dataActions) == b.permissions[p].dataActions);
      CHECK(owned(a.permissions[p].notDataActions) == b.permissions[p].notDataActions);
    }
  }
}

} // namespace

TEST_CASE("the built-in roles read as the whole JSON tree reads them", "[json]") {
  auto buffer = llvm::MemoryBuffer::getFile(ward::test::stdlibDir() + "/azure/built-in-roles.json");
  REQUIRE(buffer);
  RoleCatalog catalog;
  REQUIRE_FALSE(bool(catalog.read((*buffer)->getBuffer(), "built-in-roles.json")));
  requireSameRoles(catalog, rolesFromTree((*buffer)->getBuffer()));
  CHECK(catalog.roles().size() == 928);
}

TEST_CASE("role fields of other types, unknown members and escapes read as the tree reads them", "[json]") {
  const char *text = R"([
    3, "not a role", null,
    {"name": 7, "roleName": "Caf\u00e9 \ud83d\ude00 \"quoted\" \\ \/ \b\f\n\r\t", "extra": {"deep": [[{"x": [true, false, null, -0.5e+3]}]]},
     "description": ["not", "a", "string"],
     "permissions": [{"actions": ["a/b", 1, null, "c\u002Fd", {"o": 1}], "notActions": "not a list", "dataActions": [],
                      "unknown": {"actions": ["ignored"]}}, "not an object", {}],
     "roleName": "Second \ud800 lone"},
    {"permissions": {"actions": ["not", "a", "list"]}},
    {}
  ])";
  RoleCatalog catalog;
  REQUIRE_FALSE(bool(catalog.read(text, "roles.json")));
  requireSameRoles(catalog, rolesFromTree(text));
  REQUIRE(catalog.roles().size() == 3);
  CHECK(catalog.roles()[0].name ==
        "Second \xEF\xBF\xBD lone"); // the last of a repeated key; a lone surrogate is U+FFFD
  CHECK(owned(catalog.roles()[0].permissions[0].actions) == std::vector<std::string>{"a/b", "c/d"});
}

TEST_CASE("malformed role files are errors that say where", "[json]") {
  struct Case {
    const char *text, *error;
  };
  for (const Case &c : std::vector<Case>{
           {"", "expected an array"},
           {"{}", "expected an array"},
           {"[{\"roleName\": \"a\"}", "unexpected end at byte 18"},
           {"[{\"roleName\": \"a\",}]", "expected a key at byte 18"},
           {"[{\"roleName\" \"a\"}]", "expected ':' at byte 13"},
           {"[1 2]", "expected ',' or ']' at byte 3"},
           {"[{\"roleName\": \"a\nb\"}]", "control character in a string at byte 16"},
           {"[{\"roleName\": \"\\x\"}]", "unknown escape at byte 16"},
           {"[{\"roleName\": \"\\u12G4\"}]", "expected four hex digits after \\u at byte 19"},
           {"[01]", "expected ',' or ']' at byte 2"},
           {"[1.]", "expected a digit after '.' at byte 3"},
           {"[-]", "expected a digit at byte 2"},
           {"[tru]", "expected a value at byte 1"},
           {"[] []", "unexpected text after the value at byte 3"},
           {"[\"\xC3\x28\"]", "invalid UTF-8 at byte 2"},
       }) {
    INFO(c.text);
    RoleCatalog catalog;
    llvm::Error e = catalog.read(c.text, "roles.json");
    REQUIRE(bool(e));
    std::string message = llvm::toString(std::move(e));
    CHECK(message.find(c.error) != std::string::npos);
    CHECK(llvm::StringRef(message).startswith("roles.json: "));
  }
  // Nesting is bounded: a hostile file cannot exhaust the stack.
  std::string deep = "[" + std::string(100000, '[') + std::string(100000, ']') + "]";
  RoleCatalog catalog;
  llvm::Error e = catalog.read(deep, "roles.json");
  REQUIRE(bool(e));
  CHECK(llvm::toString(std::move(e)).find("nested too deeply") != std::string::npos);
}

TEST_CASE("JSON-like text: accepted and decoded as llvm::json does, where both follow RFC 8259", "[json]") {
  const char alphabet[] = "[]{}\":,,  01-.e\\u\"ab\n\ttfnrulse";
  uint64_t state = 0x2545F4914F6CDD1Dull;
  auto next = [&](uint64_t bound) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state % bound;
  };
  const std::vector<std::string> words = {"true", "false",  "null", "\"k\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"",
                                          "12",   "-0.5e3", "{}",   "[]"};
  unsigned compared = 0, accepted = 0, strings = 0;
  for (int i = 0; i < 30000; ++i) {
    std::string text;
    size_t length = 1 + next(14);
    while (text.size() < length)
      text += next(4) == 0 ? words[next(words.size())] : std::string(1, alphabet[next(sizeof(alphabet) - 1)]);
    std::optional<JsonVerdict> expected = llvmJsonVerdict(text);
    JsonVerdict actual = cursorVerdict(text);
    if (!expected) continue;
    ++compared;
    accepted += expected->accepted;
    strings += expected->string.has_value();
    INFO(text);
    CHECK(actual.accepted == expected->accepted);
    CHECK(actual == *expected); // the decoded strings too, where llvm::json decodes right
    CHECK(cursorViewVerdict(text) == *expected);
  }
  CHECK(compared > 20000);
  CHECK(accepted > 500); // the comparison covers both decisions
  CHECK(strings > 100);  // and decoding
}

TEST_CASE("strings read as views decode as strings read as copies, a stop byte at every offset", "[json]") {
  // The plain part of a string is scanned sixteen bytes at a time, then
  // eight, then one; a quote, a backslash or a control character may fall
  // at any place in any of them, and bytes above 0x7F (UTF-8) or just above
  // the controls must not stop it.
  const std::vector<std::string> stops = {"\"",     "\\n\"",  "\\u00e9\"", "\x01\"",
                                          "\x1f\"", "\x7f\"", " \"",       "\xC3\xA9\""};
  for (size_t plain = 0; plain < 42; ++plain)
    for (const std::string &stop : stops) {
      std::string text = "[\"" + std::string(plain, 'a') + stop + "]";
      INFO("plain " << plain << ": " << text);
      JsonCursor copying(text), viewing(text);
      REQUIRE(copying.enterArray());
      REQUIRE(viewing.enterArray());
      REQUIRE(copying.nextElement());
      REQUIRE(viewing.nextElement());
      std::string copy;
      llvm::StringRef view;
      llvm::BumpPtrAllocator arena;
      llvm::StringSaver saver(arena);
      bool copied = copying.readString(copy), viewed = viewing.readString(view, saver);
      REQUIRE(copied == viewed);
      CHECK(copying.error() == viewing.error());
      // Both read through the same scan: what it must decide is pinned here.
      bool control = static_cast<unsigned char>(stop.front()) < 0x20;
      CHECK(copied == !control); // a raw control character is not JSON
      if (!copied) continue;
      CHECK(view == copy);
      CHECK(copy == std::string(plain, 'a') + (stop == "\\n\""       ? "\n"
                                               : stop == "\\u00e9\"" ? "\xC3\xA9"
                                                                     : stop.substr(0, stop.size() - 1)));
      // Unescaped, the view is of the text itself.
      bool escaped = stop.front() == '\\';
      CHECK((view.empty() || (view.data() >= text.data() && view.data() < text.data() + text.size())) == !escaped);
      CHECK(copying.finish() == viewing.finish());
    }
}

TEST_CASE("a role catalogue outlives the text it read, and its copies the catalogue", "[json][catalogue]") {
  std::optional<RoleCatalog> copy;
  {
    std::string text = R"([{"name": "id-1", "roleName": "Esc\u0061ped \"Role\"", "description": "plain",
                            "permissions": [{"actions": ["Microsoft.Compute/virtualMachines/read"],
                                             "dataActions": ["Microsoft.Storage/x/\u0041/read"]}]}])";
    RoleCatalog catalog;
    REQUIRE_FALSE(bool(catalog.read(text, "roles.json")));
    std::fill(text.begin(), text.end(), '#'); // the catalogue read a copy
    copy = catalog;
  } // the original is gone; its copy holds the same views
  const RoleDefinition *role = copy->byName("escaped \"role\"");
  REQUIRE(role);
  CHECK(role->id == "id-1");
  CHECK(role->name == "Escaped \"Role\"");
  CHECK(role->description == "plain");
  CHECK(role->allows("microsoft.compute/virtualmachines/READ", false));
  CHECK(role->allows("Microsoft.Storage/x/A/read", true));
}

// Whitespace is skipped sixteen bytes at a time once a run has begun: runs
// of every length, of each kind of space, and a byte that is not JSON
// whitespace (a form feed, a letter) at every place in a run.
TEST_CASE("whitespace runs of every length, broken anywhere, are read as llvm::json reads them", "[json]") {
  const std::string spaces = " \n\t\r";
  unsigned accepted = 0, rejected = 0;
  for (size_t length = 0; length <= 40; ++length)
    for (size_t kind = 0; kind < spaces.size(); ++kind)
      for (size_t foreignAt = 0; foreignAt <= length; ++foreignAt)
        for (char foreign : {'\0', '\f', 'x'}) {
          std::string run;
          for (size_t i = 0; i < length; ++i) run += spaces[(kind + i * (i % 3 == 0)) % spaces.size()];
          if (foreign != '\0' && foreignAt < length) run[foreignAt] = foreign;
          else if (foreign != '\0') continue;
          std::string text = "{" + run + "\"k\"" + run + ":" + run + "[1," + run + "\"v\"]" + run + "}";
          std::optional<JsonVerdict> expected = llvmJsonVerdict(text);
          REQUIRE(expected.has_value());
          INFO("run " << length << " of kind " << kind << ", foreign byte " << int(foreign) << " at " << foreignAt);
          JsonVerdict actual = cursorVerdict(text);
          REQUIRE(actual.accepted == expected->accepted);
          REQUIRE(cursorViewVerdict(text) == *expected);
          (expected->accepted ? accepted : rejected)++;
        }
  CHECK(accepted > 100);
  CHECK(rejected > 1000);
}

// llvm::json 14 ORs 0x10000 into a surrogate pair's code point where it must
// add it (UTF-16, RFC 2781 2.2), so it reads a pair for U+20000 or above as
// a code point 0x10000 too low. The cursor decodes by the formula; the
// oracle compares only whether such text is accepted.
TEST_CASE("surrogate pairs decode to their code points, where llvm::json 14 does not", "[json]") {
  struct Case {
    const char *text, *utf8;
  } cases[] = {
      // (No `0` after a letter: the oracle takes that for a number like `01`.)
      {R"("\ud800\udcff")", "\xF0\x90\x83\xBF"}, // U+100FF
      {R"("\ud83d\ude4f")", "\xF0\x9F\x99\x8F"}, // U+1F64F
      {R"("\ud840\udd11")", "\xF0\xA0\x84\x91"}, // U+20111
      {R"("\udaec\uddae")", "\xF3\x8B\x86\xAE"}, // U+CB1AE, the fuzzer's find
      {R"("\udbff\udfff")", "\xF4\x8F\xBF\xBF"}, // U+10FFFF
  };
  for (const Case &c : cases) {
    INFO(c.text);
    JsonVerdict cursor = cursorVerdict(c.text);
    REQUIRE(cursor.accepted);
    CHECK(cursor.string == std::string(c.utf8));
    CHECK(cursorViewVerdict(c.text) == cursor);
    std::optional<JsonVerdict> oracle = llvmJsonVerdict(c.text);
    REQUIRE(oracle.has_value());
    CHECK(oracle->accepted);
    // Trusted below U+20000, where it decodes right, and not from there on,
    // where it does not.
    CHECK(oracle->stringKnown == (oracle->string == std::string(c.utf8)));
    CHECK(oracle->stringKnown == (llvm::StringRef(c.text).substr(2, 5).compare_insensitive("ud840") < 0));
  }
}
