#include "lsp/LspServer.h"
#include "source/Text.h"

#include <fmt/format.h>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/Path.h>

#include <deque>
#include <map>
#include <exception>
#include <variant>

namespace ward::lsp {
namespace {

struct Error {
  ErrorCode code;
  std::string message;
};

class LspServer {
  struct Received {
    std::optional<llvm::json::Value> json; // null when the body is not JSON
    std::string error;
  };

public:
  LspServer(Transport &transport, LoadOptions options, llvm::StringRef version)
      : transport_(transport), options_(std::move(options)), version_(version.str()) {}

  /// Messages are handled in order, but with everything the client has
  /// already sent in view: a change followed by another change of the same
  /// document is applied without a check (a burst of typing is checked
  /// once), a request followed by a change of its document answers
  /// ContentModified, and a request the client cancelled answers
  /// RequestCancelled.
  int run() {
    for (;;) {
      if (queue_.empty()) {
        if (ended_ || !receive()) return 1; // the input ended without `exit`
      }
      while (!ended_ && transport_.pending())
        if (!receive()) break;
      Received message = std::move(queue_.front());
      queue_.pop_front();
      if (handle(std::move(message))) return shutdown_ ? 0 : 1;
    }
  }

private:
  bool receive() {
    std::optional<std::string> body = transport_.read();
    if (!body) {
      ended_ = true;
      return false;
    }
    // A client may escape characters from U+20000 up, which llvm::json 14
    // would decode wrongly (Text.h).
    llvm::Expected<llvm::json::Value> parsed = parseJson(*body);
    if (parsed) queue_.push_back({std::move(*parsed), ""});
    else queue_.push_back({std::nullopt, llvm::toString(parsed.takeError())});
    return true;
  }

  /// The client has already sent a change (or the closing) of `uri`.
  bool changedLater(llvm::StringRef uri) const {
    for (const Received &m : queue_) {
      const llvm::json::Object *o = m.json ? m.json->getAsObject() : nullptr;
      llvm::Optional<llvm::StringRef> method = o ? o->getString("method") : llvm::None;
      if (!method || (*method != "textDocument/didChange" && *method != "textDocument/didClose")) continue;
      const llvm::json::Object *p = o->getObject("params");
      const llvm::json::Object *doc = p ? p->getObject("textDocument") : nullptr;
      if (doc && doc->getString("uri") == llvm::Optional<llvm::StringRef>(uri)) return true;
    }
    return false;
  }

  /// The client has already cancelled request `id`.
  bool cancelledLater(const llvm::json::Value &id) const {
    for (const Received &m : queue_) {
      const llvm::json::Object *o = m.json ? m.json->getAsObject() : nullptr;
      if (!o || o->getString("method") != llvm::Optional<llvm::StringRef>("$/cancelRequest")) continue;
      const llvm::json::Object *p = o->getObject("params");
      if (p && p->get("id") && *p->get("id") == id) return true;
    }
    return false;
  }

  /// One message; true when it was `exit`.
  bool handle(Received received) {
    if (!received.json) {
      transport_.log("unparsable message: " + received.error);
      reply(nullptr, Error{ParseError, "the message is not JSON"});
      return false;
    }
    const llvm::json::Object *message = received.json->getAsObject();
    llvm::Optional<llvm::StringRef> method = message ? message->getString("method") : llvm::None;
    const llvm::json::Value *id = message ? message->get("id") : nullptr;
    if (!method) {
      if (!id || !message->get("result")) reply(id ? *id : nullptr, Error{InvalidRequest, "no method"});
      return false; // a response to one of our requests: nothing to do
    }
    const llvm::json::Value *params = message->get("params");
    if (*method == "exit") return true;
    try {
      if (id) request(*method, params, *id);
      else notification(*method, params);
    } catch (const std::exception &e) {
      transport_.log(llvm::Twine("internal error in ") + *method + ": " + e.what());
      if (id) reply(*id, Error{InternalError, std::string("internal error: ") + e.what()});
    }
    return false;
  }

