// `wardc lsp`: scripted sessions over stdin and stdout, as an editor runs
// them, with every reply and notification checked.
#include "TestSupport.h"

#include <catch2/catch.hpp>

#include <functional>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>

using namespace ward::test;

namespace {

std::string frame(const llvm::json::Value &message) {
  std::string body;
  llvm::raw_string_ostream os(body);
  os << message;
  os.flush();
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

llvm::json::Value request(int64_t id, llvm::StringRef method, llvm::json::Value params = llvm::json::Object{}) {
  return llvm::json::Object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}
llvm::json::Value notification(llvm::StringRef method, llvm::json::Value params = llvm::json::Object{}) {
  return llvm::json::Object{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}
llvm::json::Value initialize(const std::string &root, bool utf8 = false) {
  llvm::json::Object capabilities;
  if (utf8) capabilities["general"] = llvm::json::Object{{"positionEncodings", llvm::json::Array{"utf-8", "utf-16"}}};
  return request(1, "initialize",
                 llvm::json::Object{{"rootUri", "file://" + root}, {"capabilities", std::move(capabilities)}});
}
llvm::json::Value didOpen(const std::string &path, const std::string &text, int64_t version = 1) {
  return notification("textDocument/didOpen",
                      llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path},
                                                                             {"languageId", "ward"},
                                                                             {"version", version},
                                                                             {"text", text}}}});
}
llvm::json::Value range(int64_t l1, int64_t c1, int64_t l2, int64_t c2) {
  return llvm::json::Object{{"start", llvm::json::Object{{"line", l1}, {"character", c1}}},
                            {"end", llvm::json::Object{{"line", l2}, {"character", c2}}}};
}
llvm::json::Value didChange(const std::string &path, int64_t version, llvm::json::Value changeRange,
                            const std::string &text) {
  return notification(
      "textDocument/didChange",
      llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}, {"version", version}}},
                         {"contentChanges",
                          llvm::json::Array{llvm::json::Object{{"range", std::move(changeRange)}, {"text", text}}}}});
}

struct Session {
  int exitCode = -1;
  std::vector<llvm::json::Object> messages;

  /// The replies to request `id`.
  const llvm::json::Object *reply(int64_t id) const {
    for (const llvm::json::Object &m : messages)
      if (m.getInteger("id") == llvm::Optional<int64_t>(id)) return &m;
    return nullptr;
  }
  /// Every publishDiagnostics for `path`, in order.
  std::vector<const llvm::json::Object *> published(const std::string &path) const {
    std::vector<const llvm::json::Object *> out;
    for (const llvm::json::Object &m : messages)
      if (m.getString("method") == llvm::Optional<llvm::StringRef>("textDocument/publishDiagnostics") &&
          m.getObject("params")->getString("uri") == llvm::Optional<llvm::StringRef>("file://" + path))
        out.push_back(m.getObject("params"));
    return out;
  }
};

Session run(const TempDir &dir, const std::string &input) {
  std::string in = dir.write("session.in", input);
  RunResult r = runProgram("/bin/sh", {"-c", std::string("'") + WARDC_PATH + "' lsp < '" + in + "'"});
  Session s;
  s.exitCode = r.exitCode;
  llvm::StringRef out = r.out;
  while (!out.empty()) {
    auto [head, rest] = out.split("\r\n\r\n");
    size_t length = 0;
    REQUIRE(head.consume_front("Content-Length: "));
    REQUIRE_FALSE(head.getAsInteger(10, length));
    llvm::Expected<llvm::json::Value> message = llvm::json::parse(rest.take_front(length));
    REQUIRE(bool(message));
    s.messages.push_back(std::move(*message->getAsObject()));
    out = rest.drop_front(length);
  }
  return s;
}

int64_t codeOf(const llvm::json::Object *reply) { return *reply->getObject("error")->getInteger("code"); }

/// `wardc lsp` driven message by message, as an editor drives it: each
/// message is sent when the test decides, and the test waits for what it
/// expects back (the server sees no burst it could coalesce).
class LiveServer {
public:
  LiveServer() {
    int in[2], out[2];
    REQUIRE(pipe(in) == 0);
    REQUIRE(pipe(out) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(in[0], 0), dup2(out[1], 1);
      close(in[0]), close(in[1]), close(out[0]), close(out[1]);
      execl(WARDC_PATH, WARDC_PATH, "lsp", static_cast<char *>(nullptr));
      _exit(127);
    }
    close(in[0]), close(out[1]);
    to_ = in[1], from_ = out[0];
  }
  ~LiveServer() {
    if (to_ >= 0) close(to_);
    if (from_ >= 0) close(from_);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }
  void send(const std::string &frame) {
    for (size_t done = 0; done < frame.size();) {
      ssize_t n = write(to_, frame.data() + done, frame.size() - done);
      REQUIRE(n > 0);
      done += size_t(n);
    }
  }
  /// The next message that satisfies `wanted` (others are kept in `seen`).
  llvm::json::Object waitFor(const std::function<bool(const llvm::json::Object &)> &wanted) {
    for (;;) {
      while (std::optional<llvm::json::Object> m = nextBuffered()) {
        if (wanted(*m)) return std::move(*m);
        seen.push_back(std::move(*m));
      }
      pollfd p{from_, POLLIN, 0};
      REQUIRE(poll(&p, 1, 20000) > 0); // a reply within 20 s, or the test fails rather than hangs
      char chunk[65536];
      ssize_t n = read(from_, chunk, sizeof chunk);
      REQUIRE(n > 0);
      buffer_.append(chunk, size_t(n));
    }
  }
  llvm::json::Object reply(int64_t id) {
    return waitFor([&](const llvm::json::Object &m) { return m.getInteger("id") == llvm::Optional<int64_t>(id); });
  }
  /// The next publication for `path` (optionally of `version`).
  llvm::json::Object publication(const std::string &path, std::optional<int64_t> version = std::nullopt) {
    llvm::json::Object m = waitFor([&](const llvm::json::Object &o) {
      if (o.getString("method") != llvm::Optional<llvm::StringRef>("textDocument/publishDiagnostics")) return false;
      const llvm::json::Object *p = o.getObject("params");
      if (p->getString("uri") != llvm::Optional<llvm::StringRef>("file://" + path)) return false;
      return !version || p->getInteger("version") == llvm::Optional<int64_t>(*version);
    });
    return std::move(*m.getObject("params"));
  }
  int finish() {
    send(frame(request(999, "shutdown")));
    reply(999);
    send(frame(notification("exit")));
    close(to_), to_ = -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::vector<llvm::json::Object> seen;

private:
  std::optional<llvm::json::Object> nextBuffered() {
    size_t header = buffer_.find("\r\n\r\n");
    if (header == std::string::npos) return std::nullopt;
    size_t length = std::stoul(buffer_.substr(buffer_.find(':') + 1, header));
    if (buffer_.size() < header + 4 + length) return std::nullopt;
    llvm::Expected<llvm::json::Value> m = llvm::json::parse(buffer_.substr(header + 4, length));
    buffer_.erase(0, header + 4 + length);
    REQUIRE(bool(m));
    return std::move(*m->getAsObject());
  }
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string buffer_;
};

} // namespace

