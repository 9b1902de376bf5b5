// The manifest is written as text for speed; it must be exactly what the
// JSON writer prints for the same value (keys sorted, two-space indentation),
// so that parsing it gives the documented structure and its hashes match.
#include "output/Artifacts.h"
#include "output/JsonWriter.h"
#include "output/Tarball.h"

#include <llvm/Support/MemoryBuffer.h>
#include <zlib.h>
#include <catch2/catch.hpp>

using namespace ward;
using namespace ward::codegen;

namespace {

/// The manifest as a JSON value, built the plain way, for comparison.
llvm::json::Value expectedManifest(const ArtifactSet &set, const SourceManager &sm, llvm::StringRef version) {
  llvm::json::Array list;
  for (const auto &[path, a] : set.artifacts()) {
    llvm::json::Array sources;
    for (auto &[file, line, column, endLine, endColumn] : sourceLocations(a, sm))
      sources.push_back(llvm::json::Object{
          {"file", file}, {"line", line}, {"column", column}, {"endLine", endLine}, {"endColumn", endColumn}});
    list.push_back(llvm::json::Object{{"path", path},
                                      {"kind", a.kind},
                                      {"sha256", sha256Hex(a.bytes)},
                                      {"bytes", static_cast<int64_t>(a.bytes.size())},
                                      {"sources", std::move(sources)}});
  }
  return llvm::json::Object{{"schema", "ward-manifest"},
                            {"version", 1},
                            {"compiler", ("wardc " + version).str()},
                            {"artifacts", std::move(list)}};
}

/// What a stream set up for this one call gives.
std::string freshDeflate(const std::string &data, int windowBits) {
  z_stream stream{};
  REQUIRE(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, windowBits, codegen::kDeflateMemLevel,
                       Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

} // namespace

TEST_CASE("the manifest text is what the JSON writer prints for the same value", "[artifacts]") {
  SourceManager sm;
  FileID a = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy("resource x\n  line two\nthree\n"), "dir/a.ward");
  FileID b = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy("one\ntwo\n"), "odd \"name\"\\<b>.ward");

  ArtifactSet empty;
  CHECK(empty.manifest(sm, "1.2.3") == writeJson(expectedManifest(empty, sm, "1.2.3")));

  ArtifactSet set;
  set.add({"retry/r.json", "ward-retry", "{}\n", {}});
  set.add(
      {"azure/rbac.json",
       "arm-template",
       std::string("bytes with \0 and \xE2\x80\xA8", 20),
       {SourceRange{b, 4, 7}, SourceRange{a, 0, 10}, SourceRange{a, 13, 20}, SourceRange{a, 0, 10}, SourceRange{}}});
  set.add({"edgeworkers/g\xC3\xA9/main.js", "edgeworkers-main", "export {};\n", {SourceRange{a, 11, 12}}});
  std::string text = set.manifest(sm, "0.9 \"dev\"");
  CHECK(text == writeJson(expectedManifest(set, sm, "0.9 \"dev\"")));
  // And it parses, listing every artifact once, in path order.
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  REQUIRE(bool(parsed));
  const llvm::json::Array *list = parsed->getAsObject()->getArray("artifacts");
  REQUIRE(list);
  REQUIRE(list->size() == 3);
  CHECK(*(*list)[0].getAsObject()->getString("path") == "azure/rbac.json");
  CHECK((*list)[0].getAsObject()->getArray("sources")->size() == 3); // duplicates and invalid ranges dropped
}

TEST_CASE("a reused deflate stream compresses exactly as a fresh one", "[artifacts]") {
  std::string first(50000, 'a'), second = "short, different input";
  for (size_t i = 0; i < first.size(); i += 7) first[i] = static_cast<char>('a' + i % 23);
  for (int round = 0; round < 3; ++round) { // the stream is reused from the second call on
    for (const std::string *data : {&first, &second}) {
      llvm::Expected<std::string> wrapped = gzip(*data);
      llvm::Expected<std::string> raw = deflateBest(*data, -15);
      REQUIRE(bool(wrapped));
      REQUIRE(bool(raw));
      CHECK(*wrapped == freshDeflate(*data, 15 + 16));
      CHECK(*raw == freshDeflate(*data, -15));
    }
  }
}

TEST_CASE("a document printed element by element is what writeJson prints for the whole value", "[artifacts]") {
  auto element = [](int i) {
    return llvm::json::Object{{"name", "r" + std::to_string(i)},
                              {"nested", llvm::json::Object{{"list", llvm::json::Array{i, "x<y>", nullptr}}}},
                              {"empty", llvm::json::Object{}}};
  };
  llvm::json::Object head{
      {"$schema", "s"}, {"metadata", llvm::json::Object{{"a", 1}}}, {"parameters", llvm::json::Object{}}};
  for (int count : {0, 1, 3}) {
    JsonArrayDocument document;
    llvm::json::Array whole;
    for (int i = 0; i < count; ++i) {
      document.add(element(i));
      whole.push_back(element(i));
    }
    CHECK(document.size() == static_cast<size_t>(count));
    llvm::json::Object expected = head;
    expected["resources"] = std::move(whole);
    CHECK(std::move(document).finish(head, "resources") == writeJson(llvm::json::Value(std::move(expected))));
  }
  JsonArrayDocument bare;
  bare.add(1);
  CHECK(std::move(bare).finish({}, "items") == writeJson(llvm::json::Object{{"items", llvm::json::Array{1}}}));
}

TEST_CASE("members printed apart take their place among the head's as writeJson would print them", "[artifacts]") {
  auto parameter = [](const std::string &description) {
    return llvm::json::Object{{"type", "string"}, {"metadata", llvm::json::Object{{"description", description}}}};
  };
  llvm::json::Object head{{"$schema", "s"}, {"metadata", llvm::json::Object{{"a", 1}}}, {"zz-last", true}};
  for (int count : {0, 1, 3}) {
    INFO(count << " parameters");
    std::vector<JsonArrayDocument::PrintedMember> printed;
    llvm::json::Object parameters;
    for (int i = count; i > 0; --i) { // added out of order: printed by key
      std::string name = "p" + std::to_string(i), description = "principal <" + std::to_string(i) + ">";
      printed.push_back({name, JsonArrayDocument::print(parameter(description))});
      parameters[name] = parameter(description);
    }
    JsonArrayDocument document;
    document.add(llvm::json::Object{{"name", "r"}});
    llvm::json::Object expected = head;
    expected["parameters"] = std::move(parameters);
    expected["zzz"] = llvm::json::Array{llvm::json::Object{{"name", "r"}}};
    CHECK(
        std::move(document).finish(head, "zzz", {{"parameters", JsonArrayDocument::printObject(std::move(printed))}}) ==
        writeJson(llvm::json::Value(std::move(expected))));
  }
}
