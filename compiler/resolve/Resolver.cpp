#include "resolve/Resolver.h"
#include "resolve/ParallelDecls.h"
#include "source/PhaseTimer.h"
#include "ast/Walk.h"
#include "source/Text.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace ward {

Resolver::Resolver(const SourceManager &sm, DiagnosticEngine &diags, Program &program)
    : sm_(sm), diags_(diags), program_(program) {}

void Resolver::indexDeclarations() {
  // Sized once: a large policy has hundreds of thousands of names, and a
  // table grown by doubling hashes each of them again at every step.
  size_t count = 0;
  for (auto &file : program_.files) count += file->decls.size();
  global_.clear();
  global_.reserve(static_cast<unsigned>(count));
  for (auto &file : program_.files) {
    for (auto &declPtr : file->decls) {
      const Decl *decl = declPtr.get();
      if (decl->name.empty()) continue; // allow, grant
      if (auto *cap = llvm::dyn_cast<CapabilityDecl>(decl)) {
        auto &same = capabilities_[cap->name.text];
        for (const CapabilityDecl *other : same)
          if (other->resourceType.name.text == cap->resourceType.name.text) {
            diags_
                .report(DiagID::DuplicateName, cap->name.range,
                        fmt::format("capability `{}` on `{}` is declared twice", cap->name.text,
                                    cap->resourceType.name.text))
                .label(other->name.range, "first declared here")
                .withHelp("rename one of them, or merge their actions");
          }
        same.push_back(cap);
        continue;
      }
      auto [it, inserted] = global_.insert_as(decl, decl->name.text.ref());
      if (!inserted) {
        const Decl *first = *it;
        diags_.report(DiagID::DuplicateName, decl->name.range, fmt::format("`{}` is declared twice", decl->name.text))
            .label(first->name.range, fmt::format("first declared here as {}", declKindNoun(first->kind()).str()))
            .withHelp("every tenant, issuer, identity, resource, retry, edgeworker and backup needs a unique name");
        continue;
      }
    }
  }
}

llvm::SmallVector<FileID, 8> Resolver::visibleFiles(FileID from) const {
  llvm::SmallVector<FileID, 8> files{from};
  if (SourceFile *file = program_.file(from))
    for (const Import &imp : file->imports)
      if (imp.resolved) files.push_back(imp.resolved);
  return files;
}

std::string Resolver::importHint(const Decl &decl, FileID from) const {
  SourceFile *owner = program_.file(decl.file);
  if (owner && !owner->moduleName.empty()) return fmt::format("`import {}`", owner->moduleName);
  std::string target = owner ? owner->path : sm_.displayPath(decl.file);
  // Relative to the importing file's directory: the form its `import "..."` resolves.
  llvm::SmallString<256> dir(sm_.displayPath(from));
  llvm::sys::path::remove_filename(dir);
  return fmt::format("`import \"{}\"`", relativePath(target, dir));
}

static std::string describeKinds(std::initializer_list<DeclKind> kinds) {
  std::vector<std::string> nouns;
  for (DeclKind k : kinds) nouns.push_back(declKindNoun(k).str());
  return joinAlternatives(nouns, "or");
}

const Decl *Resolver::lookup(FileID from, const Name &name, std::initializer_list<DeclKind> kinds,
                             llvm::StringRef position, DiagnosticEngine &diags) const {
  auto wanted = [&](const Decl *d) { return std::find(kinds.begin(), kinds.end(), d->kind()) != kinds.end(); };
  // Names are unique in the program (a second declaration is an error and
  // never indexed), so the one declaration of the name is visible or not.
  llvm::SmallVector<FileID, 8> visible = visibleFiles(from);
  const Decl *found = indexed(name.text);
  if (found && llvm::is_contained(visible, found->file)) {
    if (wanted(found)) return found;
    diags
        .report(DiagID::WrongKind, name.range,
                fmt::format("`{}` is {}, but {} needs {}", name.text, declKindNoun(found->kind()).str(), position.str(),
                            describeKinds(kinds)))
        .label(found->name.range, fmt::format("`{}` declared here", name.text));
    return nullptr;
  }
  // Declared, but somewhere this file does not import?
  if (found && wanted(found)) {
    diags
        .report(DiagID::NotImported, name.range,
                fmt::format("`{}` is declared in `{}`, which this file does not import", name.text,
                            sm_.displayPath(found->file)))
        .label(found->name.range, "declared here")
        .withHelp(fmt::format("add {} at the top of this file", importHint(*found, from)));
    return nullptr;
  }
  // Its declaration did not parse, and that error is already reported.
  if (program_.mayBeBroken(name.text)) return nullptr;
  std::vector<std::string> candidates;
  for (FileID file : visible) {
    const SourceFile *source = program_.file(file);
    if (!source) continue;
    // What the index holds of the file: not a second declaration of a name.
    for (const auto &decl : source->decls)
      if (wanted(decl.get()) && !decl->name.empty() && indexed(decl->name.text) == decl.get())
        candidates.push_back(decl->name.text.str());
  }
  std::sort(candidates.begin(), candidates.end());
  DiagnosticBuilder d = diags.report(DiagID::UnknownName, name.range,
                                     fmt::format("unknown {} `{}`", declKindKeyword(*kinds.begin()).str(), name.text));
  std::vector<std::string> close = closestNames(name.text, candidates);
  if (!close.empty()) {
    d.withHelp(fmt::format("did you mean `{}`?", close.front())).suggest(name.range, close.front());
    if (const Decl *closest = indexed(close.front()))
      d.label(closest->name.range, fmt::format("`{}` declared here", close.front()));
  } else if (candidates.empty()) {
    d.withHelp(
        fmt::format("declare {} named `{}` or import the file that declares it", describeKinds(kinds), name.text));
  } else if (candidates.size() <= 6) {
    std::vector<std::string> quoted;
    for (auto &c : candidates) quoted.push_back("`" + c + "`");
    d.withHelp(fmt::format("known here: {}", joinAlternatives(quoted, "and")));
  }
  return nullptr;
}

