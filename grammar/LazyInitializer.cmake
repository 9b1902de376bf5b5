# Run after ANTLR generates a recognizer (cmake -DFILE=... -DCLASS=... -P):
# moves the deserialization of its ATN from a static initializer, which runs
# at every start of every program linking the grammar, to the first
# construction of the recognizer. Ward parses with its own parser and builds
# an ANTLR one only for the messages of a file that has a syntax error, so a
# clean check never pays for it (about a tenth of what `wardc check` of an
# empty directory executed). A function-local static is initialized once,
# and safely when several threads construct recognizers at once.
file(READ "${FILE}" text)

# Replaces `what` in the text, which must hold it: a change in ANTLR's
# output fails the build rather than leaving the initializer where it was.
function(replace_in_text what with)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${FILE}: no `${what}` (has ANTLR's output changed?)")
  endif()
  string(REPLACE "${what}" "${with}" replaced "${text}")
  set(text "${replaced}" PARENT_SCOPE)
endfunction()

replace_in_text("${CLASS}::Initializer ${CLASS}::_init;" "")
set(construction "  _interpreter = new atn::")
replace_in_text("${construction}"
                "  static const Initializer initializeOnFirstUse;\n  (void)initializeOnFirstUse;\n${construction}")
file(WRITE "${FILE}" "${text}")
