#include "resolve/Loader.h"
#include "ast/Walk.h"
#include "source/PhaseTimer.h"
#include "source/Text.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Parallel.h>
#include <llvm/Support/Path.h>
#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace ward {

void Program::index() {
  byId.clear();
  for (const auto &f : files) {
    if (f->id >= byId.size()) byId.resize(f->id + 1, nullptr);
    byId[f->id] = f.get();
  }
}

SourceFile *Program::file(FileID id) const {
  if (id < byId.size() && byId[id] && byId[id]->id == id) return byId[id];
  for (const auto &f : files) // a program put together without index()
    if (f->id == id) return f.get();
  return nullptr;
}

bool Program::allParsedCleanly() const {
  return std::all_of(files.begin(), files.end(), [](const auto &f) { return f->parsedCleanly; });
}

bool Program::resolvable() const {
  return std::all_of(files.begin(), files.end(), [](const auto &f) { return f->parsedCleanly || f->recovered; });
}

bool Program::mayBeBroken(llvm::StringRef name) const {
  for (const auto &f : files)
    for (const BrokenDecl &b : f->brokenDecls)
      if (b.isImport || b.name.text == name) return true;
  return false;
}

void SourceCache::setOverlay(llvm::StringRef path, std::string text) { overlays_[keyOf(path)] = std::move(text); }
void SourceCache::removeOverlay(llvm::StringRef path) { overlays_.erase(keyOf(path)); }

const std::string *SourceCache::overlay(llvm::StringRef key) const {
  auto it = overlays_.find(key);
  return it == overlays_.end() ? nullptr : &it->second;
}

std::string SourceCache::keyOf(llvm::StringRef path) {
  llvm::SmallString<256> key;
  if (!llvm::sys::fs::real_path(path, key)) return std::string(key);
  key = path;
  llvm::sys::fs::make_absolute(key);
  llvm::sys::path::remove_dots(key, /*remove_dot_dot=*/true);
  return std::string(key);
}

Loader::Loader(SourceManager &sm, DiagnosticEngine &diags, LoadOptions options, SourceCache *cache)
    : sm_(sm), diags_(diags), options_(std::move(options)), cache_(cache ? *cache : ownCache_) {
  cache_.parsedLastLoad = cache_.reusedLastLoad = 0;
}

static std::string humanSize(uint64_t bytes) {
  if (bytes >= (1ull << 20)) return fmt::format("{:.1f} MiB", double(bytes) / double(1ull << 20));
  return fmt::format("{} bytes", bytes);
}

/// Up to `limit` bytes of `path`, read in chunks (for files without a size).
static llvm::Expected<std::string> readAtMost(const std::string &path, uint64_t limit) {
  llvm::Expected<llvm::sys::fs::file_t> file = llvm::sys::fs::openNativeFileForRead(path);
  if (!file) return file.takeError();
  std::string out;
  char chunk[1 << 16];
  while (out.size() < limit) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof chunk, limit - out.size()));
    llvm::Expected<size_t> got = llvm::sys::fs::readNativeFile(*file, llvm::makeMutableArrayRef(chunk, want));
    if (!got) {
      llvm::sys::fs::closeFile(*file);
      return got.takeError();
    }
    if (*got == 0) break;
    out.append(chunk, *got);
  }
  llvm::sys::fs::closeFile(*file);
  return out;
}

SourceFile *Loader::loadPath(const std::string &path, SourceRange importedFrom, const std::string &moduleName,
                             const std::string &displayPath) {
  auto fail = [&](DiagID id, std::string message) -> DiagnosticBuilder {
    if (importedFrom.valid()) return diags_.report(id, importedFrom, fmt::format("{}: {}", path, message));
    return diags_.reportAtPath(id, path, std::move(message));
  };
  std::string key = SourceCache::keyOf(path);
  if (auto it = byRealPath_.find(key); it != byRealPath_.end()) return it->second;
  const std::string &display = displayPath.empty() ? path : displayPath;
  if (const std::string *text = cache_.overlay(key)) {
    if (text->size() > options_.maxFileSize) {
      fail(DiagID::FileTooLarge,
           fmt::format("file is {}, over the limit of {}", humanSize(text->size()), humanSize(options_.maxFileSize)));
      return nullptr;
    }
    return parseText(key, llvm::MemoryBuffer::getMemBufferCopy(*text, path), display, moduleName);
  }
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status)) {
    fail(importedFrom.valid() ? DiagID::ImportNotFound : DiagID::IoError, fmt::format("cannot open: {}", ec.message()));
    return nullptr;
  }
  if (llvm::sys::fs::is_directory(status)) {
    fail(DiagID::IoError, "is a directory, not a policy file");
    return nullptr;
  }
  if (status.getSize() > options_.maxFileSize) {
    fail(DiagID::FileTooLarge,
         fmt::format("file is {}, over the limit of {}", humanSize(status.getSize()), humanSize(options_.maxFileSize)))
        .withHelp("split the policy into several files, or raise the limit with --max-file-size");
    return nullptr;
  }
  if (!llvm::sys::fs::is_regular_file(status)) {
    // A pipe or a device has no size to check first (and /dev/zero no end):
    // read at most one byte past the limit.
    llvm::Expected<std::string> text = readAtMost(path, options_.maxFileSize + 1);
    if (!text) {
      fail(DiagID::IoError, fmt::format("cannot read: {}", llvm::toString(text.takeError())));
      return nullptr;
    }
    if (text->size() > options_.maxFileSize) {
      fail(DiagID::FileTooLarge, fmt::format("file is over the limit of {}", humanSize(options_.maxFileSize)))
          .withHelp("split the policy into several files, or raise the limit with --max-file-size");
      return nullptr;
    }
    return parseText(key, llvm::MemoryBuffer::getMemBufferCopy(*text, path), display, moduleName);
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) {
    fail(DiagID::IoError, fmt::format("cannot read: {}", buffer.getError().message()));
    return nullptr;
  }
  return parseText(key, std::move(*buffer), display, moduleName);
}

