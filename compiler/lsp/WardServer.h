//===- WardServer.h - The language server's model, protocol-free -*- C++ -*-===//
//
// Open documents and the projects they belong to, each a Compilation that is
// checked again after every edit (reusing the parses of unchanged files), and
// formatting. LspServer (the protocol) sits on this, as clangd's
// ClangdLSPServer sits on ClangdServer.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "driver/Driver.h"
#include "format/Formatter.h"
#include "lsp/Features.h"
#include "lsp/Protocol.h"

#include <map>
#include <set>
#include <variant>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ward::lsp {

/// One file's diagnostics, as LSP `Diagnostic` objects.
struct FileDiagnostics {
  std::string path;
  std::optional<int64_t> version; // the open document's version they were computed for
  llvm::json::Array diagnostics;
};

/// A text edit as LSP has it: a range of the old text and its replacement.
struct TextEdit {
  Position start, end;
  std::string newText;
};

class WardServer {
public:
  WardServer(LoadOptions options, PositionEncoding encoding, std::string compilerVersion = "dev")
      : options_(std::move(options)), encoding_(encoding), compilerVersion_(std::move(compilerVersion)) {}

  /// A workspace folder: every `*.ward` below it is one project.
  void addRoot(const std::string &path);

  void open(const std::string &path, std::string text, int64_t version);
  /// Applies LSP content changes (a range and its new text, or the whole
  /// text) to an open document. False when the document is not open or a
  /// change does not fit it.
  bool change(const std::string &path, const llvm::json::Array &changes, int64_t version);
  void close(const std::string &path);
  const std::string *text(const std::string &path) const;

  /// Checks the project `path` belongs to, with the open documents in place
  /// of their files; returns the diagnostics of every file of the project
  /// that has some, and an empty list for each file that had some before.
  std::vector<FileDiagnostics> check(const std::string &path);

  /// The edits that format `path` (an open document or a file), or only its
  /// declarations on `range`'s lines; nullopt when it has syntax errors.
  std::optional<std::vector<TextEdit>> format(const std::string &path, std::optional<format::LineRange> range);

  // Questions about the program as last checked (a check runs after every
  // edit). Each answers in LSP JSON; null when there is nothing at `pos`.
  llvm::json::Value definition(const std::string &path, Position pos);
  llvm::json::Value references(const std::string &path, Position pos, bool includeDeclaration);
  llvm::json::Value highlights(const std::string &path, Position pos);
  llvm::json::Value hover(const std::string &path, Position pos);
  llvm::json::Value documentSymbols(const std::string &path);
  llvm::json::Value foldingRanges(const std::string &path);
  llvm::json::Value codeActions(const std::string &path, Position start, Position end);
  llvm::json::Value completion(const std::string &path, Position pos);
  /// The diagnostics of `path` (pull diagnostics), checking its project first.
  llvm::json::Value diagnosticsOf(const std::string &path);
  /// Declarations of every project whose name contains `query` (case-insensitive).
  llvm::json::Value workspaceSymbols(llvm::StringRef query);
  /// `textDocument/semanticTokens/full`, or `.../full/delta` against the
  /// result `previousResultId` names: the edits from that result's data.
  llvm::json::Value semanticTokensOf(const std::string &path, std::optional<std::string> previousResultId);
  llvm::json::Value inlayHintsOf(const std::string &path, Position start, Position end);
  /// Code lenses: what each declaration of `path` generates (nothing while
  /// its project has errors), each with the `ward.showGenerated` command.
  llvm::json::Value codeLenses(const std::string &path);
  /// The text of the artifact `artifact` of `path`'s project, as `wardc build`
  /// would write it: `{path, language, text}`; an error message when it is
  /// not generated (the project has errors, or no such artifact).
  std::variant<llvm::json::Value, std::string> generatedText(const std::string &path, llvm::StringRef artifact);

  /// The name under `pos` that can be renamed, or an error message.
  std::variant<llvm::json::Value, std::string> prepareRename(const std::string &path, Position pos);
  /// A WorkspaceEdit renaming the declaration under `pos` everywhere, or an error message.
  std::variant<llvm::json::Value, std::string> rename(const std::string &path, Position pos, llvm::StringRef newName);

  PositionEncoding encoding() const { return encoding_; }
  /// `path`'s project has not been checked yet (the first check reads every file of it).
  bool firstCheckOf(const std::string &path) const;

private:
  struct Document {
    std::string text;
    int64_t version = 0;
  };
  struct Project {
    std::string root; // a directory, or a single file outside every root
    std::unique_ptr<Compilation> compilation;
    std::set<std::string> published; // files last published with diagnostics
    // What the program as last checked generates, made on first demand.
    std::optional<std::optional<codegen::ArtifactSet>> artifacts;
  };
  /// The project `path` belongs to: its innermost workspace folder, or itself.
  std::string rootOf(const std::string &path) const;
  Project &projectOf(const std::string &path);
  /// A file of a checked project: the compilation, the file's buffer in it, and its text.
  struct CheckedFile {
    Compilation *c;
    FileID file;
    llvm::StringRef text;
    const SourceFile &syntax() const { return *c->program().file(file); }
  };
  /// `path` in its project's compilation, checked if it never was.
  std::optional<CheckedFile> checked(const std::string &path);
  llvm::json::Value location(const SourceManager &sm, SourceRange r) const;
  /// The checked file at `path` and the declared name under `pos`, if any.
  struct Cursor {
    Compilation *compilation;
    FileID file;
    std::optional<SymbolAt> symbol;
  };
  /// The artifacts of `path`'s project as last checked; null when it has errors.
  const codegen::ArtifactSet *artifactsOf(const std::string &path);
  std::optional<Cursor> cursorAt(const std::string &path, Position pos);
  std::vector<int64_t> encodedTokens(const std::string &path);
  struct SemanticTokensResult {
    std::string id;
    std::vector<int64_t> data;
  };
  std::map<std::string, SemanticTokensResult> semanticTokens_; // the last result per document
  uint64_t semanticResults_ = 0;
  llvm::json::Value toLsp(const Diagnostic &d, const SourceManager &sm) const;
  llvm::json::Value rangeToLsp(const SourceManager &sm, SourceRange r) const;

  LoadOptions options_;
  PositionEncoding encoding_;
  std::string compilerVersion_; // written into some artifacts, as by `wardc build`
  std::vector<std::string> roots_;
  std::map<std::string, Document> documents_;
  std::map<std::string, Project> projects_; // by root
};

} // namespace ward::lsp
