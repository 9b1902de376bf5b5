#include "lsp/Transport.h"

#include <llvm/ADT/StringRef.h>

namespace ward::lsp {

// The largest message accepted: a whole workspace's worth of text.
static constexpr size_t kMaxMessageBytes = 256u << 20;

bool Transport::readLine(std::string &line) {
  line.clear();
  for (int c; (c = std::fgetc(in_)) != EOF;) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
    if (line.size() < 4096) line += static_cast<char>(c); // headers are short; junk is cut
  }
  return !line.empty();
}

std::optional<std::string> Transport::read() {
  while (true) {
    std::optional<size_t> length;
    std::string line;
    bool any = false;
    while (readLine(line)) {
      any = true;
      if (line.empty()) break;
      llvm::StringRef header(line);
      if (header.consume_front_insensitive("Content-Length:")) {
        size_t n = 0;
        if (!header.trim().getAsInteger(10, n)) length = n;
      }
    }
    if (!any) return std::nullopt; // end of input
    if (!length || *length > kMaxMessageBytes) {
      log("dropped a message without a usable Content-Length header");
      if (std::feof(in_)) return std::nullopt;
      continue;
    }
    std::string body(*length, '\0');
    size_t got = std::fread(body.data(), 1, *length, in_);
    if (got != *length) return std::nullopt; // the input ended inside a message
    if (log_) *log_ << "<-- " << body << "\n", log_->flush();
    return body;
  }
}

void Transport::write(const llvm::json::Value &message) {
  std::string body;
  llvm::raw_string_ostream os(body);
  os << message;
  os.flush();
  out_ << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out_.flush();
  if (log_) *log_ << "--> " << body << "\n", log_->flush();
}

void Transport::log(const llvm::Twine &line) {
  if (log_) *log_ << line << "\n", log_->flush();
}

} // namespace ward::lsp
