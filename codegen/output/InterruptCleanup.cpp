#include "output/InterruptCleanup.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ward::codegen {
namespace {

constexpr size_t kPathBytes = 4096; // PATH_MAX on Linux
constexpr int kSlots = 8;           // two per build in progress
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

/// What one InterruptCleanup registered. Paths are written before the
/// atomic that publishes them, and a signal handler reads them only after
/// it: the handler may run on any thread, at any point of a registration.
struct Slot {
  std::atomic<bool> taken{false};
  std::atomic<bool> hasTree{false}, hasRename{false};
  char tree[kPathBytes];
  char renameFrom[kPathBytes], renameTo[kPathBytes];
};
std::array<Slot, kSlots> slots;
struct sigaction previousActions[NSIG];

bool copyPath(llvm::StringRef path, char (&into)[kPathBytes]) {
  if (path.empty() || path.size() >= kPathBytes || path.contains('\0')) return false;
  std::memcpy(into, path.data(), path.size());
  into[path.size()] = '\0';
  return true;
}

// --- called from the signal handler: system calls only, no allocation ---

bool isDotOrDotDot(const char *name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

/// Removes what the directory open as `dir` holds. getdents64 has no
/// library wrapper that is safe in a signal handler (readdir allocates).
void removeEntries(int dir, int depth) {
  // Listing while removing may skip entries; a pass that removes anything
  // starts the listing again.
  for (int pass = 0; pass < 8; ++pass) {
    bool removedAny = false;
    lseek(dir, 0, SEEK_SET);
    alignas(8) char buffer[2048];
    for (long bytes; (bytes = syscall(SYS_getdents64, dir, buffer, sizeof buffer)) > 0;) {
      for (long at = 0; at < bytes;) {
        auto *entry = reinterpret_cast<struct dirent64 *>(buffer + at);
        at += entry->d_reclen;
        const char *name = entry->d_name;
        if (isDotOrDotDot(name)) continue;
        if (unlinkat(dir, name, 0) == 0) {
          removedAny = true;
          continue;
        }
        if (errno != EISDIR || depth >= 16) continue;
        int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) continue;
        removeEntries(sub, depth + 1);
        close(sub);
        if (unlinkat(dir, name, AT_REMOVEDIR) == 0) removedAny = true;
      }
    }
    if (!removedAny) return;
  }
}

void removeTreeNow(const char *path) {
  // Another thread may still be writing into the tree: a file made after
  // its directory was listed keeps the directory; list it again.
  for (int attempt = 0; attempt < 4; ++attempt) {
    int dir = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) return;
    removeEntries(dir, 0);
    close(dir);
    if (rmdir(path) == 0 || errno != ENOTEMPTY) return;
  }
}

extern "C" void undoOnSignal(int signal) {
  int savedErrno = errno;
  for (Slot &slot : slots) {
    if (!slot.taken.load(std::memory_order_acquire)) continue;
    // The old output back first: the staging tree may be gone already,
    // moved in as the new output, when the old one still waits aside.
    if (slot.hasRename.load(std::memory_order_acquire) && rename(slot.renameFrom, slot.renameTo) != 0)
      removeTreeNow(slot.renameFrom);
    if (slot.hasTree.load(std::memory_order_acquire)) removeTreeNow(slot.tree);
  }
  sigaction(signal, &previousActions[signal], nullptr);
  errno = savedErrno;
  raise(signal); // delivered once this handler returns, by the previous action
}

void installHandlers() {
  // Checked at every registration, not once per process: whoever set a
  // handler since (a host program, a test runner restoring its own) would
  // otherwise take the signal without the undo.
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  for (int signal : kSignals) {
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) != 0) continue;
    if (current.sa_handler == undoOnSignal) continue;
    // A signal the process was started ignoring (`nohup`, a background
    // job of a non-interactive shell) stays ignored.
    if (current.sa_handler == SIG_IGN) continue;
    previousActions[signal] = current;
    struct sigaction ours {};
    ours.sa_handler = undoOnSignal;
    sigemptyset(&ours.sa_mask);
    for (int other : kSignals) sigaddset(&ours.sa_mask, other); // one undo at a time
    sigaction(signal, &ours, nullptr);
  }
}

} // namespace

InterruptCleanup::InterruptCleanup() {
  installHandlers();
  for (int i = 0; i < kSlots; ++i) {
    bool expected = false;
    if (slots[i].taken.compare_exchange_strong(expected, true)) {
      slot_ = i;
      return;
    }
  }
}

InterruptCleanup::~InterruptCleanup() {
  forget();
  if (slot_ >= 0) slots[slot_].taken.store(false, std::memory_order_release);
}

bool InterruptCleanup::removeTree(llvm::StringRef path) {
  if (slot_ < 0) return false;
  Slot &slot = slots[slot_];
  slot.hasTree.store(false, std::memory_order_release);
  if (!copyPath(path, slot.tree)) return false;
  slot.hasTree.store(true, std::memory_order_release);
  return true;
}

bool InterruptCleanup::renameBack(llvm::StringRef from, llvm::StringRef to) {
  if (slot_ < 0) return false;
  Slot &slot = slots[slot_];
  slot.hasRename.store(false, std::memory_order_release);
  if (!copyPath(from, slot.renameFrom) || !copyPath(to, slot.renameTo)) return false;
  slot.hasRename.store(true, std::memory_order_release);
  return true;
}

void InterruptCleanup::forget() {
  if (slot_ < 0) return;
  slots[slot_].hasTree.store(false, std::memory_order_release);
  slots[slot_].hasRename.store(false, std::memory_order_release);
}

} // namespace ward::codegen
