#include "analysis/Permissions.h"
#include "source/JsonCursor.h"
#include "source/Text.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <algorithm>

namespace ward::analysis {

static llvm::SmallVector<llvm::StringRef, 8> segments(llvm::StringRef s) {
  llvm::SmallVector<llvm::StringRef, 8> out;
  s.split(out, '/');
  return out;
}

/// Where the first segment that is exactly `*` starts in `pattern`, or npos.
static size_t starSegment(llvm::StringRef pattern) {
  for (size_t at = pattern.find('*'); at != llvm::StringRef::npos; at = pattern.find('*', at + 1)) {
    bool startsSegment = at == 0 || pattern[at - 1] == '/';
    bool endsSegment = at + 1 == pattern.size() || pattern[at + 1] == '/';
    if (startsSegment && endsSegment) return at;
  }
  return llvm::StringRef::npos;
}

bool actionMatches(llvm::StringRef pattern, llvm::StringRef action) {
  // Compared as text, never split: the rules match every need against every
  // grant, and the catalog's ~20,000 operations against each pattern.
  size_t star = starSegment(pattern);
  // No `*` segment (a `*` inside a segment is literal): segment by segment,
  // which is the whole text.
  if (star == llvm::StringRef::npos) return equalsIgnoringCase(pattern, action);
  // The segments before the `*` (with their `/`) begin the action, those
  // after it (with theirs) end it, and the `*` stands for what is between:
  // at least one segment, which the two `/` around it make even when empty.
  // Segments after the first `*` are literal, a second `*` included.
  llvm::StringRef before = pattern.take_front(star), after = pattern.drop_front(star + 1);
  return before.size() + after.size() <= action.size() && startsWithIgnoringCase(action, before) &&
         endsWithIgnoringCase(action, after);
}

bool isWellFormedAction(llvm::StringRef action) {
  if (action.count('*') > 1) return false;
  for (llvm::StringRef s : segments(action))
    if (s.empty() || (s.contains('*') && s != "*")) return false;
  return true;
}

std::string providerOf(llvm::StringRef action) { return action.split('/').first.lower(); }

bool PermissionSet::allows(llvm::StringRef action, bool dataAction) const {
  const auto &grants = dataAction ? dataActions : actions;
  const auto &excluded = dataAction ? notDataActions : notActions;
  auto matches = [&](llvm::StringRef p) { return actionMatches(p, action); };
  return std::any_of(grants.begin(), grants.end(), matches) && std::none_of(excluded.begin(), excluded.end(), matches);
}

bool RoleDefinition::allows(llvm::StringRef action, bool dataAction) const {
  return std::any_of(permissions.begin(), permissions.end(),
                     [&](const PermissionSet &p) { return p.allows(action, dataAction); });
}

bool RoleDefinition::hasDataActions() const {
  return std::any_of(permissions.begin(), permissions.end(), [](const PermissionSet &p) { return p.hasDataActions(); });
}

namespace {
/// A list of strings; other values in it are passed over.
bool readStringList(JsonCursor &json, llvm::StringSaver &saver, std::vector<llvm::StringRef> &out) {
  llvm::StringRef item;
  return json.forEachElement(JsonCursor::Kind::String, [&] {
    if (!json.readString(item, saver)) return false;
    out.push_back(item);
    return true;
  });
}

/// A string member; any other value reads as "".
bool readText(JsonCursor &json, llvm::StringSaver &saver, llvm::StringRef &out) {
  out = {};
  return json.peek() == JsonCursor::Kind::String ? json.readString(out, saver) : json.skipValue();
}

bool readPermissions(JsonCursor &json, llvm::StringSaver &saver, std::vector<PermissionSet> &out) {
  return json.forEachElement(JsonCursor::Kind::Object, [&] {
    PermissionSet set;
    bool read = json.forEachMember([&](llvm::StringRef key) {
      return key == "actions"          ? readStringList(json, saver, set.actions)
             : key == "notActions"     ? readStringList(json, saver, set.notActions)
             : key == "dataActions"    ? readStringList(json, saver, set.dataActions)
             : key == "notDataActions" ? readStringList(json, saver, set.notDataActions)
                                       : json.skipValue();
    });
    out.push_back(std::move(set));
    return read;
  });
}

bool readRole(JsonCursor &json, llvm::StringSaver &saver, RoleDefinition &role) {
  return json.forEachMember([&](llvm::StringRef key) {
    return key == "name"          ? readText(json, saver, role.id)
           : key == "roleName"    ? readText(json, saver, role.name)
           : key == "description" ? readText(json, saver, role.description)
           : key == "permissions" ? readPermissions(json, saver, role.permissions)
                                  : json.skipValue();
  });
}
} // namespace

llvm::Error RoleCatalog::load(llvm::StringRef path) {
  // Read, not mapped: the language server keeps the catalogue while the
  // file may be rewritten in place by an upgrade.
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false,
                                            /*IsVolatile=*/true);
  if (!buffer) return llvm::createStringError(buffer.getError(), "cannot read %s", path.str().c_str());
  return readKept(std::move(*buffer), path);
}