  void request(llvm::StringRef method, const llvm::json::Value *params, const llvm::json::Value &id) {
    if (method == "initialize") return reply(id, initialize(params));
    if (!server_) return reply(id, Error{ServerNotInitialized, "`initialize` first"});
    if (shutdown_) return reply(id, Error{InvalidRequest, "the server is shutting down"});
    if (cancelledLater(id)) return reply(id, Error{RequestCancelled, "cancelled"});
    const llvm::json::Object *p = params ? params->getAsObject() : nullptr;
    const llvm::json::Object *doc = p ? p->getObject("textDocument") : nullptr;
    if (auto uri = doc ? doc->getString("uri") : llvm::None; uri && changedLater(*uri))
      return reply(id, Error{ContentModified, "the document changed after this request"});
    if (method == "shutdown") {
      shutdown_ = true;
      return reply(id, nullptr);
    }
    if (method == "textDocument/formatting") return reply(id, formatting(params, false));
    if (method == "textDocument/rangeFormatting") return reply(id, formatting(params, true));
    std::optional<std::string> path = documentPath(params);
    std::optional<Position> pos =
        params && params->getAsObject() ? positionFromJson(params->getAsObject()->get("position")) : std::nullopt;
    if (method == "textDocument/documentSymbol" && path) return reply(id, server_->documentSymbols(*path));
    if (method == "textDocument/diagnostic" && path) return reply(id, server_->diagnosticsOf(*path));
    if (method == "textDocument/semanticTokens/full" && path)
      return reply(id, server_->semanticTokensOf(*path, std::nullopt));
    if (method == "textDocument/semanticTokens/full/delta" && path) {
      llvm::Optional<llvm::StringRef> previous = params->getAsObject()->getString("previousResultId");
      return reply(
          id, server_->semanticTokensOf(*path, previous ? std::optional<std::string>(previous->str()) : std::nullopt));
    }
    if (method == "textDocument/inlayHint" && path) {
      std::optional<std::pair<Position, Position>> range = rangeOf(params);
      if (!range) return reply(id, Error{InvalidParams, "no range"});
      return reply(id, server_->inlayHintsOf(*path, range->first, range->second));
    }
    if (method == "workspace/symbol") {
      const llvm::json::Object *p = params ? params->getAsObject() : nullptr;
      return reply(id, server_->workspaceSymbols(p ? p->getString("query").getValueOr("") : ""));
    }
    if (method == "textDocument/codeLens" && path) return reply(id, server_->codeLenses(*path));
    if (method == "ward/generated") return reply(id, generated(params));
    if (method == "textDocument/foldingRange" && path) return reply(id, server_->foldingRanges(*path));
    if (method == "textDocument/codeAction" && path) {
      std::optional<std::pair<Position, Position>> range = rangeOf(params);
      if (!range) return reply(id, Error{InvalidParams, "no range"});
      return reply(id, server_->codeActions(*path, range->first, range->second));
    }
    if (path && pos) {
      if (method == "textDocument/definition") return reply(id, server_->definition(*path, *pos));
      if (method == "textDocument/hover") return reply(id, server_->hover(*path, *pos));
      if (method == "textDocument/completion") return reply(id, server_->completion(*path, *pos));
      if (method == "textDocument/documentHighlight") return reply(id, server_->highlights(*path, *pos));
      if (method == "textDocument/prepareRename") return reply(id, answer(server_->prepareRename(*path, *pos)));
      if (method == "textDocument/rename") {
        llvm::Optional<llvm::StringRef> newName = params->getAsObject()->getString("newName");
        if (!newName) return reply(id, Error{InvalidParams, "no newName"});
        return reply(id, answer(server_->rename(*path, *pos, *newName)));
      }
      if (method == "textDocument/references") {
        const llvm::json::Object *context = params->getAsObject()->getObject("context");
        bool declaration = context && context->getBoolean("includeDeclaration").getValueOr(false);
        return reply(id, server_->references(*path, *pos, declaration));
      }
    }
    bool known = method.startswith("textDocument/");
    reply(id, known ? Error{InvalidParams, "no textDocument.uri or position"}
                    : Error{MethodNotFound, "unsupported method " + method.str()});
  }

