//===- FastParser.cpp - Ward.g4 by recursive descent, for valid files ------===//
//
// The hot path of parsing. Every construct of Ward.g4 starts with a keyword
// and the grammar decides with one or two tokens of look-ahead, so a
// recursive-descent parser over a compact token array (offsets into the
// source, no object per token) builds the same AST as the ANTLR parser and
// AstBuilder, several times faster and in a fraction of the memory.
//
// It accepts only files that are free of lexical and syntax errors and of
// anything the structure repair would mend, and reports nothing: on the
// first doubt it gives up and the caller parses the file with ANTLR, which
// stays the grammar's executable form and produces every syntax error users
// see. tests/unit/FastParserTests.cpp requires equal ASTs (source ranges
// included) from both on every file of the repository and on a mutated
// corpus.
//
//===----------------------------------------------------------------------===//
#include "parse/ParserInternals.h"
#include "parse/Tokenizer.h"
#include "source/PhaseTimer.h"
#include "source/Text.h"

#include <WardLexer.h>
#include <llvm/Support/Parallel.h>

#include <array>
#include <iterator>
#include <mutex>
#include <optional>

namespace ward::parse {
namespace {

using L = grammar::WardLexer;
constexpr uint32_t kEnd = 0; // the type of the token after the last one

/// 12 bytes: a large file has millions, written once and read once.
struct Token {
  // Not zeroed: lexRange sizes its array ahead and writes each token before
  // anything reads it, so clearing megabytes first would be wasted work.
  Token() {} // not `= default`: resize would value-initialize, that is zero, every token
  Token(uint32_t begin, uint32_t end, uint16_t type) : begin(begin), end(end), type(type) {}
  uint32_t begin, end;
  uint16_t type;
};
static_assert(grammar::WardLexer::UNEXPECTED_CHAR <= UINT16_MAX, "token types fit Token::type");

/// Thrown at the first thing the fast path does not accept.
struct NotFast {};

/// A yes or no for each token type: a byte each, not vector<bool>'s bits,
/// which cost a shift and a mask on every token.
using TokenTypeSet = std::array<bool, L::UNEXPECTED_CHAR + 1>;

/// Token types the `name` rule accepts (IDENT and the soft keywords).
const TokenTypeSet &nameTypes() {
  static const TokenTypeSet table = [] {
    TokenTypeSet t{};
    t[L::IDENT] = true;
    for (size_t type : softKeywords()) t[type] = true;
    return t;
  }();
  return table;
}

const TokenTypeSet &declarationTypes() {
  static const TokenTypeSet table = [] {
    TokenTypeSet t{};
    for (size_t type : declarationKeywords()) t[type] = true;
    return t;
  }();
  return table;
}

/// The visible tokens of `text` from `from` to `to` (offsets stay those of
/// the whole text), and the suppressions of its comments; false on a lexical
/// error, nesting deeper than `maxNesting`, a token that goes on past `to`,
/// or where the structure repair would act.
bool lexRange(llvm::StringRef text, size_t from, size_t to, FileID file, unsigned maxNesting,
              std::vector<Token> &tokens, std::vector<Suppression> &suppressions) {
  // Written in place, not pushed: the push's check and call cost as much as
  // the rest of the loop. Sized for the usual five bytes a token, and
  // doubled when a part holds more; cut to the count at the end.
  // The array's start and size are kept in locals: read through the vector
  // they would be loaded (and the size divided) again for every token.
  tokens.resize((to - from) / 5 + 16);
  Token *written = tokens.data();
  size_t count = 0, room = tokens.size();
  auto append = [&](Token token) {
    if (LLVM_UNLIKELY(count == room)) {
      tokens.resize(2 * room);
      written = tokens.data();
      room = tokens.size();
    }
    written[count++] = token;
  };
  const TokenTypeSet &declares = declarationTypes(), &names = nameTypes();
  const Vocabulary &vocab = vocabulary();
  unsigned depth = 0;
  size_t pos = from, lastVisibleEnd = from;
  bool anyVisible = false;
  // The structure repair (StructureRepair.cpp) acts on a declaration keyword
  // that starts a line while a bracket is open, followed by a name: it
  // reports an error then, so ANTLR must parse. Whether the last token was
  // such a keyword, so that the next one decides.
  bool repairableKeyword = false;
  for (;;) {
    pos = skipSpace(text, pos);
    if (pos >= to) break;
    ScannedToken t = scanToken(text, pos, vocab);
    uint32_t begin = uint32_t(pos), end = uint32_t(pos + t.length);
    if (end > to) return false; // a block comment over the end of a part
    pos = end;
    switch (t.type) {
    case L::UNEXPECTED_CHAR:
    case L::UNTERMINATED_STRING: return false;
    case L::LINE_COMMENT: collectSuppression(text.slice(begin, end), {file, begin, end}, suppressions); continue;
    case L::BLOCK_COMMENT:
      if (t.length < 4 || !text.slice(begin, end).endswith("*/")) return false;
      continue;
    case L::LBRACE:
    case L::LBRACKET:
    case L::LPAREN:
      if (++depth > maxNesting) return false;
      break;
    case L::RBRACE:
    case L::RBRACKET:
    case L::RPAREN:
      if (depth > 0) --depth;
      break;
    default: break;
    }
    if (repairableKeyword && names[t.type] && t.type != L::ON) return false;
    // Worked out only for a declaration keyword inside brackets (an
    // attribute named `identity`, a forward's `retry`): the gap since the
    // last visible token is a few bytes of space and comments.
    auto firstOnLine = [&] {
      if (!anyVisible) return true;
      for (size_t i = lastVisibleEnd; i < begin; ++i)
        if (text[i] == '\n') return true;
      return false;
    };
    repairableKeyword = depth > 0 && declares[t.type] && firstOnLine() &&
                        repairAt(t.type, begin == 0 || text[begin - 1] == '\n') != StructureRepair::None;
    append({begin, end, uint16_t(t.type)});
    lastVisibleEnd = end;
    anyVisible = true;
  }
  append({uint32_t(to), uint32_t(to), uint16_t(kEnd)});
  tokens.resize(count);
  return true;
}

bool lex(llvm::StringRef text, FileID file, unsigned maxNesting, std::vector<Token> &tokens,
         std::vector<Suppression> &suppressions) {
  return lexRange(text, 0, text.size(), file, maxNesting, tokens, suppressions);
}

class FastParser {
public:
  /// Parses tokens [begin, end) of `tokens`; tokens from `end` on are not
  /// seen (the type of each is kEnd), so one part of a file parses as if the
  /// file ended there.
  FastParser(llvm::StringRef text, FileID file, const std::vector<Token> &tokens, size_t begin, size_t end)
      : text_(text), file_(file), tokens_(tokens), at_(begin), end_(end) {}