llvm::Error RoleCatalog::read(llvm::StringRef text, llvm::StringRef path) {
  return readKept(llvm::MemoryBuffer::getMemBufferCopy(text, path), path);
}

llvm::Error RoleCatalog::readKept(std::shared_ptr<const llvm::MemoryBuffer> file, llvm::StringRef path) {
  file_ = std::move(file);
  decoded_ = std::make_shared<llvm::BumpPtrAllocator>();
  roles_.clear();
  byLowerName_.clear();
  llvm::StringSaver saver(*decoded_);
  // Read where it stands, never as a tree: every process reads the catalog,
  // and most checks are of policies far smaller than it (JsonCursor.h).
  JsonCursor json(file_->getBuffer());
  if (json.peek() != JsonCursor::Kind::Array) {
    if (json.failed())
      return llvm::createStringError(std::errc::invalid_argument, "%s: %s", path.str().c_str(), json.error().c_str());
    return llvm::createStringError(std::errc::invalid_argument, "%s: expected an array", path.str().c_str());
  }
  json.forEachElement(JsonCursor::Kind::Object, [&] {
    RoleDefinition role;
    if (!readRole(json, saver, role)) return false;
    byLowerName_[role.name.lower()] = roles_.size();
    roles_.push_back(std::move(role));
    return true;
  });
  if (!json.finish())
    return llvm::createStringError(std::errc::invalid_argument, "%s: %s", path.str().c_str(), json.error().c_str());
  return llvm::Error::success();
}

const RoleDefinition *RoleCatalog::byName(llvm::StringRef name) const {
  auto it = byLowerName_.find(name.lower());
  return it == byLowerName_.end() ? nullptr : &roles_[it->second];
}

std::vector<std::string> RoleCatalog::names() const {
  std::vector<std::string> out;
  for (const RoleDefinition &r : roles_) out.push_back(r.name.str());
  return out;
}

void OperationCatalog::add(llvm::StringRef operation, bool dataAction) {
  // Looked up as spelled: most operations the roles name are in the catalog
  // already, and are passed over without a copy.
  auto &known = dataAction ? knownDataActions_ : knownActions_;
  if (known.count(operation)) return;
  llvm::StringRef kept = keep(operation);
  known.insert(kept);
  providers_.insert(kept.split('/').first);
  (dataAction ? dataActions_ : actions_).push_back(kept);
}

llvm::StringRef OperationCatalog::keep(llvm::StringRef text) {
  // use_count: an arena shared with another catalogue is never added to.
  if (spellings_.empty() || spellings_.back().use_count() > 1)
    spellings_.push_back(std::make_shared<llvm::BumpPtrAllocator>());
  return llvm::StringSaver(*spellings_.back()).save(text);
}

llvm::Error OperationCatalog::loadDirectory(llvm::StringRef dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".txt") files.push_back(it->path());
  if (ec) return llvm::createStringError(ec, "cannot list %s", dir.str().c_str());
  std::sort(files.begin(), files.end());
  for (const std::string &file : files) {
    auto buffer = llvm::MemoryBuffer::getFile(file);
    if (!buffer) return llvm::createStringError(buffer.getError(), "cannot read %s", file.c_str());
    for (llvm::StringRef rest = (*buffer)->getBuffer(); !rest.empty();) {
      llvm::StringRef line;
      std::tie(line, rest) = rest.split('\n');
      auto [kind, name] = line.trim().split('\t');
      if (kind == "action") add(name.trim(), false);
      else if (kind == "dataAction") add(name.trim(), true);
    }
  }
  return llvm::Error::success();
}

void OperationCatalog::addRoles(const RoleCatalog &roles) {
  for (const RoleDefinition &role : roles.roles())
    for (const PermissionSet &p : role.permissions) {
      for (llvm::StringRef a : p.actions)
        if (!a.contains('*')) add(a, false);
      for (llvm::StringRef a : p.dataActions)
        if (!a.contains('*')) add(a, true);
    }
}

