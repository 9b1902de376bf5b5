#include "format/Formatter.h"
#include "ast/Dump.h"
#include "format/Doc.h"
#include "parse/ParserInternals.h"
#include "source/PhaseTimer.h"
#include "source/Text.h"

#include <WardLexer.h>
#include <fmt/format.h>

#include <map>

namespace ward::format {
namespace {

using grammar::WardLexer;
using P = grammar::WardParser;
using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;

bool isComment(const Token *t) {
  return t->getType() == WardLexer::LINE_COMMENT || t->getType() == WardLexer::BLOCK_COMMENT;
}

/// A comment as it is printed and compared: line ends LF, no trailing blanks.
std::string normalizeComment(llvm::StringRef text) {
  std::string out;
  llvm::SmallVector<llvm::StringRef, 4> lines;
  text.split(lines, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += '\n';
    out += lines[i].rtrim(" \t\r\f").str();
  }
  return out;
}

/// Which comments go with which token. A comment on the line of the token
/// before it trails that token; any other comment leads the token after it.
/// Commas are never printed from the source (the layout writes its own), so
/// their comments move to the tokens around them.
class Comments {
public:
  Comments(llvm::StringRef source, const std::vector<Token *> &tokens) : source_(source) {
    size_t previous = SIZE_MAX; // the last default-channel token
    std::vector<size_t> pending;
    for (size_t i = 0; i < tokens.size(); ++i) {
      Token *t = tokens[i];
      if (isComment(t)) {
        bool sameLine = previous != SIZE_MAX && pending.empty() &&
                        !newlineBetween(tokens[previous]->getStopIndex() + 1, t->getStartIndex());
        if (sameLine) trailing_[previous].push_back(t);
        else pending.push_back(i);
        continue;
      }
      if (t->getChannel() != Token::DEFAULT_CHANNEL) continue;
      // A block's `{` follows its header on the same line, so a comment
      // written before it trails the header instead (printed before the
      // brace, it would push the brace to a line of its own, and formatting
      // the result again would join them).
      auto &to = t->getType() == WardLexer::LBRACE && previous != SIZE_MAX ? trailing_[previous] : leading_[i];
      for (size_t c : pending) to.push_back(tokens[c]);
      pending.clear();
      if (t->getType() == WardLexer::COMMA && previous != SIZE_MAX) {
        // The comma's leading comments stay pending for the next token, and
        // its trailing ones go to the token before it.
        for (Token *c : leading_[i]) pendingFromComma_.push_back(c);
        leading_.erase(i);
        commaOwner_[i] = previous;
        continue;
      }
      if (!pendingFromComma_.empty()) {
        auto &lead = leading_[i];
        lead.insert(lead.begin(), pendingFromComma_.begin(), pendingFromComma_.end());
        pendingFromComma_.clear();
      }
      previous = i;
    }
    // Trailing comments of commas belong to the token the comma followed.
    for (auto &[comma, owner] : commaOwner_) {
      auto it = trailing_.find(comma);
      if (it == trailing_.end()) continue;
      auto &to = trailing_[owner];
      to.insert(to.end(), it->second.begin(), it->second.end());
      trailing_.erase(it);
    }
  }

  const std::vector<Token *> &leading(size_t index) const { return find(leading_, index); }
  const std::vector<Token *> &trailing(size_t index) const { return find(trailing_, index); }

  bool newlineBetween(size_t from, size_t to) const {
    return from < to && to <= source_.size() && source_.slice(from, to).contains('\n');
  }
  /// An empty line between offsets `from` and `to`.
  bool blankLineBetween(size_t from, size_t to) const {
    if (from >= to || to > source_.size()) return false;
    llvm::StringRef gap = source_.slice(from, to);
    size_t first = gap.find('\n');
    if (first == llvm::StringRef::npos) return false;
    size_t second = gap.find('\n', first + 1);
    return second != llvm::StringRef::npos && gap.slice(first + 1, second).trim(" \t\r\f").empty();
  }

private:
  static const std::vector<Token *> &find(const std::map<size_t, std::vector<Token *>> &m, size_t index) {
    static const std::vector<Token *> kNone;
    auto it = m.find(index);
    return it == m.end() ? kNone : it->second;
  }

