#include "edgeworkers/Runtime.h"

#include <llvm/ADT/Twine.h>
#include <llvm/Support/ErrorHandling.h>

#include <llvm/ADT/StringMap.h>

#include <map>
#include <mutex>

namespace ward::codegen {

static const std::map<llvm::StringRef, llvm::StringRef> &pieces() {
  static const std::map<llvm::StringRef, llvm::StringRef> kPieces = {
#include "EdgeWorkersRuntime.inc"
  };
  return kPieces;
}

static std::string resolvePiece(llvm::StringRef name, const std::set<std::string> &features) {
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

// Resolved once per piece and set of features: a policy's bundles ask for
// the same few combinations thousands of times, from several threads.
std::string runtimePiece(llvm::StringRef name, const std::set<std::string> &features) {
  std::string key = name.str();
  for (const std::string &feature : features) (key += '\n') += feature; // no name or feature holds a newline
  static std::mutex mutex;
  static llvm::StringMap<std::string> resolved;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = resolved.find(key);
    if (it != resolved.end()) return it->second;
  }
  std::string text = resolvePiece(name, features);
  std::lock_guard<std::mutex> lock(mutex);
  return resolved.try_emplace(key, std::move(text)).first->second;
}

} // namespace ward::codegen
