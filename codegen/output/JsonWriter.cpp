#include "output/JsonWriter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ward::codegen {

std::string quoteJsonString(llvm::StringRef text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    default:
      if (c < 0x20 || c == 0x7F) {
        out += fmt::format("\\u{:04x}", c);
      } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                 (static_cast<unsigned char>(text[i + 2]) == 0xA8 || static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
        // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR end a line in
        // JavaScript source before ES2019; escaped, the text is safe anywhere.
        out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
        i += 2;
      } else if (c == '<' || c == '>') {
        out += fmt::format("\\u{:04x}", c); // never `</script>` or `<!--` in generated code
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

static void write(std::string &out, const llvm::json::Value &v, unsigned indent) {
  std::string pad(indent * 2, ' '), inner((indent + 1) * 2, ' ');
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
  case llvm::json::Value::String: out += quoteJsonString(*v.getAsString()); return;
  case llvm::json::Value::Array: {
    const llvm::json::Array &a = *v.getAsArray();
    if (a.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (size_t i = 0; i < a.size(); ++i) {
      out += inner;
      write(out, a[i], indent + 1);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    out += pad + "]";
    return;
  }
  case llvm::json::Value::Object: {
    const llvm::json::Object &o = *v.getAsObject();
    if (o.empty()) {
      out += "{}";
      return;
    }
    std::vector<llvm::StringRef> keys;
    for (const auto &entry : o) keys.push_back(entry.first);
    std::sort(keys.begin(), keys.end());
    out += "{\n";
    for (size_t i = 0; i < keys.size(); ++i) {
      out += inner + quoteJsonString(keys[i]) + ": ";
      write(out, *o.get(keys[i]), indent + 1);
      out += i + 1 < keys.size() ? ",\n" : "\n";
    }
    out += pad + "}";
    return;
  }
  }
}

std::string writeJson(const llvm::json::Value &value) { return writeJsonNested(value, 0) + "\n"; }

std::string writeJsonNested(const llvm::json::Value &value, unsigned indent) {
  std::string out;
  write(out, value, indent);
  return out;
}

} // namespace ward::codegen