  llvm::StringRef source_;
  std::map<size_t, std::vector<Token *>> leading_, trailing_;
  std::map<size_t, size_t> commaOwner_;
  std::vector<Token *> pendingFromComma_;
};

/// Turns the parse tree of a clean file into a layout document.
class LayoutBuilder {
public:
  LayoutBuilder(Doc &doc, llvm::StringRef source, const std::vector<Token *> &tokens, const Comments &comments)
      : doc_(doc), source_(source), tokens_(tokens), comments_(comments) {}

  /// The whole file.
  DocId file(P::FileContext *tree) {
    std::vector<DocId> parts;
    std::vector<P::TopLevelContext *> tops = tree->topLevel();
    for (size_t i = 0; i < tops.size(); ++i) {
      if (i > 0) parts.push_back(separator(lastOffset(tops[i - 1]), firstOffset(tops[i]), doc_.hard()));
      parts.push_back(node(tops[i]));
    }
    // Comments after the last declaration lead the end of file.
    Token *eof = tree->EOF()->getSymbol();
    const std::vector<Token *> &tail = comments_.leading(eof->getTokenIndex());
    if (!tail.empty()) {
      if (!tops.empty())
        parts.push_back(separator(lastOffset(tops.back()), tail.front()->getStartIndex(), doc_.hard()));
      for (size_t i = 0; i < tail.size(); ++i) {
        if (i > 0) parts.push_back(doc_.hard());
        parts.push_back(doc_.text(normalizeComment(tail[i]->getText())));
      }
    }
    if (!parts.empty()) parts.push_back(doc_.hard());
    return doc_.concat(std::move(parts));
  }

  /// The top-level declarations that overlap source offsets [begin, end),
  /// laid out as in the whole file, and the source extent they replace
  /// (comments included); nullopt when none overlaps.
  std::optional<std::tuple<DocId, size_t, size_t>> declarations(P::FileContext *tree, size_t begin, size_t end) {
    std::vector<P::TopLevelContext *> tops = tree->topLevel();
    std::vector<DocId> parts;
    size_t from = 0, to = 0;
    for (size_t i = 0; i < tops.size(); ++i) {
      size_t first = firstOffset(tops[i]), last = lastOffset(tops[i]);
      if (last <= begin || first >= end) continue;
      if (parts.empty()) from = first;
      else parts.push_back(separator(lastOffset(tops[i - 1]), first, doc_.hard()));
      parts.push_back(node(tops[i]));
      to = last;
    }
    if (parts.empty()) return std::nullopt;
    return std::make_tuple(doc_.concat(std::move(parts)), from, to);
  }

private:
  // ---- tokens and their comments ------------------------------------------

  /// The token's text (a string re-escaped) with its comments: leading ones
  /// on lines of their own before it, trailing ones after it. `suffix` goes
  /// between the token and its trailing comments (a separator comma).
  DocId token(Token *t, std::optional<DocId> suffix = std::nullopt, bool withLeading = true) {
    std::vector<DocId> parts;
    size_t index = t->getTokenIndex();
    if (withLeading) appendLeading(parts, index);
    parts.push_back(doc_.text(tokenText(t)));
    if (suffix) parts.push_back(*suffix);
    bool afterLineComment = false; // the next comment goes on a line of its own
    for (Token *c : comments_.trailing(index)) {
      parts.push_back(afterLineComment ? doc_.hard() : doc_.text(" "));
      parts.push_back(doc_.text(normalizeComment(c->getText())));
      afterLineComment = c->getType() == WardLexer::LINE_COMMENT;
      if (afterLineComment) {
        parts.push_back(doc_.breakParent());
        endsWithLineComment_ = true;
      }
    }
    return doc_.concat(std::move(parts));
  }

