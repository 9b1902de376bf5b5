//===- Doc.h - Layout documents and the printer that fits them --*- C++ -*-===//
//
// The formatter describes a file as a document: texts, line breaks and groups
// (Wadler's "prettier printer"). The printer puts a group on one line when it
// fits in the line width, and breaks every line of it otherwise; a group that
// holds a hard break (two items in a block, a line comment) always breaks.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace ward::format {

using DocId = uint32_t;

class Doc {
public:
  enum class Kind {
    Text,        // printed as is (no line break inside)
    Space,       // " " in a flat group, a line break in a broken one
    Soft,        // "" in a flat group, a line break in a broken one
    Hard,        // always a line break
    Blank,       // always a line break and one empty line
    Concat,      // its parts in order
    Indent,      // its parts, with line breaks indented one more level
    Group,       // its parts, flat if they fit, else broken
    IfBreak,     // `text` when the enclosing group is broken, `flatText` when flat
    BreakParent, // prints nothing; every group around it breaks (after a line comment)
  };

  DocId text(std::string s);
  /// Text that outlives the document (the source buffer): not copied.
  DocId textRef(llvm::StringRef s);
  DocId space() { return leaf(Kind::Space); }
  DocId soft() { return leaf(Kind::Soft); }
  DocId hard() { return leaf(Kind::Hard); }
  DocId blank() { return leaf(Kind::Blank); }
  DocId breakParent() { return leaf(Kind::BreakParent); }
  DocId ifBreak(std::string broken, std::string flat);
  DocId concat(std::vector<DocId> parts);
  DocId indent(std::vector<DocId> parts);
  DocId group(std::vector<DocId> parts);

  /// Prints `root` with `width` columns (counted in code points) and an
  /// indent of `indentWidth` spaces per level.
  std::string print(DocId root, unsigned width, unsigned indentWidth = 2);

private:
  struct Node {
    Kind kind = Kind::Text;
    bool breaks = false; // a hard break inside: never flat
    uint32_t width = 0;  // Text, IfBreak: flat width
    llvm::StringRef text, flatText;
    uint32_t firstPart = 0, partCount = 0; // containers: parts_[firstPart, firstPart + partCount)
  };
  llvm::StringRef own(std::string s);
  DocId leaf(Kind kind);
  DocId container(Kind kind, std::vector<DocId> parts);
  struct Command;
  bool fits(const Command &next, const std::vector<Command> &rest, int64_t room) const;

  std::vector<Node> nodes_;
  std::vector<DocId> parts_;
  std::deque<std::string> strings_; // texts the document owns (stable addresses)
};

} // namespace ward::format