TEST_CASE("lsp: lifecycle, and bad messages answered without stopping", "[lsp]") {
  TempDir dir;
  std::string input = frame(request(7, "textDocument/formatting")) + // before initialize
                      "Content-Length: 9\r\n\r\n{not json" +         // malformed
                      "X-Junk: 1\r\n\r\n" +                          // no Content-Length: skipped
                      frame(initialize(dir.path())) + frame(notification("initialized")) +
                      frame(request(2, "workspace/executeCommand")) + frame(request(5, "textDocument/hover")) +
                      frame(request(3, "shutdown")) + frame(request(4, "textDocument/formatting")) +
                      frame(notification("exit"));
  Session s = run(dir, input);
  CHECK(s.exitCode == 0);
  REQUIRE(s.reply(7));
  CHECK(codeOf(s.reply(7)) == -32002);
  bool parseError = std::any_of(s.messages.begin(), s.messages.end(), [](const llvm::json::Object &m) {
    return m.getObject("error") && m.getObject("error")->getInteger("code") == llvm::Optional<int64_t>(-32700);
  });
  CHECK(parseError);
  const llvm::json::Object *init = s.reply(1);
  REQUIRE(init);
  const llvm::json::Object *caps = init->getObject("result")->getObject("capabilities");
  CHECK(caps->getString("positionEncoding") == llvm::Optional<llvm::StringRef>("utf-16"));
  CHECK(caps->getObject("textDocumentSync")->getInteger("change") == llvm::Optional<int64_t>(2));
  CHECK(codeOf(s.reply(2)) == -32601);
  CHECK(codeOf(s.reply(5)) == -32602); // a known method without its parameters
  CHECK(s.reply(3)->get("result")->getAsNull());
  CHECK(codeOf(s.reply(4)) == -32600); // after shutdown

  Session noShutdown = run(dir, frame(initialize(dir.path())) + frame(notification("exit")));
  CHECK(noShutdown.exitCode == 1);
  Session endOfInput = run(dir, frame(initialize(dir.path())));
  CHECK(endOfInput.exitCode == 1);
}

TEST_CASE("lsp: diagnostics are published per version, in UTF-16 positions, and cleared when fixed", "[lsp]") {
  TempDir dir;
  std::string path = dir.path() + "/p/a.ward";
  // `é` is one UTF-16 unit and two bytes; `😀` two units and four bytes.
  std::string text = "identity sp-a : group { description = \"é😀\" nonsense = 1 }\n";
  LiveServer server;
  server.send(frame(initialize(dir.path() + "/p")));
  server.reply(1);
  server.send(frame(didOpen(path, text)));
  llvm::json::Object v1 = server.publication(path);
  // Delete `nonsense = 1 ` (UTF-16 columns 44 to 57).
  server.send(frame(didChange(path, 2, range(0, 44, 0, 57), "")));
  llvm::json::Object v2 = server.publication(path);
  CHECK(server.finish() == 0);
  std::vector<const llvm::json::Object *> published{&v1, &v2};
  CHECK(published[0]->getInteger("version") == llvm::Optional<int64_t>(1));
  const llvm::json::Array *first = published[0]->getArray("diagnostics");
  REQUIRE(first->size() == 1);
  const llvm::json::Object *d = (*first)[0].getAsObject();
  CHECK(d->getString("code") == llvm::Optional<llvm::StringRef>("E0301"));
  const llvm::json::Object *start = d->getObject("range")->getObject("start");
  CHECK(start->getInteger("line") == llvm::Optional<int64_t>(0));
  CHECK(start->getInteger("character") == llvm::Optional<int64_t>(44)); // bytes: 47
  CHECK(published[1]->getInteger("version") == llvm::Optional<int64_t>(2));
  // The error is gone; what is left is the unused identity, marked as such.
  const llvm::json::Array *second = published[1]->getArray("diagnostics");
  REQUIRE(second->size() == 1);
  const llvm::json::Object *unused = (*second)[0].getAsObject();
  CHECK(unused->getString("code") == llvm::Optional<llvm::StringRef>("W025"));
  CHECK(unused->getInteger("severity") == llvm::Optional<int64_t>(2));
  REQUIRE(unused->getArray("tags"));
  CHECK((*unused->getArray("tags"))[0].getAsInteger() == llvm::Optional<int64_t>(1));
}

