#include "output/JsonWriter.h"
#include "source/ByteScan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ward::codegen {

#ifdef WARD_HAS_BYTESCAN16
/// Bytes that may need an escape: controls, `"`, `\`, DEL, `<`, `>`, and
/// 0xE2, which starts U+2028 and U+2029.
static __m128i mayNeedEscape(__m128i bytes) {
  __m128i quoteOrBackslash = _mm_or_si128(bytesEqual(bytes, '"'), bytesEqual(bytes, '\\'));
  __m128i angles = _mm_or_si128(bytesEqual(bytes, '<'), bytesEqual(bytes, '>'));
  __m128i delOrE2 = _mm_or_si128(bytesEqual(bytes, 0x7F), bytesEqual(bytes, static_cast<char>(0xE2)));
  return _mm_or_si128(_mm_or_si128(bytesAtMost(bytes, 0x1F), quoteOrBackslash), _mm_or_si128(angles, delOrE2));
}
#endif

void appendJsonString(std::string &out, llvm::StringRef text) {
  out += '"';
  size_t plainFrom = 0; // runs of bytes that need no escape are appended whole
  auto flush = [&](size_t upTo) { out.append(text.data() + plainFrom, upTo - plainFrom); };
  for (size_t i = 0; i < text.size(); ++i) {
#ifdef WARD_HAS_BYTESCAN16
    // Sixteen bytes a step to the next that may need an escape (most
    // values have none); the loop below decides for it and the last few.
    skipUntil16(text.data(), text.size(), i, mayNeedEscape);
    if (i == text.size()) break;
#endif
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool separator =
        c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0xA8 || static_cast<unsigned char>(text[i + 2]) == 0xA9);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F && c != '<' && c != '>' && !separator) continue;
    flush(i);
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    default:
      if (separator) {
        // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR end a line in
        // JavaScript source before ES2019; escaped, the text is safe anywhere.
        out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
        i += 2;
      } else {
        // Control characters; and `<`, `>`: never `</script>` or `<!--` in generated code.
        out += fmt::format("\\u{:04x}", c);
      }
    }
    plainFrom = i + 1;
  }
  flush(text.size());
  out += '"';
}

std::string quoteJsonString(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size() + 2);
  appendJsonString(out, text);
  return out;
}

static void write(std::string &out, const llvm::json::Value &v, unsigned indent);

static void writeObject(std::string &out, const llvm::json::Object &o, unsigned indent) {
  if (o.empty()) {
    out += "{}";
    return;
  }
  llvm::SmallVector<const llvm::json::Object::value_type *, 16> entries;
  for (const auto &entry : o) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto *a, const auto *b) { return llvm::StringRef(a->first) < llvm::StringRef(b->first); });
  out += "{\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    out.append((indent + 1) * 2, ' ');
    appendJsonString(out, entries[i]->first);
    out += ": ";
    write(out, entries[i]->second, indent + 1);
    out += i + 1 < entries.size() ? ",\n" : "\n";
  }
  out.append(indent * 2, ' ');
  out += '}';
}

static void write(std::string &out, const llvm::json::Value &v, unsigned indent) {
  switch (v.kind()) {
  case llvm::json::Value::Null: out += "null"; return;
  case llvm::json::Value::Boolean: out += *v.getAsBoolean() ? "true" : "false"; return;
  case llvm::json::Value::Number:
    if (auto i = v.getAsInteger()) {
      out += std::to_string(*i);
    } else {
      double d = *v.getAsNumber();
      out += std::isfinite(d) ? fmt::format("{}", d) : "null";
    }
    return;
  case llvm::json::Value::String: appendJsonString(out, *v.getAsString()); return;
  case llvm::json::Value::Array: {
    const llvm::json::Array &a = *v.getAsArray();
    if (a.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (size_t i = 0; i < a.size(); ++i) {
      out.append((indent + 1) * 2, ' ');
      write(out, a[i], indent + 1);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    out.append(indent * 2, ' ');
    out += ']';
    return;
  }
  case llvm::json::Value::Object: writeObject(out, *v.getAsObject(), indent); return;
  }
}

std::string writeJson(const llvm::json::Value &value) { return writeJsonNested(value, 0) + "\n"; }

std::string writeJsonNested(const llvm::json::Value &value, unsigned indent) {
  std::string out;
  write(out, value, indent);
  return out;
}

void JsonArrayDocument::add(const llvm::json::Value &element) {
  elements_ += count_++ == 0 ? "\n    " : ",\n    ";
  write(elements_, element, 2);
}

std::string JsonArrayDocument::print(const llvm::json::Value &element) {
  std::string text;
  write(text, element, 2);
  return text;
}

void JsonArrayDocument::addPrinted(llvm::StringRef printed) {
  elements_ += count_++ == 0 ? "\n    " : ",\n    ";
  elements_ += printed;
}

/// Members printed apart, as an object at `indent`: keys sorted.
static void writePrintedObject(std::string &out, std::vector<JsonArrayDocument::PrintedMember> members,
                               unsigned indent) {
  if (members.empty()) {
    out += "{}";
    return;
  }
  std::sort(members.begin(), members.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
  out += "{\n";
  for (size_t i = 0; i < members.size(); ++i) {
    out.append((indent + 1) * 2, ' ');
    appendJsonString(out, members[i].key);
    out += ": ";
    out += members[i].value;
    out += i + 1 < members.size() ? ",\n" : "\n";
  }
  out.append(indent * 2, ' ');
  out += '}';
}

std::string JsonArrayDocument::printObject(std::vector<PrintedMember> members) {
  std::string text;
  writePrintedObject(text, std::move(members), 1);
  return text;
}

std::string JsonArrayDocument::finish(const llvm::json::Object &head, llvm::StringRef arrayKey,
                                      std::vector<PrintedMember> printed) && {
  for (const auto &entry : head) {
    if (!(llvm::StringRef(entry.first) < arrayKey))
      llvm::report_fatal_error(llvm::Twine("JSON key `") + llvm::StringRef(entry.first) + "` would print after `" +
                               arrayKey + "`");
    std::string value;
    write(value, entry.second, 1);
    printed.push_back({std::string(llvm::StringRef(entry.first)), std::move(value)});
  }
  for (const PrintedMember &member : printed)
    if (!(llvm::StringRef(member.key) < arrayKey))
      llvm::report_fatal_error(llvm::Twine("JSON key `") + member.key + "` would print after `" + arrayKey + "`");
  std::string prefix;
  writePrintedObject(prefix, std::move(printed), 0);
  if (prefix == "{}") {
    prefix = "{";
  } else {
    prefix.resize(prefix.size() - 2); // the closing "\n}"
    prefix += ',';
  }
  prefix += "\n  ";
  appendJsonString(prefix, arrayKey);
  prefix += ": [";
  // The elements (maybe tens of megabytes) stay where they are, with the
  // rest put around them.
  elements_.insert(0, prefix);
  elements_ += count_ == 0 ? "]\n}\n" : "\n  ]\n}\n";
  return std::move(elements_);
}

} // namespace ward::codegen