  void notification(llvm::StringRef method, const llvm::json::Value *params) {
    if (!server_ || shutdown_) return;
    const llvm::json::Object *p = params ? params->getAsObject() : nullptr;
    const llvm::json::Object *doc = p ? p->getObject("textDocument") : nullptr;
    std::optional<std::string> path = doc ? pathOf(*doc) : std::nullopt;
    bool superseded = path && changedLater(*doc->getString("uri")); // checked at the last change
    if (method == "textDocument/didOpen" && path) {
      server_->open(*path, doc->getString("text").getValueOr("").str(), doc->getInteger("version").getValueOr(0));
      if (!superseded) publish(*path);
    } else if (method == "textDocument/didChange" && path) {
      const llvm::json::Array *changes = p->getArray("contentChanges");
      if (!changes || !server_->change(*path, *changes, doc->getInteger("version").getValueOr(0)))
        return transport_.log("ignored a change that does not fit the document: " + *path);
      if (!superseded) publish(*path);
    } else if (method == "textDocument/didClose" && path) {
      server_->close(*path);
      publish(*path);
    } else if (method == "textDocument/didSave" && path) {
      publish(*path);
    } else if (method == "workspace/didChangeWatchedFiles") {
      for (const std::string &root : roots_) publish(root); // ward.json or files on disk changed
    } else {
      transport_.log("ignored notification " + method); // initialized, $/cancelRequest, ...
    }
  }

  llvm::json::Value initialize(const llvm::json::Value *params) {
    const llvm::json::Object *p = params ? params->getAsObject() : nullptr;
    PositionEncoding encoding = PositionEncoding::Utf16;
    if (const llvm::json::Object *general =
            p && p->getObject("capabilities") ? p->getObject("capabilities")->getObject("general") : nullptr)
      if (const llvm::json::Array *encodings = general->getArray("positionEncodings"))
        for (const llvm::json::Value &e : *encodings)
          if (e.getAsString() == llvm::Optional<llvm::StringRef>("utf-8")) encoding = PositionEncoding::Utf8;
    server_ = std::make_unique<WardServer>(options_, encoding, version_);
    if (const llvm::json::Object *caps = p ? p->getObject("capabilities") : nullptr)
      if (const llvm::json::Object *window = caps->getObject("window"))
        workDoneProgress_ = window->getBoolean("workDoneProgress").getValueOr(false);
    if (const llvm::json::Array *folders = p ? p->getArray("workspaceFolders") : nullptr) {
      for (const llvm::json::Value &f : *folders)
        if (const llvm::json::Object *folder = f.getAsObject())
          if (auto uri = folder->getString("uri"))
            if (std::optional<std::string> path = pathFromUri(*uri)) roots_.push_back(*path);
    } else if (auto uri = p ? p->getString("rootUri") : llvm::None) {
      if (std::optional<std::string> path = pathFromUri(*uri)) roots_.push_back(*path);
    }
    for (const std::string &root : roots_) server_->addRoot(root);
    return llvm::json::Object{
        {"capabilities",
         llvm::json::Object{
             {"positionEncoding", encoding == PositionEncoding::Utf8 ? "utf-8" : "utf-16"},
             {"textDocumentSync", llvm::json::Object{{"openClose", true}, {"change", 2}, {"save", true}}},
             {"documentFormattingProvider", true},
             {"documentRangeFormattingProvider", true},
             {"definitionProvider", true},
             {"referencesProvider", true},
             {"documentHighlightProvider", true},
             {"hoverProvider", true},
             {"documentSymbolProvider", true},
             {"foldingRangeProvider", true},
             {"renameProvider", llvm::json::Object{{"prepareProvider", true}}},
             {"workspaceSymbolProvider", true},
             {"inlayHintProvider", true},
             {"semanticTokensProvider",
              llvm::json::Object{{"legend", llvm::json::Object{{"tokenTypes", strings(semanticTokenTypes())},
                                                               {"tokenModifiers", strings(semanticTokenModifiers())}}},
                                 {"full", llvm::json::Object{{"delta", true}}}}},
             {"diagnosticProvider",
              llvm::json::Object{{"interFileDependencies", true}, {"workspaceDiagnostics", false}}},
             {"completionProvider", llvm::json::Object{{"triggerCharacters", llvm::json::Array{" ", ":"}}}},
             {"codeLensProvider", llvm::json::Object{{"resolveProvider", false}}},
             {"codeActionProvider", llvm::json::Object{{"codeActionKinds", llvm::json::Array{"quickfix"}}}},
         }},
        {"serverInfo", llvm::json::Object{{"name", "wardc"}, {"version", version_}}},
    };
  }