  /// Leading comments, each on a line of its own unless it is a block
  /// comment the token follows on the same line; an empty line between two
  /// of them, or before the token, is kept.
  void appendLeading(std::vector<DocId> &parts, size_t index) {
    const std::vector<Token *> &lead = comments_.leading(index);
    for (size_t i = 0; i < lead.size(); ++i) {
      Token *c = lead[i];
      parts.push_back(doc_.text(normalizeComment(c->getText())));
      size_t end = c->getStopIndex() + 1;
      size_t next = i + 1 < lead.size() ? lead[i + 1]->getStartIndex() : tokenStart(index);
      if (comments_.blankLineBetween(end, next)) parts.push_back(doc_.blank());
      else if (c->getType() == WardLexer::LINE_COMMENT || comments_.newlineBetween(end, next))
        parts.push_back(doc_.hard());
      else parts.push_back(doc_.text(" "));
    }
  }

  size_t tokenStart(size_t index) const { return tokens_[index]->getStartIndex(); }

  std::string tokenText(Token *t) const {
    llvm::StringRef raw = source_.slice(t->getStartIndex(), t->getStopIndex() + 1);
    if (t->getType() != WardLexer::STRING) return raw.str();
    // The file parsed cleanly, so every escape is well formed.
    std::string value = decodeStringBody(raw.drop_front().drop_back(), [](const BadEscape &) {});
    return encodeStringLiteral(value);
  }

  // ---- structure -----------------------------------------------------------

  DocId node(ParseTree *tree, std::optional<DocId> suffix = std::nullopt) {
    if (tree->children.empty())
      if (auto *leaf = dynamic_cast<TerminalNode *>(tree)) return token(leaf->getSymbol(), suffix);
    auto *ctx = static_cast<ParserRuleContext *>(tree);
    switch (ctx->getRuleIndex()) {
    case P::RuleList: return listLayout(static_cast<P::ListContext *>(ctx), suffix);
    case P::RuleObject: return objectLayout(static_cast<P::ObjectContext *>(ctx), suffix);
    case P::RuleAttrBlock: return blockLayout(ctx->children, 0, suffix);
    case P::RuleValue:
      if (auto *call = dynamic_cast<P::CallValueContext *>(ctx)) return callLayout(call, suffix);
      break;
    default: break;
    }
    // Most rules wrap one child (a value alternative, a name): print it.
    if (ctx->children.size() == 1) return node(ctx->children.front(), suffix);
    return sequence(ctx, suffix);
  }

  /// A statement: its parts separated by single spaces (none around `.`,
  /// none inside parentheses); `{ ... }` in it is a block.
  DocId sequence(ParserRuleContext *ctx, std::optional<DocId> suffix) {
    std::vector<ParseTree *> children = significant(ctx->children);
    std::vector<DocId> parts;
    for (size_t i = 0; i < children.size(); ++i) {
      ParseTree *child = children[i];
      if (isTerminal(child, WardLexer::LBRACE)) { // edgeworker, route and backup bodies
        if (!parts.empty()) parts.push_back(spaceAfter(children[i - 1], child));
        parts.push_back(blockLayout(ctx->children, indexOf(ctx->children, child), suffix));
        return doc_.concat(std::move(parts));
      }
      bool last = i + 1 == children.size();
      std::optional<DocId> ownSuffix = last ? suffix : std::nullopt;
      // Lists of names (`GET, HEAD`, `protect a, b in v`): the layout's commas.
      if (!last && isTerminal(children[i + 1], WardLexer::COMMA)) ownSuffix = doc_.text(",");
      if (isTerminal(child, WardLexer::COMMA)) continue; // written by the suffix above
      if (i > 0) parts.push_back(spaceAfter(children[i - 1], child));
      endsWithLineComment_ = false;
      parts.push_back(node(child, ownSuffix));
    }
    return doc_.concat(std::move(parts));
  }

