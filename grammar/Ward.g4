// Ward policy language.
//
// Every construct starts with a keyword, so the parser decides with one token
// of look-ahead almost everywhere; that keeps SLL prediction cheap on large
// inputs. Semantic validation (which attributes a declaration accepts, value
// kinds, units, ranges) happens after parsing, in compiler/Sema, where the
// messages can name the declaration and suggest fixes.
grammar Ward;

file : topLevel* EOF ;

topLevel
  : importDecl
  | tenantDecl
  | issuerTemplateDecl
  | issuerDecl
  | identityDecl
  | resourceTypeDecl
  | resourceDecl
  | capabilityDecl
  | allowDecl
  | grantDecl
  | retryDecl
  | edgeworkerDecl
  | backupDecl
  ;

// import std.azure        (a stdlib module)
// import "shared/ids.ward" (a file, relative to the importing file)
importDecl : IMPORT (qualifiedName | STRING) ;

tenantDecl         : TENANT name attrBlock ;
issuerTemplateDecl : ISSUER TEMPLATE qualifiedName '(' name (',' name)* ')' attrBlock ;
issuerDecl         : ISSUER name (':' qualifiedName)? attrBlock ;
identityDecl       : IDENTITY name ':' name attrBlock? ;
resourceTypeDecl   : RESOURCE TYPE qualifiedName attrBlock ;
resourceDecl       : RESOURCE name ':' qualifiedName attrBlock? ;
capabilityDecl     : CAPABILITY qualifiedName ON qualifiedName attrBlock ;
retryDecl          : RETRY qualifiedName attrBlock ;

// allow mi-backup-runner to backup.operate on orders-vault [when "<ABAC condition>"]
allowDecl : ALLOW name TO qualifiedName ON name (WHEN STRING)? ;

// grant sp-ops role "Reader" on rg-orders
// grant sp-ops actions ["Microsoft.Compute/virtualMachines/read"] on orders-vm
grantDecl : GRANT name grantWhat ON name attrBlock? ;
grantWhat
  : ROLE STRING                                  # grantRole
  | ACTIONS list (DATA_ACTIONS list)?            # grantActions
  | DATA_ACTIONS list                            # grantDataActions
  ;

edgeworkerDecl : EDGEWORKER name '{' edgeworkerMember* '}' ;
edgeworkerMember
  : routeDecl
  | defaultDecl
  | attribute
  ;

// route GET, HEAD "/api/orders/{id}" { ... }   (no methods: any method)
routeDecl   : ROUTE (name (',' name)*)? STRING '{' routeMember* '}' ;
routeMember
  : requireStmt
  | action
  | attribute
  ;
requireStmt : REQUIRE TOKEN FROM name attrBlock? ;
defaultDecl : DEFAULT action ;

// trigger backup orders-vm through backup-relay   (an on-demand backup, by the relay)
// poll backup through backup-relay                 (the status of one the relay started)
action
  : FORWARD TO name (RETRY qualifiedName)?       # forwardAction
  | REDIRECT NUMBER STRING                       # redirectAction
  | RESPOND NUMBER STRING? attrBlock?            # respondAction
  | DENY NUMBER? STRING?                         # denyAction
  | TRIGGER BACKUP name THROUGH name             # triggerBackupAction
  | POLL BACKUP THROUGH name                     # pollBackupAction
  ;

backupDecl : BACKUP name '{' backupMember* '}' ;
backupMember
  : PROTECT name (',' name)* IN name             # protectStmt
  | SCHEDULE '=' schedule                        # scheduleStmt
  | TRIGGER BY name (',' name)*                  # triggerStmt
  | attribute                                    # backupAttribute
  ;
schedule
  : HOURLY EVERY QUANTITY FROM STRING FOR QUANTITY zone?   # hourlySchedule
  | DAILY AT STRING zone?                                  # dailySchedule
  | WEEKLY ON list AT STRING zone?                         # weeklySchedule
  ;
zone : ZONE STRING ;

