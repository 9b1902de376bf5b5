#include "parse/Parser.h"
#include "parse/ParserInternals.h"
#include "parse/Tokenizer.h"
#include "source/PhaseTimer.h"
#include "source/Text.h"

#include <WardLexer.h>
#include <antlr4-runtime.h>
#include <fmt/format.h>
#include <llvm/Support/Format.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>

namespace ward {

using grammar::WardLexer;
using grammar::WardParser;

namespace parse {

llvm::StringRef tokenText(llvm::StringRef source, antlr4::Token *token) {
  if (!token || token->getType() == antlr4::Token::EOF) return {};
  size_t begin = token->getStartIndex(), end = token->getStopIndex() + 1;
  if (begin > source.size() || end < begin) return {};
  return source.slice(begin, end);
}

SourceRange tokenRange(FileID file, antlr4::Token *token) {
  if (!token) return {file, 0, 0};
  uint32_t begin = static_cast<uint32_t>(token->getStartIndex());
  if (token->getType() == antlr4::Token::EOF) return {file, begin, begin};
  return {file, begin, static_cast<uint32_t>(token->getStopIndex() + 1)};
}

SourceRange contextRange(FileID file, antlr4::ParserRuleContext *ctx) {
  SourceRange start = tokenRange(file, ctx->getStart());
  antlr4::Token *stop = ctx->getStop();
  if (!stop || stop->getTokenIndex() < ctx->getStart()->getTokenIndex()) return start;
  return SourceRange::merge(start, tokenRange(file, stop));
}

// The reason may be empty (a rule reports that), the IDs may not.
void collectSuppression(llvm::StringRef text, SourceRange range, std::vector<Suppression> &out) {
  llvm::StringRef body = text.drop_front(2).trim();
  if (!body.consume_front("ward-ignore")) return;
  if (!body.empty() && !std::isspace(static_cast<unsigned char>(body.front()))) return;
  auto [idList, reason] = body.split(':');
  Suppression s;
  s.range = range;
  s.reason = reason.trim().str();
  size_t offset = static_cast<size_t>(idList.data() - text.data());
  llvm::SmallVector<llvm::StringRef, 4> ids;
  idList.split(ids, ',');
  for (llvm::StringRef id : ids) {
    llvm::StringRef trimmed = id.trim();
    if (trimmed.empty()) continue;
    uint32_t begin = range.begin + static_cast<uint32_t>(offset + (trimmed.data() - idList.data()));
    s.ids.push_back({trimmed, {range.file, begin, begin + static_cast<uint32_t>(trimmed.size())}});
  }
  out.push_back(std::move(s));
}

} // namespace parse

namespace {

bool checkEncoding(const SourceManager &sm, FileID file, DiagnosticEngine &diags) {
  llvm::StringRef text = sm.text(file);
  size_t nul = text.find('\0');
  std::optional<size_t> bad = findInvalidUtf8(text);
  if (nul != llvm::StringRef::npos && (!bad || nul <= *bad)) {
    diags
        .report(DiagID::NulByte, {file, uint32_t(nul), uint32_t(nul + 1)},
                "file contains a NUL byte; Ward policies are UTF-8 text")
        .withHelp("is this a binary file? Only `.ward` text files can be checked");
    return false;
  }
  if (bad) {
    diags
        .report(DiagID::InvalidUtf8, {file, uint32_t(*bad), uint32_t(*bad + 1)},
                fmt::format("file is not valid UTF-8 (byte 0x{:02X})", static_cast<unsigned char>(text[*bad])))
        .withHelp("save the file as UTF-8");
    return false;
  }
  return true;
}

/// Reports lexical errors, repairs the token stream so the parser can go on,
/// and rejects nesting deeper than the cap. Returns false when parsing must
/// not be attempted.
bool lexicalPass(const SourceManager &sm, FileID file, const std::vector<antlr4::Token *> &all, DiagnosticEngine &diags,
                 const ParseOptions &options, unsigned &errors, std::vector<Suppression> &suppressions) {
  llvm::StringRef text = sm.text(file);
  unsigned depth = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    antlr4::Token *token = all[i];
    if (errors >= options.maxErrors) break;
    switch (token->getType()) {
    case WardLexer::UNEXPECTED_CHAR: {
      // Group a run of adjacent unexpected bytes (a UTF-8 character, `@@@`).
      size_t j = i;
      while (j + 1 < all.size() && all[j + 1]->getType() == WardLexer::UNEXPECTED_CHAR &&
             all[j + 1]->getStartIndex() == all[j]->getStopIndex() + 1 && j - i < 64)
        ++j;
      SourceRange range = SourceRange::merge(parse::tokenRange(file, all[i]), parse::tokenRange(file, all[j]));
      llvm::StringRef chars = text.slice(range.begin, range.end);
      for (size_t k = i; k <= j; ++k)
        static_cast<antlr4::CommonToken *>(all[k])->setChannel(antlr4::Token::HIDDEN_CHANNEL);
      ++errors;
      DiagnosticBuilder d = diags.report(
          DiagID::UnexpectedChar, range,
          fmt::format("unexpected {} `{}`", chars.size() == 1 ? "character" : "characters", quoteForMessage(chars)));
      if (chars == ";") d.withHelp("Ward needs no semicolons; remove it").fix(range, "");
      else if (chars.startswith("'")) d.withHelp("strings are written in double quotes: \"...\"");
      else if (chars.startswith("-")) d.withHelp("numbers cannot be negative here, and names cannot start with `-`");
      else if (chars.startswith("#")) d.withHelp("comments start with `//` or are enclosed in `/* */`");
      i = j;
      break;
    }
    case WardLexer::UNTERMINATED_STRING: {
      ++errors;
      SourceRange range = parse::tokenRange(file, token);
      diags.report(DiagID::UnterminatedString, {file, range.begin, range.begin + 1}, "unterminated string")
          .label(range, "the string runs to the end of the line")
          .withHelp("close it with `\"` on the same line; write `\\n` for a line break inside a string")
          .suggest({file, range.end, range.end}, "\"");
      static_cast<antlr4::CommonToken *>(token)->setType(WardLexer::STRING);
      break;
    }
    case WardLexer::LINE_COMMENT:
      parse::collectSuppression(parse::tokenText(text, token), parse::tokenRange(file, token), suppressions);
      break;
    case WardLexer::BLOCK_COMMENT: {
      llvm::StringRef body = parse::tokenText(text, token);
      if (body.size() < 4 || !body.endswith("*/")) {
        ++errors;
        SourceRange range = parse::tokenRange(file, token);
        diags.report(DiagID::UnterminatedComment, {file, range.begin, range.begin + 2}, "unterminated block comment")
            .withHelp("close the comment with `*/`")
            .suggest({file, range.end, range.end}, "*/");
      }
      break;
    }
    case WardLexer::LBRACE:
    case WardLexer::LBRACKET:
    case WardLexer::LPAREN:
      if (++depth > options.maxNesting) {
        diags
            .report(DiagID::NestingTooDeep, parse::tokenRange(file, token),
                    fmt::format("nesting is too deep: more than {} levels of brackets", options.maxNesting))
            .withHelp("flatten the value; no Ward construct needs this much nesting");
        ++errors;
        return false;
      }
      break;
    case WardLexer::RBRACE:
    case WardLexer::RBRACKET:
    case WardLexer::RPAREN:
      if (depth > 0) --depth;
      break;
    default: break;
    }
  }
  if (errors >= options.maxErrors) {
    diags.report(DiagID::TooManyErrors, parse::tokenRange(file, all.back()),
                 fmt::format("too many errors in this file; stopped after {}", options.maxErrors));
    return false;
  }
  return true;
}

} // namespace

