// What a signal undoes while an InterruptCleanup lives: each case runs in a
// child process, which the signal ends, and looks at what it left.
//
// Not under ThreadSanitizer: a child forked from a process that has had
// threads never gets its signal delivered there (ThreadSanitizer holds
// signals back for its own bookkeeping, which a fork leaves behind). The
// release and AddressSanitizer runs cover these cases, and BuildTests.cpp
// stops a real `wardc build` with each signal under all three.
#include "TestSupport.h"
#include "output/InterruptCleanup.h"

#include <llvm/Support/FileSystem.h>
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define WARD_THREAD_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define WARD_THREAD_SANITIZER 1
#endif

#ifndef WARD_THREAD_SANITIZER

using namespace ward::codegen;
using namespace ward::test;

namespace {

/// Runs `body` in a child process, which then raises `signal`; returns the
/// child's wait status.
template <typename Body> int runAndSignal(int signal, Body body) {
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The test runner's own handlers of fatal signals, which the child
    // inherits and which run after the cleanup's, would report from it.
    int quiet = open("/dev/null", O_WRONLY);
    dup2(quiet, STDOUT_FILENO);
    dup2(quiet, STDERR_FILENO);
    body();
    raise(signal);
    // Ended by now, or, under ThreadSanitizer (which holds a signal back
    // until its next intercepted call), while waiting here; the alarm ends
    // a child that no signal ended, and the test then fails.
    alarm(30);
    for (;;) pause();
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  return status;
}

void makeTree(const std::string &root) {
  llvm::sys::fs::create_directories(root + "/bundles/deep/deeper");
  for (const char *file : {"/manifest.json", "/bundles/a.tgz", "/bundles/deep/deeper/b.json"})
    std::ofstream(root + file) << "x";
}

/// The signals this process does not ignore: one it was started ignoring
/// (SIGHUP under `nohup`) stays ignored, and the cleanup leaves it alone.
std::vector<int> handledSignals() {
  std::vector<int> out;
  for (int signal : {SIGTERM, SIGHUP, SIGINT}) {
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) == 0 && current.sa_handler != SIG_IGN) out.push_back(signal);
  }
  return out;
}

} // namespace

TEST_CASE("a signal removes the registered tree and then ends the process by itself", "[build][signal]") {
  REQUIRE_FALSE(handledSignals().empty());
  for (int signal : handledSignals()) {
    TempDir dir;
    std::string tree = dir.path() + "/.out.staging-1", beside = dir.path() + "/beside";
    makeTree(tree);
    std::ofstream(beside) << "kept";
    int status = runAndSignal(signal, [&] {
      static InterruptCleanup cleanup; // static: the child never returns to destroy it
      cleanup.removeTree(tree);
    });
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == signal);
    CHECK_FALSE(llvm::sys::fs::exists(tree));
    CHECK(readFile(beside) == "kept");
  }
}

TEST_CASE("a signal during the swap moves the previous output back", "[build][signal]") {
  TempDir dir;
  std::string out = dir.path() + "/out", aside = dir.path() + "/.out.previous-1",
              staging = dir.path() + "/.out.staging-1";
  makeTree(staging);
  llvm::sys::fs::create_directories(aside);
  std::ofstream(aside + "/old.json") << "old"; // OUT, moved aside; the new one not yet in
  int status = runAndSignal(SIGTERM, [&] {
    static InterruptCleanup cleanup;
    cleanup.removeTree(staging);
    cleanup.renameBack(aside, out);
  });
  CHECK(WIFSIGNALED(status));
  CHECK(readTree(out) == std::map<std::string, std::string>{{"old.json", "old"}});
  CHECK_FALSE(llvm::sys::fs::exists(aside));
  CHECK_FALSE(llvm::sys::fs::exists(staging));
}

TEST_CASE("a signal after the swap keeps the new output and removes the previous one", "[build][signal]") {
  TempDir dir;
  std::string out = dir.path() + "/out", aside = dir.path() + "/.out.previous-1";
  makeTree(out); // the new output, in place
  llvm::sys::fs::create_directories(aside);
  std::ofstream(aside + "/old.json") << "old";
  int status = runAndSignal(SIGTERM, [&] {
    static InterruptCleanup cleanup;
    cleanup.renameBack(aside, out);
  });
  CHECK(WIFSIGNALED(status));
  CHECK(readTree(out).count("manifest.json") == 1);
  CHECK_FALSE(llvm::sys::fs::exists(aside));
}

TEST_CASE("what was forgotten, or given up with its cleanup, a signal leaves alone", "[build][signal]") {
  TempDir dir;
  std::string forgotten = dir.path() + "/forgotten", released = dir.path() + "/released";
  makeTree(forgotten);
  makeTree(released);
  int status = runAndSignal(SIGTERM, [&] {
    static InterruptCleanup kept;
    kept.removeTree(forgotten);
    kept.forget();
    InterruptCleanup scoped;
    scoped.removeTree(released);
  });
  CHECK(WIFSIGNALED(status));
  CHECK(llvm::sys::fs::exists(forgotten + "/bundles/deep/deeper/b.json"));
  CHECK(llvm::sys::fs::exists(released + "/manifest.json"));
}

TEST_CASE("a handler set after the first cleanup does not take the signal without the undo", "[build][signal]") {
  // What a host program, or a test runner restoring its own handlers, does
  // between two builds of one process.
  TempDir dir;
  std::string tree = dir.path() + "/.out.staging-2";
  makeTree(tree);
  int status = runAndSignal(SIGTERM, [&] {
    { InterruptCleanup first; }
    struct sigaction other {};
    other.sa_handler = [](int) { _exit(42); };
    sigemptyset(&other.sa_mask);
    sigaction(SIGTERM, &other, nullptr);
    static InterruptCleanup second;
    second.removeTree(tree);
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 42); // the other handler ran, after the undo
  CHECK_FALSE(llvm::sys::fs::exists(tree));
}

#endif // WARD_THREAD_SANITIZER