TEST_CASE("lsp: UTF-8 positions when the client asks for them", "[lsp]") {
  TempDir dir;
  std::string path = dir.path() + "/a.ward";
  std::string input = frame(initialize(dir.path(), true)) +
                      frame(didOpen(path, "identity sp-a : group { description = \"é\" bad = 1 }\n")) +
                      frame(request(3, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  CHECK(s.reply(1)->getObject("result")->getObject("capabilities")->getString("positionEncoding") ==
        llvm::Optional<llvm::StringRef>("utf-8"));
  auto published = s.published(path);
  REQUIRE_FALSE(published.empty());
  const llvm::json::Object *d = (*published[0]->getArray("diagnostics"))[0].getAsObject();
  CHECK(d->getObject("range")->getObject("start")->getInteger("character") == llvm::Optional<int64_t>(43));
}

TEST_CASE("lsp: an edit that breaks another file's reference republishes that file", "[lsp]") {
  TempDir dir;
  std::string a = dir.write("p/a.ward", "identity sp-a : group\n");
  std::string b =
      dir.write("p/b.ward", "import std.azure\nimport \"a.ward\"\nresource vm : azure.vm { resource_group = "
                            "\"rg\" name = \"vm\" }\nallow sp-a to vm.read on vm\n");
  LiveServer server;
  server.send(frame(initialize(dir.path() + "/p")));
  server.reply(1);
  server.send(frame(didOpen(a, readFile(a))));
  server.send(frame(didChange(a, 2, range(0, 9, 0, 13), "sp-renamed"))); // b.ward now names nobody
  llvm::json::Object broken = server.publication(b);
  server.send(frame(didChange(a, 3, range(0, 9, 0, 19), "sp-a"))); // and back
  llvm::json::Object fixed = server.publication(b);
  CHECK(server.finish() == 0);
  std::vector<const llvm::json::Object *> forB{&broken, &fixed};
  REQUIRE(forB[0]->getArray("diagnostics")->size() == 1);
  CHECK((*forB[0]->getArray("diagnostics"))[0].getAsObject()->getString("code") ==
        llvm::Optional<llvm::StringRef>("E0204"));
  CHECK_FALSE(forB[0]->get("version")); // not open: no version
  CHECK(forB[1]->getArray("diagnostics")->empty());
}

TEST_CASE("lsp: formatting answers with an edit that makes the document canonical", "[lsp]") {
  TempDir dir;
  std::string path = dir.path() + "/a.ward";
  std::string text = "// é\nidentity   sp-a : group {description=\"a\"}\n";
  std::string input =
      frame(initialize(dir.path())) + frame(didOpen(path, text)) +
      frame(request(2, "textDocument/formatting",
                    llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}},
                                       {"options", llvm::json::Object{{"tabSize", 2}, {"insertSpaces", true}}}})) +
      frame(didOpen(dir.path() + "/broken.ward", "identity a : group {\n")) +
      frame(request(
          3, "textDocument/formatting",
          llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + dir.path() + "/broken.ward"}}}})) +
      frame(request(4, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  const llvm::json::Array *edits = s.reply(2)->getArray("result");
  REQUIRE(edits);
  REQUIRE(edits->size() == 1);
  const llvm::json::Object *edit = (*edits)[0].getAsObject();
  const llvm::json::Object *start = edit->getObject("range")->getObject("start");
  const llvm::json::Object *end = edit->getObject("range")->getObject("end");
  // Apply it (lines 1.. only: the comment line is untouched).
  CHECK(start->getInteger("line") == llvm::Optional<int64_t>(1));
  CHECK(end->getInteger("line") == llvm::Optional<int64_t>(1));
  std::string line = "identity   sp-a : group {description=\"a\"}";
  std::string applied = line.substr(0, *start->getInteger("character")) + edit->getString("newText")->str() +
                        line.substr(*end->getInteger("character"));
  CHECK(applied == "identity sp-a : group { description = \"a\" }");
  CHECK(s.reply(3)->get("result")->getAsNull()); // syntax errors: nothing to format
}

namespace {
llvm::json::Value at(const std::string &path, int64_t line, int64_t character) {
  return llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}},
                            {"position", llvm::json::Object{{"line", line}, {"character", character}}}};
}
llvm::json::Value codeActions(int64_t id, const std::string &path, llvm::json::Value where) {
  return request(id, "textDocument/codeAction",
                 llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}},
                                    {"range", std::move(where)},
                                    {"context", llvm::json::Object{{"diagnostics", llvm::json::Array{}}}}});
}
int64_t startLine(const llvm::json::Object &location) {
  return *location.getObject("range")->getObject("start")->getInteger("line");
}
/// The labels each completion request at `positions` (line, character) of
/// `text`, open in a project of its own, answers (the items of an incomplete
/// list too).
std::vector<std::vector<std::string>> completionLabels(const std::string &text,
                                                       const std::vector<std::pair<int64_t, int64_t>> &positions) {
  TempDir dir;
  std::string path = dir.write("p/a.ward", text);
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, text));
  for (size_t i = 0; i < positions.size(); ++i)
    input +=
        frame(request(int64_t(10 + i), "textDocument/completion", at(path, positions[i].first, positions[i].second)));
  Session s = run(dir, input + frame(request(9, "shutdown")) + frame(notification("exit")));
  std::vector<std::vector<std::string>> out;
  for (size_t i = 0; i < positions.size(); ++i) {
    const llvm::json::Object *reply = s.reply(int64_t(10 + i));
    const llvm::json::Array *items = reply->getArray("result");
    if (!items) items = reply->getObject("result")->getArray("items");
    out.emplace_back();
    for (const llvm::json::Value &item : *items) out.back().push_back(item.getAsObject()->getString("label")->str());
  }
  return out;
}

} // namespace

TEST_CASE("lsp: definition, references, highlights, hover, symbols and folding", "[lsp]") {
  TempDir dir;
  std::string text =
      "import std.retry\n" // 0
      "retry reads {\n"    // 1
      "  attempts = 3\n"   // 2
      "  backoff = exponential(initial = 100ms, max = 1s, jitter = full)\n"
      "  on = [503]\n"
      "  per_try_timeout = 1s\n"
      "}\n" // 6
      "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" origin = \"https://vm.example.net\" }\n"
      "edgeworker gw {\n" // 8
      "  id = 1\n"
      "  version = \"1.0.0\"\n"
      "  route GET \"/a\" { forward to vm retry reads }\n" // 11
      "  route GET \"/b\" { forward to vm retry reads }\n" // 12
      "}\n";
  std::string path = dir.write("p/a.ward", "import std.azure\n" + text); // lines shift by one
  std::string input =
      frame(initialize(dir.path() + "/p")) + frame(didOpen(path, readFile(path))) +
      frame(request(2, "textDocument/definition", at(path, 12, 39))) +
      frame(request(3, "textDocument/references",
                    [&] {
                      llvm::json::Value p = at(path, 12, 39);
                      p.getAsObject()->try_emplace("context", llvm::json::Object{{"includeDeclaration", true}});
                      return p;
                    }())) +
      frame(request(4, "textDocument/hover", at(path, 2, 7))) +
      frame(request(5, "textDocument/documentSymbol",
                    llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}}})) +
      frame(request(6, "textDocument/foldingRange",
                    llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}}})) +
      frame(request(7, "textDocument/documentHighlight", at(path, 8, 10))) +
      frame(request(8, "textDocument/definition", at(path, 3, 3))) + // `attempts`: not a name of anything
      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  REQUIRE(s.reply(2));
  const llvm::json::Object *definition = s.reply(2)->getObject("result");
  REQUIRE(definition);
  CHECK(startLine(*definition) == 2);
  const llvm::json::Array *refs = s.reply(3)->getArray("result");
  REQUIRE(refs);
  std::vector<int64_t> lines;
  for (const llvm::json::Value &r : *refs) lines.push_back(startLine(*r.getAsObject()));
  CHECK(lines == std::vector<int64_t>{2, 12, 13});
  std::string hover = s.reply(4)->getObject("result")->getObject("contents")->getString("value")->str();
  CHECK(hover.find("worst case: 3 × 1s + (100ms + 200ms) = 3.30s") != std::string::npos);
  const llvm::json::Array *symbols = s.reply(5)->getArray("result");
  REQUIRE(symbols->size() == 3);
  const llvm::json::Object *gw = (*symbols)[2].getAsObject();
  CHECK(gw->getString("name") == llvm::Optional<llvm::StringRef>("gw"));
  CHECK(gw->getArray("children")->size() == 2);
  const llvm::json::Array *folds = s.reply(6)->getArray("result");
  REQUIRE(folds->size() == 2); // the retry and the edgeworker; one-line routes do not fold
  CHECK((*folds)[0].getAsObject()->getInteger("startLine") == llvm::Optional<int64_t>(2));
  CHECK(s.reply(7)->getArray("result")->size() == 3); // `vm` declared, and used twice
  CHECK(s.reply(8)->get("result")->getAsNull());
}

