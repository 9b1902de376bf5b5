#include "output/Artifacts.h"
#include "output/InterruptCleanup.h"
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
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace ward::codegen {

std::string toJsonText(const llvm::json::Value &json) { return writeJson(json); }

std::string sha256Hex(llvm::StringRef bytes) { return llvm::toHex(sha256(bytes), /*LowerCase=*/true); }

void ArtifactSet::add(Artifact artifact) {
  std::string path = artifact.path;
  auto [entry, inserted] = artifacts_.emplace(path, std::move(artifact));
  if (!inserted) llvm::report_fatal_error(llvm::Twine("two artifacts would be written to ") + path);
  if (streaming_) streamOut(path, entry->second);
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

/// One artifact's entry in the manifest, as writeJson would print it.
static void appendManifestEntry(std::string &out, const std::string &path, const Artifact &a,
                                const StreamedDigest *digest, const SourceManager &sm) {
  std::vector<SourceLocation> ranges = sourceLocations(a, sm);
  out += "\n    {\n      \"bytes\": ";
  out += std::to_string(digest ? digest->size : a.bytes.size());
  out += ",\n      \"kind\": ";
  appendJsonString(out, a.kind);
  out += ",\n      \"path\": ";
  appendJsonString(out, path);
  out += ",\n      \"sha256\": \"";
  out += digest ? digest->sha256 : sha256Hex(a.bytes);
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
}

void ArtifactSet::writeManifest(llvm::raw_ostream &os, const SourceManager &sm, llvm::StringRef compilerVersion) const {
  // Written as text rather than built as a JSON value: at a few thousand
  // artifacts the value's copies and allocations cost more than everything
  // else the manifest needs. The text is what writeJson would print: keys
  // sorted, two-space indentation (tests/unit/ArtifactsTests.cpp compares).
  // Entries (an artifact's hash, its sources) are made in parallel, a batch
  // at a time, and written in path order: a large build's manifest is tens
  // of megabytes, not held whole.
  std::vector<const std::pair<const std::string, Artifact> *> list;
  for (const auto &entry : artifacts_) list.push_back(&entry);
  std::vector<const StreamedDigest *> streamedDigests(list.size(), nullptr);
  for (size_t i = 0; i < list.size(); ++i) {
    auto digest = streamed_.find(list[i]->first);
    if (digest != streamed_.end()) streamedDigests[i] = &digest->second;
  }
  sm.computeLineTables(); // made lazily otherwise: not from several threads
  os << "{\n  \"artifacts\": [";
  constexpr size_t kBatch = 4096;
  std::vector<std::string> entries(std::min(kBatch, list.size()));
  for (size_t first = 0; first < list.size(); first += kBatch) {
    size_t count = std::min(kBatch, list.size() - first);
    llvm::parallelForEachN(0, count, [&](size_t i) {
      entries[i].clear();
      appendManifestEntry(entries[i], list[first + i]->first, list[first + i]->second, streamedDigests[first + i], sm);
    });
    for (size_t i = 0; i < count; ++i) {
      if (first + i > 0) os << ',';
      os << entries[i];
    }
  }
  os << (list.empty() ? "],\n" : "\n  ],\n");
  std::string compiler;
  appendJsonString(compiler, ("wardc " + compilerVersion).str());
  os << "  \"compiler\": " << compiler << ",\n  \"schema\": \"ward-manifest\",\n  \"version\": 1\n}\n";
}

std::string ArtifactSet::manifest(const SourceManager &sm, llvm::StringRef compilerVersion) const {
  std::string text;
  llvm::raw_string_ostream os(text);
  writeManifest(os, sm, compilerVersion);
  os.flush();
  return text;
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

/// A fresh directory beside OUT that the artifacts are written into, and
/// that replaces OUT when complete (same file system, so the renames are
/// atomic). Removed on destruction unless it was moved into place.
class StagingDirectory {
public:
  static llvm::Expected<std::unique_ptr<StagingDirectory>> create(llvm::StringRef outDir) {
    // Absolute, because createUniqueDirectory places a relative model in the
    // system's temporary directory, which may be another file system.
    auto staging = std::unique_ptr<StagingDirectory>(new StagingDirectory());
    llvm::SmallString<256> &out = staging->out_;
    out = outDir;
    if (std::error_code ec = llvm::sys::fs::make_absolute(out))
      return llvm::createStringError(ec, "cannot resolve %s", out.c_str());
    llvm::sys::path::remove_dots(out, true);
    if (llvm::sys::fs::exists(out) && !llvm::sys::fs::is_directory(out))
      return llvm::createStringError(std::errc::not_a_directory, "%s exists and is not a directory", out.c_str());
    llvm::SmallString<256> &parent = staging->parent_;
    parent = llvm::sys::path::parent_path(out);
    if (parent.empty()) parent = ".";
    // The outermost directory this makes, if any, goes again with the
    // staging directory when the build does not complete.
    for (llvm::StringRef missing = parent; !missing.empty() && !llvm::sys::fs::exists(missing);
         missing = llvm::sys::path::parent_path(missing))
      staging->createdParent_ = missing;
    // Registered before they are made: a signal in between finds nothing to remove.
    if (!staging->createdParent_.empty()) staging->parentCleanup_.removeTree(staging->createdParent_);
    if (std::error_code ec = llvm::sys::fs::create_directories(parent))
      return llvm::createStringError(ec, "cannot create %s", parent.c_str());
    llvm::SmallString<256> model(parent);
    llvm::sys::path::append(model, "." + llvm::sys::path::filename(out).str() + ".staging");
    // createUniqueDirectory appends its own suffix to the model; use what it made.
    if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(model, staging->dir_))
      return llvm::createStringError(ec, "cannot create a staging directory beside %s", out.c_str());
    staging->stagingCleanup_.removeTree(staging->dir_);
    return staging;
  }
  ~StagingDirectory() {
    if (movedIntoPlace_) return;
    if (!dir_.empty()) llvm::sys::fs::remove_directories(dir_);
    if (!createdParent_.empty()) llvm::sys::fs::remove_directories(createdParent_);
  }

  llvm::StringRef dir() const { return dir_; }
  llvm::StringRef out() const { return out_; }

  /// Swaps the directory in for OUT: moves the old OUT aside, moves this
  /// one in, drops the old one. On failure OUT is as it was.
  llvm::Error moveIntoPlace() {
    llvm::SmallString<256> previous;
    if (llvm::sys::fs::exists(out_)) {
      llvm::SmallString<256> aside(parent_);
      llvm::sys::path::append(aside, "." + llvm::sys::path::filename(out_).str() + ".previous");
      if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(aside, previous))
        return llvm::createStringError(ec, "cannot prepare to replace %s", out_.c_str());
      llvm::sys::fs::remove(previous);            // only the unique name was needed
      stagingCleanup_.renameBack(previous, out_); // before the move, so that no moment misses it
      if (std::error_code ec = llvm::sys::fs::rename(out_, previous))
        return llvm::createStringError(ec, "cannot replace %s", out_.c_str());
    }
    parentCleanup_.forget(); // OUT is about to live in the parents this made
    if (std::error_code ec = llvm::sys::fs::rename(dir_, out_)) {
      if (!previous.empty()) llvm::sys::fs::rename(previous, out_); // put the old one back
      return llvm::createStringError(ec, "cannot move the new output into %s", out_.c_str());
    }
    movedIntoPlace_ = true;
    // Until the old output is gone, a signal still removes it (moving it
    // back fails: the new one is in place).
    if (!previous.empty()) llvm::sys::fs::remove_directories(previous);
    stagingCleanup_.forget();
    return llvm::Error::success();
  }

private:
  StagingDirectory() = default;
  llvm::SmallString<256> out_, parent_, dir_;
  std::string createdParent_; // the outermost of OUT's parents that did not exist
  bool movedIntoPlace_ = false;
  // What a SIGINT, SIGTERM or SIGHUP undoes, as this destructor would.
  InterruptCleanup stagingCleanup_, parentCleanup_;
};

/// Writes streamed artifacts into a staging directory on a thread of its
/// own, hashing each and dropping its bytes, while the backends go on.
/// At most kInFlightBytes wait to be written (a larger artifact waits
/// alone): what bounds a build's memory by its largest artifact rather
/// than by all of them.
class StreamingWriter {
public:
  static constexpr size_t kInFlightBytes = 16 << 20;

  explicit StreamingWriter(std::unique_ptr<StagingDirectory> staging)
      : staging_(std::move(staging)), thread_([this] { run(); }) {}
  StreamingWriter(const StreamingWriter &) = delete;
  StreamingWriter &operator=(const StreamingWriter &) = delete;
  ~StreamingWriter() { llvm::consumeError(finish()); }

  StagingDirectory &staging() { return *staging_; }

  /// Queues `artifact` to be written and its `digest` filled in (nodes of
  /// the set's maps, which stay where they are); waits while too many bytes
  /// are queued.
  void enqueue(Artifact &artifact, StreamedDigest &digest) {
    std::unique_lock<std::mutex> lock(mutex_);
    size_t size = artifact.bytes.size();
    roomFreed_.wait(lock, [&] { return queuedBytes_ == 0 || queuedBytes_ + size <= kInFlightBytes; });
    queue_.push_back({&artifact, &digest});
    queuedBytes_ += size;
    workArrived_.notify_one();
  }

  /// Waits for every queued artifact to be written; the first failure, in
  /// path order (so that the message does not depend on timing).
  llvm::Error finish() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing_ = true;
    }
    workArrived_.notify_one();
    if (thread_.joinable()) thread_.join();
    llvm::Error first = llvm::Error::success();
    for (auto &[path, failure] : failures_) {
      if (first) llvm::consumeError(std::move(failure));
      else first = std::move(failure);
    }
    failures_.clear();
    return first;
  }