// ---- attributes and values ------------------------------------------------

attrBlock : '{' attribute* '}' ;
attribute : name '=' value ','? ;

value
  : STRING                                       # stringValue
  | NUMBER                                       # numberValue
  | QUANTITY                                     # quantityValue
  | list                                         # listValue
  | object                                       # objectValue
  | qualifiedName '(' (argument (',' argument)*)? ','? ')'  # callValue
  | qualifiedName                                # refValue
  ;
list     : '[' (value (',' value)* ','?)? ']' ;
object   : '{' (field (','? field)* ','?)? '}' ;
field    : (name | STRING) '=' value ;
argument : (name '=')? value ;

qualifiedName : name ('.' name)* ;

// Keywords that never start a member where an attribute may also stand are
// usable as names too (`on = [502]` in a retry, `daily = 30d` in a retention).
name
  : IDENT
  | TENANT | ISSUER | TEMPLATE | IDENTITY | RESOURCE | TYPE | CAPABILITY | ALLOW
  | GRANT | RETRY | EDGEWORKER | BACKUP | IMPORT | TOKEN | FROM | TO | ON | IN | BY
  | WHEN | ROLE | ACTIONS | DATA_ACTIONS | AT | ZONE | EVERY | FOR
  | HOURLY | DAILY | WEEKLY | THROUGH
  ;

// ---- lexer ---------------------------------------------------------------

IMPORT      : 'import' ;
TENANT      : 'tenant' ;
ISSUER      : 'issuer' ;
TEMPLATE    : 'template' ;
IDENTITY    : 'identity' ;
RESOURCE    : 'resource' ;
TYPE        : 'type' ;
CAPABILITY  : 'capability' ;
ALLOW       : 'allow' ;
GRANT       : 'grant' ;
RETRY       : 'retry' ;
EDGEWORKER  : 'edgeworker' ;
ROUTE       : 'route' ;
REQUIRE     : 'require' ;
TOKEN       : 'token' ;
FROM        : 'from' ;
FORWARD     : 'forward' ;
TO          : 'to' ;
REDIRECT    : 'redirect' ;
RESPOND     : 'respond' ;
DENY        : 'deny' ;
POLL        : 'poll' ;
THROUGH     : 'through' ;
DEFAULT     : 'default' ;
BACKUP      : 'backup' ;
PROTECT     : 'protect' ;
IN          : 'in' ;
SCHEDULE    : 'schedule' ;
TRIGGER     : 'trigger' ;
BY          : 'by' ;
ON          : 'on' ;
WHEN        : 'when' ;
ROLE        : 'role' ;
ACTIONS     : 'actions' ;
DATA_ACTIONS: 'data_actions' ;
HOURLY      : 'hourly' ;
DAILY       : 'daily' ;
WEEKLY      : 'weekly' ;
EVERY       : 'every' ;
FOR         : 'for' ;
AT          : 'at' ;
ZONE        : 'zone' ;

LBRACE   : '{' ;
RBRACE   : '}' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
COMMA    : ',' ;
COLON    : ':' ;
DOT      : '.' ;
EQUALS   : '=' ;

// A number directly followed by letters or `%` is one token (`100ms`, `12mo`,
// `10%`, `30days`); Sema checks the unit and names the valid ones.
QUANTITY : DIGITS ('.' DIGITS)? ([a-zA-Z]+ | '%') ;
NUMBER   : DIGITS ('.' DIGITS)? ;
fragment DIGITS : [0-9]+ ;

// Names may contain `-` (`sp-orders-edge`) but neither start nor end with it.
IDENT : [a-zA-Z_] ([a-zA-Z0-9_-]* [a-zA-Z0-9_])? ;

STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
// A string that reaches the end of its line is reported by the front end.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
// Unterminated block comments run to the end of input; the front end reports them.
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN) ;
WS : [ \t\r\n\f]+ -> skip ;

// Anything else is reported as an unexpected character, not a lexer crash.
UNEXPECTED_CHAR : . ;
