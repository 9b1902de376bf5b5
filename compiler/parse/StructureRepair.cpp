//===- StructureRepair.cpp - One error for a forgotten `}` or a misplaced declaration ===//
//
// ANTLR recovers token by token, so a `}` forgotten in the middle of a file
// turns every following declaration into "missing `=`" errors (declaration
// keywords double as attribute names), and a declaration written inside a
// block does the same. Before parsing, this pass recognises both by layout and
// keywords, reports each once, and mends the token stream so that parsing
// goes on as the author meant.
//
//===----------------------------------------------------------------------===//
#include "parse/ParserInternals.h"
#include "source/Text.h"

#include <WardLexer.h>
#include <antlr4-runtime.h>
#include <fmt/format.h>

namespace ward::parse {

using grammar::WardLexer;

void RepairableTokenStream::insertBefore(size_t index, std::unique_ptr<antlr4::Token> token) {
  _tokens.insert(_tokens.begin() + static_cast<std::ptrdiff_t>(index), std::move(token));
  for (size_t i = index; i < _tokens.size(); ++i)
    static_cast<antlr4::CommonToken *>(_tokens[i].get())->setTokenIndex(i);
}

namespace {

struct Open {
  antlr4::Token *opener;
  size_t index;       // of the opener in the token list
  size_t declaration; // index of the keyword of the top-level declaration it is in
};

bool visible(antlr4::Token *t) { return t->getChannel() == antlr4::Token::DEFAULT_CHANNEL; }

size_t closerOf(size_t opener) {
  return opener == WardLexer::LBRACE     ? WardLexer::RBRACE
         : opener == WardLexer::LBRACKET ? WardLexer::RBRACKET
                                         : WardLexer::RPAREN;
}

const char *closerText(size_t closer) {
  return closer == WardLexer::RBRACE ? "}" : closer == WardLexer::RBRACKET ? "]" : ")";
}

/// A zero-width token of `type` at the start of `at`.
std::unique_ptr<antlr4::Token> syntheticAt(antlr4::Token *at, size_t type) {
  // With the source of the token it stands before: ANTLR's error recovery
  // makes a conjured token from the current one's source, and a token
  // without one crashed it.
  auto token = std::make_unique<antlr4::CommonToken>(std::make_pair(at->getTokenSource(), at->getInputStream()), type,
                                                     antlr4::Token::DEFAULT_CHANNEL, at->getStartIndex(),
                                                     at->getStartIndex() - 1);
  token->setText(closerText(type));
  token->setLine(at->getLine());
  token->setCharPositionInLine(at->getCharPositionInLine());
  return token;
}

/// Whether the visible token after `i` is a name (an identifier or a soft
/// keyword): `identity sp-a ...` declares, `identity = ...` is an attribute.
bool followedByName(const std::vector<antlr4::Token *> &all, size_t i) {
  for (size_t j = i + 1; j < all.size(); ++j) {
    if (!visible(all[j])) continue;
    size_t type = all[j]->getType();
    return type == WardLexer::IDENT || (softKeywords().count(type) && type != WardLexer::ON);
  }
  return false;
}

bool firstOnLine(const std::vector<antlr4::Token *> &all, size_t i) {
  for (size_t j = i; j-- > 0;) {
    if (!visible(all[j])) continue;
    return all[j]->getLine() != all[i]->getLine();
  }
  return true;
}

/// "`resource vm`", or "`route GET "/a"`" for a route's block: how a
/// message names the block `open` starts (computed only when reporting).
std::string describe(llvm::StringRef source, const std::vector<antlr4::Token *> &all, const Open &open) {
  size_t first = open.index;
  while (first > 0 && (!visible(all[first - 1]) || all[first - 1]->getLine() == open.opener->getLine())) --first;
  while (first < open.index && !visible(all[first])) ++first;
  if (first < open.index && all[first]->getType() == WardLexer::ROUTE) {
    std::string words;
    for (size_t k = first; k < open.index && words.size() < 60; ++k)
      if (visible(all[k])) words += (words.empty() ? "" : " ") + tokenText(source, all[k]).str();
    return "`" + words + "`";
  }
  if (open.declaration == SIZE_MAX) return "this block";
  size_t name = open.declaration + 1;
  while (name < all.size() && !visible(all[name])) ++name;
  return fmt::format("`{} {}`", tokenText(source, all[open.declaration]).str(),
                     name < all.size() ? tokenText(source, all[name]).str() : "");
}

} // namespace

StructureRepair repairAt(size_t keywordType, bool atColumnZero) {
  if (atColumnZero) return StructureRepair::CloseBlocks;
  if (keywordType == WardLexer::RETRY || keywordType == WardLexer::IMPORT) return StructureRepair::None;
  return StructureRepair::SetAside;
}

unsigned repairStructure(const SourceManager &sm, FileID file, RepairableTokenStream &tokens,
                         const std::vector<antlr4::Token *> &all, DiagnosticEngine &diags) {
  llvm::StringRef source = sm.text(file);
  unsigned errors = 0;
  std::vector<Open> stack;
  size_t declaration = SIZE_MAX; // the keyword of the top-level declaration being read
  // A table, not a set lookup: this runs once per token of every file.
  static const std::vector<bool> isDeclarationKeyword = [] {
    std::vector<bool> table(WardLexer::UNEXPECTED_CHAR + 1, false);
    for (size_t type : declarationKeywords()) table[type] = true;
    return table;
  }();
  for (size_t i = 0; i < all.size(); ++i) {
    antlr4::Token *t = all[i];
    size_t type = t->getType();
    bool opensOrCloses = type == WardLexer::LBRACE || type == WardLexer::LBRACKET || type == WardLexer::LPAREN ||
                         type == WardLexer::RBRACE || type == WardLexer::RBRACKET || type == WardLexer::RPAREN;
    bool keyword = type < isDeclarationKeyword.size() && isDeclarationKeyword[type];
    if ((!keyword && !opensOrCloses) || !visible(t)) continue;
    bool declares = keyword && firstOnLine(all, i) && followedByName(all, i);
    StructureRepair repair =
        declares && !stack.empty() ? repairAt(type, t->getCharPositionInLine() == 0) : StructureRepair::None;
    if (repair == StructureRepair::CloseBlocks) {
      // A declaration at the start of a line while blocks are open: the
      // author forgot to close them. Close them here, innermost first.
      const Open &innermost = stack.back();
      std::string what = describe(source, all, innermost);
      LineColumn opened = sm.lineColumn(file, static_cast<uint32_t>(innermost.opener->getStartIndex()));
      std::string closers;
      for (auto it = stack.rbegin(); it != stack.rend(); ++it)
        closers += std::string(" ") + closerText(closerOf(it->opener->getType()));
      size_t previous = i;
      while (previous-- > 0 && !visible(all[previous])) {}
      uint32_t end = static_cast<uint32_t>(all[previous]->getStopIndex() + 1);
      diags
          .report(DiagID::SyntaxError, tokenRange(file, t),
                  fmt::format("expected `{}` to close {} opened at {}:{}, found `{}`",
                              closerText(closerOf(innermost.opener->getType())), what, opened.line, opened.column,
                              quoteForMessage(tokenText(source, t))))
          .label(tokenRange(file, innermost.opener), fmt::format("{} opened here", what))
          .withHelp(fmt::format("add `{}` at the end of {}", llvm::StringRef(closers).trim().str(), what))
          .suggest({file, end, end}, closers);
      ++errors;
      for (auto it = stack.rbegin(); it != stack.rend(); ++it)
        tokens.insertBefore(t->getTokenIndex(), syntheticAt(t, closerOf(it->opener->getType())));
      stack.clear();
    } else if (repair == StructureRepair::SetAside) {
      // A top-level construct inside a block: one error, and its tokens are
      // set aside (through its own block, or to the end of its line).
      antlr4::Token *keyword = t;
      size_t j = i + 1, depth = 0;
      for (; j < all.size(); ++j) {
        if (all[j]->getType() == antlr4::Token::EOF) break;
        if (!visible(all[j])) continue;
        size_t jt = all[j]->getType();
        if (jt == WardLexer::LBRACE || jt == WardLexer::LBRACKET || jt == WardLexer::LPAREN) ++depth;
        else if (jt == WardLexer::RBRACE || jt == WardLexer::RBRACKET || jt == WardLexer::RPAREN) {
          if (depth == 0) break; // the enclosing block's closer
          if (--depth == 0 && jt == WardLexer::RBRACE) {
            ++j;
            break;
          }
        } else if (depth == 0 && all[j]->getLine() != keyword->getLine()) break;
      }
      SourceRange range = SourceRange::merge(tokenRange(file, keyword), tokenRange(file, all[j - 1]));
      std::string inside = describe(source, all, stack.back());
      Open top = stack.front();
      diags
          .report(
              DiagID::SyntaxError, range,
              fmt::format("a `{}` declaration is not supported inside {}", tokenText(source, keyword).str(), inside))
          .label(tokenRange(file, stack.back().opener), fmt::format("{} opened here", inside))
          .withHelp(fmt::format("declare it at the top level of the file, outside {}", describe(source, all, top)));
      ++errors;
      for (size_t k = i; k < j; ++k)
        static_cast<antlr4::CommonToken *>(all[k])->setChannel(antlr4::Token::HIDDEN_CHANNEL);
      i = j - 1;
      continue;
    }
    if (declares && stack.empty()) declaration = i;
    if (type == WardLexer::LBRACE || type == WardLexer::LBRACKET || type == WardLexer::LPAREN) {
      stack.push_back({t, i, declaration});
    } else if (type == WardLexer::RBRACE || type == WardLexer::RBRACKET || type == WardLexer::RPAREN) {
      if (!stack.empty()) stack.pop_back();
    }
  }
  return errors;
}

} // namespace ward::parse