  /// `ward/generated` {uri, artifact}: the text a code lens's
  /// `ward.showGenerated` command opens (its arguments are uri and artifact).
  std::variant<llvm::json::Value, Error> generated(const llvm::json::Value *params) {
    const llvm::json::Object *p = params ? params->getAsObject() : nullptr;
    llvm::Optional<llvm::StringRef> uri = p ? p->getString("uri") : llvm::None;
    llvm::Optional<llvm::StringRef> artifact = p ? p->getString("artifact") : llvm::None;
    std::optional<std::string> path = uri ? documentAt(*uri) : std::nullopt;
    if (!path || !artifact) return Error{InvalidParams, "`ward/generated` takes a file uri and an artifact path"};
    auto text = server_->generatedText(*path, *artifact);
    if (auto *message = std::get_if<std::string>(&text)) return Error{RequestFailed, *message};
    return std::move(std::get<llvm::json::Value>(text));
  }

  std::variant<llvm::json::Value, Error> formatting(const llvm::json::Value *params, bool ranged) {
    const llvm::json::Object *p = params ? params->getAsObject() : nullptr;
    const llvm::json::Object *doc = p ? p->getObject("textDocument") : nullptr;
    std::optional<std::string> path = doc ? pathOf(*doc) : std::nullopt;
    if (!path) return Error{InvalidParams, "no textDocument.uri"};
    std::optional<format::LineRange> range;
    if (ranged) {
      std::optional<std::pair<Position, Position>> lines = rangeOf(params);
      if (!lines) return Error{InvalidParams, "no range"};
      auto [start, end] = *lines;
      range = format::LineRange{unsigned(start.line + 1), unsigned(std::max(end.line, start.line) + 1)};
    }
    std::optional<std::vector<TextEdit>> edits = server_->format(*path, range);
    if (!edits) return llvm::json::Value(nullptr); // syntax errors: nothing to format (the diagnostics say why)
    llvm::json::Array out;
    for (const TextEdit &e : *edits)
      out.push_back(llvm::json::Object{
          {"range", llvm::json::Object{{"start", toJson(e.start)}, {"end", toJson(e.end)}}}, {"newText", e.newText}});
    return llvm::json::Value(std::move(out));
  }

  void publish(const std::string &path) {
    // The first check of a project reads every file of it: shown as progress
    // when the client can show it.
    std::optional<std::string> token;
    if (workDoneProgress_ && server_->firstCheckOf(path)) {
      token = "ward-index-" + std::to_string(++progressTokens_);
      transport_.write(llvm::json::Object{{"jsonrpc", "2.0"},
                                          {"id", *token},
                                          {"method", "window/workDoneProgress/create"},
                                          {"params", llvm::json::Object{{"token", *token}}}});
      progress(*token, llvm::json::Object{{"kind", "begin"}, {"title", "Checking Ward files"}, {"message", path}});
    }
    std::vector<FileDiagnostics> files = server_->check(path);
    if (token)
      progress(*token,
               llvm::json::Object{{"kind", "end"}, {"message", fmt::format("{} files with findings", files.size())}});
    // The edited document first: it is the one its user is waiting for.
    std::stable_partition(files.begin(), files.end(), [&](const FileDiagnostics &f) { return f.path == path; });
    for (FileDiagnostics &f : files) {
      // A file no editor shows, whose findings are what they were, needs no
      // new message (a large workspace would otherwise resend them all on
      // every keystroke).
      if (server_->text(f.path)) {
        sentForClosedFiles_.erase(f.path); // open: its client has newer ones than any kept here
      } else {
        // Kept as text: a kept JSON value costs kilobytes per diagnostic.
        llvm::json::Value diagnostics(std::move(f.diagnostics));
        std::string now = llvm::formatv("{0}", diagnostics).str();
        f.diagnostics = std::move(*diagnostics.getAsArray());
        auto [last, first] = sentForClosedFiles_.try_emplace(f.path);
        if (!first && last->second == now) continue;
        last->second = std::move(now);
      }
      llvm::json::Object params{{"uri", uriFromPath(f.path)}, {"diagnostics", std::move(f.diagnostics)}};
      if (f.version) params["version"] = *f.version;
      transport_.write(llvm::json::Object{
          {"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", std::move(params)}});
    }
  }