  /// The space between two parts of a statement; a line break after a line comment.
  DocId spaceAfter(ParseTree *previous, ParseTree *next) {
    if (endsWithLineComment_) { // the statement goes on, indented, on the next line
      endsWithLineComment_ = false;
      return doc_.indent({doc_.hard()});
    }
    if (isTerminal(next, WardLexer::COMMA) || isTerminal(next, WardLexer::DOT) || isTerminal(next, WardLexer::LPAREN) ||
        isTerminal(next, WardLexer::RPAREN) || isTerminal(previous, WardLexer::DOT) ||
        isTerminal(previous, WardLexer::LPAREN))
      return doc_.text("");
    return doc_.text(" ");
  }

  /// `{ member member }` from `children[open]` (the `{`) to the last child
  /// (the `}`): members on lines of their own when there are two or more, or
  /// a comment; a block of one member stays on one line when it fits.
  DocId blockLayout(const std::vector<ParseTree *> &children, size_t open, std::optional<DocId> suffix) {
    Token *lbrace = static_cast<TerminalNode *>(children[open])->getSymbol();
    Token *rbrace = static_cast<TerminalNode *>(children.back())->getSymbol();
    std::vector<ParserRuleContext *> members;
    for (size_t i = open + 1; i + 1 < children.size(); ++i)
      if (auto *ctx = dynamic_cast<ParserRuleContext *>(children[i])) members.push_back(ctx);
    endsWithLineComment_ = false;
    DocId openDoc = token(lbrace);
    const std::vector<Token *> &closingComments = comments_.leading(rbrace->getTokenIndex());
    // An empty block: `{}`, or the `}` on the next line after a line comment
    // that trails the `{` (on the same line it would be part of the comment).
    if (members.empty() && closingComments.empty())
      return doc_.group({openDoc, endsWithLineComment_ ? doc_.hard() : doc_.text(""), token(rbrace, suffix, false)});
    DocId between = members.size() >= 2 ? doc_.hard() : doc_.space();
    std::vector<DocId> inner;
    for (size_t i = 0; i < members.size(); ++i) {
      if (i == 0) inner.push_back(between);
      else inner.push_back(separator(lastOffset(members[i - 1]), firstOffset(members[i]), between));
      endsWithLineComment_ = false;
      inner.push_back(node(members[i]));
    }
    for (Token *c : closingComments) { // comments before the `}` stay inside the block
      inner.push_back(doc_.hard());
      inner.push_back(doc_.text(normalizeComment(c->getText())));
    }
    DocId close = token(rbrace, suffix, false);
    return doc_.group({openDoc, doc_.indent(std::move(inner)), closingComments.empty() ? between : doc_.hard(), close});
  }

  /// `[a, b]`, or one item per line, each with a comma.
  DocId listLayout(P::ListContext *list, std::optional<DocId> suffix) {
    std::vector<P::ValueContext *> items = list->value();
    return delimited(list->children.front(), list->children.back(), {items.begin(), items.end()}, suffix, doc_.soft(),
                     ",");
  }

  /// `{ a = 1, b = 2 }`, or one field per line without commas.
  DocId objectLayout(P::ObjectContext *object, std::optional<DocId> suffix) {
    std::vector<P::FieldContext *> fields = object->field();
    return delimited(object->children.front(), object->children.back(), {fields.begin(), fields.end()}, suffix,
                     doc_.space(), "");
  }

  /// `name(a = 1, b = 2)`, or one argument per line, each with a comma.
  DocId callLayout(P::CallValueContext *call, std::optional<DocId> suffix) {
    std::vector<ParseTree *> children = call->children;
    DocId name = node(call->qualifiedName());
    auto open =
        std::find_if(children.begin(), children.end(), [](ParseTree *c) { return isTerminal(c, WardLexer::LPAREN); });
    std::vector<P::ArgumentContext *> args = call->argument();
    return doc_.concat({name, delimited(*open, children.back(), {args.begin(), args.end()}, suffix, doc_.soft(), ",")});
  }

