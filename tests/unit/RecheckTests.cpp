// A compilation checked again after an edit must say exactly what a fresh
// compilation of the edited files says, and build the same artifacts: the
// parses it reuses carry nothing over from the earlier check.
#include "TestSupport.h"
#include "diag/Printers.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::test;

namespace {

/// Everything a user would see: the rendered diagnostics, each fix-it, and
/// whether the check passed.
std::string report(Compilation &c, bool clean) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << (clean ? "clean\n" : "errors\n");
  printText(os, c.sources(), c.diagnostics().diagnostics());
  for (const Diagnostic &d : c.diagnostics().diagnostics())
    for (const FixIt &f : d.fixits) os << "fix " << f.range.begin << "-" << f.range.end << " " << f.replacement << "\n";
  return os.str();
}

/// The files of `dir`, relative path -> content.
std::map<std::string, std::string> tree(const std::string &dir) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (it->type() == llvm::sys::fs::file_type::regular_file)
      files[it->path().substr(dir.size())] = readFile(it->path());
  return files;
}

std::map<std::string, std::string> buildTree(Compilation &c) {
  TempDir out;
  BuildOutcome outcome = c.build(out.path() + "/out", "test");
  if (!outcome.wrote) return {};
  return tree(out.path() + "/out");
}

std::vector<std::string> projects() {
  return {"examples/orders-api", "examples/multi-issuer-gateway", "examples/vm-backup"};
}

std::vector<std::string> wardFiles(const std::string &dir) {
  std::vector<std::string> out;
  for (auto &[rel, text] : tree(dir))
    if (llvm::StringRef(rel).endswith(".ward")) out.push_back(dir + rel);
  return out;
}

/// Edits a user might make: shift every position, break a declaration,
/// delete a line from the middle.
std::vector<std::pair<std::string, std::string>> edits(const std::string &text) {
  size_t middle = text.find('\n', text.size() / 2);
  size_t next = middle == std::string::npos ? std::string::npos : text.find('\n', middle + 1);
  std::string deleted = next == std::string::npos ? text : text.substr(0, middle) + text.substr(next);
  return {{"prepend a comment", "// edited\n\n" + text},
          {"append a broken declaration", text + "\nidentity broken : group {\n"},
          {"delete a line", deleted}};
}

} // namespace

TEST_CASE("checking again without an edit reuses every parse and says the same", "[recheck]") {
  for (const std::string &project : projects()) {
    INFO(project);
    Compilation c(loadOptions());
    bool first = c.check({project});
    std::string before = report(c, first);
    std::map<std::string, std::string> built = buildTree(c);
    CHECK(c.filesParsed() > 0);
    bool second = c.check({project});
    CHECK(c.filesParsed() == 0);
    CHECK(c.filesReused() == wardFiles(project).size() + 3); // and the three stdlib modules
    CHECK(report(c, second) == before);
    CHECK_FALSE(built.empty());
    CHECK(buildTree(c) == built);
  }
}

TEST_CASE("after an edit a re-check says what a fresh check of the edited files says", "[recheck]") {
  for (const std::string &project : projects()) {
    for (const std::string &file : wardFiles(project)) {
      std::string original = readFile(file);
      Compilation kept(loadOptions());
      kept.check({project});
      std::string pristine = report(kept, !kept.diagnostics().hasErrors());
      std::map<std::string, std::string> pristineBuild = buildTree(kept);
      for (auto &[what, text] : edits(original)) {
        INFO(file << ": " << what);
        kept.setBuffer(file, text);
        bool keptClean = kept.check({project});
        CHECK(kept.filesParsed() == 1);
        Compilation fresh(loadOptions());
        fresh.setBuffer(file, text);
        bool freshClean = fresh.check({project});
        CHECK(report(kept, keptClean) == report(fresh, freshClean));
        CHECK(buildTree(kept) == buildTree(fresh));
        kept.removeBuffer(file); // back to the text on disk
        CHECK(report(kept, kept.check({project})) == pristine);
        CHECK(buildTree(kept) == pristineBuild);
      }
    }
  }
}

