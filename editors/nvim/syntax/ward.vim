" Ward policies: keywords of grammar/Ward.g4, strings, numbers and durations,
" comments and `ward-ignore` suppressions.
if exists("b:current_syntax")
  finish
endif

syntax keyword wardDeclaration tenant issuer template identity resource type capability retry edgeworker backup import
syntax keyword wardKeyword allow grant to on in by when role actions data_actions route require token from forward
syntax keyword wardKeyword redirect respond deny poll through default protect schedule trigger hourly daily weekly every for at zone
syntax match wardNumber "\<[0-9]\+\(\.[0-9]\+\)\?\(ms\|mo\|s\|m\|h\|d\|w\|y\|%\)\?\>"
syntax region wardString start=+"+ skip=+\\.+ end=+"\|$+ contains=wardEscape
syntax match wardEscape contained +\\\(["\\/nrt]\|u{[0-9A-Fa-f]\{1,6}}\)+
syntax match wardSuppression contained "ward-ignore"
syntax match wardComment "//.*$" contains=wardSuppression
syntax region wardComment start="/\*" end="\*/"

highlight default link wardDeclaration Structure
highlight default link wardKeyword Keyword
highlight default link wardNumber Number
highlight default link wardString String
highlight default link wardEscape SpecialChar
highlight default link wardComment Comment
highlight default link wardSuppression Todo

let b:current_syntax = "ward"
