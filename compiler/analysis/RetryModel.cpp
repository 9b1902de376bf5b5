#include "analysis/RetryModel.h"
#include "sema/ValueChecks.h"

#include <algorithm>

namespace ward::analysis {

static const Value *fieldOf(const Value &object, llvm::StringRef key) {
  for (const Field &f : object.fields)
    if (f.key.text == key) return &f.value;
  return nullptr;
}

static int64_t millisOf(const Value *v) { return v ? sema::durationMillis(*v).value_or(0) : 0; }

RetrySpec RetrySpec::from(const RetryDecl &decl) {
  RetrySpec r;
  r.decl = &decl;
  r.name = decl.name.text;
  if (const Attribute *a = decl.attrs.find("attempts")) r.attempts = static_cast<int64_t>(a->value.number);
  if (const Attribute *a = decl.attrs.find("per_try_timeout")) r.perTryTimeoutMs = millisOf(&a->value);
  if (const Attribute *a = decl.attrs.find("backoff")) {
    const Value &call = a->value;
    r.backoffKind = call.text;
    if (call.text == "constant") {
      r.initialMs = r.maxMs = millisOf(fieldOf(call, "delay"));
      r.multiplier = 1.0;
    } else {
      r.initialMs = millisOf(fieldOf(call, "initial"));
      r.maxMs = millisOf(fieldOf(call, "max"));
      if (const Value *m = fieldOf(call, "multiplier")) r.multiplier = m->number;
    }
    if (const Value *j = fieldOf(call, "jitter")) r.jitter = j->text;
  }
  if (const Attribute *a = decl.attrs.find("on"))
    for (const Value &v : a->value.items) {
      if (v.kind == Value::Kind::Number) r.statuses.push_back(static_cast<int64_t>(v.number));
      else r.conditions.push_back(v.text);
    }
  std::sort(r.statuses.begin(), r.statuses.end());
  r.statuses.erase(std::unique(r.statuses.begin(), r.statuses.end()), r.statuses.end());
  std::sort(r.conditions.begin(), r.conditions.end());
  r.conditions.erase(std::unique(r.conditions.begin(), r.conditions.end()), r.conditions.end());
  if (const Attribute *a = decl.attrs.find("budget")) {
    if (const Value *ratio = fieldOf(a->value, "ratio"))
      r.budgetRatio = ratio->unit == "%" ? ratio->number / 100.0 : ratio->number;
    if (const Value *floor = fieldOf(a->value, "min_per_second")) r.budgetMinPerSecond = static_cast<int64_t>(floor->number);
  }
  if (const Attribute *a = decl.attrs.find("idempotency_key")) r.idempotencyKey = a->value.text;
  return r;
}

std::vector<int64_t> RetrySpec::backoffCaps() const {
  std::vector<int64_t> caps;
  double next = double(initialMs);
  for (int64_t i = 1; i < attempts; ++i) {
    caps.push_back(backoffKind == "none" ? 0 : std::min<int64_t>(static_cast<int64_t>(next), maxMs));
    next = std::min(next * multiplier, double(maxMs));
  }
  return caps;
}

int64_t RetrySpec::worstCaseMs() const {
  int64_t total = attempts * perTryTimeoutMs.value_or(0);
  for (int64_t c : backoffCaps()) total += c;
  return total;
}

} // namespace ward::analysis
