#include "lsp/Transport.h"

#include <llvm/ADT/StringRef.h>

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace ward::lsp {

// The largest message accepted: a whole workspace's worth of text.
static constexpr size_t kMaxMessageBytes = 256u << 20;

bool Transport::fill() {
  if (at_ > 0 && at_ == buffer_.size()) buffer_.clear(), at_ = 0;
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(in_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, size_t(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

bool Transport::pending() {
  if (at_ < buffer_.size()) return true;
  pollfd p{in_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP));
}

bool Transport::readLine(std::string &line) {
  line.clear();
  for (;;) {
    size_t nl = buffer_.find('\n', at_);
    if (nl != std::string::npos) {
      line.assign(buffer_, at_, std::min<size_t>(nl - at_, 4096)); // headers are short; junk is cut
      at_ = nl + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
    if (!fill()) {
      bool any = at_ < buffer_.size();
      line.assign(buffer_, at_, std::string::npos);
      at_ = buffer_.size();
      return any;
    }
  }
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
      continue;
    }
    while (buffer_.size() - at_ < *length)
      if (!fill()) return std::nullopt; // the input ended inside a message
    std::string body = buffer_.substr(at_, *length);
    at_ += *length;
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
