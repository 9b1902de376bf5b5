//===- Transport.h - JSON-RPC messages with Content-Length frames -*- C++ -*-===//
#pragma once

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdio>
#include <optional>
#include <string>

namespace ward::lsp {

/// Reads and writes LSP base-protocol messages: headers, a blank line, and a
/// body of exactly `Content-Length` bytes.
class Transport {
public:
  Transport(std::FILE *in, llvm::raw_ostream &out, llvm::raw_ostream *log) : in_(in), out_(out), log_(log) {}

  /// The next message body; nullopt at the end of input. A frame without a
  /// usable Content-Length is skipped (and logged), never fatal.
  std::optional<std::string> read();
  void write(const llvm::json::Value &message);
  void log(const llvm::Twine &line);

private:
  bool readLine(std::string &line);
  std::FILE *in_;
  llvm::raw_ostream &out_;
  llvm::raw_ostream *log_;
};

} // namespace ward::lsp
