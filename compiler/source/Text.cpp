#include "source/Text.h"
#include "source/ByteScan.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/ConvertUTF.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace ward {

std::optional<size_t> findInvalidUtf8(llvm::StringRef bytes) {
  const auto *p = reinterpret_cast<const llvm::UTF8 *>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // Policies are mostly ASCII: sixty-four bytes at a time while no high
    // bit is set, then eight.
#if defined(WARD_HAS_BYTESCAN16)
    for (; i + 64 <= n; i += 64) {
      auto load = [&](size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + at)); };
      __m128i any = _mm_or_si128(_mm_or_si128(load(i), load(i + 16)), _mm_or_si128(load(i + 32), load(i + 48)));
      if (_mm_movemask_epi8(any) != 0) break;
    }
#endif
    for (uint64_t word; i + 8 <= n; i += 8) {
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ull) break;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    if (!llvm::isLegalUTF8Sequence(p + i, p + n)) return i;
    i += llvm::getNumBytesForUTF8(p[i]);
  }
  return std::nullopt;
}

std::vector<std::string> closestNames(llvm::StringRef word, llvm::ArrayRef<std::string> candidates, size_t limit) {
  // Allow roughly one edit per three characters, at least one: `sp-order-edge`
  // finds `sp-orders-edge`, `vm` does not find `kv`.
  unsigned maxDistance = std::max<unsigned>(1, (word.size() + 2) / 3);
  std::vector<std::pair<unsigned, std::string>> scored;
  std::string lowered = word.lower();
  for (const std::string &candidate : candidates) {
    if (candidate == word) continue;
    unsigned d = llvm::StringRef(lowered).edit_distance(llvm::StringRef(candidate).lower(), true, maxDistance);
    if (d <= maxDistance) scored.emplace_back(d, candidate);
  }
  std::sort(scored.begin(), scored.end());
  scored.erase(std::unique(scored.begin(), scored.end()), scored.end());
  std::vector<std::string> out;
  for (auto &entry : scored) {
    if (out.size() == limit) break;
    out.push_back(entry.second);
  }
  return out;
}

std::string joinAlternatives(llvm::ArrayRef<std::string> items, llvm::StringRef conjunction) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? fmt::format(" {} ", conjunction.str()) : ", ";
    out += items[i];
  }
  return out;
}

std::string quoteForMessage(llvm::StringRef text, size_t maxChars) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7F) out += fmt::format("\\x{:02X}", c);
    else out += static_cast<char>(c);
  }
  if (out.size() > maxChars) {
    // Cut on code-point boundaries so the message stays valid UTF-8.
    size_t head = maxChars / 2, tail = out.size() - maxChars / 2;
    while (head > 0 && (static_cast<unsigned char>(out[head]) & 0xC0) == 0x80) --head;
    while (tail < out.size() && (static_cast<unsigned char>(out[tail]) & 0xC0) == 0x80) ++tail;
    out = out.substr(0, head) + "…" + out.substr(tail);
  }
  return out;
}

llvm::Expected<llvm::json::Value> parseJsonBounded(llvm::StringRef text, unsigned maxDepth) {
  unsigned depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth)
        return llvm::createStringError(llvm::inconvertibleErrorCode(), "nested more than %u levels deep (at byte %zu)",
                                       maxDepth, i);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return parseJson(text);
}

llvm::Expected<llvm::json::Value> parseJson(llvm::StringRef text) {
  std::optional<std::string> decoded = withAstralEscapesDecoded(text);
  return llvm::json::parse(decoded ? *decoded : text);
}

std::optional<std::string> withAstralEscapesDecoded(llvm::StringRef json) {
  auto escapeAt = [&](size_t at, unsigned &value) { // `\uXXXX` at `at`
    if (at + 6 > json.size() || json[at] != '\\' || json[at + 1] != 'u') return false;
    value = 0;
    for (size_t i = at + 2; i < at + 6; ++i) {
      unsigned digit = llvm::hexDigitValue(json[i]);
      if (digit == ~0U) return false;
      value = value * 16 + digit;
    }
    return true;
  };
  std::optional<std::string> out; // made at the first pair, with what came before it
  size_t copiedTo = 0;
  bool inString = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (!inString) {
      inString = c == '"';
      continue;
    }
    if (c == '"') {
      inString = false;
      continue;
    }
    if (c != '\\') continue;
    unsigned high = 0, low = 0;
    if (escapeAt(i, high) && high >= 0xD840 && high <= 0xDBFF && escapeAt(i + 6, low) && low >= 0xDC00 &&
        low <= 0xDFFF) {
      if (!out) out.emplace();
      out->append(json.data() + copiedTo, i - copiedTo);
      appendUtf8(*out, 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
      i += 11;
      copiedTo = i + 1;
      continue;
    }
    ++i; // the escaped character, whatever it is: `\\u` is a backslash, then `u`
  }
  if (out) out->append(json.data() + copiedTo, json.size() - copiedTo);
  return out;
}

std::string relativePath(llvm::StringRef path, llvm::StringRef base) {
  auto normalized = [](llvm::StringRef p) {
    llvm::SmallString<256> out(p);
    llvm::sys::fs::make_absolute(out);
    llvm::sys::path::remove_dots(out, /*remove_dot_dot=*/true);
    std::vector<std::string> parts;
    for (auto it = llvm::sys::path::begin(out), end = llvm::sys::path::end(out); it != end; ++it)
      parts.push_back(it->str());
    return parts;
  };
  std::vector<std::string> from = normalized(base), to = normalized(path);
  size_t common = 0;
  while (common < from.size() && common + 1 < to.size() && from[common] == to[common]) ++common;
  std::vector<std::string> parts(from.size() - common, "..");
  parts.insert(parts.end(), to.begin() + common, to.end());
  return llvm::join(parts, "/");
}

void appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string decodeStringBody(llvm::StringRef body, llvm::function_ref<void(const BadEscape &)> bad) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    size_t escape = i;
    char e = i + 1 < body.size() ? body[i + 1] : '\0';
    ++i;
    switch (e) {
    case '"': out += '"'; break;
    case '\\': out += '\\'; break;
    case '/': out += '/'; break;
    case 'n': out += '\n'; break;
    case 'r': out += '\r'; break;
    case 't': out += '\t'; break;
    case 'u': {
      // \u{1F600}: one to six hex digits, a Unicode scalar value.
      size_t close = body.find('}', i);
      llvm::StringRef hex = (i + 1 < body.size() && body[i + 1] == '{' && close != llvm::StringRef::npos)
                                ? body.slice(i + 2, close)
                                : llvm::StringRef();
      unsigned long long cp = 0;
      bool ok = !hex.empty() && hex.size() <= 6 && !hex.getAsInteger(16, cp) && cp <= 0x10FFFF &&
                !(cp >= 0xD800 && cp <= 0xDFFF);
      if (!ok) {
        bad({escape, close != llvm::StringRef::npos && close < i + 10 ? close + 1 : escape + 2, true});
        break;
      }
      appendUtf8(out, static_cast<uint32_t>(cp));
      i = close;
      break;
    }
    default: bad({escape, escape + 2, false});
    }
  }
  return out;
}

std::string encodeStringLiteral(llvm::StringRef value) {
  std::string out = "\"";
  out.reserve(value.size() + 2);
  for (unsigned char c : value) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20 || c == 0x7F) out += fmt::format("\\u{{{:x}}}", c);
      else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

} // namespace ward