OperationCatalog::Status OperationCatalog::lookup(llvm::StringRef action, bool dataAction) const {
  llvm::StringRef provider = action.split('/').first; // providers_ compares without case
  if (provider != "*" && !providers_.count(provider)) return Status::UncataloguedProvider;
  auto known = [&](bool data) {
    if (!action.contains('*')) return (data ? knownDataActions_ : knownActions_).count(action) > 0;
    const auto &entries = list(data);
    return std::any_of(entries.begin(), entries.end(), [&](llvm::StringRef e) { return actionMatches(action, e); });
  };
  if (known(dataAction)) return Status::Known;
  if (known(!dataAction)) return Status::KnownAsOtherKind;
  return Status::Unknown;
}

std::vector<std::string> OperationCatalog::closest(llvm::StringRef action, bool dataAction, size_t limit) const {
  std::string lower = action.lower(), provider = providerOf(action);
  std::vector<std::pair<unsigned, std::string>> scored;
  for (llvm::StringRef spelling : list(dataAction)) {
    if (!equalsIgnoringCase(spelling.split('/').first, provider)) continue;
    unsigned d = llvm::StringRef(lower).edit_distance(spelling.lower(), true, 12);
    if (d <= std::max<size_t>(3, lower.size() / 4)) scored.emplace_back(d, spelling.str());
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto &s : scored) {
    if (out.size() == limit) break;
    out.push_back(s.second);
  }
  return out;
}

std::vector<llvm::StringRef> OperationCatalog::matching(llvm::StringRef pattern, bool dataAction) const {
  if (pattern == "*") return list(dataAction); // every operation: W006 asks on every check
  std::vector<llvm::StringRef> out;
  for (llvm::StringRef spelling : list(dataAction))
    if (actionMatches(pattern, spelling)) out.push_back(spelling);
  return out;
}

std::string Scope::id() const {
  switch (level) {
  case Level::ManagementGroup: return concat({"/providers/Microsoft.Management/managementGroups/", managementGroup});
  case Level::Subscription: return concat({"/subscriptions/", subscription});
  case Level::ResourceGroup: return concat({"/subscriptions/", subscription, "/resourceGroups/", resourceGroup});
  case Level::Resource:
    return concat(
        {"/subscriptions/", subscription, "/resourceGroups/", resourceGroup, "/providers/", resourceType, "/", name});
  }
  return "";
}

bool Scope::contains(const Scope &o) const {
  if (level == Level::ManagementGroup)
    return o.level != Level::ManagementGroup || equalsIgnoringCase(managementGroup, o.managementGroup);
  if (o.level == Level::ManagementGroup || o.level < level) return false;
  if (!equalsIgnoringCase(subscription, o.subscription)) return false;
  if (level == Level::Subscription) return true;
  if (!equalsIgnoringCase(resourceGroup, o.resourceGroup)) return false;
  if (level == Level::ResourceGroup) return true;
  return equalsIgnoringCase(resourceType, o.resourceType) && equalsIgnoringCase(name, o.name);
}

Scope Scope::commonAncestor(const Scope &a, const Scope &b) {
  if (a.contains(b)) return a;
  if (b.contains(a)) return b;
  Scope s = a;
  s.resourceType = {};
  s.name = {};
  if (a.level >= Level::ResourceGroup && b.level >= Level::ResourceGroup &&
      equalsIgnoringCase(a.subscription, b.subscription) && equalsIgnoringCase(a.resourceGroup, b.resourceGroup)) {
    s.level = Level::ResourceGroup;
    return s;
  }
  s.resourceGroup = {};
  if (a.level >= Level::Subscription && b.level >= Level::Subscription &&
      equalsIgnoringCase(a.subscription, b.subscription)) {
    s.level = Level::Subscription;
    return s;
  }
  s.level = Level::ManagementGroup;
  s.subscription = {};
  s.managementGroup = a.level == Level::ManagementGroup ? a.managementGroup : b.managementGroup;
  return s;
}

llvm::StringRef Scope::levelName() const {
  switch (level) {
  case Level::ManagementGroup: return "management group";
  case Level::Subscription: return "subscription";
  case Level::ResourceGroup: return "resource group";
  case Level::Resource: return "resource";
  }
  return "scope";
}

} // namespace ward::analysis
