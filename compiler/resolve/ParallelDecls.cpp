#include "resolve/ParallelDecls.h"

#include <llvm/Support/Parallel.h>

namespace ward {

void forEachDeclInParallel(Program &program, const SourceManager &sm, DiagnosticEngine &diags,
                           llvm::function_ref<bool(const Decl &)> wanted,
                           llvm::function_ref<void(SourceFile &, Decl &, DiagnosticEngine &)> work,
                           llvm::function_ref<void()> alongside) {
  struct Run {
    SourceFile *file;
    size_t begin, end;
  };
  // Enough declarations per run to outweigh handing the run to a thread,
  // and enough runs to keep both cores busy on a policy of one file.
  constexpr size_t kRunLength = 512;
  std::vector<Run> runs;
  for (auto &file : program.files)
    for (size_t begin = 0; begin < file->decls.size(); begin += kRunLength)
      runs.push_back({file.get(), begin, std::min(file->decls.size(), begin + kRunLength)});
  sm.computeLineTables(); // built lazily otherwise, by whichever thread asks first
  std::vector<DiagnosticEngine> found(runs.size());
  // The extra task is the last index, which parallelForEachN runs on the
  // calling thread at once, while the pool's threads take the runs.
  llvm::parallelForEachN(0, runs.size() + (alongside ? 1 : 0), [&](size_t i) {
    if (i == runs.size()) return alongside();
    const Run &run = runs[i];
    for (size_t d = run.begin; d < run.end; ++d) {
      Decl &decl = *run.file->decls[d];
      if (wanted(decl)) work(*run.file, decl, found[i]);
    }
  });
  diags.commitAll(std::move(found));
}

} // namespace ward
