//===- Protocol.h - LSP positions, URIs and JSON-RPC shapes ------*- C++ -*-===//
//
// The language server speaks LSP 3.17: positions are (line, character) with
// characters counted in UTF-16 code units unless the client negotiates UTF-8
// (`positionEncoding`). Ward's sources are UTF-8 bytes; these convert.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/JSON.h>

#include <optional>
#include <string>

namespace ward::lsp {

enum class PositionEncoding { Utf16, Utf8 };

struct Position {
  int64_t line = 0, character = 0;
};

/// The byte offset in `text` of `pos`; a position past the end of its line
/// clamps to the line's end, past the last line to the end of the text.
size_t offsetOf(llvm::StringRef text, Position pos, PositionEncoding encoding);
/// The position of byte `offset` of `text`.
Position positionOf(llvm::StringRef text, size_t offset, PositionEncoding encoding);

llvm::json::Value toJson(Position p);
std::optional<Position> positionFromJson(const llvm::json::Value *v);

/// file:///a%20b/c.ward <-> /a b/c.ward; nullopt for other schemes.
std::optional<std::string> pathFromUri(llvm::StringRef uri);
std::string uriFromPath(llvm::StringRef path);

/// JSON-RPC error codes the server answers with.
enum ErrorCode : int64_t {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestCancelled = -32800,
  ContentModified = -32801,
  RequestFailed = -32803,
};

} // namespace ward::lsp