namespace {
/// The index in `tokens` of the token that starts at `offset`.
size_t tokenAt(parse::RepairableTokenStream &tokens, uint32_t offset) {
  const std::vector<antlr4::Token *> &all = tokens.getTokens();
  auto it = std::lower_bound(all.begin(), all.end(), offset,
                             [](antlr4::Token *t, uint32_t at) { return t->getStartIndex() < at; });
  return static_cast<size_t>(it - all.begin());
}
} // namespace

bool fastParserByDefault() {
  static const bool kFast = [] {
    llvm::Optional<std::string> parser = llvm::sys::Process::GetEnv("WARD_PARSER");
    return !parser || *parser != "antlr";
  }();
  return kFast;
}

namespace {

std::unique_ptr<SourceFile> parseWithAntlr(const SourceManager &sm, FileID file, DiagnosticEngine &diags,
                                           const ParseOptions &options,
                                           llvm::function_ref<void(const parse::ParseTreeView &)> visit, bool tryFast) {
  PhaseTimer timer("  parse");
  auto mark = [&](const char *what) { timer.mark(what); };
  auto out = std::make_unique<SourceFile>();
  out->id = file;
  out->path = sm.displayPath(file);
  out->buffer = sm.share(file);
  if (!checkEncoding(sm, file, diags)) {
    out->parsedCleanly = false;
    return out;
  }
  parse::FastParse fast;
  if (tryFast) {
    fast = parse::parseFast(sm.text(file), file, options, *out);
    mark("fast");
    if (fast.complete) return out;
  }

  parse::ByteCharStream input(sm.text(file), sm.displayPath(file));
  parse::WardTokenizer tokenizer(sm.text(file), &input);
  parse::RepairableTokenStream tokens(&tokenizer);
  tokens.fill();
  mark("lex");

  unsigned errors = 0;
  size_t firstDiagnostic = diags.diagnostics().size();
  {
    // One snapshot for both passes, released before the parser allocates;
    // the pointers stay owned by the stream, and the tokens repairStructure
    // inserts are not in it, which is what it wants.
    const std::vector<antlr4::Token *> lexed = tokens.getTokens();
    if (!lexicalPass(sm, file, lexed, diags, options, errors, out->suppressions)) {
      out->parsedCleanly = false;
      return out;
    }
    mark("lexpass");
    errors += parse::repairStructure(sm, file, tokens, lexed, diags);
  }
  mark("lexcheck");
  WardParser parser(&tokens);
  parser.removeErrorListeners();
  WardParser::FileContext *tree = nullptr;
  // Stage 1: SLL prediction, bail out at the first error. Nearly every valid
  // file finishes here; it is several times faster than full LL. (When the
  // fast parser has tried, the file has an error or is one it does not take:
  // straight to stage 2, which gives a valid file the same tree.)
  if (errors == 0 && !tryFast) {
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    try {
      tree = parser.file();
    } catch (antlr4::ParseCancellationException &) {
      tree = nullptr;
    }
  }
  // Stage 2: full LL with error reporting and recovery, so that every
  // independent syntax error of the file is reported in one run.
  if (!tree) {
    tokens.seek(0);
    parser.reset();
    if (fast.resumeAt != 0 && errors == 0) {
      tokens.seek(tokenAt(tokens, fast.resumeAt)); // after the constructs the fast parser took
    } else {
      out->imports.clear(); // (a lexically clean file has errors == 0 here; this is for safety)
      out->decls.clear();
    }
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(parse::makeErrorStrategy(sm, file, diags, options.maxErrors, errors));
    try {
      tree = parser.file();
    } catch (antlr4::ParseCancellationException &) {
      diags.report(DiagID::TooManyErrors, parse::tokenRange(file, parser.getCurrentToken()),
                   fmt::format("too many errors in this file; stopped after {}", options.maxErrors));
    }
    // (SLL can fail where full LL succeeds: then `errors` stays 0 and we go on.)
    if (!tree) {
      // Not recovered: the file holds nothing, not even the declarations the
      // fast parser took before the errors (as after ANTLR alone).
      out->imports.clear();
      out->decls.clear();
      out->parsedCleanly = false;
      return out;
    }
  }

  mark("parse");
  // Declaration-level recovery: declarations with an error inside are left
  // out; the rest of the file goes on to be checked.
  std::vector<uint32_t> errorOffsets;
  for (size_t i = firstDiagnostic; i < diags.diagnostics().size(); ++i)
    if (const Diagnostic &d = diags.diagnostics()[i]; d.severity == Severity::Error && d.range.file == file)
      errorOffsets.push_back(d.range.begin);
  parse::buildAst(sm, file, tree, *out, diags, errorOffsets);
  mark("ast");
  if (errors != 0 || !out->brokenDecls.empty()) {
    out->parsedCleanly = false;
    out->recovered = true;
  } else {
    visit({tree, tokens.getTokens()});
  }
  return out;
}

} // namespace

std::unique_ptr<SourceFile> parseFile(const SourceManager &sm, FileID file, DiagnosticEngine &diags,
                                      const ParseOptions &options) {
  return parseWithAntlr(
      sm, file, diags, options, [](const parse::ParseTreeView &) {}, options.fastPath);
}

std::unique_ptr<SourceFile> parseIfValid(const SourceManager &sm, FileID file, const ParseOptions &options) {
  if (!options.fastPath) return nullptr;
  llvm::StringRef text = sm.text(file);
  if (text.find('\0') != llvm::StringRef::npos || findInvalidUtf8(text)) return nullptr;
  auto out = std::make_unique<SourceFile>();
  out->id = file;
  out->path = sm.displayPath(file);
  out->buffer = sm.share(file);
  if (!parse::parseFast(text, file, options, *out).complete) return nullptr;
  return out;
}

std::unique_ptr<SourceFile> parse::parseFileWithTree(const SourceManager &sm, FileID file, DiagnosticEngine &diags,
                                                     const ParseOptions &options,
                                                     llvm::function_ref<void(const ParseTreeView &)> visit) {
  return parseWithAntlr(sm, file, diags, options, visit, false); // the formatter needs the parse tree
}

} // namespace ward