  /// The top-level constructs parsed whole, in order (imports in `out.imports`,
  /// declarations in `out.decls`), until the end or the first doubt.
  struct TopLevel {
    uint32_t begin; // offset of its first token
    bool isImport;
  };
  std::vector<TopLevel> parsed;

  void file(SourceFile &out) {
    texts_ = &out.texts;
    NodeArenaScope nodes(out.texts.arena()); // the tree's lists live as long as its file
    while (type() != kEnd) {
      size_t first = at_;
      if (type() == L::IMPORT) {
        out.imports.push_back(import());
        parsed.push_back({tokens_[first].begin, true});
        continue;
      }
      std::unique_ptr<Decl> decl = declaration();
      decl->file = file_;
      decl->range = span(first);
      decl->keyword = range(first);
      out.decls.push_back(std::move(decl));
      parsed.push_back({tokens_[first].begin, false});
    }
  }

private:
  // ---- tokens -------------------------------------------------------------
  uint32_t type(size_t ahead = 0) const { return at_ + ahead < end_ ? tokens_[at_ + ahead].type : kEnd; }
  bool isName(size_t ahead = 0) const {
    uint32_t t = type(ahead);
    return t != kEnd && names_[t];
  }
  SourceRange range(size_t index) const { return {file_, tokens_[index].begin, tokens_[index].end}; }
  /// From token `first` to the last token consumed.
  SourceRange span(size_t first) const { return {file_, tokens_[first].begin, tokens_[at_ - 1].end}; }
  llvm::StringRef textOf(size_t index) const { return text_.slice(tokens_[index].begin, tokens_[index].end); }
  size_t expect(uint32_t t) {
    if (type() != t) throw NotFast();
    return at_++;
  }
  bool accept(uint32_t t) {
    if (type() != t) return false;
    ++at_;
    return true;
  }
  /// Moves the elements above `mark` of a stack (see the members) into `out`.
  template <typename T, typename Storage> static void moveAbove(std::vector<T> &stack, size_t mark, Storage &out) {
    out.assign(std::make_move_iterator(stack.begin() + mark), std::make_move_iterator(stack.end()));
    stack.erase(stack.begin() + mark, stack.end());
  }
  template <typename T> static CompactVector<T> takeAbove(std::vector<T> &stack, size_t mark) {
    CompactVector<T> out;
    moveAbove(stack, mark, out);
    return out;
  }

