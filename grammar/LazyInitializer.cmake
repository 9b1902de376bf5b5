# Run after ANTLR generates a recognizer (cmake -DFILE=... -DCLASS=... -P):
# moves the deserialization of its ATN from a static initializer, which runs
# at every start of every program linking the grammar, to the first
# construction of the recognizer. Ward parses with its own parser and builds
# an ANTLR one only for the messages of a file that has a syntax error, so a
# clean check never pays for it (about a fifth of what `wardc check` of an
# empty directory executes). A function-local static is initialized once,
# and safely when several threads construct parsers at once.
file(READ "${FILE}" text)
set(definition "${CLASS}::Initializer ${CLASS}::_init;")
string(FIND "${text}" "${definition}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FILE}: no `${definition}` (has ANTLR's output changed?)")
endif()
string(REPLACE "${definition}" "" text "${text}")
set(construction "  _interpreter = new atn::")
string(FIND "${text}" "${construction}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FILE}: no interpreter construction in ${CLASS}'s constructor")
endif()
string(REPLACE "${construction}" "  static const Initializer initializeOnFirstUse;\n  (void)initializeOnFirstUse;\n${construction}" text "${text}")
file(WRITE "${FILE}" "${text}")