  /// Items between an opening and a closing token, separated by a comma and
  /// a space when flat; when broken, one per line followed by `brokenComma`.
  DocId delimited(ParseTree *openTree, ParseTree *closeTree, std::vector<ParserRuleContext *> items,
                  std::optional<DocId> suffix, DocId edge, const char *brokenComma) {
    Token *open = static_cast<TerminalNode *>(openTree)->getSymbol();
    Token *close = static_cast<TerminalNode *>(closeTree)->getSymbol();
    endsWithLineComment_ = false;
    DocId openDoc = token(open);
    const std::vector<Token *> &closingComments = comments_.leading(close->getTokenIndex());
    if (items.empty() && closingComments.empty()) // `[]`, or the closer below a line comment, as for blocks
      return doc_.concat({openDoc, endsWithLineComment_ ? doc_.hard() : doc_.text(""), token(close, suffix, false)});
    // (With no item, the comments' own line breaks are the edge.)
    std::vector<DocId> inner;
    if (!items.empty()) inner.push_back(edge);
    for (size_t i = 0; i < items.size(); ++i) {
      bool last = i + 1 == items.size();
      DocId comma = last ? doc_.ifBreak(brokenComma, "") : doc_.ifBreak(brokenComma, ",");
      endsWithLineComment_ = false;
      inner.push_back(node(items[i], comma));
      if (!last) inner.push_back(doc_.space());
    }
    for (Token *c : closingComments) {
      inner.push_back(doc_.hard());
      inner.push_back(doc_.text(normalizeComment(c->getText())));
    }
    DocId closeEdge = closingComments.empty() ? edge : doc_.hard();
    return doc_.group({openDoc, doc_.indent(std::move(inner)), closeEdge, token(close, suffix, false)});
  }

  /// Between two items: a line break, and an empty line if the source had
  /// one (several collapse into one).
  DocId separator(size_t previousEnd, size_t nextStart, DocId otherwise) {
    return comments_.blankLineBetween(previousEnd, nextStart) ? doc_.blank() : otherwise;
  }

  /// Where an item starts (its first leading comment) and ends (its last
  /// trailing comment), in the source.
  size_t firstOffset(ParserRuleContext *ctx) const {
    Token *first = ctx->getStart();
    const std::vector<Token *> &lead = comments_.leading(first->getTokenIndex());
    return lead.empty() ? first->getStartIndex() : lead.front()->getStartIndex();
  }
  size_t lastOffset(ParserRuleContext *ctx) const {
    Token *last = ctx->getStop();
    const std::vector<Token *> &trail = comments_.trailing(last->getTokenIndex());
    return (trail.empty() ? last->getStopIndex() : trail.back()->getStopIndex()) + 1;
  }

  static bool isTerminal(ParseTree *tree, size_t type) {
    if (!tree->children.empty()) return false; // a rule (the common case), without a cast
    auto *leaf = dynamic_cast<TerminalNode *>(tree);
    return leaf && leaf->getSymbol()->getType() == type;
  }
  static size_t indexOf(const std::vector<ParseTree *> &children, ParseTree *child) {
    return static_cast<size_t>(std::find(children.begin(), children.end(), child) - children.begin());
  }
  /// The children that print: an attribute's optional comma is dropped.
  static std::vector<ParseTree *> significant(const std::vector<ParseTree *> &children) {
    std::vector<ParseTree *> out = children;
    if (!out.empty() && isTerminal(out.back(), WardLexer::COMMA)) out.pop_back();
    return out;
  }

