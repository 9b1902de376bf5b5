//===- Loader.h - Load files, their imports and the stdlib -------*- C++ -*-===//
#pragma once

#include "ast/AST.h"
#include "diag/Diagnostic.h"
#include "parse/Parser.h"

#include <llvm/ADT/StringMap.h>

#include <memory>
#include <string>
#include <vector>

namespace ward {

/// Every file of one compilation: the inputs, what they import, and the
/// stdlib modules (always loaded so that "did you mean" and "add `import
/// std.azure`" can name them; visible only where imported).
struct Program {
  std::vector<std::shared_ptr<SourceFile>> files; // shared with the SourceCache
  std::vector<SourceFile *> inputs;
  /// `files` by FileID, for file(): made by index() once loading is done
  /// (a program of a thousand files is asked for a file at every lookup).
  std::vector<SourceFile *> byId;
  void index();
  SourceFile *file(FileID id) const;
  bool allParsedCleanly() const;
  /// Every file parsed, or recovered at declaration granularity: names can
  /// be resolved and the whole declarations checked.
  bool resolvable() const;
  /// A declaration named `name` did not parse, or an import did (so any name
  /// may have been meant): a reference to it is no news.
  bool mayBeBroken(llvm::StringRef name) const;
};

struct LoadOptions {
  std::string stdlibDir;              // contains std/<module>.ward
  uint64_t maxFileSize = 32ull << 20; // bytes
  ParseOptions parse;
};

/// What a compilation keeps between checks: editor buffers that stand in for
/// files on disk, and every file's last parse, which a later check reuses
/// while the file's text is unchanged (its syntax diagnostics are replayed).
/// Works with one SourceManager, which keeps each file's FileID.
class SourceCache {
public:
  /// `path`'s text comes from `text` instead of disk (the file need not exist).
  void setOverlay(llvm::StringRef path, std::string text);
  void removeOverlay(llvm::StringRef path);
  const std::string *overlay(llvm::StringRef key) const;
  /// How a path is known to the cache: its real path, or its absolute path
  /// with `.` and `..` removed when it does not exist.
  static std::string keyOf(llvm::StringRef path);

  struct Parse {
    FileID id = 0;
    std::shared_ptr<SourceFile> file;
    std::vector<Diagnostic> diagnostics; // what parsing it reported
  };
  llvm::StringMap<Parse> parses;

  /// Files of the last load that were parsed, and that were reused.
  unsigned parsedLastLoad = 0, reusedLastLoad = 0;

private:
  llvm::StringMap<std::string> overlays_;
};

class Loader {
public:
  /// `cache` (optional) keeps parses for later loads and supplies overlays.
  Loader(SourceManager &sm, DiagnosticEngine &diags, LoadOptions options, SourceCache *cache = nullptr);

  /// Loads `paths` (files, in the given order) and everything they import.
  Program load(const std::vector<std::string> &paths);

private:
  SourceFile *loadPath(const std::string &path, SourceRange importedFrom, const std::string &moduleName,
                       const std::string &displayPath = "");
  void loadStdlib();
  void resolveImports(SourceFile &file);
  void reportCycles();

  /// The text of `path` (an overlay, or read from disk) as a source file,
  /// parsed or taken from the cache.
  SourceFile *parseText(const std::string &key, std::unique_ptr<llvm::MemoryBuffer> text, const std::string &display,
                        const std::string &moduleName);

  /// Parses the files parseText set aside, valid ones in parallel (see load()).
  void parseSetAside();

  SourceManager &sm_;
  DiagnosticEngine &diags_;
  LoadOptions options_;
  /// While set, parseText registers a file and leaves its parse for later.
  bool setAsideParses_ = false;
  struct SetAside {
    SourceCache::Parse *cached;
    std::string moduleName;
  };
  std::vector<SetAside> setAside_;
  SourceCache ownCache_;
  SourceCache &cache_;
  Program program_;
  llvm::StringMap<SourceFile *> byRealPath_;
  llvm::StringMap<SourceFile *> modules_;
};

} // namespace ward