TEST_CASE("lsp: a diagnostic's fix-it is a quick fix that removes it", "[lsp]") {
  TempDir dir;
  std::string text = "identity sp-a : group\nallow sp-b to vm.read on vm\n";
  std::string path = dir.write("p/a.ward", text);
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, text)) +
                      frame(codeActions(2, path, range(1, 0, 1, 10))) + frame(request(3, "shutdown")) +
                      frame(notification("exit"));
  Session s = run(dir, input);
  const llvm::json::Array *actions = s.reply(2)->getArray("result");
  REQUIRE(actions);
  REQUIRE_FALSE(actions->empty());
  const llvm::json::Object *action = (*actions)[0].getAsObject();
  CHECK(action->getString("kind") == llvm::Optional<llvm::StringRef>("quickfix"));
  CHECK(action->getString("title")->startswith("E0204"));
  const llvm::json::Array *edits = action->getObject("edit")->getObject("changes")->getArray("file://" + path);
  REQUIRE(edits);
  REQUIRE(edits->size() == 1);
  const llvm::json::Object *edit = (*edits)[0].getAsObject();
  CHECK(edit->getString("newText") == llvm::Optional<llvm::StringRef>("sp-a"));
  CHECK(startLine(*edit) == 1);
}

TEST_CASE("lsp: rename changes every use across files, and refuses standard-library and taken names", "[lsp]") {
  TempDir dir;
  std::string a = dir.write("p/a.ward", "identity sp-a : group\nidentity sp-b : group\n");
  std::string b =
      dir.write("p/b.ward", "import std.azure\nimport \"a.ward\"\nresource vm : azure.vm { resource_group = "
                            "\"rg\" name = \"vm\" }\nallow sp-a to vm.read on vm\n");
  auto renameAt = [&](int64_t id, const std::string &path, int64_t line, int64_t character, const char *name) {
    llvm::json::Value p = at(path, line, character);
    p.getAsObject()->try_emplace("newName", name);
    return frame(request(id, "textDocument/rename", std::move(p)));
  };
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(b, readFile(b))) +
                      frame(request(2, "textDocument/prepareRename", at(b, 3, 7))) + renameAt(3, b, 3, 7, "sp-orders") +
                      frame(request(4, "textDocument/prepareRename", at(b, 2, 16))) + // azure.vm: stdlib
                      renameAt(5, b, 3, 7, "sp-b") +                                  // taken
                      renameAt(6, b, 3, 7, "not a name") + frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  const llvm::json::Object *prepared = s.reply(2)->getObject("result");
  REQUIRE(prepared);
  CHECK(prepared->getString("placeholder") == llvm::Optional<llvm::StringRef>("sp-a"));
  const llvm::json::Object *changes = s.reply(3)->getObject("result")->getObject("changes");
  REQUIRE(changes);
  CHECK(changes->getArray("file://" + a)->size() == 1);
  CHECK(changes->getArray("file://" + b)->size() == 1);
  CHECK((*changes->getArray("file://" + a))[0].getAsObject()->getString("newText") ==
        llvm::Optional<llvm::StringRef>("sp-orders"));
  CHECK(codeOf(s.reply(4)) == -32803);
  CHECK(s.reply(4)->getObject("error")->getString("message")->contains("standard library"));
  CHECK(codeOf(s.reply(5)) == -32803);
  CHECK(s.reply(5)->getObject("error")->getString("message")->contains("already declared"));
  CHECK(codeOf(s.reply(6)) == -32803);
}

TEST_CASE("lsp: completion offers what fits the position", "[lsp]") {
  TempDir dir;
  std::string text = "import std.azure\n"            // 0
                     "identity sp-a : group\n"       // 1
                     "resource vm : azure.vm {\n"    // 2
                     "  resource_group = \"rg\"\n"   // 3
                     "  \n"                          // 4: attributes
                     "}\n"                           // 5
                     "allow sp-a to vm.read on vm\n" // 6
                     "\n";                           // 7: keywords
  std::string path = dir.write("p/a.ward", text);
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, text)) +
                      frame(request(2, "textDocument/completion", at(path, 6, 6))) +  // after `allow `
                      frame(request(3, "textDocument/completion", at(path, 6, 25))) + // after `on `
                      frame(request(4, "textDocument/completion", at(path, 4, 2))) +  // in the resource block
                      frame(request(5, "textDocument/completion", at(path, 7, 0))) +  // top level
                      frame(request(6, "textDocument/completion", at(path, 1, 16))) + // after `identity sp-a :`
                      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  auto labels = [&](int64_t id) {
    std::vector<std::string> out;
    const llvm::json::Array *items = s.reply(id)->getArray("result");
    REQUIRE(items);
    for (const llvm::json::Value &item : *items) out.push_back(item.getAsObject()->getString("label")->str());
    return out;
  };
  CHECK(labels(2) == std::vector<std::string>{"sp-a"});
  std::vector<std::string> resources = labels(3);
  CHECK(std::find(resources.begin(), resources.end(), "vm") != resources.end());
  CHECK(std::find(resources.begin(), resources.end(), "sp-a") == resources.end());
  std::vector<std::string> attributes = labels(4);
  CHECK(std::find(attributes.begin(), attributes.end(), "name") != attributes.end());
  CHECK(std::find(attributes.begin(), attributes.end(), "origin") != attributes.end());
  CHECK(std::find(attributes.begin(), attributes.end(), "resource_group") == attributes.end()); // already written
  std::vector<std::string> keywords = labels(5);
  CHECK(std::find(keywords.begin(), keywords.end(), "edgeworker") != keywords.end());
  std::vector<std::string> kinds = labels(6);
  CHECK(kinds == std::vector<std::string>{"service_principal", "managed_identity", "group", "user"});
}

TEST_CASE("lsp: completion after `trigger backup` and `through` offers resources", "[lsp][relay]") {
  TempDir dir;
  std::string text = "import std.azure\n"                                                 // 0
                     "identity sp-a : group\n"                                            // 1
                     "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n" // 2
                     "edgeworker ew {\n"                                                  // 3
                     "  id = 1\n"                                                         // 4
                     "  version = \"1.0.0\"\n"                                            // 5
                     "  route POST \"/b\" { trigger backup  }\n"                          // 6
                     "  route GET \"/s/{h}\" { poll backup through  }\n"                  // 7
                     "}\n";
  std::string path = dir.write("p/a.ward", text);
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, text)) +
                      frame(request(2, "textDocument/completion", at(path, 6, 35))) + // after `trigger backup `
                      frame(request(3, "textDocument/completion", at(path, 7, 43))) + // after `through `
                      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  for (int64_t id : {2, 3}) {
    std::vector<std::string> out;
    const llvm::json::Array *items = s.reply(id)->getArray("result");
    REQUIRE(items);
    for (const llvm::json::Value &item : *items) out.push_back(item.getAsObject()->getString("label")->str());
    INFO(id);
    CHECK(std::find(out.begin(), out.end(), "vm") != out.end());
    CHECK(std::find(out.begin(), out.end(), "sp-a") == out.end());
  }
}