  Doc &doc_;
  llvm::StringRef source_;
  const std::vector<Token *> &tokens_;
  const Comments &comments_;
  bool endsWithLineComment_ = false;
};

std::vector<std::string> commentsOf(const std::vector<Token *> &tokens) {
  std::vector<std::string> out;
  for (Token *t : tokens)
    if (isComment(t)) out.push_back(normalizeComment(t->getText()));
  return out;
}

/// The first line where two dumps differ, and the declaration it is in.
std::string firstDifference(const std::string &a, const std::string &b) {
  llvm::SmallVector<llvm::StringRef, 64> la, lb;
  llvm::StringRef(a).split(la, '\n');
  llvm::StringRef(b).split(lb, '\n');
  llvm::StringRef decl = "the file";
  for (size_t i = 0; i < std::max(la.size(), lb.size()); ++i) {
    llvm::StringRef x = i < la.size() ? la[i] : "", y = i < lb.size() ? lb[i] : "";
    if (!x.empty() && x.front() != ' ') decl = x;
    if (x != y) return fmt::format("`{}` ({})", decl.str(), x.trim().str());
  }
  return "the file";
}

} // namespace

namespace {

/// What `formatted` means compared with the original's syntax dump and comments.
std::optional<std::string> differenceFrom(const std::string &originalSyntax, const std::vector<std::string> &before,
                                          llvm::StringRef path, llvm::StringRef formatted) {
  DiagnosticEngine scratch;
  std::vector<std::string> after;
  SourceManager again;
  FileID id = again.addBuffer(llvm::MemoryBuffer::getMemBufferCopy(formatted, path), path.str());
  std::unique_ptr<SourceFile> reparsed = parse::parseFileWithTree(
      again, id, scratch, {}, [&](const parse::ParseTreeView &v) { after = commentsOf(v.tokens); });
  if (!reparsed->parsedCleanly) return std::string("the formatted text does not parse");
  std::string b = dumpSyntax(*reparsed);
  if (originalSyntax != b) return "the formatted text means something else at " + firstDifference(originalSyntax, b);
  if (before != after) {
    size_t i = 0;
    while (i < before.size() && i < after.size() && before[i] == after[i]) ++i;
    return fmt::format("comment {} of the file would change or move out of order: `{}`", i + 1,
                       quoteForMessage(i < before.size() ? before[i] : "", 60));
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> soundnessProblem(const SourceManager &sm, FileID file, llvm::StringRef formatted) {
  DiagnosticEngine scratch;
  std::vector<std::string> before;
  std::unique_ptr<SourceFile> original = parse::parseFileWithTree(
      sm, file, scratch, {}, [&](const parse::ParseTreeView &v) { before = commentsOf(v.tokens); });
  return differenceFrom(dumpSyntax(*original), before, sm.displayPath(file), formatted);
}

std::optional<std::string> formatFile(const SourceManager &sm, FileID file, const FormatOptions &options,
                                      DiagnosticEngine &diags, std::optional<LineRange> range,
                                      const ParseOptions &parseOptions) {
  PhaseTimer timer("format");
  std::optional<std::string> formatted;
  std::vector<std::string> comments;
  llvm::StringRef source = sm.text(file);
  std::unique_ptr<SourceFile> parsed =
      parse::parseFileWithTree(sm, file, diags, parseOptions, [&](const parse::ParseTreeView &view) {
        comments = commentsOf(view.tokens);
        Comments attached(source, view.tokens);
        Doc doc;
        LayoutBuilder builder(doc, source, view.tokens, attached);
        if (!range) {
          timer.mark("parse");
          DocId root = builder.file(view.tree);
          timer.mark("layout");
          formatted = doc.print(root, options.lineWidth);
          timer.mark("print");
          return;
        }
        // Only the declarations overlapping the lines; the rest stays as written.
        size_t begin = sm.lineOffset(file, range->first).value_or(source.size());
        size_t end = sm.lineOffset(file, range->last + 1).value_or(source.size());
        if (auto decls = builder.declarations(view.tree, begin, std::max(end, begin + 1))) {
          auto [docId, from, to] = *decls;
          formatted = source.take_front(from).str() + doc.print(docId, options.lineWidth) + source.drop_front(to).str();
        } else {
          formatted = source.str();
        }
      });
  if (!parsed->parsedCleanly || !formatted) return std::nullopt;
  // Checked against this parse: the file is not parsed a second time.
  std::optional<std::string> problem = differenceFrom(dumpSyntax(*parsed), comments, sm.displayPath(file), *formatted);
  timer.mark("check");
  if (problem) {
    diags.report(DiagID::FormatRefused, {file, 0, 0}, "wardc fmt refuses to format this file: " + *problem)
        .withHelp("the file is left as it is; please report this with the file, it is a bug in the formatter");
    return std::nullopt;
  }
  return formatted;
}

} // namespace ward::format