  // ---- leaves ---------------------------------------------------------------
  Name name() {
    if (!isName()) throw NotFast();
    return {textOf(at_), range(at_++)};
  }
  Name qualified() {
    size_t first = at_;
    Name head = name();
    if (type() != L::DOT) return head;
    std::string joined = head.text.str();
    while (type() == L::DOT) {
      ++at_;
      joined += '.';
      joined += name().text;
    }
    SourceRange whole = span(first);
    // Written without spaces or comments (nearly always): the source holds it.
    llvm::StringRef written = text_.slice(whole.begin, whole.end);
    return {written == joined ? written : texts_->keep(joined), whole};
  }
  Ref ref() { return {name(), nullptr}; }
  Ref qualifiedRef() { return {qualified(), nullptr}; }

  /// A string literal, decoded; a malformed escape is an error ANTLR's path reports.
  Name string() {
    size_t index = expect(L::STRING);
    llvm::StringRef raw = textOf(index);
    llvm::StringRef body = raw.substr(1, raw.size() - 2);
    if (!body.contains('\\')) return {body, range(index)}; // nothing to decode
    bool bad = false;
    std::string value = decodeStringBody(body, [&](const BadEscape &) { bad = true; });
    if (bad) throw NotFast();
    return {texts_->keep(value), range(index)};
  }
  Value number(uint32_t tokenType) {
    size_t index = expect(tokenType);
    return numberValue(textOf(index), range(index), tokenType == L::QUANTITY);
  }

  Value value() {
    size_t first = at_;
    Value v;
    switch (type()) {
    case L::STRING: {
      v.kind = Value::Kind::String;
      v.text = string().text;
      break;
    }
    case L::NUMBER: v = number(L::NUMBER); break;
    case L::QUANTITY: v = number(L::QUANTITY); break;
    case L::LBRACKET: v = list(); break;
    case L::LBRACE: v = object(); break;
    default:
      v.text = qualified().text;
      v.kind = Value::Kind::Ref;
      if (type() == L::LPAREN) call(v);
      break;
    }
    v.range = span(first);
    return v;
  }
  // '[' (value (',' value)* ','?)? ']'
  Value list() {
    size_t first = expect(L::LBRACKET);
    Value v;
    v.kind = Value::Kind::List;
    size_t mark = valueStack_.size();
    if (type() != L::RBRACKET) {
      valueStack_.push_back(value());
      while (accept(L::COMMA) && type() != L::RBRACKET) valueStack_.push_back(value());
    }
    v.setItems(takeAbove(valueStack_, mark));
    expect(L::RBRACKET);
    v.range = span(first);
    return v;
  }
  // '{' (field (','? field)* ','?)? '}'
  Value object() {
    expect(L::LBRACE);
    Value v;
    v.kind = Value::Kind::Object;
    size_t mark = fieldStack_.size();
    if (type() != L::RBRACE) {
      fieldStack_.push_back(field());
      for (;;) {
        accept(L::COMMA);
        if (type() == L::RBRACE) break;
        fieldStack_.push_back(field());
      }
    }
    v.setFields(takeAbove(fieldStack_, mark));
    expect(L::RBRACE);
    return v;
  }
  // (name | STRING) '=' value
  Field field() {
    Name key = type() == L::STRING ? string() : name();
    expect(L::EQUALS);
    return {std::move(key), value()};
  }
  // qualifiedName '(' (argument (',' argument)*)? ','? ')' ; argument : (name '=')? value
  void call(Value &v) {
    expect(L::LPAREN);
    v.kind = Value::Kind::Call;
    size_t positional = valueStack_.size(), named = fieldStack_.size();
    if (type() != L::RPAREN && type() != L::COMMA) {
      argument();
      while (accept(L::COMMA) && type() != L::RPAREN) argument();
    } else {
      accept(L::COMMA);
    }
    v.setItems(takeAbove(valueStack_, positional));
    v.setFields(takeAbove(fieldStack_, named));
    expect(L::RPAREN);
  }
  void argument() {
    if (isName() && type(1) == L::EQUALS) {
      Name key = name();
      ++at_;
      Value v = value();
      fieldStack_.push_back({std::move(key), std::move(v)});
    } else {
      valueStack_.push_back(value());
    }
  }
  // name '=' value ','?
  Attribute attribute() {
    Name key = name();
    expect(L::EQUALS);
    Value v = value();
    accept(L::COMMA);
    return {std::move(key), std::move(v)};
  }
  AttrList attrBlock() {
    size_t first = expect(L::LBRACE);
    AttrList out;
    size_t mark = attributeStack_.size();
    while (type() != L::RBRACE) attributeStack_.push_back(attribute());
    moveAbove(attributeStack_, mark, out.items);
    ++at_;
    out.range = span(first);
    return out;
  }
  AttrList optionalAttrBlock() { return type() == L::LBRACE ? attrBlock() : AttrList{}; }