TEST_CASE("lsp: pull diagnostics and workspace symbols", "[lsp]") {
  TempDir dir;
  std::string a = dir.write("p/a.ward", "identity sp-orders : group\nidentity sp-billing : group\n");
  std::string b = dir.write("p/b.ward", "identity x : group { nonsense = 1 }\n");
  std::string input = frame(initialize(dir.path() + "/p")) +
                      frame(request(2, "workspace/symbol", llvm::json::Object{{"query", "ORDERS"}})) +
                      frame(request(3, "textDocument/diagnostic",
                                    llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + b}}}})) +
                      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  const llvm::json::Array *symbols = s.reply(2)->getArray("result");
  REQUIRE(symbols);
  REQUIRE(symbols->size() == 1); // case-insensitive, and not the other identity
  CHECK((*symbols)[0].getAsObject()->getString("name") == llvm::Optional<llvm::StringRef>("sp-orders"));
  CHECK((*symbols)[0].getAsObject()->getObject("location")->getString("uri") ==
        llvm::Optional<llvm::StringRef>("file://" + a));
  const llvm::json::Object *report = s.reply(3)->getObject("result");
  REQUIRE(report);
  CHECK(report->getString("kind") == llvm::Optional<llvm::StringRef>("full"));
  REQUIRE(report->getArray("items")->size() == 1);
  CHECK((*report->getArray("items"))[0].getAsObject()->getString("code") == llvm::Optional<llvm::StringRef>("E0301"));
}

TEST_CASE("lsp: semantic tokens colour names by what they name", "[lsp]") {
  TempDir dir;
  std::string text = "import std.azure\n"
                     "/* two\n   lines */\n"
                     "identity sp-a : group\n"
                     "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
                     "allow sp-a to vm.read on vm\n";
  std::string path = dir.write("p/a.ward", text);
  std::string input =
      frame(initialize(dir.path() + "/p")) + frame(didOpen(path, text)) +
      frame(request(2, "textDocument/semanticTokens/full",
                    llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}}})) +
      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  const llvm::json::Object *legend = s.reply(1)
                                         ->getObject("result")
                                         ->getObject("capabilities")
                                         ->getObject("semanticTokensProvider")
                                         ->getObject("legend");
  std::vector<std::string> types;
  for (const llvm::json::Value &t : *legend->getArray("tokenTypes")) types.push_back(t.getAsString()->str());
  const llvm::json::Array *data = s.reply(2)->getObject("result")->getArray("data");
  REQUIRE(data);
  REQUIRE(data->size() % 5 == 0);
  // Decode: (line, character, length, type, modifiers) per token.
  struct Token {
    int64_t line, character, length;
    std::string type;
    int64_t modifiers;
  };
  std::vector<Token> tokens;
  int64_t line = 0, character = 0;
  for (size_t i = 0; i < data->size(); i += 5) {
    int64_t dl = *(*data)[i].getAsInteger(), dc = *(*data)[i + 1].getAsInteger();
    line += dl;
    character = dl ? dc : character + dc;
    tokens.push_back({line, character, *(*data)[i + 2].getAsInteger(), types[*(*data)[i + 3].getAsInteger()],
                      *(*data)[i + 4].getAsInteger()});
  }
  auto find = [&](int64_t l, int64_t c) -> const Token * {
    for (const Token &t : tokens)
      if (t.line == l && t.character == c) return &t;
    return nullptr;
  };
  REQUIRE(find(0, 0));
  CHECK(find(0, 0)->type == "keyword");                 // import
  CHECK((find(1, 0) && find(1, 0)->type == "comment")); // the block comment, line by line
  CHECK((find(2, 0) && find(2, 0)->type == "comment" && find(2, 0)->length == 11));
  const Token *identity = find(3, 9); // sp-a, declared
  REQUIRE(identity);
  CHECK(identity->type == "variable");
  CHECK(identity->modifiers == 1);
  const Token *type = find(4, 14); // azure.vm, from the standard library
  REQUIRE(type);
  CHECK(type->type == "type");
  CHECK(type->length == 8);
  CHECK(type->modifiers == 2);
  CHECK((find(4, 42) && find(4, 42)->type == "string"));
  CHECK((find(5, 6) && find(5, 6)->type == "variable" && find(5, 6)->modifiers == 0)); // sp-a, used
}

TEST_CASE("lsp: a rule finding can be suppressed in place, and the suppression is valid and used", "[lsp]") {
  TempDir dir;
  std::string text = "edgeworker gw {\n  id = 1\n  version = \"latest\"\n  default deny 404\n}\n";
  std::string path = dir.write("p/a.ward", text);
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, text)) +
                      frame(codeActions(2, path, range(2, 12, 2, 12))) + frame(request(9, "shutdown")) +
                      frame(notification("exit"));
  Session s = run(dir, input);
  const llvm::json::Array *actions = s.reply(2)->getArray("result");
  REQUIRE(actions);
  const llvm::json::Object *suppress = nullptr;
  for (const llvm::json::Value &a : *actions)
    if (a.getAsObject()->getString("title")->startswith("Suppress W016")) suppress = a.getAsObject();
  REQUIRE(suppress);
  const llvm::json::Object *insert =
      (*suppress->getObject("edit")->getObject("changes")->getArray("file://" + path))[0].getAsObject();
  CHECK(startLine(*insert) == 2);
  std::string fixed = "edgeworker gw {\n  id = 1\n" + insert->getString("newText")->str() +
                      "  version = \"latest\"\n  default deny 404\n}\n";
  dir.write("p/a.ward", fixed);
  RunResult check = runWardc({"check", "--format", "json", dir.path() + "/p/a.ward"});
  CHECK(check.out.find("\"W016\"") != std::string::npos); // still reported, as suppressed
  CHECK(check.out.find("\"justification\": \"<reason>\"") != std::string::npos);
  CHECK(check.out.find("\"W027\"") == std::string::npos); // a valid suppression
  CHECK(check.out.find("\"W028\"") == std::string::npos); // that is used
}

