//===- SyntaxErrors.cpp - Syntax errors in human words -------------------===//
//
// ANTLR reports "mismatched input '<EOF>' expecting {...}". Ward reports what
// a reader needs: what was expected, in words ("a name", "`}`"), what was
// found, and for unclosed blocks which block and where it was opened.
//
//===----------------------------------------------------------------------===//
#include "parse/ParserInternals.h"
#include "source/Text.h"

#include <WardLexer.h>
#include <antlr4-runtime.h>
#include <fmt/format.h>

#include <set>

namespace ward::parse {

using grammar::WardLexer;
using grammar::WardParser;

/// Keywords that the `name` rule also accepts, read from the grammar itself
/// at build time (grammar/GrammarTables.cpp asks the ATN for the tokens that
/// can start `name`, less IDENT), so Ward.g4 stays the one list. When a name
/// is expected they are summarised as "a name" rather than listed one by one.
const std::set<size_t> &softKeywords() {
  static const std::set<size_t> kSet = {
#define WARD_SOFT_KEYWORD(token) WardLexer::token,
#include "GrammarTables.inc"
  };
  return kSet;
}

const std::set<size_t> &declarationKeywords() {
  static const std::set<size_t> kSet = {WardLexer::IMPORT,     WardLexer::TENANT,   WardLexer::ISSUER,
                                        WardLexer::IDENTITY,   WardLexer::RESOURCE, WardLexer::CAPABILITY,
                                        WardLexer::ALLOW,      WardLexer::GRANT,    WardLexer::RETRY,
                                        WardLexer::EDGEWORKER, WardLexer::BACKUP};
  return kSet;
}

namespace {

std::string describeTokenType(const antlr4::dfa::Vocabulary &vocab, size_t type) {
  switch (type) {
  case antlr4::Token::EOF: return "end of file";
  case WardLexer::IDENT: return "a name";
  case WardLexer::STRING:
  case WardLexer::UNTERMINATED_STRING: return "a string";
  case WardLexer::NUMBER: return "a number";
  case WardLexer::QUANTITY: return "a duration or quantity (`30s`, `10%`)";
  default: break;
  }
  std::string literal = vocab.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'') return "`" + literal.substr(1, literal.size() - 2) + "`";
  return vocab.getDisplayName(type);
}

std::string describeExpected(const antlr4::dfa::Vocabulary &vocab, const antlr4::misc::IntervalSet &expected) {
  std::vector<size_t> types;
  for (ssize_t t : expected.toList()) types.push_back(static_cast<size_t>(t));
  bool nameExpected = expected.contains(size_t(WardLexer::IDENT));
  bool declExpected = !nameExpected && std::all_of(declarationKeywords().begin(), declarationKeywords().end(),
                                                   [&](size_t k) { return expected.contains(k); });
  std::vector<std::string> words;
  if (declExpected) words.push_back("a declaration (`resource`, `identity`, `allow`, `edgeworker`, …)");
  for (size_t t : types) {
    if (declExpected && declarationKeywords().count(t)) continue;
    if (nameExpected && softKeywords().count(t)) continue;
    if (t == WardLexer::UNTERMINATED_STRING || t == WardLexer::UNEXPECTED_CHAR) continue;
    if (declExpected && t == WardLexer::IDENT) continue;
    words.push_back(describeTokenType(vocab, t));
  }
  if (words.empty()) return "something else";
  if (words.size() > 6) {
    words.resize(5);
    words.push_back("…");
    return "one of " + joinAlternatives(words, "or");
  }
  return joinAlternatives(words, "or");
}

/// The innermost construct whose opening bracket is still unclosed.
struct OpenBlock {
  antlr4::Token *opener = nullptr;
  std::string what;
};

std::string declLabel(llvm::StringRef source, const char *keyword, WardParser::NameContext *name) {
  if (!name) return fmt::format("`{}`", keyword);
  return fmt::format("`{} {}`", keyword,
                     source.slice(name->getStart()->getStartIndex(), name->getStop()->getStopIndex() + 1).str());
}

std::string qualifiedLabel(llvm::StringRef source, const char *keyword, WardParser::QualifiedNameContext *name) {
  if (!name || !name->getStop()) return fmt::format("`{}`", keyword);
  return fmt::format("`{} {}`", keyword,
                     source.slice(name->getStart()->getStartIndex(), name->getStop()->getStopIndex() + 1).str());
}

std::string describeBlockOwner(llvm::StringRef source, antlr4::ParserRuleContext *ctx) {
  if (auto *c = dynamic_cast<WardParser::EdgeworkerDeclContext *>(ctx))
    return declLabel(source, "edgeworker", c->name());
  if (auto *c = dynamic_cast<WardParser::BackupDeclContext *>(ctx)) return declLabel(source, "backup", c->name());
  if (auto *c = dynamic_cast<WardParser::RouteDeclContext *>(ctx))
    return c->STRING() ? fmt::format("`route {}`", quoteForMessage(parse::tokenText(source, c->STRING()->getSymbol())))
                       : "`route`";
  if (auto *c = dynamic_cast<WardParser::TenantDeclContext *>(ctx)) return declLabel(source, "tenant", c->name());
  if (auto *c = dynamic_cast<WardParser::IssuerDeclContext *>(ctx)) return declLabel(source, "issuer", c->name());
  if (auto *c = dynamic_cast<WardParser::IssuerTemplateDeclContext *>(ctx))
    return qualifiedLabel(source, "issuer template", c->qualifiedName());
  if (auto *c = dynamic_cast<WardParser::IdentityDeclContext *>(ctx))
    return declLabel(source, "identity", c->name().empty() ? nullptr : c->name(0));
  if (auto *c = dynamic_cast<WardParser::ResourceDeclContext *>(ctx)) return declLabel(source, "resource", c->name());
  if (auto *c = dynamic_cast<WardParser::ResourceTypeDeclContext *>(ctx))
    return qualifiedLabel(source, "resource type", c->qualifiedName());
  if (auto *c = dynamic_cast<WardParser::CapabilityDeclContext *>(ctx))
    return qualifiedLabel(source, "capability", c->qualifiedName().empty() ? nullptr : c->qualifiedName(0));
  if (auto *c = dynamic_cast<WardParser::RetryDeclContext *>(ctx))
    return qualifiedLabel(source, "retry", c->qualifiedName());
  if (dynamic_cast<WardParser::GrantDeclContext *>(ctx)) return "`grant`";
  if (dynamic_cast<WardParser::RequireStmtContext *>(ctx)) return "`require token`";
  if (dynamic_cast<WardParser::RespondActionContext *>(ctx)) return "`respond`";
  return "";
}

OpenBlock findOpenBlock(llvm::StringRef source, antlr4::ParserRuleContext *ctx, size_t closerType) {
  size_t openerType = closerType == WardLexer::RBRACE     ? WardLexer::LBRACE
                      : closerType == WardLexer::RBRACKET ? WardLexer::LBRACKET
                                                          : WardLexer::LPAREN;
  for (; ctx; ctx = dynamic_cast<antlr4::ParserRuleContext *>(ctx->parent)) {
    antlr4::Token *opener = nullptr;
    bool closed = false;
    for (antlr4::tree::ParseTree *child : ctx->children) {
      auto *terminal = dynamic_cast<antlr4::tree::TerminalNode *>(child);
      if (!terminal) continue;
      if (terminal->getSymbol()->getType() == openerType && !opener) opener = terminal->getSymbol();
      if (terminal->getSymbol()->getType() == closerType) closed = true;
    }
    if (!opener || closed) continue;
    OpenBlock block;
    block.opener = opener;
    if (dynamic_cast<WardParser::AttrBlockContext *>(ctx))
      block.what =
          ctx->parent ? describeBlockOwner(source, dynamic_cast<antlr4::ParserRuleContext *>(ctx->parent)) : "";
    else if (dynamic_cast<WardParser::ListContext *>(ctx)) block.what = "the list";
    else if (dynamic_cast<WardParser::ObjectContext *>(ctx)) block.what = "the object";
    else block.what = describeBlockOwner(source, ctx);
    if (block.what.empty()) block.what = "the block";
    return block;
  }
  return {};
}

class WardErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  WardErrorStrategy(const SourceManager &sm, FileID file, DiagnosticEngine &diags, unsigned maxErrors,
                    unsigned &errorCount)
      : sm_(sm), file_(file), diags_(diags), maxErrors_(maxErrors), errorCount_(errorCount) {}

protected:
  void reportNoViableAlternative(antlr4::Parser *p, const antlr4::NoViableAltException &e) override {
    report(p, e.getOffendingToken(), p->getExpectedTokens(), false);
  }
  void reportInputMismatch(antlr4::Parser *p, const antlr4::InputMismatchException &e) override {
    report(p, e.getOffendingToken(), e.getExpectedTokens(), false);
  }
  void reportFailedPredicate(antlr4::Parser *p, const antlr4::FailedPredicateException &e) override {
    report(p, e.getOffendingToken(), p->getExpectedTokens(), false);
  }
  void reportUnwantedToken(antlr4::Parser *p) override {
    if (inErrorRecoveryMode(p)) return;
    beginErrorCondition(p);
    report(p, p->getCurrentToken(), getExpectedTokens(p), false);
  }
  /// Never conjure a missing token in front of a declaration that starts a
  /// line: that glues the next declaration onto a broken one.
  bool singleTokenInsertion(antlr4::Parser *p) override {
    if (startsDeclarationLine(p->getCurrentToken())) return false;
    return DefaultErrorStrategy::singleTokenInsertion(p);
  }
  void reportMissingToken(antlr4::Parser *p) override {
    if (inErrorRecoveryMode(p)) return;
    beginErrorCondition(p);
    report(p, p->getCurrentToken(), getExpectedTokens(p), true);
  }

private:
  static bool startsDeclarationLine(antlr4::Token *t) {
    return t && declarationKeywords().count(t->getType()) && t->getCharPositionInLine() == 0;
  }

