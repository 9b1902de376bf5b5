//===- LspServer.h - Ward's language server: the protocol --------*- C++ -*-===//
#pragma once

#include "lsp/Transport.h"
#include "lsp/WardServer.h"

#include <memory>

namespace ward::lsp {

/// Serves LSP 3.17 requests over `transport` until `exit`; returns the exit
/// code (0 after a `shutdown`, 1 otherwise, as the specification asks).
int runServer(Transport &transport, LoadOptions options, llvm::StringRef version);

} // namespace ward::lsp
