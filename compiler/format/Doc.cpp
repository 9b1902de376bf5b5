#include "format/Doc.h"
#include "source/SourceManager.h"

namespace ward::format {

DocId Doc::leaf(Kind kind) {
  Node n;
  n.kind = kind;
  n.breaks = kind == Kind::Hard || kind == Kind::Blank || kind == Kind::BreakParent;
  nodes_.push_back(std::move(n));
  return static_cast<DocId>(nodes_.size() - 1);
}

llvm::StringRef Doc::own(std::string s) {
  strings_.push_back(std::move(s));
  return strings_.back();
}

DocId Doc::textRef(llvm::StringRef s) {
  Node n;
  n.kind = Kind::Text;
  n.width = countCodePoints(s);
  n.text = s;
  nodes_.push_back(n);
  return static_cast<DocId>(nodes_.size() - 1);
}

DocId Doc::text(std::string s) { return textRef(own(std::move(s))); }

DocId Doc::ifBreak(std::string broken, std::string flat) {
  Node n;
  n.kind = Kind::IfBreak;
  n.width = countCodePoints(flat);
  n.text = own(std::move(broken));
  n.flatText = own(std::move(flat));
  nodes_.push_back(n);
  return static_cast<DocId>(nodes_.size() - 1);
}

DocId Doc::container(Kind kind, std::vector<DocId> parts) {
  Node n;
  n.kind = kind;
  for (DocId p : parts) n.breaks = n.breaks || nodes_[p].breaks;
  n.firstPart = static_cast<uint32_t>(parts_.size());
  n.partCount = static_cast<uint32_t>(parts.size());
  parts_.insert(parts_.end(), parts.begin(), parts.end());
  nodes_.push_back(n);
  return static_cast<DocId>(nodes_.size() - 1);
}

DocId Doc::concat(std::vector<DocId> parts) { return container(Kind::Concat, std::move(parts)); }
DocId Doc::indent(std::vector<DocId> parts) { return container(Kind::Indent, std::move(parts)); }
DocId Doc::group(std::vector<DocId> parts) { return container(Kind::Group, std::move(parts)); }

struct Doc::Command {
  unsigned indent;
  bool flat;
  DocId doc;
};

// Whether `next`, printed flat, and what follows it up to the next line
// break fit in `room` columns.
bool Doc::fits(const Command &next, const std::vector<Command> &rest, int64_t room) const {
  std::vector<Command> stack{next};
  size_t restIndex = rest.size();
  while (room >= 0) {
    if (stack.empty()) {
      if (restIndex == 0) return true;
      stack.push_back(rest[--restIndex]);
    }
    Command c = stack.back();
    stack.pop_back();
    const Node &n = nodes_[c.doc];
    switch (n.kind) {
    case Kind::Text: room -= n.width; break;
    case Kind::IfBreak: room -= c.flat ? n.width : static_cast<int64_t>(countCodePoints(n.text)); break;
    case Kind::Space:
      if (!c.flat) return true;
      room -= 1;
      break;
    case Kind::Soft:
      if (!c.flat) return true;
      break;
    case Kind::Hard:
    case Kind::Blank: return true;
    case Kind::BreakParent: break;
    case Kind::Concat:
    case Kind::Indent:
    case Kind::Group: {
      bool flat = c.flat && !(n.kind == Kind::Group && n.breaks);
      for (uint32_t i = n.partCount; i-- > 0;) stack.push_back({c.indent, flat, parts_[n.firstPart + i]});
      break;
    }
    }
  }
  return false;
}

std::string Doc::print(DocId root, unsigned width, unsigned indentWidth) {
  std::string out;
  int64_t column = 0;
  std::vector<Command> stack{{0, false, root}};
  auto newline = [&](unsigned indent, bool blank) {
    while (!out.empty() && out.back() == ' ') out.pop_back(); // no trailing spaces
    out += blank ? "\n\n" : "\n";
    out.append(indent, ' ');
    column = indent;
  };
  while (!stack.empty()) {
    Command c = stack.back();
    stack.pop_back();
    const Node &n = nodes_[c.doc];
    switch (n.kind) {
    case Kind::Text:
      out.append(n.text.data(), n.text.size());
      column += n.width;
      break;
    case Kind::IfBreak:
      out.append(c.flat ? n.flatText.data() : n.text.data(), c.flat ? n.flatText.size() : n.text.size());
      column += c.flat ? n.width : countCodePoints(n.text);
      break;
    case Kind::Space:
      if (c.flat) {
        out += ' ';
        ++column;
      } else {
        newline(c.indent, false);
      }
      break;
    case Kind::Soft:
      if (!c.flat) newline(c.indent, false);
      break;
    case Kind::Hard: newline(c.indent, false); break;
    case Kind::Blank: newline(c.indent, true); break;
    case Kind::BreakParent: break;
    case Kind::Concat:
      for (uint32_t i = n.partCount; i-- > 0;) stack.push_back({c.indent, c.flat, parts_[n.firstPart + i]});
      break;
    case Kind::Indent:
      for (uint32_t i = n.partCount; i-- > 0;)
        stack.push_back({c.indent + indentWidth, c.flat, parts_[n.firstPart + i]});
      break;
    case Kind::Group: {
      bool flat = c.flat || (!n.breaks && fits({c.indent, true, c.doc}, stack, int64_t(width) - column));
      for (uint32_t i = n.partCount; i-- > 0;) stack.push_back({c.indent, flat, parts_[n.firstPart + i]});
      break;
    }
    }
  }
  return out;
}

} // namespace ward::format
