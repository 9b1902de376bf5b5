#include "output/Artifacts.h"
#include "output/JsonWriter.h"
#include "output/Sha256.h"
#include "source/PhaseTimer.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringSet.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/Parallel.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <fmt/format.h>

#include <cerrno>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

namespace ward::codegen {

std::string toJsonText(const llvm::json::Value &json) { return writeJson(json); }

std::string sha256Hex(llvm::StringRef bytes) { return llvm::toHex(sha256(bytes), /*LowerCase=*/true); }

void ArtifactSet::add(Artifact artifact) {
  std::string path = artifact.path;
  bool inserted = artifacts_.emplace(path, std::move(artifact)).second;
  if (!inserted) llvm::report_fatal_error(llvm::Twine("two artifacts would be written to ") + path);
}

void ArtifactSet::addJson(std::string path, std::string kind, const llvm::json::Value &json,
                          std::vector<SourceRange> sources) {
  add({std::move(path), std::move(kind), toJsonText(json), std::move(sources)});
}

std::vector<SourceLocation> sourceLocations(const Artifact &artifact, const SourceManager &sm) {
  std::vector<SourceLocation> out;
  for (SourceRange r : artifact.sources) {
    if (!r.valid()) continue;
    LineColumn start = sm.lineColumn(r.file, r.begin), end = sm.lineColumn(r.file, r.end);
    out.emplace_back(sm.displayPath(r.file), start.line, start.column, end.line, end.column);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string ArtifactSet::manifest(const SourceManager &sm, llvm::StringRef compilerVersion) const {
  // Written as text rather than built as a JSON value: at a few thousand
  // artifacts the value's copies and allocations cost more than everything
  // else the manifest needs. The text is what writeJson would print: keys
  // sorted, two-space indentation (tests/unit/ArtifactsTests.cpp compares).
  // Each artifact's entry (its hash, its sources) is made on its own, in
  // parallel, and the entries are joined in path order.
  std::vector<const std::pair<const std::string, Artifact> *> list;
  for (const auto &entry : artifacts_) list.push_back(&entry);
  std::vector<std::string> entries(list.size());
  sm.computeLineTables(); // made lazily otherwise: not from several threads
  llvm::parallelForEachN(0, list.size(), [&](size_t i) {
    const auto &[path, a] = *list[i];
    std::vector<SourceLocation> ranges = sourceLocations(a, sm);
    std::string &out = entries[i];
    out += "\n    {\n      \"bytes\": ";
    out += std::to_string(a.bytes.size());
    out += ",\n      \"kind\": ";
    appendJsonString(out, a.kind);
    out += ",\n      \"path\": ";
    appendJsonString(out, path);
    out += ",\n      \"sha256\": \"";
    out += sha256Hex(a.bytes);
    out += "\",\n      \"sources\": ";
    if (ranges.empty()) out += "[]";
    for (size_t r = 0; r < ranges.size(); ++r) {
      const auto &[file, line, column, endLine, endColumn] = ranges[r];
      out += r == 0 ? "[\n" : ",\n";
      out += fmt::format("        {{\n          \"column\": {},\n          \"endColumn\": {},\n"
                         "          \"endLine\": {},\n          \"file\": ",
                         column, endColumn, endLine);
      appendJsonString(out, file);
      out += fmt::format(",\n          \"line\": {}\n        }}", line);
    }
    if (!ranges.empty()) out += "\n      ]";
    out += "\n    }";
  });

  size_t total = 64;
  for (const std::string &entry : entries) total += entry.size() + 1;
  std::string out;
  out.reserve(total);
  out += "{\n  \"artifacts\": [";
  bool firstArtifact = true;
  for (const std::string &entry : entries) {
    if (!firstArtifact) out += ',';
    firstArtifact = false;
    out += entry;
  }
  out += firstArtifact ? "],\n" : "\n  ],\n";
  out += "  \"compiler\": ";
  appendJsonString(out, ("wardc " + compilerVersion).str());
  out += ",\n  \"schema\": \"ward-manifest\",\n  \"version\": 1\n}\n";
  return out;
}

/// Writes `bytes` to a new file at `path`, whose directory exists. Plain
/// POSIX calls: a stream would add a stat and a seek to each of thousands of
/// files, and on a slow file system every call counts.
static llvm::Error writeFile(llvm::StringRef path, llvm::StringRef bytes) {
  std::string name = path.str();
  auto failed = [&](int err) {
    return llvm::createStringError(std::error_code(err, std::generic_category()), "cannot write %s", name.c_str());
  };
  int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return failed(errno);
  const char *next = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, next, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      ::close(fd);
      return failed(err);
    }
    next += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && errno != EINTR) return failed(errno);
  return llvm::Error::success();
}

/// Creates the directory of every artifact under `root`, each once.
static llvm::Error createParentDirectories(llvm::StringRef root,
                                           const std::vector<const std::pair<const std::string, Artifact> *> &list) {
  llvm::StringSet<> created;
  for (const auto *entry : list) {
    llvm::StringRef parent = llvm::sys::path::parent_path(entry->first, llvm::sys::path::Style::posix);
    if (parent.empty() || !created.insert(parent).second) continue;
    llvm::SmallString<256> dir(root);
    llvm::sys::path::append(dir, parent);
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return llvm::createStringError(ec, "cannot create the directory %s", dir.c_str());
  }
  return llvm::Error::success();
}

llvm::Error ArtifactSet::writeAtomically(llvm::StringRef outDir, const SourceManager &sm,
                                         llvm::StringRef compilerVersion) const {
  // Absolute, because createUniqueDirectory places a relative model in the
  // system's temporary directory, which may be another file system.
  llvm::SmallString<256> out(outDir);
  if (std::error_code ec = llvm::sys::fs::make_absolute(out))
    return llvm::createStringError(ec, "cannot resolve %s", out.c_str());
  llvm::sys::path::remove_dots(out, true);
  if (llvm::sys::fs::exists(out) && !llvm::sys::fs::is_directory(out))
    return llvm::createStringError(std::errc::not_a_directory, "%s exists and is not a directory", out.c_str());
  llvm::SmallString<256> parent(llvm::sys::path::parent_path(out));
  if (parent.empty()) parent = ".";
  if (std::error_code ec = llvm::sys::fs::create_directories(parent))
    return llvm::createStringError(ec, "cannot create %s", parent.c_str());

  // 1. Everything into a fresh sibling directory (same file system, so the
  //    final renames are atomic).
  llvm::SmallString<256> staging;
  llvm::SmallString<256> model(parent);
  llvm::sys::path::append(model, "." + llvm::sys::path::filename(out).str() + ".staging");
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(model, staging))
    return llvm::createStringError(ec, "cannot create a staging directory beside %s", out.c_str());
  // createUniqueDirectory appends its own suffix to the model; use what it made.
  auto cleanup = [&] { llvm::sys::fs::remove_directories(staging); };
  PhaseTimer timer("  write");
  // Files are independent: written in parallel, the first failure (in path
  // order, so the message does not depend on timing) is reported.
  std::vector<const std::pair<const std::string, Artifact> *> list;
  for (const auto &entry : artifacts_) list.push_back(&entry);
  if (llvm::Error e = createParentDirectories(staging, list)) {
    cleanup();
    return e;
  }
  std::vector<std::optional<llvm::Error>> failures(list.size());
  llvm::parallelForEachN(0, list.size(), [&](size_t i) {
    llvm::SmallString<256> target(staging);
    llvm::sys::path::append(target, list[i]->first);
    if (llvm::Error e = writeFile(target, list[i]->second.bytes)) failures[i] = std::move(e);
  });
  llvm::Error firstFailure = llvm::Error::success();
  for (std::optional<llvm::Error> &failure : failures) {
    if (!failure) continue;
    if (firstFailure) llvm::consumeError(std::move(*failure));
    else firstFailure = std::move(*failure);
  }
  if (firstFailure) {
    cleanup();
    return firstFailure;
  }
  timer.mark("artifacts");
  llvm::SmallString<256> manifestPath(staging);
  llvm::sys::path::append(manifestPath, "manifest.json");
  if (llvm::Error e = writeFile(manifestPath, manifest(sm, compilerVersion))) {
    cleanup();
    return e;
  }
  timer.mark("manifest");

  // 2. Swap: move the old OUT aside, move the new one in, drop the old one.
  llvm::SmallString<256> previous;
  if (llvm::sys::fs::exists(out)) {
    llvm::SmallString<256> aside(parent);
    llvm::sys::path::append(aside, "." + llvm::sys::path::filename(out).str() + ".previous");
    if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(aside, previous)) {
      cleanup();
      return llvm::createStringError(ec, "cannot prepare to replace %s", out.c_str());
    }
    llvm::sys::fs::remove(previous); // only the unique name was needed
    if (std::error_code ec = llvm::sys::fs::rename(out, previous)) {
      cleanup();
      return llvm::createStringError(ec, "cannot replace %s", out.c_str());
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(staging, out)) {
    if (!previous.empty()) llvm::sys::fs::rename(previous, out); // put the old one back
    cleanup();
    return llvm::createStringError(ec, "cannot move the new output into %s", out.c_str());
  }
  if (!previous.empty()) llvm::sys::fs::remove_directories(previous);
  return llvm::Error::success();
}

} // namespace ward::codegen