TEST_CASE("an editor buffer stands in for a file that is not on disk, and for one that is", "[recheck]") {
  TempDir dir;
  std::string onDisk = dir.write("p/a.ward", "identity sp-a : group {\n");
  Compilation c(loadOptions());
  CHECK_FALSE(c.check({onDisk}));
  c.setBuffer(onDisk, "identity sp-a : group\n");
  std::string unsaved = dir.path() + "/p/unsaved.ward";
  c.setBuffer(unsaved, "import \"a.ward\"\nidentity sp-b : group\n");
  bool clean = c.check({unsaved});
  INFO(report(c, clean));
  CHECK(c.diagnostics().errorCount() == 0);
  CHECK(c.program().files.size() == 5); // both files and the stdlib

  // The buffer closed without saving: the import no longer finds the file,
  // and the importing file says so exactly as a fresh check would.
  std::string importer = dir.write("p/importer.ward", "import \"unsaved.ward\"\nallow sp-b to x.y on z\n");
  c.check({importer});
  std::string withBuffer = report(c, false);
  c.removeBuffer(unsaved);
  bool keptClean = c.check({importer});
  Compilation fresh(loadOptions());
  bool freshClean = fresh.check({importer});
  CHECK(report(c, keptClean) == report(fresh, freshClean));
  CHECK(report(c, keptClean) != withBuffer);
  CHECK(c.diagnostics().diagnostics().front().code == "E0201");
}

TEST_CASE("a reused file is judged again from scratch when another file changes", "[recheck]") {
  // a.ward does not change; what is said about it depends on b.ward (which
  // imports it and may use its spare identity) and c.ward (its issuer).
  TempDir dir;
  std::string a = dir.write("p/a.ward", R"(import std.azure
import "c.ward"
tenant contoso { id = "72f988bf-86f1-41af-91ab-2d7cd011db47" subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590" }
// ward-ignore W025: kept for the next release
identity sp-spare : group { object_id = "3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f" }
edgeworker gateway {
  id = 1
  version = "1.0.0"
  hostnames = ["api.example.com"]
  route GET "/x" {
    require token from okta { scopes = ["x.read"] }
    respond 200 "ok"
  }
  default deny 404
}
)");
  auto issuer = [](const std::string &jwks) {
    return "issuer okta {\n  issuer = \"https://example.okta.com/oauth2/default\"\n  jwks = \"" + jwks +
           "\"\n  audiences = [\"api://x\"]\n  algorithms = [RS256]\n  max_lifetime = 15m\n}\n";
  };
  const std::string served = issuer("https://api.example.com/keys");
  const std::string unserved = issuer("https://example.okta.com/oauth2/default/v1/keys");
  const std::string spareUnused =
      "import std.azure\nimport \"a.ward\"\nresource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n";
  const std::string spareUsed = spareUnused + "allow sp-spare to vm.read on vm\n";
  std::string b = dir.path() + "/p/b.ward", c = dir.path() + "/p/c.ward";
  const std::vector<std::pair<std::string, std::string>> steps = {{spareUnused, served}, {spareUnused, unserved},
                                                                  {spareUsed, unserved}, {spareUnused, served},
                                                                  {spareUsed, served},   {spareUnused, served}};
  Compilation kept(loadOptions());
  std::string sawE0321, sawW028;
  for (auto &[bText, cText] : steps) {
    INFO(bText << cText);
    kept.setBuffer(b, bText);
    kept.setBuffer(c, cText);
    bool keptClean = kept.check({a, b});
    Compilation fresh(loadOptions());
    fresh.setBuffer(b, bText);
    fresh.setBuffer(c, cText);
    bool freshClean = fresh.check({a, b});
    std::string said = report(kept, keptClean);
    CHECK(said == report(fresh, freshClean));
    if (said.find("E0321") != std::string::npos) sawE0321 = said;
    if (said.find("W028") != std::string::npos) sawW028 = said;
  }
  // The checks said something worth comparing.
  CHECK_FALSE(sawE0321.empty());
  CHECK_FALSE(sawW028.empty());
}