  Import import() {
    size_t first = expect(L::IMPORT);
    Import imp;
    if (type() == L::STRING) {
      imp.target = string();
    } else {
      imp.isModule = true;
      imp.target = qualified();
    }
    imp.range = span(first);
    return imp;
  }

  // ---- declarations -----------------------------------------------------------
  std::unique_ptr<Decl> declaration() {
    switch (type()) {
    case L::TENANT: {
      ++at_;
      auto d = std::make_unique<TenantDecl>();
      d->name = name();
      d->attrs = attrBlock();
      return d;
    }
    case L::ISSUER:
      // `issuer template NAME(` declares a template; `issuer template : t {` an issuer named `template`.
      if (type(1) == L::TEMPLATE && isName(2)) return issuerTemplate();
      return issuer();
    case L::IDENTITY: {
      ++at_;
      auto d = std::make_unique<IdentityDecl>();
      d->name = name();
      expect(L::COLON);
      d->kindName = name();
      d->attrs = optionalAttrBlock();
      return d;
    }
    case L::RESOURCE:
      if (type(1) == L::TYPE && isName(2)) {
        at_ += 2;
        auto d = std::make_unique<ResourceTypeDecl>();
        d->name = qualified();
        d->attrs = attrBlock();
        return d;
      } else {
        ++at_;
        auto d = std::make_unique<ResourceDecl>();
        d->name = name();
        expect(L::COLON);
        d->type = qualifiedRef();
        d->attrs = optionalAttrBlock();
        return d;
      }
    case L::CAPABILITY: {
      ++at_;
      auto d = std::make_unique<CapabilityDecl>();
      d->name = qualified();
      expect(L::ON);
      d->resourceType = qualifiedRef();
      d->attrs = attrBlock();
      return d;
    }
    case L::ALLOW: {
      ++at_;
      auto d = std::make_unique<AllowDecl>();
      d->identity = ref();
      expect(L::TO);
      d->capability = qualifiedRef();
      expect(L::ON);
      d->resource = ref();
      if (accept(L::WHEN)) d->condition = string();
      return d;
    }
    case L::GRANT: return grant();
    case L::RETRY: {
      ++at_;
      auto d = std::make_unique<RetryDecl>();
      d->name = qualified();
      d->attrs = attrBlock();
      return d;
    }
    case L::EDGEWORKER: return edgeworker();
    case L::BACKUP: return backup();
    default: throw NotFast();
    }
  }

  std::unique_ptr<Decl> issuerTemplate() {
    at_ += 2;
    auto d = std::make_unique<IssuerTemplateDecl>();
    d->name = qualified();
    expect(L::LPAREN);
    d->params.push_back(name());
    while (accept(L::COMMA)) d->params.push_back(name());
    expect(L::RPAREN);
    d->attrs = attrBlock();
    return d;
  }

  std::unique_ptr<Decl> issuer() {
    ++at_;
    auto d = std::make_unique<IssuerDecl>();
    d->name = name();
    if (accept(L::COLON)) d->templateRef = qualifiedRef();
    d->attrs = attrBlock();
    return d;
  }