private:
  void run() {
    for (;;) {
      Queued next;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        workArrived_.wait(lock, [&] { return !queue_.empty() || closing_; });
        if (queue_.empty()) return;
        next = queue_.front();
        queue_.pop_front();
      }
      size_t size = next.artifact->bytes.size();
      write(*next.artifact, *next.digest);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        queuedBytes_ -= size;
      }
      roomFreed_.notify_one();
    }
  }

  void write(Artifact &artifact, StreamedDigest &digest) {
    digest.size = artifact.bytes.size();
    digest.sha256 = sha256Hex(artifact.bytes);
    llvm::SmallString<256> target(staging_->dir());
    llvm::sys::path::append(target, artifact.path);
    llvm::StringRef parent = llvm::sys::path::parent_path(artifact.path, llvm::sys::path::Style::posix);
    llvm::Error written = llvm::Error::success();
    if (!parent.empty() && !createdDirectories_.contains(parent)) {
      written = makeDirectoriesBelow(staging_->dir(), parent);
      if (!written) createdDirectories_.insert(parent);
    }
    if (!written) written = writeFile(target, artifact.bytes);
    if (written) failures_.emplace(artifact.path, std::move(written));
    std::string().swap(artifact.bytes); // its memory back now, not at the end
  }

  /// Makes the directories of `relative` inside `root`, a level at a time,
  /// and never `root` itself: a staging directory that a signal removed
  /// while this thread still writes (InterruptCleanup.h) is not made again.
  static llvm::Error makeDirectoriesBelow(llvm::StringRef root, llvm::StringRef relative) {
    llvm::SmallString<256> dir(root);
    for (auto level = llvm::sys::path::begin(relative, llvm::sys::path::Style::posix),
              end = llvm::sys::path::end(relative);
         level != end; ++level) {
      llvm::sys::path::append(dir, *level);
      if (std::error_code ec = llvm::sys::fs::create_directory(dir, /*IgnoreExisting=*/true))
        return llvm::createStringError(ec, "cannot create the directory %s", dir.c_str());
    }
    return llvm::Error::success();
  }

  std::unique_ptr<StagingDirectory> staging_;
  llvm::StringSet<> createdDirectories_;        // the writer thread's
  std::map<std::string, llvm::Error> failures_; // likewise, until finish
  std::mutex mutex_;
  std::condition_variable workArrived_, roomFreed_;
  struct Queued {
    Artifact *artifact;
    StreamedDigest *digest;
  };
  std::deque<Queued> queue_;
  size_t queuedBytes_ = 0;
  bool closing_ = false;
  std::thread thread_; // last: started once the rest is ready
};

