// The fast parser against the ANTLR parser, the grammar's executable form:
// for every policy of the repository, every prefix a user typing it passes
// through, and thousands of mutants, parsing with the fast path must give
// exactly what parsing with ANTLR alone gives — the AST with every source
// range, the broken declarations, the flags, and every diagnostic byte for
// byte. Also: the fast path takes every valid file whole, and the partial
// path (ANTLR from the last whole construct on) is exercised.
#include "TestSupport.h"
#include "ast/Dump.h"
#include "diag/Printers.h"
#include "parse/Parser.h"
#include "parse/ParserInternals.h"
#include "parse/Scanner.h"
#include "resolve/Loader.h"

#include <WardLexer.h>
#include <WardParser.h>
#include <antlr4-runtime.h>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>

#include <cstdlib>
#include <random>
#include <set>

using namespace ward;
using namespace ward::test;

namespace {

/// Everything a parse produces, as text.
/// Files of at least this many bytes are parsed in parts: 1 for every file.
constexpr size_t kAlwaysInParts = 1;

/// `text` parsed as `policy.ward`, with what the parse needed and reported.
struct Parsed {
  SourceManager sm;
  FileID id = 0;
  DiagnosticEngine diags;
  std::unique_ptr<SourceFile> file;
};
std::unique_ptr<Parsed> parsePolicy(const std::string &text, bool fast, size_t parallelBytes) {
  auto parsed = std::make_unique<Parsed>();
  parsed->id = parsed->sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "policy.ward"), "policy.ward");
  ParseOptions options;
  options.fastPath = fast;
  options.parallelBytes = parallelBytes;
  parsed->file = parseFile(parsed->sm, parsed->id, parsed->diags, options);
  return parsed;
}

std::string parseToText(const std::string &text, bool fast, size_t parallelBytes = ParseOptions{}.parallelBytes) {
  std::unique_ptr<Parsed> parsed = parsePolicy(text, fast, parallelBytes);
  const SourceManager &sm = parsed->sm;
  const DiagnosticEngine &diags = parsed->diags;
  const std::unique_ptr<SourceFile> &file = parsed->file;
  std::string out;
  llvm::raw_string_ostream os(out);
  printText(os, sm, diags.diagnostics());
  os << dumpSyntax(*file, /*withRanges=*/true);
  os << fmt::format("clean={} recovered={}\n", file->parsedCleanly, file->recovered);
  for (const BrokenDecl &b : file->brokenDecls)
    os << fmt::format("broken {} {} {}-{} import={}\n", b.kind ? int(*b.kind) : -1, b.name.text, b.range.begin,
                      b.range.end, b.isImport);
  return os.str();
}

/// What the fast parser alone does with `text`: took it whole, resumed ANTLR
/// after a prefix, or left all of it to ANTLR.
/// How many parts the fast parser made of `text` when told to parse every file in parts.
unsigned partsOf(const std::string &text) {
  SourceFile file;
  ParseOptions options;
  options.parallelBytes = kAlwaysInParts;
  parse::FastParse fast = parse::parseFast(text, 1, options, file);
  return fast.complete ? fast.parts : 0;
}

enum class FastOutcome { Whole, Resumed, Declined };
FastOutcome fastOutcome(const std::string &text) {
  SourceFile file;
  parse::FastParse fast = parse::parseFast(text, 1, ParseOptions{}, file);
  return fast.complete ? FastOutcome::Whole : fast.resumeAt ? FastOutcome::Resumed : FastOutcome::Declined;
}