  // GRANT name (ROLE STRING | ACTIONS list (DATA_ACTIONS list)? | DATA_ACTIONS list) ON name attrBlock?
  std::unique_ptr<Decl> grant() {
    ++at_;
    auto d = std::make_unique<GrantDecl>();
    d->identity = ref();
    if (accept(L::ROLE)) {
      d->role = string();
    } else if (accept(L::ACTIONS)) {
      d->actions = list().takeItems();
      if (accept(L::DATA_ACTIONS)) d->dataActions = list().takeItems();
    } else {
      expect(L::DATA_ACTIONS);
      d->dataActions = list().takeItems();
    }
    expect(L::ON);
    d->scope = ref();
    d->attrs = optionalAttrBlock();
    return d;
  }

  RouteAction action() {
    size_t first = at_;
    RouteAction a;
    switch (type()) {
    case L::FORWARD:
      ++at_;
      a.kind = RouteAction::Kind::Forward;
      expect(L::TO);
      a.forwardTo = ref();
      // `retry X` belongs to the action; `retry = ...` would be an attribute.
      if (type() == L::RETRY && isName(1)) {
        ++at_;
        a.retry = qualifiedRef();
      }
      break;
    case L::REDIRECT:
      ++at_;
      a.kind = RouteAction::Kind::Redirect;
      a.status = number(L::NUMBER);
      a.text = string();
      break;
    case L::RESPOND:
      ++at_;
      a.kind = RouteAction::Kind::Respond;
      a.status = number(L::NUMBER);
      if (type() == L::STRING) a.text = string();
      a.setAttrs(optionalAttrBlock());
      break;
    case L::DENY:
      ++at_;
      a.kind = RouteAction::Kind::Deny;
      if (type() == L::NUMBER) a.status = number(L::NUMBER);
      if (type() == L::STRING) a.text = string();
      break;
    case L::TRIGGER:
      ++at_;
      a.kind = RouteAction::Kind::TriggerBackup;
      expect(L::BACKUP);
      {
        BackupCall &call = a.backupCall.emplace();
        call.backedUp = ref();
        expect(L::THROUGH);
        call.relay = ref();
      }
      break;
    case L::POLL:
      ++at_;
      a.kind = RouteAction::Kind::PollBackup;
      expect(L::BACKUP);
      expect(L::THROUGH);
      a.backupCall.emplace().relay = ref();
      break;
    default: throw NotFast();
    }
    a.range = span(first);
    return a;
  }

  std::unique_ptr<Decl> edgeworker() {
    size_t first = at_++;
    auto d = std::make_unique<EdgeWorkerDecl>();
    d->name = name();
    expect(L::LBRACE);
    size_t attributes = attributeStack_.size(), routes = routeStack_.size();
    while (type() != L::RBRACE) {
      if (type() == L::ROUTE) {
        routeStack_.push_back(route());
      } else if (type() == L::DEFAULT) {
        size_t keyword = at_++;
        RouteAction act = action();
        act.range = span(keyword);
        d->defaults.push_back(std::move(act));
      } else {
        attributeStack_.push_back(attribute());
      }
    }
    moveAbove(attributeStack_, attributes, d->attrs.items);
    moveAbove(routeStack_, routes, d->routes);
    ++at_;
    d->attrs.range = span(first);
    return d;
  }

  // ROUTE (name (',' name)*)? STRING '{' routeMember* '}'
  Route route() {
    size_t first = at_;
    Route r;
    r.keyword = range(at_++);
    if (isName()) {
      size_t mark = nameStack_.size();
      nameStack_.push_back(name());
      while (accept(L::COMMA)) nameStack_.push_back(name());
      moveAbove(nameStack_, mark, r.methods);
    }
    r.path = string();
    expect(L::LBRACE);
    size_t attributes = attributeStack_.size();
    while (type() != L::RBRACE) {
      switch (type()) {
      case L::REQUIRE: {
        size_t keyword = at_++;
        expect(L::TOKEN);
        expect(L::FROM);
        TokenRequirement t;
        t.issuer = ref();
        t.attrs = optionalAttrBlock();
        t.range = span(keyword);
        if (r.require) throw NotFast(); // a second `require token` is an error AstBuilder reports
        r.require = std::move(t);
        break;
      }
      case L::FORWARD:
      case L::REDIRECT:
      case L::RESPOND:
      case L::DENY:
      case L::TRIGGER:
      case L::POLL: r.actions.push_back(action()); break;
      default: attributeStack_.push_back(attribute()); break;
      }
    }
    moveAbove(attributeStack_, attributes, r.attrs.items);
    ++at_;
    r.range = span(first);
    return r;
  }