ArtifactSet::ArtifactSet() = default;
ArtifactSet::ArtifactSet(ArtifactSet &&) noexcept = default;
ArtifactSet &ArtifactSet::operator=(ArtifactSet &&) noexcept = default;
ArtifactSet::~ArtifactSet() = default;

llvm::Error ArtifactSet::streamTo(llvm::StringRef outDir) {
  llvm::Expected<std::unique_ptr<StagingDirectory>> staging = StagingDirectory::create(outDir);
  if (!staging) return staging.takeError();
  streaming_ = std::make_unique<StreamingWriter>(std::move(*staging));
  for (auto &[path, artifact] : artifacts_) streamOut(path, artifact); // those added before
  return llvm::Error::success();
}

void ArtifactSet::streamOut(const std::string &path, Artifact &artifact) {
  streaming_->enqueue(artifact, streamed_[path]);
}

llvm::Error ArtifactSet::writeAtomically(llvm::StringRef outDir, const SourceManager &sm,
                                         llvm::StringRef compilerVersion) {
  // A set that did not stream is written the same way, all at once.
  if (!streaming_)
    if (llvm::Error e = streamTo(outDir)) return e;
  std::unique_ptr<StreamingWriter> writer = std::move(streaming_);
  PhaseTimer timer("  write");
  if (llvm::Error e = writer->finish()) return e; // the writer removes its directory
  StagingDirectory *staging = &writer->staging();
  timer.mark("artifacts");
  llvm::SmallString<256> manifestPath(staging->dir());
  llvm::sys::path::append(manifestPath, "manifest.json");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(manifestPath, ec);
    if (!ec) {
      writeManifest(os, sm, compilerVersion);
      os.close();
      ec = os.error();
      os.clear_error(); // reported below, not by the stream's destructor
    }
    if (ec) return llvm::createStringError(ec, "cannot write %s", manifestPath.c_str());
  }
  timer.mark("manifest");
  return staging->moveIntoPlace();
}

} // namespace ward::codegen
