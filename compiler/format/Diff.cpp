#include "format/Diff.h"

#include <llvm/ADT/SmallVector.h>
#include <fmt/format.h>

#include <vector>

namespace ward::format {
namespace {

std::vector<llvm::StringRef> linesOf(llvm::StringRef text) {
  std::vector<llvm::StringRef> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    lines.push_back(text.take_front(nl == llvm::StringRef::npos ? text.size() : nl + 1));
    text = text.drop_front(lines.back().size());
  }
  return lines;
}

enum class Op { Keep, Remove, Add };

/// Myers' O(ND) shortest edit script, recovered from the saved frontiers.
std::vector<Op> editScript(const std::vector<llvm::StringRef> &a, const std::vector<llvm::StringRef> &b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size()), offset = n + m + 1;
  std::vector<int> v(2 * offset + 1, 0);
  std::vector<std::vector<int>> trace;
  for (int d = 0; d <= n + m; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x =
          (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        std::vector<Op> ops;
        for (int dd = d; dd > 0; --dd) {
          const std::vector<int> &pv = trace[dd];
          int kk = x - y;
          int prevK = (kk == -dd || (kk != dd && pv[offset + kk - 1] < pv[offset + kk + 1])) ? kk + 1 : kk - 1;
          int prevX = pv[offset + prevK], prevY = prevX - prevK;
          while (x > prevX && y > prevY) ops.push_back(Op::Keep), --x, --y;
          ops.push_back(x == prevX ? Op::Add : Op::Remove);
          x = prevX, y = prevY;
        }
        while (x > 0 && y > 0) ops.push_back(Op::Keep), --x, --y;
        return {ops.rbegin(), ops.rend()};
      }
    }
  }
  return {};
}

} // namespace

std::string unifiedDiff(llvm::StringRef before, llvm::StringRef after, llvm::StringRef fromPath,
                        llvm::StringRef toPath) {
  if (before == after) return "";
  std::vector<llvm::StringRef> a = linesOf(before), b = linesOf(after);
  std::vector<Op> ops = editScript(a, b);
  std::string out = fmt::format("--- {}\n+++ {}\n", fromPath.str(), toPath.str());
  const size_t context = 3;
  auto line = [](char mark, llvm::StringRef text) {
    std::string s(1, mark);
    s += text.str();
    if (s.back() != '\n') s += "\n\\ No newline at end of file\n";
    return s;
  };
  std::vector<size_t> changes;
  for (size_t j = 0; j < ops.size(); ++j)
    if (ops[j] != Op::Keep) changes.push_back(j);
  for (size_t c = 0; c < changes.size();) {
    // A hunk: changes no more than 2 * context kept lines apart, with
    // `context` kept lines around them.
    size_t last = c;
    while (last + 1 < changes.size() && changes[last + 1] - changes[last] - 1 <= 2 * context) ++last;
    size_t start = changes[c] >= context ? changes[c] - context : 0;
    size_t end = std::min(ops.size(), changes[last] + 1 + context);
    size_t ai = 0, bi = 0;
    for (size_t j = 0; j < start; ++j) ai += ops[j] != Op::Add, bi += ops[j] != Op::Remove;
    size_t aCount = 0, bCount = 0;
    std::string body;
    for (size_t j = start, x = ai, y = bi; j < end; ++j) {
      if (ops[j] == Op::Keep) body += line(' ', a[x++]), ++y, ++aCount, ++bCount;
      else if (ops[j] == Op::Remove) body += line('-', a[x++]), ++aCount;
      else body += line('+', b[y++]), ++bCount;
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", aCount ? ai + 1 : ai, aCount, bCount ? bi + 1 : bi, bCount);
    out += body;
    c = last + 1;
  }
  return out;
}

} // namespace ward::format