TEST_CASE("lsp: typing an example keystroke by keystroke, every state says what wardc check says", "[lsp][bad-input]") {
  TempDir dir;
  std::string target = readFile("examples/orders-api/orders.ward");
  dir.write("p/tenant.ward", readFile("examples/orders-api/tenant.ward"));
  std::string path = dir.path() + "/p/orders.ward";
  LiveServer server;
  server.send(frame(initialize(dir.path() + "/p")));
  server.reply(1);
  server.send(frame(didOpen(path, "")));
  int64_t line = 0, character = 0, version = 1, id = 100;
  int compared = 0;
  for (size_t length = 1; length <= target.size(); ++length) {
    char ch = target[length - 1];
    // One keystroke per change, each a document version; bursts in between
    // the comparisons are the server's to coalesce.
    server.send(frame(didChange(path, ++version, range(line, character, line, character), std::string(1, ch))));
    if (ch == '\n') ++line, character = 0;
    else ++character;
    if (length % 97 != 0 && length != target.size()) continue;
    // What the editor pulls now, against what wardc check says of the same text.
    server.send(frame(request(++id, "textDocument/diagnostic",
                              llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}}})));
    llvm::json::Object reply = server.reply(id);
    std::set<std::string> shown;
    for (const llvm::json::Value &d : *reply.getObject("result")->getArray("items")) {
      const llvm::json::Object *start = d.getAsObject()->getObject("range")->getObject("start");
      shown.insert(d.getAsObject()->getString("code")->str() + "@" + std::to_string(*start->getInteger("line") + 1) +
                   ":" + std::to_string(*start->getInteger("character") + 1));
    }
    std::string prefix = target.substr(0, length);
    dir.write("p/orders.ward", prefix);
    RunResult cli = runWardc({"check", "--format", "json", path});
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(cli.out);
    REQUIRE(bool(json));
    std::set<std::string> expected;
    for (const llvm::json::Value &d : *json->getAsObject()->getArray("diagnostics")) {
      const llvm::json::Object *o = d.getAsObject();
      const llvm::json::Object *loc = o->getObject("location");
      if (!loc || !loc->getString("file") || *loc->getString("file") != path || o->get("suppressed")->getAsObject())
        continue;
      expected.insert(o->getString("code")->str() + "@" + std::to_string(*loc->getInteger("line")) + ":" +
                      std::to_string(*loc->getInteger("column")));
    }
    INFO("after " << length << " keystrokes:\n" << prefix);
    CHECK(shown == expected);
    ++compared;
  }
  CHECK(compared >= 25);
  CHECK(server.finish() == 0); // no crash, whatever the prefix
}

TEST_CASE(
    "lsp: a burst of edits is checked once, stale requests answer ContentModified, cancelled ones RequestCancelled",
    "[lsp]") {
  TempDir dir;
  std::string path = dir.write("p/a.ward", "identity sp-a : group { bad = 1 }\n");
  auto hover = [&](int64_t id) { return frame(request(id, "textDocument/hover", at(path, 0, 10))); };
  // Everything arrives at once: the server sees the whole burst.
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, readFile(path))) +
                      frame(didChange(path, 2, range(0, 24, 0, 24), "x")) + hover(5) +
                      frame(didChange(path, 3, range(0, 24, 0, 25), "")) + hover(6) +
                      frame(notification("$/cancelRequest", llvm::json::Object{{"id", 6}})) + hover(7) +
                      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  CHECK(s.exitCode == 0);
  auto published = s.published(path);
  REQUIRE(published.size() == 1); // versions 1 and 2 were superseded before they were checked
  CHECK(published[0]->getInteger("version") == llvm::Optional<int64_t>(3));
  CHECK(codeOf(s.reply(5)) == -32801);    // asked about version 2, which changed after it
  CHECK(codeOf(s.reply(6)) == -32800);    // cancelled
  CHECK(s.reply(7)->getObject("result")); // answered
}

TEST_CASE("lsp: inlay hints show a route's retry worst case and a token's audiences", "[lsp]") {
  TempDir dir;
  std::string example = readFile("examples/orders-api/orders.ward");
  dir.write("p/tenant.ward", readFile("examples/orders-api/tenant.ward"));
  std::string path = dir.write("p/orders.ward", example);
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, example)) +
                      frame(request(2, "textDocument/inlayHint",
                                    llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}},
                                                       {"range", range(0, 0, 200, 0)}})) +
                      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  const llvm::json::Array *hints = s.reply(2)->getArray("result");
  REQUIRE(hints);
  std::vector<std::string> labels;
  for (const llvm::json::Value &h : *hints) labels.push_back(h.getAsObject()->getString("label")->str());
  // `retry edge-reads` on the dynamic tier, after a key-set fetch of 1.5s:
  // 1.5s + 3 × 1s + (100ms + 200ms) = 4.80s of 8s (what W018 proves).
  CHECK(std::count(labels.begin(), labels.end(), "≤ 4.80s of 8s") == 1);
  CHECK(std::count(labels.begin(), labels.end(), "aud: 6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f") == 3);
}

TEST_CASE("lsp: random garbage and a client that disconnects mid-message end the server cleanly", "[lsp][bad-input]") {
  TempDir dir;
  Mutator random(0xbadf00dull);
  for (int round = 0; round < 20; ++round) {
    std::string input = frame(initialize(dir.path()));
    for (int i = 0; i < 30; ++i) {
      switch (random.next(4)) {
      case 0: { // bytes
        std::string junk;
        for (uint64_t n = random.next(200); n > 0; --n) junk += static_cast<char>(random.next(256));
        input += junk;
        break;
      }
      case 1: input += "Content-Length: " + std::to_string(random.next(100)) + "\r\n\r\n{\"jsonrpc\":"; break;
      case 2: // a well-formed message with wrong shapes
        input += frame(llvm::json::Object{{"jsonrpc", "2.0"},
                                          {"id", int64_t(random.next(9))},
                                          {"method", "textDocument/hover"},
                                          {"params", llvm::json::Array{1, 2}}});
        break;
      default:
        input += frame(didChange(dir.path() + "/x.ward", int64_t(i), range(int64_t(random.next(5)), 0, 0, 0), "x"));
      }
    }
    input += "Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\""; // cut off
    INFO("round " << round);
    Session s = run(dir, input);
    CHECK(s.exitCode == 1); // the input ended without `exit`: 1, as the specification asks; not a crash
  }
}

TEST_CASE("lsp: the first check of a workspace reports progress when the client shows it", "[lsp]") {
  TempDir dir;
  std::string path = dir.write("p/a.ward", "identity sp-a : group { bad = 1 }\n");
  llvm::json::Value init = initialize(dir.path() + "/p");
  (*init.getAsObject()->getObject("params")->getObject("capabilities"))["window"] =
      llvm::json::Object{{"workDoneProgress", true}};
  // Message by message: didOpen and didChange are each checked, and only the
  // first check reads the workspace.
  LiveServer server;
  server.send(frame(init));
  server.reply(1);
  server.send(frame(didOpen(path, readFile(path))));
  server.publication(path, 1);
  server.send(frame(didChange(path, 2, range(0, 0, 0, 0), " ")));
  server.publication(path, 2);
  CHECK(server.finish() == 0);
  std::vector<std::string> kinds;
  for (const llvm::json::Object &m : server.seen) {
    if (m.getString("method") == llvm::Optional<llvm::StringRef>("window/workDoneProgress/create"))
      kinds.push_back("create");
    if (m.getString("method") == llvm::Optional<llvm::StringRef>("$/progress"))
      kinds.push_back(m.getObject("params")->getObject("value")->getString("kind")->str());
  }
  CHECK(kinds == std::vector<std::string>{"create", "begin", "end"});
}