std::vector<std::string> repositoryPolicies() {
  std::vector<std::string> out;
  for (const char *dir : {"examples", "stdlib", "tests"}) {
    std::error_code ec;
    for (llvm::sys::fs::recursive_directory_iterator it(sourceDir() + "/" + dir, ec), end; it != end && !ec;
         it.increment(ec)) {
      if (llvm::StringRef(it->path()).contains("node_modules")) {
        it.no_push();
        continue;
      }
      llvm::StringRef path(it->path());
      if (path.endswith(".ward") || path.endswith(".ward.in")) out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Edits that make syntax errors of every kind: a keyword, a bracket or an
/// `=` in a random place, at the start of a line or inside one.
std::string grammarMutation(std::string text, Mutator &random) {
  static const char *pieces[] = {"edgeworker ",
                                 "retry ",
                                 "route ",
                                 "identity x : group\n",
                                 "{",
                                 "}",
                                 "[",
                                 "]",
                                 "(",
                                 ")",
                                 "=",
                                 ",",
                                 ":",
                                 "\"",
                                 "on ",
                                 "to ",
                                 "default ",
                                 "deny ",
                                 "forward to x retry ",
                                 "schedule = daily at ",
                                 "zone \"UTC\" "};
  size_t at = random.next(text.size() + 1);
  if (random.next(2) == 0) { // at the start of a line
    size_t lineStart = text.rfind('\n', at == 0 ? 0 : at - 1);
    at = lineStart == std::string::npos ? 0 : lineStart + 1;
  }
  text.insert(at, pieces[random.next(sizeof(pieces) / sizeof(*pieces))]);
  return text;
}

} // namespace

TEST_CASE("fast parser: every policy of the repository parses as ANTLR parses it, and valid ones whole",
          "[parse][fast]") {
  std::vector<std::string> policies = repositoryPolicies();
  REQUIRE(policies.size() > 40);
  size_t whole = 0, withErrors = 0;
  for (const std::string &path : policies) {
    std::string text = readFile(path);
    INFO(path);
    std::string antlr = parseToText(text, false);
    REQUIRE(parseToText(text, true) == antlr);
    REQUIRE(parseToText(text, true, kAlwaysInParts) == antlr);
    bool valid = antlr.find("clean=true") != std::string::npos;
    if (valid) {
      CHECK(fastOutcome(text) == FastOutcome::Whole); // a valid file never needs ANTLR
      ++whole;
    } else {
      ++withErrors;
    }
  }
  CHECK(whole > 30);
  CHECK(withErrors >= 10); // the broken examples
}

TEST_CASE("fast parser: where the structure repair would act, ANTLR parses and reports it", "[parse][fast]") {
  // `retry reads` at column 0 inside a route is what the fast parser reads
  // as the forward's retry, but the structure repair (which ANTLR's path
  // runs) takes a declaration keyword at column 0, followed by a name, for
  // the start of the next declaration after an unclosed block.
  auto policy = [](llvm::StringRef retryLine) {
    return "edgeworker gw {\n  route GET \"/x\" {\n    forward to vm\n" + retryLine.str() + "\n  }\n}\n";
  };
  std::string repaired = policy("retry reads");
  std::string antlr = parseToText(repaired, false);
  CHECK(antlr.find("error[E0101]: expected `}` to close `route GET \"/x\"` opened at 2:18, found `retry`") !=
        std::string::npos);
  CHECK(fastOutcome(repaired) == FastOutcome::Declined);
  CHECK(parseToText(repaired, true) == antlr);
  CHECK(parseToText(repaired, true, kAlwaysInParts) == antlr);
  // Indented, or not followed by a name, the keyword is left alone, and the
  // fast parser takes the file whole.
  for (llvm::StringRef line : {"    retry reads", "retry"}) {
    std::string kept = policy(line);
    INFO(kept);
    std::string keptByAntlr = parseToText(kept, false);
    CHECK(keptByAntlr.find("expected `}` to close") == std::string::npos);
    CHECK(parseToText(kept, true) == keptByAntlr);
  }
  CHECK(fastOutcome(policy("    retry reads")) == FastOutcome::Whole);
}

TEST_CASE("fast parser: a file parsed in parts on several threads gives the AST of one piece", "[parse][fast]") {
  // Every valid policy of the repository in one file, as a large one would be.
  std::string all;
  for (const std::string &path : repositoryPolicies()) {
    std::string text = readFile(path);
    if (parseToText(text, false).find("clean=true") == std::string::npos) continue;
    if (llvm::StringRef(text).startswith("\xEF\xBB\xBF")) text.erase(0, 3); // a byte order mark only starts a file
    all += text;
    all += "\n";
  }
  std::string antlr = parseToText(all, false);
  INFO(antlr.substr(0, 3000));
  REQUIRE(antlr.find("clean=true") != std::string::npos);
  CHECK(partsOf(all) >= 2);
  CHECK(parseToText(all, true, kAlwaysInParts) == antlr);
  // A construct cut by a part boundary: `allow ... on` with its resource on
  // the next line, named like a keyword that starts declarations would be.
  for (const char *keyword : {"resource", "retry", "backup"}) {
    std::string cut = all + "allow x to c on\n" + keyword + "\n" + all;
    INFO(keyword);
    CHECK(parseToText(cut, true, kAlwaysInParts) == parseToText(cut, false));
  }
  // Parts are cut in the text, before a line that starts with a declaration
  // keyword. Where most such lines are in a block comment, or inside the
  // braces of a declaration (a keyword as an attribute's name), the cuts
  // land there: the part before runs into the next, and the file is read in
  // one piece, with the AST of one piece.
  std::string lines;
  for (int i = 0; i < 20000; ++i) lines += "resource vm-" + std::to_string(i) + " : azure.vm { name = \"x\" }\n";
  // (The comment holds a `/*` of its own, so that a part starting inside it
  // would read the rest of it as a comment too, and parse whole.)
  std::string commented = all + "/*\n" + lines + "/*\n*/\n" + all;
  std::string keywordsAsNames = all + "resource vm-trap : azure.vm {\n";
  for (int i = 0; i < 20000; ++i) keywordsAsNames += "backup = \"x\"\nidentity = \"y\"\n";
  keywordsAsNames += "}\n" + all;
  for (const std::string &text : {commented, keywordsAsNames}) {
    std::string oneFile = parseToText(text, false);
    REQUIRE(oneFile.find("clean=true") != std::string::npos);
    CHECK(partsOf(text) == 1); // read in one piece
    CHECK(parseToText(text, true, kAlwaysInParts) == oneFile);
  }
}

TEST_CASE("fast parser: every prefix of typing an example parses as ANTLR parses it", "[parse][fast]") {
  size_t resumed = 0, compared = 0;
  for (const char *example : {"examples/orders-api/orders.ward", "examples/vm-backup/backup.ward",
                              "examples/multi-issuer-gateway/gateway.ward"}) {
    std::string text = readFile(sourceDir() + "/" + example);
    for (size_t length = 0; length <= text.size(); length += 3) {
      std::string prefix = text.substr(0, length);
      INFO(example << " up to byte " << length);
      REQUIRE(parseToText(prefix, true) == parseToText(prefix, false));
      resumed += fastOutcome(prefix) == FastOutcome::Resumed;
      ++compared;
    }
  }
  CHECK(compared > 1000);
  CHECK(resumed > compared / 2); // most states of a file being typed resume after a prefix
}

TEST_CASE("fast parser: too many errors after a valid prefix leave the file empty, as after ANTLR alone",
          "[parse][fast][bad-input]") {
  // The fast parser takes the valid declarations; ANTLR resumes after them
  // and stops at the error limit: a file that is not recovered holds nothing.
  std::string text = readFile(sourceDir() + "/examples/orders-api/orders.ward");
  for (int i = 0; i < 60; ++i) text += "resource broken-" + std::to_string(i) + " : azure.vm { name }\n";
  REQUIRE(fastOutcome(text) == FastOutcome::Resumed);
  std::string antlr = parseToText(text, false);
  CHECK(antlr.find("too many errors in this file") != std::string::npos);
  CHECK(antlr.find("clean=false recovered=false") != std::string::npos);
  CHECK(parseToText(text, true) == antlr);
}

TEST_CASE("fast parser: mutants of every policy parse as ANTLR parses them", "[parse][fast][bad-input]") {
  Mutator random(0x5eedf00d);
  size_t resumed = 0, declined = 0, whole = 0, compared = 0, inParts = 0;
  for (const std::string &path : repositoryPolicies()) {
    std::string text = readFile(path);
    for (int i = 0; i < 40; ++i) {
      std::string mutant = i % 2 ? random.mutate(text) : grammarMutation(text, random);
      INFO(path << " mutant " << i << ":\n" << mutant);
      std::string antlr = parseToText(mutant, false);
      REQUIRE(parseToText(mutant, true) == antlr);
      REQUIRE(parseToText(mutant, true, kAlwaysInParts) == antlr); // a cut inside a construct falls back whole
      inParts += partsOf(mutant) > 1;
      FastOutcome outcome = fastOutcome(mutant);
      resumed += outcome == FastOutcome::Resumed;
      declined += outcome == FastOutcome::Declined;
      whole += outcome == FastOutcome::Whole;
      ++compared;
    }
  }
  WARN("mutants: " << compared << " resumed " << resumed << " declined " << declined << " whole " << whole
                   << " (in parts " << inParts << ")");
  CHECK(inParts > compared / 40);
  CHECK(compared > 2000);
  // Each path is exercised, not only the fallback.
  CHECK(resumed > compared / 20);
  CHECK(declined > compared / 20);
  CHECK(whole > compared / 20);
}

TEST_CASE("loader: input files parsed together report and build what parsing them one by one does",
          "[parse][fast][resolve]") {
  // Valid files (parsed in parallel by the fast parser) between broken ones
  // (parsed in order by ANTLR, which reports), an empty one and a duplicate.
  std::string valid = readFile(sourceDir() + "/examples/orders-api/orders.ward");
  std::map<std::string, std::string> files{
      {"a.ward", valid}, {"b.ward", "resource x : azure.vm {\n  name = \"x\"\n"},
      {"c.ward", valid}, {"d.ward", std::string("tenant t {\n  id = \"\xff\"\n}\n")},
      {"e.ward", ""},    {"f.ward", "identity i : service_principal {\n  client_id = \n}\n"}};
  TempDir dir;
  std::vector<std::string> paths;
  for (auto &[name, text] : files) paths.push_back(dir.write(name, text));
  paths.push_back(paths.front()); // the same file twice is loaded once
  auto load = [&](bool fast, size_t parallelBytes = ParseOptions{}.parallelBytes) {
    SourceManager sm;
    DiagnosticEngine diags;
    LoadOptions options = loadOptions();
    options.parse.fastPath = fast;
    options.parse.parallelBytes = parallelBytes;
    Loader loader(sm, diags, options);
    Program program = loader.load(paths);
    diags.sort(sm);
    std::string out;
    llvm::raw_string_ostream os(out);
    printText(os, sm, diags.diagnostics());
    for (const auto &file : program.files)
      if (!file->isStdlib()) os << file->path << "\n" << dumpSyntax(*file, /*withRanges=*/true);
    return os.str();
  };
  std::string together = load(true);
  CHECK(together == load(false));
  CHECK(together.find("E0") != std::string::npos); // the broken files did report
  // The valid files large enough to be parsed in parts (one after another,
  // each on every core), the others side by side.
  CHECK(together == load(true, valid.size()));
  CHECK(together == load(true, kAlwaysInParts));
}

TEST_CASE("node lists come from the arena of the scope they are made in, and copies from where they are made",
          "[parser][arena]") {
  llvm::BumpPtrAllocator arena, inner;
  CompactVector<Value> made;
  HeapOptional<Name> written;
  {
    NodeArenaScope scope(arena);
    made.push_back(Value{});
    written = Name{"text", {}};
    CHECK(arena.getBytesAllocated() > 0);
    size_t before = arena.getBytesAllocated();
    {
      NodeArenaScope nested(inner);
      CompactVector<Value> other;
      other.push_back(Value{});
      CHECK(inner.getBytesAllocated() > 0);
      CHECK(arena.getBytesAllocated() == before);
    }
    CompactVector<Value> again; // the outer scope is back
    again.push_back(Value{});
    CHECK(arena.getBytesAllocated() > before);
  }
  size_t used = arena.getBytesAllocated();
  // Outside any scope, a copy of an arena's node, and a new one, are the heap's.
  CompactVector<Value> copy = made;
  HeapOptional<Name> copied = written;
  copy.push_back(Value{});
  CHECK(arena.getBytesAllocated() == used);
  // Growing a list of the arena outside the scope moves it to the heap.
  made.push_back(Value{});
  CHECK(arena.getBytesAllocated() == used);
  CHECK(made.size() == 2);
  CHECK(copy.size() == 2);
  CHECK(copied->text == "text");
}

TEST_CASE("an arena's blocks are aligned to their type, not to operator new's 16 bytes", "[parser][arena]") {
  llvm::BumpPtrAllocator arena;
  arena.setRedZoneSize(0); // no byte between blocks, as an ASan build puts: the layout's own distances
  NodeArenaScope scope(arena);
  // A value is 36 bytes and 4-aligned: one after another, with no gap.
  HeapOptional<Value> first{Value{}}, second{Value{}}, third{Value{}};
  CHECK(reinterpret_cast<const char *>(&*second) - reinterpret_cast<const char *>(&*first) == 36);
  CHECK(reinterpret_cast<const char *>(&*third) - reinterpret_cast<const char *>(&*second) == 36);
  // A list's block: its 8-byte header, then its elements.
  CompactVector<Value> list;
  list.push_back(Value{});
  CHECK(arena.getBytesAllocated() == 3 * 36 + 8 + 36);
  // A block holding pointers starts on an 8-byte boundary: four values and
  // a list make 188 bytes from the arena's (16-aligned) start, so a
  // reference goes 4 bytes on.
  HeapOptional<Value> fourth{Value{}};
  HeapOptional<ward::Ref> ref{ward::Ref{}};
  CHECK(reinterpret_cast<uintptr_t>(&*ref) % alignof(ward::Ref) == 0);
  CHECK(reinterpret_cast<const char *>(&*ref) - reinterpret_cast<const char *>(&*fourth) == 36 + 4);
  CHECK(arena.getBytesAllocated() == 4 * 36 + 8 + 36 + sizeof(ward::Ref)); // bytes asked for, not gaps
}

TEST_CASE("an action keeps an attribute block only where one is written", "[parser]") {
  for (bool fast : {true, false}) {
    INFO((fast ? "fast parser" : "ANTLR"));
    std::unique_ptr<Parsed> run =
        parsePolicy("edgeworker gw {\n  route GET \"/a\" { respond 200 \"ok\" }\n"
                    "  route GET \"/b\" { respond 200 \"ok\" {} }\n"
                    "  route GET \"/c\" { respond 200 \"ok\" { headers = { \"x-a\" = \"1\" } } }\n}\n",
                    fast, ParseOptions{}.parallelBytes);
    REQUIRE(run->file->parsedCleanly);
    auto *gw = llvm::cast<EdgeWorkerDecl>(run->file->decls.at(0).get());
    REQUIRE(gw->routes.size() == 3);
    const RouteAction &bare = gw->routes[0].actions[0], &empty = gw->routes[1].actions[0],
                      &headed = gw->routes[2].actions[0];
    CHECK_FALSE(bare.respond);
    CHECK_FALSE(bare.attrs().range.valid());
    REQUIRE(empty.respond);
    CHECK(empty.attrs().range.valid());
    CHECK(empty.attrs().items.empty());
    REQUIRE(headed.respond);
    CHECK(headed.attrs().find("headers") != nullptr);
  }
}

TEST_CASE("a tree built in a file's arena is copied whole, and the copies outlive the file", "[parser][arena]") {
  // Sema copies attribute blocks (an issuer's template, substituted); the
  // copies must not point into the arena the file frees with its tree.
  const std::string text = "retry r {\n  attempts = 3\n  on = [502, 503]\n"
                           "  backoff = exponential(initial = 100ms, max = 1s)\n}\n"
                           "edgeworker gw {\n  route GET \"/x\" { deny 403 \"no\" }\n}\n";
  for (size_t parallelBytes : {ParseOptions{}.parallelBytes, kAlwaysInParts}) {
    INFO("in parts " << (parallelBytes == kAlwaysInParts));
    AttrList retryAttrs;
    CompactVector<Route> routes;
    {
      std::unique_ptr<Parsed> parsed = parsePolicy(text, true, parallelBytes);
      REQUIRE(parsed->diags.diagnostics().empty());
      REQUIRE(fastOutcome(text) == FastOutcome::Whole);
      REQUIRE(parsed->file->decls.size() == 2);
      retryAttrs = parsed->file->decls[0]->attrs;
      routes = llvm::cast<EdgeWorkerDecl>(parsed->file->decls[1].get())->routes;
    } // the file, its arena and its buffer are gone
    REQUIRE(retryAttrs.items.size() == 3);
    CHECK(retryAttrs.items[1].value.items().size() == 2);
    CHECK(retryAttrs.items[2].value.fields().size() == 2);
    REQUIRE(routes.size() == 1);
    REQUIRE(routes[0].actions.size() == 1);
    REQUIRE(routes[0].actions[0].status);
    CHECK(routes[0].actions[0].status->number() == 403);
  }
}

TEST_CASE("a tree's names and values outlive an edit of its buffer, on both paths", "[parser]") {
  // Most texts point into the buffer, which the file shares; decoded escapes
  // and dotted names written with spaces are kept in the file's TextStore.
  const std::string text = "import std . azure\n"
                           "resource vm-1 : azure . vm {\n"
                           "  name = \"a\\tb\\u{e9}\"\n"
                           "  origin = \"https://x.example\"\n"
                           "}\n";
  for (size_t parallelBytes : {ParseOptions{}.parallelBytes, kAlwaysInParts})
    for (bool fast : {true, false}) {
      INFO("fast " << fast << ", in parts " << (parallelBytes == kAlwaysInParts));
      std::unique_ptr<Parsed> parsed = parsePolicy(text, fast, parallelBytes);
      REQUIRE(parsed->diags.diagnostics().empty());
      // An edit: the manager lets go of the text the tree was parsed from.
      parsed->sm.replaceBuffer(parsed->id,
                               llvm::MemoryBuffer::getMemBufferCopy(std::string(text.size(), '#'), "policy.ward"));
      const std::unique_ptr<SourceFile> &file = parsed->file;
      REQUIRE(file->imports.size() == 1);
      CHECK(file->imports[0].target.text == "std.azure");
      REQUIRE(file->decls.size() == 1);
      auto *vm = llvm::cast<ResourceDecl>(file->decls[0].get());
      CHECK(vm->name.text == "vm-1");
      CHECK(vm->type.name.text == "azure.vm");
      CHECK(vm->attrs.find("name")->value.text == "a\tb\xC3\xA9");
      CHECK(vm->attrs.find("origin")->value.text == "https://x.example");
      CHECK(vm->attrs.items[0].key().text == "name");
    }
}

TEST_CASE("a text store keeps copies where they are when absorbed", "[parser]") {
  TextStore store;
  std::string made = "made at run time";
  llvm::StringRef kept = store.keep(made);
  made.assign(made.size(), '?');
  CHECK(kept == "made at run time");
  CHECK(store.keep("").empty());

  TextStore whole;
  llvm::StringRef before = whole.keep("first");
  whole.absorb(std::move(store));
  for (int i = 0; i < 10000; ++i) whole.keep("filler that takes more than one slab of the allocator");
  CHECK(kept == "made at run time");
  CHECK(before == "first");
}

TEST_CASE("fast parser: a number's magnitude is what strtod reads from its digits", "[parse][fast]") {
  // Short whole numbers are summed without strtod; every other spelling
  // goes through it. Either way the magnitude must be strtod's.
  std::vector<std::string> spellings = {
      "0",    "7",   "00012", "250", "999999999999999", "1000000000000000", "12345678901234567890",
      "12.5", "0.1", "1.",    ".5",  "3.14159"};
  std::mt19937_64 random(5);
  for (int i = 0; i < 2000; ++i) spellings.push_back(std::to_string(random() % 10'000'000'000'000'000ull));
  for (const std::string &digits : spellings)
    for (const char *unit : {"", "ms"}) {
      std::string text = digits + unit;
      Value v = ward::parse::numberValue(text, SourceRange{1, 0, static_cast<uint32_t>(text.size())}, *unit != '\0');
      INFO(text);
      CHECK(v.number() == std::strtod(digits.c_str(), nullptr));
      CHECK(v.isInteger == (digits.find('.') == std::string::npos));
      CHECK(v.unit() == unit);
    }
}

TEST_CASE("fast parser: the grammar's tables made at build time are what the generated recognizers say",
          "[parse][fast]") {
  // Asked here of the ANTLR lexer and of the parser's ATN, as
  // grammar/GrammarTables.cpp asks them at build time.
  antlr4::ANTLRInputStream empty("");
  grammar::WardLexer lexer(&empty);
  antlr4::CommonTokenStream tokens(&lexer);
  grammar::WardParser parser(&tokens);
  const antlr4::atn::ATN &atn = parser.getATN();
  std::set<size_t> nameStarts;
  for (ssize_t type : atn.nextTokens(atn.ruleToStartState[grammar::WardParser::RuleName]).toList())
    if (type != grammar::WardLexer::IDENT) nameStarts.insert(static_cast<size_t>(type));
  REQUIRE(nameStarts.size() > 20);
  CHECK(parse::softKeywords() == nameStarts);

  const antlr4::dfa::Vocabulary &vocabulary = lexer.getVocabulary();
  size_t keywords = 0;
  for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
    std::string literal = vocabulary.getLiteralName(type);
    if (literal.size() < 3 || literal.front() != '\'') continue;
    std::string spelling = literal.substr(1, literal.size() - 2);
    INFO(spelling);
    // The tokenizer gives each fixed spelling its token type.
    CHECK(parse::scanToken(spelling, 0).type == type);
    if (std::isalpha(static_cast<unsigned char>(spelling[0]))) ++keywords;
  }
  CHECK(keywords > 30);

  // And the fast parser takes every keyword `name` accepts as an attribute
  // key itself, without leaving the file to ANTLR.
  for (size_t type : nameStarts) {
    std::string spelling = vocabulary.getLiteralName(type);
    spelling = spelling.substr(1, spelling.size() - 2);
    std::string text = "tenant t {\n  " + spelling + " = \"x\"\n}\n";
    INFO(text);
    CHECK(fastOutcome(text) == FastOutcome::Whole);
    CHECK(parseToText(text, true) == parseToText(text, false));
  }
}