  void progress(const std::string &token, llvm::json::Object value) {
    transport_.write(llvm::json::Object{{"jsonrpc", "2.0"},
                                        {"method", "$/progress"},
                                        {"params", llvm::json::Object{{"token", token}, {"value", std::move(value)}}}});
  }

  /// A result, or a refusal the user reads (an invalid or taken name).
  static std::variant<llvm::json::Value, Error> answer(std::variant<llvm::json::Value, std::string> result) {
    if (auto *message = std::get_if<std::string>(&result)) return Error{RequestFailed, *message};
    return std::move(std::get<llvm::json::Value>(result));
  }

  static llvm::json::Array strings(const std::vector<std::string> &items) {
    llvm::json::Array out;
    for (const std::string &s : items) out.push_back(s);
    return out;
  }

  /// The `range` of a request's parameters.
  static std::optional<std::pair<Position, Position>> rangeOf(const llvm::json::Value *params) {
    const llvm::json::Object *p = params ? params->getAsObject() : nullptr;
    const llvm::json::Object *range = p ? p->getObject("range") : nullptr;
    std::optional<Position> start = range ? positionFromJson(range->get("start")) : std::nullopt;
    std::optional<Position> end = range ? positionFromJson(range->get("end")) : std::nullopt;
    if (!start || !end) return std::nullopt;
    return std::make_pair(*start, *end);
  }

  static std::optional<std::string> documentPath(const llvm::json::Value *params) {
    const llvm::json::Object *p = params ? params->getAsObject() : nullptr;
    const llvm::json::Object *doc = p ? p->getObject("textDocument") : nullptr;
    return doc ? pathOf(*doc) : std::nullopt;
  }

  static std::optional<std::string> pathOf(const llvm::json::Object &doc) {
    llvm::Optional<llvm::StringRef> uri = doc.getString("uri");
    return uri ? documentAt(*uri) : std::nullopt;
  }
  /// The file `uri` names; none for a directory, which is no document (and
  /// checking it as a project would read everything below it).
  static std::optional<std::string> documentAt(llvm::StringRef uri) {
    std::optional<std::string> path = pathFromUri(uri);
    if (path && llvm::sys::fs::is_directory(*path)) return std::nullopt;
    return path;
  }

  void reply(const llvm::json::Value &id, std::variant<llvm::json::Value, Error> result) {
    llvm::json::Object response{{"jsonrpc", "2.0"}, {"id", id}};
    if (auto *error = std::get_if<Error>(&result))
      response["error"] = llvm::json::Object{{"code", int64_t(error->code)}, {"message", error->message}};
    else response["result"] = std::move(std::get<llvm::json::Value>(result));
    transport_.write(std::move(response));
  }

  Transport &transport_;
  LoadOptions options_;
  std::string version_;
  std::map<std::string, std::string> sentForClosedFiles_; // the diagnostics last published (JSON), by path
  std::unique_ptr<WardServer> server_;
  std::vector<std::string> roots_;
  bool shutdown_ = false;
  std::deque<Received> queue_;    // messages received, not yet handled
  bool ended_ = false;            // the input has ended
  bool workDoneProgress_ = false; // the client shows progress
  int progressTokens_ = 0;
};

} // namespace

int runServer(Transport &transport, LoadOptions options, llvm::StringRef version) {
  return LspServer(transport, std::move(options), version).run();
}

} // namespace ward::lsp
