//===- SemanticTokens.cpp - Colours that know what a name means -----------===//
//
// Every token of the text, by the lexer of Ward.g4 (tokens as the compiler
// sees them), and each name by what it names in the checked program: an
// identity is a variable, a resource a struct, a retry a function, ...; its
// declaration is marked, and so are the standard library's names.
//
//===----------------------------------------------------------------------===//
#include "ast/Walk.h"
#include "lsp/Features.h"
#include "parse/Tokenizer.h"

#include <WardLexer.h>

#include <map>

namespace ward::lsp {
namespace {

using grammar::WardLexer;

int typeOfDecl(DeclKind kind) {
  switch (kind) {
  case DeclKind::Tenant: return SemanticToken::Namespace;
  case DeclKind::IssuerTemplate: return SemanticToken::Interface;
  case DeclKind::Issuer: return SemanticToken::EnumMember;
  case DeclKind::Identity: return SemanticToken::Variable;
  case DeclKind::ResourceType: return SemanticToken::Type;
  case DeclKind::Resource: return SemanticToken::Struct;
  case DeclKind::Capability: return SemanticToken::Method;
  case DeclKind::Retry: return SemanticToken::Function;
  case DeclKind::EdgeWorker: return SemanticToken::Namespace;
  case DeclKind::Backup: return SemanticToken::Event;
  default: return SemanticToken::Variable;
  }
}

} // namespace

const std::vector<std::string> &semanticTokenTypes() {
  static const std::vector<std::string> kTypes = {"keyword",   "string",     "number",   "comment", "namespace",
                                                  "interface", "enumMember", "variable", "type",    "struct",
                                                  "method",    "function",   "event",    "property"};
  return kTypes;
}
const std::vector<std::string> &semanticTokenModifiers() {
  static const std::vector<std::string> kModifiers = {"declaration", "defaultLibrary"};
  return kModifiers;
}

std::vector<SemanticToken> semanticTokens(const Program &program, FileID file, llvm::StringRef text) {
  // What each name in the checked program means, by its offset.
  std::map<uint32_t, std::pair<int, unsigned>> names; // begin -> type, modifiers
  if (const SourceFile *source = program.file(file))
    for (const auto &decl : source->decls) {
      if (!decl->name.empty()) names[decl->name.range.begin] = {typeOfDecl(decl->kind()), SemanticToken::Declaration};
      auto use = [&](SourceRange range, const Decl *target) {
        const SourceFile *home = program.file(target->file);
        names[range.begin] = {typeOfDecl(target->kind()),
                              home && home->isStdlib() ? SemanticToken::DefaultLibrary : 0u};
      };
      forEachRef(*decl, [&](const Ref &ref, RefSite) {
        if (ref.target) use(ref.name.range, ref.target);
      });
      forEachValue(*decl, [&](const Value &v) {
        if (v.target()) use(v.range, v.target());
      });
      for (const Attribute &a : decl->attrs.items)
        names.emplace(a.key().range.begin, std::make_pair(int(SemanticToken::Property), 0u));
    }

  std::vector<SemanticToken> out;
  parse::ByteCharStream input(text, "");
  parse::WardTokenizer tokenizer(text, &input);
  for (auto token = tokenizer.nextToken(); token->getType() != antlr4::Token::EOF; token = tokenizer.nextToken()) {
    size_t type = token->getType();
    uint32_t begin = uint32_t(token->getStartIndex()), end = uint32_t(token->getStopIndex() + 1);
    int kind = -1;
    unsigned modifiers = 0;
    if (auto it = names.find(begin); it != names.end()) {
      kind = it->second.first;
      modifiers = it->second.second;
      // A qualified name (`azure.vm`) is one name: cover it whole.
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '.' ||
                                   text[end] == '_' || text[end] == '-'))
        ++end;
    } else if (type == WardLexer::STRING) kind = SemanticToken::String;
    else if (type == WardLexer::NUMBER || type == WardLexer::QUANTITY) kind = SemanticToken::Number;
    else if (type == WardLexer::LINE_COMMENT || type == WardLexer::BLOCK_COMMENT) kind = SemanticToken::Comment;
    else if (type >= WardLexer::IMPORT && type <= WardLexer::ZONE) kind = SemanticToken::Keyword;
    if (kind < 0) continue;
    out.push_back({begin, end, kind, modifiers});
  }
  // Names were covered whole: drop the tokens inside them.
  std::vector<SemanticToken> merged;
  for (const SemanticToken &t : out)
    if (merged.empty() || t.begin >= merged.back().end) merged.push_back(t);
  return merged;
}

} // namespace ward::lsp
