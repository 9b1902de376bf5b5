//===- Resolver.h - Name resolution across files and modules ----*- C++ -*-===//
//
// One namespace for every named declaration in the program (duplicates are
// errors wherever they are); visibility per file: a file sees its own
// declarations and those of the files and modules it imports directly.
// Capabilities are named per resource type (`backup.operate` on
// `azure.recovery_vault`), so they have their own table.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "resolve/Loader.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/DenseSet.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringMap.h>

#include <initializer_list>

namespace ward {

class Resolver {
public:
  Resolver(const SourceManager &sm, DiagnosticEngine &diags, Program &program);

  /// Reports duplicates and resolves every reference in the program's syntax.
  void run();

  /// `name` as seen from `from`, which must be one of `kinds`. `position`
  /// names the construct for messages ("`forward to`"). Reports and returns
  /// null when the name is unknown, not imported, or of another kind.
  const Decl *lookup(FileID from, const Name &name, std::initializer_list<DeclKind> kinds, llvm::StringRef position) {
    return lookup(from, name, kinds, position, diags_);
  }
  /// The same, reporting into `diags`: for checks that run apart on other
  /// threads, each into its own diagnostics. Reads the tables only.
  const Decl *lookup(FileID from, const Name &name, std::initializer_list<DeclKind> kinds, llvm::StringRef position,
                     DiagnosticEngine &diags) const;

  /// The capability `name` for the type of `resource`, as seen from `from`.
  const CapabilityDecl *lookupCapability(FileID from, const Name &name, const ResourceDecl &resource) {
    return lookupCapability(from, name, resource, diags_);
  }
  const CapabilityDecl *lookupCapability(FileID from, const Name &name, const ResourceDecl &resource,
                                         DiagnosticEngine &diags) const;

private:
  void indexDeclarations();
  /// Resolves `decl`'s references, reporting into `diags`; reads the tables only.
  void resolveDecl(Decl &decl, DiagnosticEngine &diags) const;
  llvm::SmallVector<FileID, 8> visibleFiles(FileID from) const; // no allocation per lookup
  /// How `from` imports the file that declares `decl`.
  std::string importHint(const Decl &decl, FileID from) const;

  const SourceManager &sm_;
  DiagnosticEngine &diags_;
  Program &program_;
  // Every named declaration but capabilities, by name: keys are the names
  // in the AST, which outlives the index.
  /// Hashes a declaration by its name, so that the index holds a pointer a
  /// name (8 bytes a slot), not the name beside it (24): a large policy has
  /// hundreds of thousands of names. Looked up by name with `find_as`.
  struct ByName {
    static const Decl *getEmptyKey() { return llvm::DenseMapInfo<const Decl *>::getEmptyKey(); }
    static const Decl *getTombstoneKey() { return llvm::DenseMapInfo<const Decl *>::getTombstoneKey(); }
    static unsigned getHashValue(llvm::StringRef name) {
      return llvm::DenseMapInfo<llvm::StringRef>::getHashValue(name);
    }
    static unsigned getHashValue(const Decl *decl) { return getHashValue(decl->name.text.ref()); }
    static bool isEqual(const Decl *a, const Decl *b) { return a == b; }
    static bool isEqual(llvm::StringRef name, const Decl *decl) {
      return decl != getEmptyKey() && decl != getTombstoneKey() && decl->name.text == name;
    }
  };
  /// The first declaration of every name but a capability's.
  const Decl *indexed(llvm::StringRef name) const {
    auto found = global_.find_as(name);
    return found == global_.end() ? nullptr : *found;
  }

  llvm::DenseSet<const Decl *, ByName> global_;
  llvm::StringMap<std::vector<const CapabilityDecl *>> capabilities_;
};

} // namespace ward