SourceFile *Loader::parseText(const std::string &key, std::unique_ptr<llvm::MemoryBuffer> text,
                              const std::string &display, const std::string &moduleName) {
  SourceCache::Parse &cached = cache_.parses[key];
  if (cached.file && sm_.text(cached.id) == text->getBuffer()) {
    // Unchanged since the last load: forget what the last check wrote into
    // it and replay what parsing it reported.
    clearSemantics(*cached.file);
    for (Import &imp : cached.file->imports) imp.resolved = 0;
    for (const Diagnostic &d : cached.diagnostics) diags_.commit(d);
    ++cache_.reusedLastLoad;
  } else {
    if (cached.file) sm_.replaceBuffer(cached.id, std::move(text));
    else cached.id = sm_.addBuffer(std::move(text), display);
    if (setAsideParses_) {
      // A placeholder the parse is moved into: callers keep its address.
      cached.file = std::make_shared<SourceFile>();
      cached.file->id = cached.id;
      setAside_.push_back({&cached, moduleName});
      program_.files.push_back(cached.file);
      byRealPath_[key] = cached.file.get();
      return cached.file.get();
    }
    size_t before = diags_.diagnostics().size();
    cached.file = parseFile(sm_, cached.id, diags_, options_.parse);
    cached.file->moduleName = moduleName;
    cached.diagnostics.assign(diags_.diagnostics().begin() + before, diags_.diagnostics().end());
    ++cache_.parsedLastLoad;
  }
  program_.files.push_back(cached.file);
  byRealPath_[key] = cached.file.get();
  return cached.file.get();
}

void Loader::loadStdlib() {
  llvm::SmallString<256> dir(options_.stdlibDir);
  llvm::sys::path::append(dir, "std");
  std::error_code ec;
  std::vector<std::string> paths;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".ward") paths.push_back(it->path());
  if (ec || paths.empty()) {
    diags_.reportAtPath(DiagID::IoError, std::string(dir), "the Ward standard library was not found here")
        .withHelp("set WARD_STDLIB to the directory that contains std/, or reinstall wardc");
    return;
  }
  std::sort(paths.begin(), paths.end());
  for (const std::string &path : paths) {
    std::string module = "std." + llvm::sys::path::stem(path).str();
    // Shown as `<stdlib>/std/azure.ward`, so output does not depend on where
    // Ward is installed.
    std::string display = "<stdlib>/std/" + llvm::sys::path::filename(path).str();
    if (SourceFile *f = loadPath(path, {}, module, display)) modules_[module] = f;
  }
}

void Loader::resolveImports(SourceFile &file) {
  for (Import &imp : file.imports) {
    if (imp.isModule) {
      auto it = modules_.find(imp.target.text);
      if (it == modules_.end()) {
        std::vector<std::string> names;
        for (auto &entry : modules_) names.push_back(entry.getKey().str());
        std::sort(names.begin(), names.end());
        DiagnosticBuilder d = diags_.report(DiagID::ImportNotFound, imp.target.range,
                                            fmt::format("unknown module `{}`", imp.target.text));
        std::vector<std::string> close = closestNames(imp.target.text, names);
        if (!close.empty())
          d.withHelp(fmt::format("did you mean `{}`?", close.front())).suggest(imp.target.range, close.front());
        else if (names.empty()) d.withHelp("the standard library could not be loaded (see the error above)");
        else
          d.withHelp(fmt::format("the standard library has {}; to import a file, write its path in quotes",
                                 joinAlternatives(names, "and")));
        continue;
      }
      imp.resolved = it->second->id;
      continue;
    }
    llvm::SmallString<256> path(llvm::sys::path::parent_path(file.path));
    llvm::sys::path::append(path, imp.target.text.ref());
    llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/false);
    if (SourceFile *target = loadPath(std::string(path), imp.target.range, "")) imp.resolved = target->id;
  }
}