TEST_CASE("lsp: semantic token deltas rebuild exactly the full result", "[lsp]") {
  TempDir dir;
  std::string text = "identity sp-a : group\nidentity sp-b : group\nretry r { attempts = 2 on = [503] }\n";
  std::string path = dir.write("p/a.ward", text);
  auto tokens = [&](int64_t id, std::optional<std::string> previous) {
    llvm::json::Object params{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}}};
    if (previous) params["previousResultId"] = *previous;
    return frame(request(id, previous ? "textDocument/semanticTokens/full/delta" : "textDocument/semanticTokens/full",
                         std::move(params)));
  };
  LiveServer server;
  server.send(frame(initialize(dir.path() + "/p")));
  server.reply(1);
  server.send(frame(didOpen(path, text)));
  server.send(tokens(2, std::nullopt));
  llvm::json::Object first = *server.reply(2).getObject("result");
  std::vector<int64_t> data;
  for (const llvm::json::Value &v : *first.getArray("data")) data.push_back(*v.getAsInteger());
  // Insert a declaration between the two identities.
  server.send(frame(didChange(path, 2, range(1, 0, 1, 0), "identity sp-new : group\n")));
  server.send(tokens(3, first.getString("resultId")->str()));
  llvm::json::Object delta = *server.reply(3).getObject("result");
  REQUIRE(delta.getArray("edits"));
  for (const llvm::json::Value &e : *delta.getArray("edits")) {
    const llvm::json::Object *edit = e.getAsObject();
    std::vector<int64_t> inserted;
    for (const llvm::json::Value &v : *edit->getArray("data")) inserted.push_back(*v.getAsInteger());
    auto at = data.begin() + *edit->getInteger("start");
    at = data.erase(at, at + *edit->getInteger("deleteCount"));
    data.insert(at, inserted.begin(), inserted.end());
  }
  server.send(tokens(4, std::nullopt));
  std::vector<int64_t> full;
  llvm::json::Object fullReply = server.reply(4); // kept alive while its array is read
  for (const llvm::json::Value &v : *fullReply.getObject("result")->getArray("data")) full.push_back(*v.getAsInteger());
  CHECK(data == full);
  CHECK(data.size() > 30);
  // An unknown previous result gets the full data.
  server.send(tokens(5, std::string("nonsense")));
  CHECK(server.reply(5).getObject("result")->getArray("data"));
  CHECK(server.finish() == 0);
}

TEST_CASE("lsp: completion of built-in roles, catalogued actions and algorithms", "[lsp]") {
  TempDir dir;
  std::string text = "import std.azure\n"
                     "identity sp-a : group\n"
                     "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
                     "grant sp-a role \n" // 3: after `role `
                     "capability my.cap on azure.vm { actions = [\"Microsoft.Compute/virtualMachines/re\"] }\n"
                     "issuer i { algorithms = [] }\n" // 5
                     "grant sp-a role \"Rea\n";       // 6
  std::string path = dir.write("p/a.ward", text);
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, text)) +
                      frame(request(2, "textDocument/completion", at(path, 3, 16))) +
                      frame(request(3, "textDocument/completion", at(path, 4, 80))) +
                      frame(request(4, "textDocument/completion", at(path, 5, 25))) +
                      frame(request(5, "textDocument/completion", at(path, 6, 20))) + frame(request(9, "shutdown")) +
                      frame(notification("exit"));
  Session s = run(dir, input);
  // A result is a list of items, or (cut to the best matches) an incomplete list.
  auto items = [&](int64_t id) {
    const llvm::json::Object *reply = s.reply(id);
    if (const llvm::json::Array *list = reply->getArray("result")) return list;
    return reply->getObject("result")->getArray("items");
  };
  auto labels = [&](int64_t id) {
    std::vector<std::string> out;
    for (const llvm::json::Value &item : *items(id)) out.push_back(item.getAsObject()->getString("label")->str());
    return out;
  };
  // Hundreds of built-in roles: the first hundred, marked incomplete; typing narrows them.
  CHECK(labels(2).size() == 100);
  CHECK(s.reply(2)->getObject("result")->getBoolean("isIncomplete") == llvm::Optional<bool>(true));
  std::vector<std::string> roles = labels(5);
  CHECK(std::find(roles.begin(), roles.end(), "\"Reader\"") != roles.end());
  for (const std::string &role : roles) CHECK(llvm::StringRef(role).contains_insensitive("r"));
  std::vector<std::string> actions = labels(3);
  CHECK(std::find(actions.begin(), actions.end(), "Microsoft.Compute/virtualMachines/read") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "Microsoft.Compute/virtualMachines/restart/action") != actions.end());
  for (const std::string &a : actions)
    CHECK(llvm::StringRef(a).startswith_insensitive("Microsoft.Compute/virtualMachines/re"));
  std::vector<std::string> algorithms = labels(4);
  CHECK(std::find(algorithms.begin(), algorithms.end(), "RS256") != algorithms.end());
  CHECK(std::find(algorithms.begin(), algorithms.end(), "ES256") != algorithms.end());
}

TEST_CASE("lsp: hover over a finding, a ward-ignore rule ID or a built-in role explains it", "[lsp]") {
  TempDir dir;
  std::string text = "import std.azure\n"
                     "identity sp-a : group\n"
                     "resource vm : azure.vm { resource_group = \"rg\" name = \"vm\" }\n"
                     "grant sp-a role \"Reader\" on vm\n"            // 3
                     "// ward-ignore W016: pinned by the pipeline\n" // 4
                     "edgeworker gw {\n  id = 1\n  version = \"latest\"\n  default deny 404\n}\n";
  std::string path = dir.write("p/a.ward", text);
  std::string input = frame(initialize(dir.path() + "/p")) + frame(didOpen(path, text)) +
                      frame(request(2, "textDocument/hover", at(path, 3, 19))) + // "Reader"
                      frame(request(3, "textDocument/hover", at(path, 4, 16))) + // W016 in the comment
                      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  auto value = [&](int64_t id) {
    const llvm::json::Object *result = s.reply(id)->getObject("result");
    return result ? result->getObject("contents")->getString("value")->str() : std::string();
  };
  CHECK(value(2).find("Built-in role **Reader**") != std::string::npos);
  CHECK(value(2).find("action pattern") != std::string::npos);
  CHECK(value(3).find("**W016 unpinned-version**") != std::string::npos);
  CHECK(value(2).find("**W006 unused-permission**") != std::string::npos); // and the finding there: no intent uses it
}

