// The fast parser and the ANTLR parser agree on any input: the same AST with
// every source range, the same broken declarations and flags, and the same
// diagnostics byte for byte (tests/unit/FastParserTests.cpp, on inputs
// libFuzzer finds). So does the fast parser cutting every input into parts
// parsed on several threads, which it does only for large files otherwise.
#include "FuzzSupport.h"
#include "ast/Dump.h"
#include "diag/Printers.h"
#include "parse/Parser.h"

#include <fmt/format.h>
#include <llvm/Support/MemoryBuffer.h>

namespace {

std::string parseToText(const std::string &text, bool fast, size_t parallelBytes = ward::ParseOptions{}.parallelBytes) {
  ward::SourceManager sm;
  ward::FileID id = sm.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz.ward"), "fuzz.ward");
  ward::DiagnosticEngine diags;
  ward::ParseOptions options;
  options.fastPath = fast;
  options.parallelBytes = parallelBytes;
  std::unique_ptr<ward::SourceFile> file = ward::parseFile(sm, id, diags, options);
  std::string out;
  llvm::raw_string_ostream os(out);
  ward::printText(os, sm, diags.diagnostics());
  os << ward::dumpSyntax(*file, /*withRanges=*/true);
  os << fmt::format("clean={} recovered={}\n", file->parsedCleanly, file->recovered);
  for (const ward::BrokenDecl &b : file->brokenDecls)
    os << fmt::format("broken {} {} {}-{} import={}\n", b.kind ? int(*b.kind) : -1, b.name.text, b.range.begin,
                      b.range.end, b.isImport);
  return os.str();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  std::string antlr = parseToText(text, false), fast = parseToText(text, true);
  if (antlr != fast) ward::fuzz::propertyFailed("fast parser == ANTLR parser", antlr, fast);
  std::string inParts = parseToText(text, true, /*parallelBytes=*/1);
  if (antlr != inParts) ward::fuzz::propertyFailed("fast parser in parts == ANTLR parser", antlr, inParts);
  return 0;
}
