//===- Transport.h - JSON-RPC messages with Content-Length frames -*- C++ -*-===//
#pragma once

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <optional>
#include <string>

namespace ward::lsp {

/// Reads and writes LSP base-protocol messages: headers, a blank line, and a
/// body of exactly `Content-Length` bytes. Reads straight from a file
/// descriptor, so that it can tell whether more input is already waiting.
class Transport {
public:
  Transport(int in, llvm::raw_ostream &out, llvm::raw_ostream *log) : in_(in), out_(out), log_(log) {}

  /// The next message body; nullopt at the end of input. A frame without a
  /// usable Content-Length is skipped (and logged), never fatal.
  std::optional<std::string> read();
  /// Input is waiting: a message the client already sent.
  bool pending();
  void write(const llvm::json::Value &message);
  void log(const llvm::Twine &line);

private:
  bool fill(); // reads what is available (blocking when nothing is); false at the end of input
  bool readLine(std::string &line);
  int in_;
  std::string buffer_;
  size_t at_ = 0;
  llvm::raw_ostream &out_;
  llvm::raw_ostream *log_;
};

} // namespace ward::lsp
