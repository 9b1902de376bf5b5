//===- NamePatterns.h - Two fixed patterns the rules match, by hand -*- C++ -*-===//
//
// W016's pinned version and W013's default naming convention are fixed
// regular expressions. std::regex builds its automaton on every run, about a
// tenth of the instructions of checking a small policy, so these two match by
// hand. Each function states the pattern it stands for, and a unit test runs
// it beside std::regex on generated texts.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>

namespace ward::analysis {

namespace detail {
inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
inline bool isLowerOrDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'z'); }
inline bool isAsciiAlnum(char c) { return isLowerOrDigit(c) || (c >= 'A' && c <= 'Z'); }
/// Drops a leading run of `pred` characters; false if there was none.
template <typename Pred> bool consumeRun(llvm::StringRef &text, Pred pred) {
  size_t n = 0;
  while (n < text.size() && pred(text[n])) ++n;
  text = text.drop_front(n);
  return n > 0;
}
} // namespace detail

/// `^[0-9]+(\.[0-9]+)*([-_+~][0-9A-Za-z.]+)?$`, matched whole: numbers joined
/// by dots, then at most one tag.
inline bool isPinnedVersion(llvm::StringRef text) {
  if (!detail::consumeRun(text, detail::isDigit)) return false;
  while (text.size() >= 2 && text[0] == '.' && detail::isDigit(text[1])) {
    text = text.drop_front();
    detail::consumeRun(text, detail::isDigit);
  }
  if (text.empty()) return true;
  if (llvm::StringRef("-_+~").find(text[0]) == llvm::StringRef::npos) return false;
  text = text.drop_front();
  if (!detail::consumeRun(text, [](char c) { return detail::isAsciiAlnum(c) || c == '.'; })) return false;
  return text.empty();
}

/// W013's default pattern, as its option states it.
inline constexpr const char *kServicePrincipalNamePattern = "^sp-[a-z0-9]+(-[a-z0-9]+)*$";

/// `^sp-[a-z0-9]+(-[a-z0-9]+)*$`: `sp-`, then words of lower-case letters and
/// digits joined by single dashes.
inline bool isConventionalServicePrincipalName(llvm::StringRef text) {
  if (!text.consume_front("sp-")) return false;
  do {
    if (!detail::consumeRun(text, detail::isLowerOrDigit)) return false;
  } while (text.consume_front("-"));
  return text.empty();
}

} // namespace ward::analysis
