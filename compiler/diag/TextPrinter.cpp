#include "diag/Printers.h"
#include "source/Text.h"

#include <fmt/format.h>
#include <llvm/Support/Parallel.h>

#include <algorithm>

namespace ward {
namespace {

constexpr size_t kMaxShownLine = 160; // bytes of a long line shown around the caret

llvm::raw_ostream::Colors severityColor(Severity s) {
  switch (s) {
  case Severity::Error: return llvm::raw_ostream::RED;
  case Severity::Warning: return llvm::raw_ostream::MAGENTA;
  case Severity::Note: return llvm::raw_ostream::CYAN;
  }
  return llvm::raw_ostream::RED;
}

/// Control characters would corrupt the terminal (or forge escape sequences),
/// so they are shown as `?`, keeping one column each so carets still line up.
std::string sanitizeLine(llvm::StringRef line) {
  std::string out;
  out.reserve(line.size());
  for (unsigned char c : line) out += (c < 0x20 && c != '\t') || c == 0x7F ? '?' : static_cast<char>(c);
  return out;
}

size_t backToCodePoint(llvm::StringRef s, size_t i) {
  while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

class TextPrinter {
public:
  TextPrinter(llvm::raw_ostream &os, const SourceManager &sm) : os_(os), sm_(sm) {}

  void print(const Diagnostic &d) {
    header(d.range, d.path(), d.severity, d.code, d.message);
    if (d.range.valid()) snippet(d.range, d.severity);
    // Labels come before the help, fix-its after it.
    struct Labels : DiagnosticPartVisitor {
      TextPrinter &p;
      explicit Labels(TextPrinter &p) : p(p) {}
      void label(const Label &label, bool located) override {
        p.header(label.range, "", Severity::Note, "", label.message);
        if (located) p.snippet(label.range, Severity::Note);
      }
    } labels(*this);
    walkParts(d, labels);
    if (!d.help().empty()) {
      os_ << "  ";
      colored(llvm::raw_ostream::GREEN, "help");
      os_ << ": " << d.help() << "\n";
    }
    struct Fixes : DiagnosticPartVisitor {
      TextPrinter &p;
      explicit Fixes(TextPrinter &p) : p(p) {}
      void fixIt(const FixIt &fix) override { p.fixIt(fix); }
    } fixes(*this);
    walkParts(d, fixes);
  }

private:
  void fixIt(const FixIt &fix) {
    LineColumn at = sm_.lineColumn(fix.range.file, fix.range.begin);
    os_ << "  ";
    colored(llvm::raw_ostream::GREEN, fix.certain() ? "fix" : "suggestion");
    switch (fix.edit()) {
    case FixIt::Edit::Insert:
      os_ << fmt::format(": insert `{}` at {}:{}\n", quoteForMessage(fix.replacement, 60), at.line, at.column);
      break;
    case FixIt::Edit::Delete: os_ << fmt::format(": delete from {}:{}\n", at.line, at.column); break;
    case FixIt::Edit::Replace:
      os_ << fmt::format(": replace with `{}` at {}:{}\n", quoteForMessage(fix.replacement, 60), at.line, at.column);
      break;
    }
  }

  void colored(llvm::raw_ostream::Colors color, llvm::StringRef text) {
    if (os_.colors_enabled()) os_.changeColor(color, /*Bold=*/true);
    os_ << text;
    if (os_.colors_enabled()) os_.resetColor();
  }

  void header(SourceRange range, llvm::StringRef path, Severity severity, llvm::StringRef code,
              llvm::StringRef message) {
    if (os_.colors_enabled()) os_.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
    if (range.valid()) {
      LineColumn lc = sm_.lineColumn(range.file, range.begin);
      os_ << sm_.displayPath(range.file) << ":" << lc.line << ":" << lc.column << ": ";
    } else if (!path.empty()) {
      os_ << path << ": ";
    } else {
      os_ << "wardc: ";
    }
    if (os_.colors_enabled()) os_.resetColor();
    std::string tag = severityName(severity).str();
    if (!code.empty()) tag += "[" + code.str() + "]";
    colored(severityColor(severity), tag);
    if (os_.colors_enabled()) os_.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
    os_ << ": " << message;
    if (os_.colors_enabled()) os_.resetColor();
    os_ << "\n";
  }

  void snippet(SourceRange range, Severity severity) {
    LineColumn start = sm_.lineColumn(range.file, range.begin);
    llvm::StringRef line = sm_.lineText(range.file, start.line);
    uint32_t lineBegin = sm_.lineStart(range.file, range.begin);
    size_t caretFrom = std::min<size_t>(range.begin - lineBegin, line.size());
    size_t caretTo = std::min<size_t>(std::max<size_t>(range.end, range.begin + 1) - lineBegin, line.size());

    // Very long lines (minified or generated input) are shown as a window.
    size_t windowFrom = 0, windowTo = line.size();
    if (line.size() > kMaxShownLine) {
      windowFrom = backToCodePoint(line, caretFrom > 40 ? caretFrom - 40 : 0);
      windowTo = backToCodePoint(line, std::min(line.size(), windowFrom + kMaxShownLine));
      caretTo = std::min(caretTo, windowTo);
    }
    std::string prefix = windowFrom > 0 ? "…" : "";
    std::string shown = prefix + sanitizeLine(line.slice(windowFrom, windowTo)) + (windowTo < line.size() ? "…" : "");

    std::string gutter = std::to_string(start.line);
    std::string pad(gutter.size(), ' ');
    os_ << "  " << gutter << " | " << shown << "\n";
    os_ << "  " << pad << " | ";
    std::string lead = prefix.empty() ? "" : " ";
    for (char c : line.slice(windowFrom, caretFrom)) {
      if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;
      lead += c == '\t' ? '\t' : ' ';
    }
    os_ << lead;
    unsigned width = std::max(1u, countCodePoints(line.slice(caretFrom, caretTo)));
    if (caretFrom >= line.size()) width = 1; // pointing at the end of the line
    std::string carets(width, '^');
    if (os_.colors_enabled()) os_.changeColor(severityColor(severity), true);
    os_ << carets;
    if (os_.colors_enabled()) os_.resetColor();
    os_ << "\n";
  }

  llvm::raw_ostream &os_;
  const SourceManager &sm_;
};

} // namespace

void printText(llvm::raw_ostream &os, const SourceManager &sm, const DiagnosticList &diags) {
  // A large policy may have tens of thousands of findings, and rendering one
  // (locating it, cutting its line, drawing the carets) costs far more than
  // writing it out. So runs of them are rendered side by side into texts of
  // their own and written in order, a wave at a time: the output is the same,
  // and at most one wave's text is held in memory.
  constexpr size_t kRun = 128, kRunsPerWave = 16;
  auto render = [&sm, &diags](llvm::raw_ostream &out, size_t from, size_t to) {
    TextPrinter printer(out, sm);
    for (size_t i = from; i < to; ++i)
      if (!diags[i].suppressed) printer.print(diags[i]);
  };
  if (diags.size() <= kRun) {
    render(os, 0, diags.size());
    return;
  }
  sm.computeLineTables(); // made on first use otherwise, which is not safe from several threads
  std::vector<std::string> texts(kRunsPerWave);
  for (size_t wave = 0; wave < diags.size(); wave += kRun * kRunsPerWave) {
    size_t runs = std::min(kRunsPerWave, (diags.size() - wave + kRun - 1) / kRun);
    llvm::parallelForEachN(0, runs, [&](size_t run) {
      texts[run].clear();
      llvm::raw_string_ostream out(texts[run]);
      out.SetBuffered(); // a finding is written in a dozen small pieces
      out.enable_colors(os.colors_enabled());
      size_t from = wave + run * kRun;
      render(out, from, std::min(diags.size(), from + kRun));
      out.flush(); // into texts[run], before it is written out
    });
    for (size_t run = 0; run < runs; ++run) os << texts[run];
  }
}

void printSummary(llvm::raw_ostream &os, const DiagnosticEngine &engine) {
  unsigned errors = engine.errorCount(), warnings = engine.warningCount();
  if (errors == 0 && warnings == 0) return;
  auto plural = [](unsigned n, const char *word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
  if (errors && warnings) os << plural(errors, "error") << " and " << plural(warnings, "warning") << " generated.\n";
  else if (errors) os << plural(errors, "error") << " generated.\n";
  else os << plural(warnings, "warning") << " generated.\n";
}

} // namespace ward