  std::unique_ptr<Decl> backup() {
    size_t first = at_++;
    auto d = std::make_unique<BackupDecl>();
    d->name = name();
    expect(L::LBRACE);
    size_t attributes = attributeStack_.size();
    while (type() != L::RBRACE) {
      switch (type()) {
      case L::PROTECT: {
        size_t keyword = at_++;
        Protection p;
        std::vector<Ref> names{ref()};
        while (accept(L::COMMA)) names.push_back(ref());
        expect(L::IN);
        p.items = std::move(names);
        p.vault = ref();
        p.range = span(keyword);
        d->protections.push_back(std::move(p));
        break;
      }
      case L::SCHEDULE:
        ++at_;
        expect(L::EQUALS);
        d->schedules.push_back(schedule());
        break;
      case L::TRIGGER:
        ++at_;
        expect(L::BY);
        d->triggers.push_back(ref());
        while (accept(L::COMMA)) d->triggers.push_back(ref());
        break;
      default: attributeStack_.push_back(attribute()); break;
      }
    }
    moveAbove(attributeStack_, attributes, d->attrs.items);
    ++at_;
    d->attrs.range = span(first);
    return d;
  }

  BackupSchedule schedule() {
    size_t first = at_;
    BackupSchedule s;
    switch (type()) {
    case L::HOURLY:
      ++at_;
      s.kind = BackupSchedule::Kind::Hourly;
      expect(L::EVERY);
      s.interval = number(L::QUANTITY);
      expect(L::FROM);
      s.windowStart = string();
      expect(L::FOR);
      s.windowDuration = number(L::QUANTITY);
      break;
    case L::DAILY:
      ++at_;
      s.kind = BackupSchedule::Kind::Daily;
      expect(L::AT);
      s.time = string();
      break;
    case L::WEEKLY:
      ++at_;
      s.kind = BackupSchedule::Kind::Weekly;
      expect(L::ON);
      s.days = list();
      expect(L::AT);
      s.time = string();
      break;
    default: throw NotFast();
    }
    // zone : ZONE STRING ; `zone = ...` after it is the next member.
    if (type() == L::ZONE && type(1) == L::STRING) {
      ++at_;
      s.zone = string();
    }
    s.range = span(first);
    return s;
  }

  llvm::StringRef text_;
  FileID file_;
  const std::vector<Token> &tokens_;
  size_t at_;
  size_t end_;
  // Elements of a construct are gathered on a stack shared by all constructs
  // (nested ones push above and take theirs off before returning), then
  // moved into storage of exactly their number: a list never grows by
  // doubling, and a large policy holds millions.
  std::vector<Attribute> attributeStack_;
  std::vector<Value> valueStack_;
  std::vector<Field> fieldStack_;
  std::vector<Route> routeStack_;
  std::vector<Name> nameStack_;
  TextStore *texts_ = nullptr;              // the file's, for texts the source does not hold as written
  const TokenTypeSet &names_ = nameTypes(); // looked up once, not on every token
};

} // namespace

namespace {

/// Where a large file may be cut into `parts` to be read and parsed in
/// parallel: at the start of a line that begins with a declaration keyword,
/// near each 1/parts of the bytes. No top-level construct of Ward.g4 can go
/// on with a declaration keyword, and only a block comment spans lines, so
/// when every part lexes and parses whole, its constructs are those of the
/// whole file. A cut inside a comment leaves a comment running over the end
/// of its part, a cut inside a construct (a keyword first on a line inside
/// braces) leaves its part incomplete: then the file is read in one piece.
std::vector<size_t> cutPoints(llvm::StringRef text, size_t parts) {
  const TokenTypeSet &declares = declarationTypes();
  // The first line after `from` that starts with a declaration keyword.
  auto declarationLine = [&](size_t from) {
    for (size_t newline; (newline = text.find('\n', from)) != llvm::StringRef::npos && newline + 1 < text.size();) {
      from = newline + 1;
      char c = text[from];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) continue; // every keyword starts with a letter
      ScannedToken t = scanToken(text, from);
      if (t.type < declares.size() && declares[t.type]) return from;
    }
    return llvm::StringRef::npos;
  };
  std::vector<size_t> cuts{0};
  for (size_t k = 1; k < parts; ++k) {
    size_t at = declarationLine(std::max(cuts.back(), text.size() * k / parts));
    if (at == llvm::StringRef::npos) break;
    cuts.push_back(at);
  }
  cuts.push_back(text.size());
  return cuts;
}

/// Token arrays handed on from a part to the next one a thread reads, so
/// that a file's parts take as many arrays as there are threads, not one
/// each: an array is megabytes, and the memory of those freed on other
/// threads was left resident beside the tree (about 2 MB of the
/// 1,000,000-line file's peak).
class TokenArrays {
public:
  std::vector<Token> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return {};
    std::vector<Token> tokens = std::move(free_.back());
    free_.pop_back();
    return tokens;
  }
  void giveBack(std::vector<Token> tokens) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(tokens));
  }

