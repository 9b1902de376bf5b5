#include "edgeworkers/Runtime.h"

#include <llvm/ADT/Twine.h>
#include <llvm/Support/ErrorHandling.h>

#include <map>

namespace ward::codegen {

static const std::map<llvm::StringRef, llvm::StringRef> &pieces() {
  static const std::map<llvm::StringRef, llvm::StringRef> kPieces = {
#include "EdgeWorkersRuntime.inc"
  };
  return kPieces;
}

std::string runtimePiece(llvm::StringRef name, const std::set<std::string> &features) {
  auto it = pieces().find(name);
  if (it == pieces().end()) llvm::report_fatal_error(llvm::Twine("no EdgeWorkers runtime piece named ") + name);
  std::string out;
  bool keep = true;
  llvm::StringRef rest = it->second;
  while (!rest.empty()) {
    auto [line, tail] = rest.split('\n');
    rest = tail;
    llvm::StringRef trimmed = line.trim();
    if (trimmed.consume_front("//#if ")) {
      keep = features.count(trimmed.trim().str()) != 0;
      continue;
    }
    if (trimmed == "//#endif") {
      keep = true;
      continue;
    }
    if (keep) (out += line) += '\n';
  }
  return out;
}

} // namespace ward::codegen