const CapabilityDecl *Resolver::lookupCapability(FileID from, const Name &name, const ResourceDecl &resource,
                                                 DiagnosticEngine &diags) const {
  const ResourceTypeDecl *type = resource.typeDecl();
  if (!type) return nullptr; // the resource's own error was reported
  llvm::SmallVector<FileID, 8> visible = visibleFiles(from);
  auto isVisible = [&](const Decl *d) { return std::find(visible.begin(), visible.end(), d->file) != visible.end(); };

  auto it = capabilities_.find(name.text);
  if (it != capabilities_.end()) {
    const CapabilityDecl *otherType = nullptr;
    for (const CapabilityDecl *cap : it->second) {
      if (cap->resourceType.target != type) {
        otherType = cap;
        continue;
      }
      if (isVisible(cap)) return cap;
      diags
          .report(DiagID::NotImported, name.range,
                  fmt::format("capability `{}` is declared in `{}`, which this file does not import", name.text,
                              sm_.displayPath(cap->file)))
          .withHelp(fmt::format("add {} at the top of this file", importHint(*cap, from)));
      return nullptr;
    }
    if (otherType) {
      diags
          .report(DiagID::WrongKind, name.range,
                  fmt::format("capability `{}` applies to `{}`, but `{}` is `{}`", name.text,
                              otherType->resourceType.name.text, resource.name.text, type->name.text))
          .label(resource.type.name.range, fmt::format("`{}` has type `{}`", resource.name.text, type->name.text))
          .withHelp(fmt::format("use a capability declared `on {}`", type->name.text));
      return nullptr;
    }
  }
  std::vector<std::string> candidates;
  for (auto &entry : capabilities_)
    for (const CapabilityDecl *cap : entry.getValue())
      if (cap->resourceType.target == type && isVisible(cap)) candidates.push_back(cap->name.text.str());
  std::sort(candidates.begin(), candidates.end());
  DiagnosticBuilder d = diags.report(DiagID::UnknownName, name.range,
                                     fmt::format("unknown capability `{}` for `{}`", name.text, type->name.text));
  std::vector<std::string> close = closestNames(name.text, candidates);
  if (!close.empty()) {
    d.withHelp(fmt::format("did you mean `{}`?", close.front())).suggest(name.range, close.front());
  } else if (!candidates.empty()) {
    std::vector<std::string> quoted;
    for (auto &c : candidates) quoted.push_back("`" + c + "`");
    d.withHelp(fmt::format("capabilities on `{}`: {}", type->name.text, joinAlternatives(quoted, "and")));
  } else {
    d.withHelp(fmt::format("declare it: `capability {} on {} {{ actions = [...] }}`", name.text, type->name.text));
  }
  return nullptr;
}

void Resolver::resolveDecl(Decl &decl, DiagnosticEngine &diags) const {
  const ResourceDecl *allowed = nullptr; // an allow's resource, for its capability
  forEachRef(decl, [&](Ref &ref, RefSite site) {
    if (site == RefSite::AllowCapability) {
      if (allowed) ref.target = lookupCapability(decl.file, ref.name, *allowed, diags);
      return;
    }
    const RefSiteInfo &info = refSiteInfo(site);
    ref.target = lookup(decl.file, ref.name, {info.kind}, info.position, diags);
    if (site == RefSite::AllowResource) allowed = llvm::dyn_cast_or_null<ResourceDecl>(ref.target);
  });
}

void Resolver::run() {
  PhaseTimer timer("  resolve");
  indexDeclarations();
  timer.mark("index");
  // Resources and capabilities first, so that capability lookups see
  // resolved resource types. Each declaration's references are its own.
  for (bool typed : {true, false})
    forEachDeclInParallel(
        program_, sm_, diags_,
        [&](const Decl &decl) { return (llvm::isa<ResourceDecl>(decl) || llvm::isa<CapabilityDecl>(decl)) == typed; },
        [&](SourceFile &, Decl &decl, DiagnosticEngine &found) { resolveDecl(decl, found); });
  timer.mark("references");
}

} // namespace ward
