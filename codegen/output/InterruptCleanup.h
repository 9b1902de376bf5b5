//===- InterruptCleanup.h - Undo a build's staging when it is stopped -*- C++ -*-===//
//
// `build` fills a staging directory beside OUT while it generates, and swaps
// it in only when every artifact is written. Stopped by Ctrl-C, by CI
// cancelling a job (SIGTERM) or by a closed terminal (SIGHUP), the process
// runs no destructor: without this, the half-filled staging directory (and
// any parent of OUT the build created) would stay behind, and an old OUT
// moved aside for the swap would not come back.
//
// While an InterruptCleanup lives, those signals first undo what it
// registered, with async-signal-safe system calls only, and then take
// their previous action (by default, ending the process by the signal, so
// that a shell or CI runner sees an interruption and not a result).
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>

namespace ward::codegen {

class InterruptCleanup {
public:
  InterruptCleanup();
  ~InterruptCleanup(); // forgets what it registered, undoing nothing
  InterruptCleanup(const InterruptCleanup &) = delete;
  InterruptCleanup &operator=(const InterruptCleanup &) = delete;

  /// On a signal: remove the directory tree at `path` (nothing outside it).
  /// False when the path is too long to keep or every slot is taken.
  bool removeTree(llvm::StringRef path);
  /// On a signal: rename `from` back to `to`; when that fails (`to` is a
  /// complete new output by then), remove `from`.
  bool renameBack(llvm::StringRef from, llvm::StringRef to);
  /// Undoes nothing more on a signal: what was registered is now either in
  /// place or gone. Call before the step that makes it so.
  void forget();

private:
  int slot_ = -1;
};

} // namespace ward::codegen
