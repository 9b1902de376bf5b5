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
  std::vector<std::unique_ptr<SourceFile>> files;
  std::vector<SourceFile *> inputs;
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
  std::string stdlibDir;                   // contains std/<module>.ward
  uint64_t maxFileSize = 32ull << 20;      // bytes
  ParseOptions parse;
};

class Loader {
public:
  Loader(SourceManager &sm, DiagnosticEngine &diags, LoadOptions options);

  /// Loads `paths` (files, in the given order) and everything they import.
  Program load(const std::vector<std::string> &paths);

private:
  SourceFile *loadPath(const std::string &path, SourceRange importedFrom, const std::string &moduleName,
                       const std::string &displayPath = "");
  void loadStdlib();
  void resolveImports(SourceFile &file);
  void reportCycles();

  SourceManager &sm_;
  DiagnosticEngine &diags_;
  LoadOptions options_;
  Program program_;
  llvm::StringMap<SourceFile *> byRealPath_;
  llvm::StringMap<SourceFile *> modules_;
};

} // namespace ward