private:
  std::mutex mutex_;
  std::vector<std::vector<Token>> free_;
};

/// The whole file read and parsed in parts on several threads, or nothing
/// if any part is not read and parsed whole (the caller then reads it in
/// one piece). Each part's tokens live only while it is parsed.
std::optional<SourceFile> parseInParts(llvm::StringRef text, FileID file, const ParseOptions &options, size_t parts,
                                       unsigned &made) {
  std::vector<size_t> cuts = cutPoints(text, parts);
  size_t count = cuts.size() - 1;
  if (count < 2) return std::nullopt;
  std::vector<SourceFile> pieces(count);
  std::vector<char> whole(count, 0);
  TokenArrays arrays;
  llvm::parallelForEachN(0, count, [&](size_t i) {
    std::vector<Token> tokens = arrays.take();
    if (lexRange(text, cuts[i], cuts[i + 1], file, options.maxNesting, tokens, pieces[i].suppressions)) {
      FastParser parser(text, file, tokens, 0, tokens.size() - 1);
      try {
        parser.file(pieces[i]);
        whole[i] = 1;
      } catch (const NotFast &) {}
    }
    arrays.giveBack(std::move(tokens));
  });
  if (std::find(whole.begin(), whole.end(), 0) != whole.end()) return std::nullopt;
  made = static_cast<unsigned>(count);
  SourceFile out;
  for (SourceFile &piece : pieces) {
    std::move(piece.imports.begin(), piece.imports.end(), std::back_inserter(out.imports));
    std::move(piece.decls.begin(), piece.decls.end(), std::back_inserter(out.decls));
    std::move(piece.suppressions.begin(), piece.suppressions.end(), std::back_inserter(out.suppressions));
    out.texts.absorb(std::move(piece.texts));
  }
  return out;
}

} // namespace

FastParse parseFast(llvm::StringRef text, FileID file, const ParseOptions &options, SourceFile &out) {
  if (options.parsesInParts(text.size())) {
    PhaseTimer timer("  fast-parse");
    // More parts than threads: fewer tokens held at once.
    size_t parts = 4 * std::max<size_t>(1, llvm::parallel::strategy.compute_thread_count());
    unsigned made = 0;
    std::optional<SourceFile> parsed = parseInParts(text, file, options, parts, made);
    timer.mark(parsed ? "parts" : "parts (declined)");
    if (parsed) {
      out.imports = std::move(parsed->imports);
      out.decls = std::move(parsed->decls);
      out.suppressions = std::move(parsed->suppressions);
      out.texts.absorb(std::move(parsed->texts));
      return {true, 0, made};
    }
  }
  std::vector<Token> tokens;
  std::vector<Suppression> suppressions;
  if (!lex(text, file, options.maxNesting, tokens, suppressions)) return {};
  SourceFile parsed;
  FastParser parser(text, file, tokens, 0, tokens.size() - 1);
  try {
    parser.file(parsed);
  } catch (const NotFast &) {
    // Keep the constructs before the last one parsed whole: the ANTLR parser
    // starts at that one, which ends where the doubt begins, so that every
    // decision it makes (and every error it reports) is one it would make
    // parsing the whole file.
    if (parser.parsed.size() < 2) return {};
    FastParse partial{false, parser.parsed.back().begin};
    if (parser.parsed.back().isImport) parsed.imports.pop_back();
    else parsed.decls.pop_back();
    out.imports = std::move(parsed.imports);
    out.decls = std::move(parsed.decls);
    out.texts.absorb(std::move(parsed.texts));
    return partial;
  }
  out.imports = std::move(parsed.imports);
  out.decls = std::move(parsed.decls);
  out.suppressions = std::move(suppressions);
  out.texts.absorb(std::move(parsed.texts));
  return {true, 0};
}

} // namespace ward::parse