void Loader::reportCycles() {
  // Depth-first search over the import graph; a back edge closes a cycle.
  enum Color { White, Grey, Black };
  std::vector<Color> color(sm_.fileCount() + 1, White);
  std::vector<std::pair<FileID, const Import *>> stack;
  std::function<void(SourceFile &)> visit = [&](SourceFile &file) {
    color[file.id] = Grey;
    for (const Import &imp : file.imports) {
      if (!imp.resolved) continue;
      if (color[imp.resolved] == Grey) {
        // Report at the import where the cycle is entered (in the file the
        // chain starts from); the other imports of the chain are labels.
        size_t start = 0;
        while (start < stack.size() && stack[start].first != imp.resolved) ++start;
        std::vector<std::pair<FileID, const Import *>> chain(stack.begin() + start, stack.end());
        chain.emplace_back(file.id, &imp);
        std::vector<std::string> names;
        for (auto &link : chain) names.push_back(sm_.displayPath(link.first));
        names.push_back(sm_.displayPath(imp.resolved));
        DiagnosticBuilder d =
            diags_.report(DiagID::ImportCycle, chain.front().second->range,
                          imp.resolved == file.id ? fmt::format("`{}` imports itself", file.path)
                                                  : fmt::format("import cycle: {}", llvm::join(names, " -> ")));
        for (size_t i = 1; i < chain.size(); ++i)
          d.label(chain[i].second->range, fmt::format("`{}` imports `{}`", sm_.displayPath(chain[i].first),
                                                      sm_.displayPath(chain[i].second->resolved)));
        d.withHelp("move the shared declarations into a file that both import");
        continue;
      }
      if (color[imp.resolved] == White) {
        stack.emplace_back(file.id, &imp);
        visit(*program_.file(imp.resolved));
        stack.pop_back();
      }
    }
    color[file.id] = Black;
  };
  for (auto &file : program_.files)
    if (color[file->id] == White) visit(*file);
}

void Loader::parseSetAside() {
  // Valid files (nearly all) are parsed by the fast parser, which reports
  // nothing and only reads the sources, so they are parsed in parallel; the
  // others, and what each reports, then in order, as they always were.
  // A file large enough to be parsed in parts uses every core by itself,
  // and LLVM's executor runs a parallel loop nested in another one serially:
  // such files are parsed one after another, the rest side by side.
  std::vector<std::unique_ptr<SourceFile>> valid(setAside_.size());
  std::vector<size_t> sideBySide;
  for (size_t i = 0; i < setAside_.size(); ++i) {
    if (options_.parse.parsesInParts(sm_.text(setAside_[i].cached->id).size()))
      valid[i] = parseIfValid(sm_, setAside_[i].cached->id, options_.parse);
    else sideBySide.push_back(i);
  }
  llvm::parallelForEachN(0, sideBySide.size(), [&](size_t k) {
    size_t i = sideBySide[k];
    valid[i] = parseIfValid(sm_, setAside_[i].cached->id, options_.parse);
  });
  for (size_t i = 0; i < setAside_.size(); ++i) {
    SourceCache::Parse &cached = *setAside_[i].cached;
    size_t before = diags_.diagnostics().size();
    std::unique_ptr<SourceFile> parsed =
        valid[i] ? std::move(valid[i]) : parseFile(sm_, cached.id, diags_, options_.parse);
    *cached.file = std::move(*parsed);
    cached.file->moduleName = setAside_[i].moduleName;
    cached.diagnostics.assign(diags_.diagnostics().begin() + before, diags_.diagnostics().end());
    ++cache_.parsedLastLoad;
  }
  setAside_.clear();
}

Program Loader::load(const std::vector<std::string> &paths) {
  // The standard library and the inputs are read and registered in order,
  // parsed together, then checked for emptiness in order.
  PhaseTimer timer("  load");
  setAsideParses_ = true;
  loadStdlib();
  for (const std::string &path : paths)
    if (SourceFile *f = loadPath(path, {}, ""))
      if (std::find(program_.inputs.begin(), program_.inputs.end(), f) == program_.inputs.end())
        program_.inputs.push_back(f);
  setAsideParses_ = false;
  timer.mark("read");
  parseSetAside();
  timer.mark("parse");
  for (SourceFile *f : program_.inputs)
    if (f->parsedCleanly && f->decls.empty() && f->imports.empty())
      diags_.report(DiagID::EmptyFile, {f->id, 0, 0}, fmt::format("`{}` declares nothing", f->path))
          .withHelp("an empty policy is almost always a mistake: add declarations, or leave the file out");
  // Imports may load more files; iterate by index as the vector grows.
  for (size_t i = 0; i < program_.files.size(); ++i) resolveImports(*program_.files[i]);
  program_.index();
  reportCycles();
  timer.mark("imports");
  return std::move(program_);
}

} // namespace ward