  /// Start offset of the top-level declaration being parsed, if any.
  static std::optional<size_t> currentDeclarationStart(antlr4::Parser *p) {
    for (antlr4::RuleContext *ctx = p->getContext(); ctx;
         ctx = ctx->parent ? dynamic_cast<antlr4::RuleContext *>(ctx->parent) : nullptr)
      if (auto *top = dynamic_cast<WardParser::TopLevelContext *>(ctx)) return top->getStart()->getStartIndex();
    return std::nullopt;
  }

  void report(antlr4::Parser *p, antlr4::Token *offending, const antlr4::misc::IntervalSet &expected, bool missing) {
    if (!offending) offending = p->getCurrentToken();
    // A closer the structure repair inserted (zero width): the repair has
    // reported the problem at this place already.
    if (offending->getType() != antlr4::Token::EOF && offending->getStopIndex() + 1 == offending->getStartIndex())
      return;
    SourceRange range = tokenRange(file_, offending);
    // A follow-on error where recovery reaches the next declaration adds
    // nothing when this declaration already has an error.
    if (startsDeclarationLine(offending) && errorCount_ > 0 && lastOffset_ != UINT32_MAX) {
      std::optional<size_t> declStart = currentDeclarationStart(p);
      if (declStart && lastOffset_ >= *declStart && lastOffset_ < range.begin) return;
    }
    if (range.begin == lastOffset_ && errorCount_ > 0) return; // one error per position
    lastOffset_ = range.begin;
    if (++errorCount_ > maxErrors_) throw antlr4::ParseCancellationException();

    llvm::StringRef source = sm_.text(file_);
    const antlr4::dfa::Vocabulary &vocab = p->getVocabulary();
    std::string found = offending->getType() == antlr4::Token::EOF
                            ? "end of file"
                            : fmt::format("`{}`", quoteForMessage(tokenText(source, offending)));

    // An unclosed block: name it and point at where it was opened.
    for (size_t closer : {size_t(WardLexer::RBRACE), size_t(WardLexer::RBRACKET), size_t(WardLexer::RPAREN)}) {
      if (!expected.contains(closer)) continue;
      bool atEndOrNewDecl =
          offending->getType() == antlr4::Token::EOF || declarationKeywords().count(offending->getType()) > 0;
      if (!atEndOrNewDecl) break;
      OpenBlock block = findOpenBlock(source, p->getContext(), closer);
      if (!block.opener) break;
      LineColumn opened = sm_.lineColumn(file_, static_cast<uint32_t>(block.opener->getStartIndex()));
      std::string closerText = describeTokenType(vocab, closer);
      // Point at the end of the previous token: that is where the closer belongs.
      diags_
          .report(DiagID::SyntaxError, range,
                  fmt::format("expected {} to close {} opened at {}:{}, found {}", closerText, block.what, opened.line,
                              opened.column, found))
          .label(tokenRange(file_, block.opener), fmt::format("{} opened here", block.what))
          .withHelp(fmt::format("add {} at the end of {}", closerText, block.what));
      return;
    }

    std::string expectedText = describeExpected(vocab, expected);
    DiagnosticBuilder d = diags_.report(DiagID::SyntaxError, range,
                                        missing ? fmt::format("missing {} before {}", expectedText, found)
                                                : fmt::format("expected {}, found {}", expectedText, found));
    if (softKeywords().count(offending->getType()) == 0 && offending->getType() != WardLexer::IDENT &&
        offending->getType() != antlr4::Token::EOF && vocab.getLiteralName(offending->getType()).size() > 2 &&
        std::isalpha(static_cast<unsigned char>(vocab.getLiteralName(offending->getType())[1])) &&
        expected.contains(size_t(WardLexer::IDENT)))
      d.withHelp(fmt::format("{} is a keyword and cannot be used as a name here", found));
  }

  const SourceManager &sm_;
  FileID file_;
  DiagnosticEngine &diags_;
  unsigned maxErrors_;
  unsigned &errorCount_;
  uint32_t lastOffset_ = UINT32_MAX;
};

} // namespace

std::shared_ptr<antlr4::DefaultErrorStrategy> makeErrorStrategy(const SourceManager &sm, FileID file,
                                                                DiagnosticEngine &diags, unsigned maxErrors,
                                                                unsigned &errorCount) {
  return std::make_shared<WardErrorStrategy>(sm, file, diags, maxErrors, errorCount);
}

} // namespace ward::parse
