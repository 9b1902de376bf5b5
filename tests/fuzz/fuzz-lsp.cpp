// The language server on any byte stream after a handshake: malformed
// frames, bad JSON, unknown methods, requests about documents never opened,
// edits that do not fit. It answers or ignores each and ends when the input
// ends; never a crash, a hang or a sanitizer report.
#include "FuzzSupport.h"
#include "lsp/LspServer.h"

#include <llvm/Support/raw_ostream.h>

#include <sys/mman.h>
#include <unistd.h>

namespace {

std::string frame(const std::string &body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // No workspace folder: the server reads nothing from disk unless the input
  // opens a file by its URI.
  std::string input = frame(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}})") +
                      std::string(reinterpret_cast<const char *>(data), size);
  int fd = memfd_create("ward-fuzz-lsp", 0);
  if (fd < 0 || write(fd, input.data(), input.size()) != static_cast<ssize_t>(input.size()) ||
      lseek(fd, 0, SEEK_SET) != 0)
    std::abort();
  std::string out;
  llvm::raw_string_ostream os(out);
  ward::lsp::Transport transport(fd, os, nullptr);
  ward::lsp::runServer(transport, ward::fuzz::loadOptions(), "fuzz");
  close(fd);
  return 0;
}