TEST_CASE("lsp: completion of an attribute's values from its schema", "[lsp]") {
  std::vector<std::vector<std::string>> labels = completionLabels("edgeworker gw {\n"
                                                                  "  tier = \n"         // 1
                                                                  "  log_failures = \n" // 2
                                                                  "}\n"
                                                                  "resource type my.t {\n"
                                                                  "  level = \n"            // 5
                                                                  "  traits = [origin, ]\n" // 6
                                                                  "}\n",
                                                                  {{1, 9}, {2, 17}, {5, 10}, {6, 20}});
  CHECK(labels[0] == std::vector<std::string>{"basic", "dynamic", "enterprise"});
  CHECK(labels[1] == std::vector<std::string>{"true", "false"});
  CHECK(labels[2] == std::vector<std::string>{"resource", "resource_group", "subscription", "management_group"});
  CHECK(labels[3] == std::vector<std::string>{"origin", "backup_source", "backup_vault", "relay"});
}

TEST_CASE("lsp: completion inside a backoff call: its functions, unwritten arguments and their values", "[lsp]") {
  std::vector<std::vector<std::string>> labels =
      completionLabels("retry reads {\n"
                       "  attempts = 3\n"
                       "  backoff = \n"                                          // 2
                       "  backoff = exponential(initial = 100ms, , jitter = )\n" // 3
                       "  backoff = constant(delay = 1s, jitter = )\n"           // 4
                       "}\n",
                       {{2, 12}, {3, 41}, {3, 52}, {4, 42}});
  CHECK(labels[0] == std::vector<std::string>{"exponential", "constant"});
  // Between two written arguments: the ones not written yet, in the schema's order.
  CHECK(labels[1] == std::vector<std::string>{"max", "multiplier"});
  CHECK(labels[2] == std::vector<std::string>{"full", "equal", "decorrelated", "none"});
  // `constant` has its own jitters (no decorrelated jitter without a growing delay).
  CHECK(labels[3] == std::vector<std::string>{"full", "equal", "none"});
}

TEST_CASE("lsp: a directory is no document: its didOpen is ignored and requests about it are refused",
          "[lsp][bad-input]") {
  TempDir dir;
  std::string policy = dir.write("p/a.ward", "identity a : nonsense\n");
  std::string input = frame(initialize(dir.path() + "/q")) + frame(didOpen(dir.path() + "/p", "")) +
                      frame(didOpen(policy, "identity a : nonsense\n")) +
                      frame(request(2, "textDocument/hover", at(dir.path() + "/p", 0, 0))) +
                      frame(request(9, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  CHECK(s.exitCode == 0);
  CHECK(s.published(dir.path() + "/p").empty());
  REQUIRE(s.reply(2));
  CHECK(s.reply(2)->getObject("error")->getInteger("code") == llvm::Optional<int64_t>(-32602)); // InvalidParams
  REQUIRE(s.published(policy).size() == 1); // the file itself is still a document
  CHECK(s.published(policy)[0]->getArray("diagnostics")->size() == 1);
}

TEST_CASE("lsp: a closed file's unchanged findings are not sent again, and the edited document's come first", "[lsp]") {
  TempDir dir;
  std::string a = dir.write("p/a.ward", "identity sp-a : group\nidentity sp-b : group\n");
  std::string b = dir.write("p/b.ward", "retry unused { attempts = 3 on = [503] per_try_timeout = 1s }\n"); // W025
  auto forB = [&](const llvm::json::Object &m) {
    const llvm::json::Object *params = m.getObject("params");
    return params && params->getString("uri") == llvm::Optional<llvm::StringRef>("file://" + b);
  };
  LiveServer server;
  server.send(frame(initialize(dir.path() + "/p")));
  server.reply(1);
  server.send(frame(didOpen(a, readFile(a))));
  server.publication(a, 1);
  CHECK(std::none_of(server.seen.begin(), server.seen.end(), forB)); // a's message came first
  server.send(frame(didChange(a, 2, range(1, 9, 1, 13), "sp-c")));   // b's findings stay as they were
  server.publication(a, 2);
  server.send(frame(didChange(a, 3, range(0, 0, 0, 0), "retry unused {}\n"))); // b's retry now taken twice
  server.publication(a, 3);
  CHECK(server.finish() == 0);
  std::vector<const llvm::json::Object *> published;
  for (const llvm::json::Object &m : server.seen)
    if (forB(m)) published.push_back(m.getObject("params"));
  REQUIRE(published.size() == 2); // after the first check and after the third, not after the second
  auto codes = [](const llvm::json::Object *params) {
    std::vector<std::string> out;
    for (const llvm::json::Value &d : *params->getArray("diagnostics"))
      out.push_back(d.getAsObject()->getString("code")->str());
    return out;
  };
  CHECK(codes(published[0]) == std::vector<std::string>{"W020", "W020", "W025"});
  CHECK(codes(published[1]) == std::vector<std::string>{"E0203"});
}

// Some clients escape every character outside ASCII; llvm::json 14 reads an
// escaped pair from U+20000 up as a code point 0x10000 too low, which would
// have made formatting rewrite U+20000 in the user's file as U+10000.
TEST_CASE("lsp: characters from U+20000 up, escaped by the client, keep their code points", "[lsp]") {
  TempDir dir;
  std::string path = dir.path() + "/a.ward";
  const std::string astral = "\xF0\xA0\x80\x80"; // U+20000
  std::string text = "identity   sp-a : group {description=\"" + astral + "\"}\n";
  // The didOpen as llvm::json writes it (raw UTF-8), then escaped as such a client sends it.
  std::string opened = frame(didOpen(path, text));
  std::string body = opened.substr(opened.find("\r\n\r\n") + 4);
  size_t at = body.find(astral);
  REQUIRE(at != std::string::npos);
  body.replace(at, astral.size(), "\\ud840\\udc00");
  std::string input =
      frame(initialize(dir.path())) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body +
      frame(request(2, "textDocument/formatting",
                    llvm::json::Object{{"textDocument", llvm::json::Object{{"uri", "file://" + path}}},
                                       {"options", llvm::json::Object{{"tabSize", 2}, {"insertSpaces", true}}}})) +
      frame(request(3, "shutdown")) + frame(notification("exit"));
  Session s = run(dir, input);
  const llvm::json::Array *edits = s.reply(2)->getArray("result");
  REQUIRE(edits);
  REQUIRE(edits->size() == 1);
  std::string newText = (*edits)[0].getAsObject()->getString("newText")->str();
  CHECK(newText.find(astral) != std::string::npos);
  CHECK(newText.find("\xF0\x90\x80\x80") == std::string::npos); // not U+10000
}
