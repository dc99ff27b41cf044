"""The Protobuf breaking-change rule catalogue: buf's rule IDs and categories.

Each entry is one of the rules ``buf breaking`` (configuration v2) knows, under the same ID and in
the same categories, so ``--rules FILE`` here selects what ``use: [FILE]`` selects in buf:

- ``FILE``: generated code stays where it was, per file (the strictest, buf's default);
- ``PACKAGE``: generated code stays compatible, per package;
- ``WIRE_JSON``: the binary and the JSON encodings stay readable;
- ``WIRE``: the binary encoding stays readable;
- ``CSR``: what Confluent Schema Registry checks for Protobuf subjects.

Rules outside buf (`INFO_RULES`, `COMPILE`) are Steward's own; they belong to no buf category and
are reported whatever categories are chosen.
"""

from __future__ import annotations

from steward.contracts.findings import Rule, catalogue

#: The buf categories, strictest first.
CATEGORIES: tuple[str, ...] = ("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR")

_F, _P, _J, _W, _C = CATEGORIES

BUF_RULES: tuple[Rule, ...] = (
    Rule("ENUM_NO_DELETE", "An enum declared in a file is still declared in that file.", (_F, _C)),
    Rule("ENUM_SAME_JSON_FORMAT", "An enum that supported JSON still does.", (_F, _P, _J, _C)),
    Rule("ENUM_SAME_TYPE", "An enum stays open or stays closed.", (_F, _P)),
    Rule("ENUM_VALUE_NO_DELETE", "Every number of an enum still has a value.", (_F, _P, _C)),
    Rule(
        "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
        "An enum value is deleted only when its name is reserved.",
        (_J, _C),
    ),
    Rule(
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        "An enum value is deleted only when its number is reserved.",
        (_J, _W, _C),
    ),
    Rule(
        "ENUM_VALUE_SAME_NAME",
        "The names of an enum number are among the names it had.",
        (_F, _P, _J, _C),
    ),
    Rule(
        "EXTENSION_MESSAGE_NO_DELETE",
        "The extension ranges of a message still cover every number they covered.",
        (_F, _P, _C),
    ),
    Rule(
        "EXTENSION_NO_DELETE",
        "An extension declared in a file is still declared in that file.",
        (_F,),
    ),
    Rule("FIELD_NO_DELETE", "Every field number of a message is still a field.", (_F, _P, _C)),
    Rule(
        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
        "A field is deleted only when its name is reserved.",
        (_J, _C),
    ),
    Rule(
        "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        "A field is deleted only when its number is reserved.",
        (_J, _W, _C),
    ),
    Rule(
        "FIELD_SAME_CARDINALITY",
        "A field keeps its cardinality (implicit or explicit presence, required, repeated, map).",
        (_F, _P),
    ),
    Rule(
        "FIELD_SAME_CPP_STRING_TYPE",
        "A string or bytes field keeps its C++ string type (ctype).",
        (_F, _P),
    ),
    Rule("FIELD_SAME_DEFAULT", "A field keeps its default value.", (_F, _P, _J, _W, _C)),
    Rule(
        "FIELD_SAME_JAVA_UTF8_VALIDATION",
        "A string field keeps its Java UTF-8 validation (java_string_check_utf8).",
        (_F, _P),
    ),
    Rule("FIELD_SAME_JSON_NAME", "A field keeps its JSON name.", (_F, _P, _J, _C)),
    Rule("FIELD_SAME_JSTYPE", "A 64-bit integer field keeps its jstype option.", (_F, _P)),
    Rule("FIELD_SAME_NAME", "A field number keeps its name.", (_F, _P, _J, _C)),
    Rule(
        "FIELD_SAME_ONEOF", "A field stays in the same oneof, or outside any.", (_F, _P, _J, _W, _C)
    ),
    Rule(
        "FIELD_SAME_TYPE",
        "A field keeps its type (scalar kind, or the same message or enum).",
        (_F, _P, _C),
    ),
    Rule(
        "FIELD_SAME_UTF8_VALIDATION", "A string field keeps its UTF-8 validation feature.", (_F, _P)
    ),
    Rule(
        "FIELD_WIRE_COMPATIBLE_CARDINALITY",
        "A field's cardinality changes only in ways the wire encoding reads.",
        (_W,),
    ),
    Rule(
        "FIELD_WIRE_COMPATIBLE_TYPE",
        "A field's type changes only in ways the wire encoding reads.",
        (_W,),
    ),
    Rule(
        "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
        "A field's cardinality changes only in ways the wire and JSON encodings both read.",
        (_J, _C),
    ),
    Rule(
        "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
        "A field's type changes only in ways the wire and JSON encodings both read.",
        (_J, _C),
    ),
    Rule("FILE_NO_DELETE", "A file is still there.", (_F, _C)),
    Rule("FILE_SAME_CC_ENABLE_ARENAS", "A file keeps its cc_enable_arenas option.", (_F, _P)),
    Rule("FILE_SAME_CC_GENERIC_SERVICES", "A file keeps its cc_generic_services option.", (_F, _P)),
    Rule("FILE_SAME_CSHARP_NAMESPACE", "A file keeps its csharp_namespace option.", (_F, _P)),
    Rule("FILE_SAME_GO_PACKAGE", "A file keeps its go_package option.", (_F, _P)),
    Rule(
        "FILE_SAME_JAVA_GENERIC_SERVICES",
        "A file keeps its java_generic_services option.",
        (_F, _P),
    ),
    Rule("FILE_SAME_JAVA_MULTIPLE_FILES", "A file keeps its java_multiple_files option.", (_F, _P)),
    Rule(
        "FILE_SAME_JAVA_OUTER_CLASSNAME", "A file keeps its java_outer_classname option.", (_F, _P)
    ),
    Rule("FILE_SAME_JAVA_PACKAGE", "A file keeps its java_package option.", (_F, _P)),
    Rule("FILE_SAME_OBJC_CLASS_PREFIX", "A file keeps its objc_class_prefix option.", (_F, _P)),
    Rule("FILE_SAME_OPTIMIZE_FOR", "A file keeps its optimize_for option.", (_F, _P)),
    Rule("FILE_SAME_PACKAGE", "A file keeps its package.", (_F, _P, _J, _W, _C)),
    Rule("FILE_SAME_PHP_CLASS_PREFIX", "A file keeps its php_class_prefix option.", (_F, _P)),
    Rule(
        "FILE_SAME_PHP_METADATA_NAMESPACE",
        "A file keeps its php_metadata_namespace option.",
        (_F, _P),
    ),
    Rule("FILE_SAME_PHP_NAMESPACE", "A file keeps its php_namespace option.", (_F, _P)),
    Rule("FILE_SAME_PY_GENERIC_SERVICES", "A file keeps its py_generic_services option.", (_F, _P)),
    Rule("FILE_SAME_RUBY_PACKAGE", "A file keeps its ruby_package option.", (_F, _P)),
    Rule("FILE_SAME_SWIFT_PREFIX", "A file keeps its swift_prefix option.", (_F, _P)),
    Rule("FILE_SAME_SYNTAX", "A file keeps its syntax (proto2, proto3 or editions).", (_F, _P, _C)),
    Rule(
        "MESSAGE_NO_DELETE",
        "A message declared in a file is still declared in that file.",
        (_F, _C),
    ),
    Rule(
        "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
        "A message does not turn no_standard_descriptor_accessor on.",
        (_F, _P, _C),
    ),
    Rule("MESSAGE_SAME_JSON_FORMAT", "A message that supported JSON still does.", (_F, _P, _J, _C)),
    Rule(
        "MESSAGE_SAME_REQUIRED_FIELDS",
        "A message neither gains nor loses required fields.",
        (_F, _P, _J, _W, _C),
    ),
    Rule("ONEOF_NO_DELETE", "A oneof of a message is still there.", (_F, _P, _C)),
    Rule("PACKAGE_ENUM_NO_DELETE", "An enum of a package is still in that package.", (_P,)),
    Rule(
        "PACKAGE_EXTENSION_NO_DELETE", "An extension of a package is still in that package.", (_P,)
    ),
    Rule("PACKAGE_MESSAGE_NO_DELETE", "A message of a package is still in that package.", (_P,)),
    Rule("PACKAGE_NO_DELETE", "A package still has files.", (_P,)),
    Rule("PACKAGE_SERVICE_NO_DELETE", "A service of a package is still in that package.", (_P,)),
    Rule(
        "RESERVED_ENUM_NO_DELETE",
        "The reserved numbers and names of an enum stay reserved.",
        (_F, _P, _J, _W, _C),
    ),
    Rule(
        "RESERVED_MESSAGE_NO_DELETE",
        "The reserved numbers and names of a message stay reserved.",
        (_F, _P, _J, _W, _C),
    ),
    Rule("RPC_NO_DELETE", "An RPC of a service is still there.", (_F, _P)),
    Rule(
        "RPC_SAME_CLIENT_STREAMING",
        "An RPC keeps client streaming on or off.",
        (_F, _P, _J, _W, _C),
    ),
    Rule(
        "RPC_SAME_IDEMPOTENCY_LEVEL",
        "An RPC keeps its idempotency_level option.",
        (_F, _P, _J, _W, _C),
    ),
    Rule("RPC_SAME_REQUEST_TYPE", "An RPC keeps its request type.", (_F, _P, _J, _W, _C)),
    Rule("RPC_SAME_RESPONSE_TYPE", "An RPC keeps its response type.", (_F, _P, _J, _W, _C)),
    Rule(
        "RPC_SAME_SERVER_STREAMING",
        "An RPC keeps server streaming on or off.",
        (_F, _P, _J, _W, _C),
    ),
    Rule(
        "SERVICE_NO_DELETE", "A service declared in a file is still declared in that file.", (_F,)
    ),
)

#: Steward's own informational rules: worth knowing, never breaking.
INFO_RULES: tuple[Rule, ...] = (
    Rule(
        "FIELD_DELETED_RESERVED",
        "A field was deleted with both its number and its name reserved: the safe way.",
        ("INFO",),
    ),
    Rule(
        "ENUM_VALUE_DELETED_RESERVED",
        "An enum value was deleted with both its number and its name reserved: the safe way.",
        ("INFO",),
    ),
)

#: A file that does not compile: nothing in it could be checked.
COMPILE = Rule("COMPILE", "Every .proto file compiles.", ("UNCHECKED",))

#: Every rule by ID.
RULES: dict[str, Rule] = catalogue((*BUF_RULES, *INFO_RULES, COMPILE))


class InvalidCategory(ValueError):
    """A category name that is not one of `CATEGORIES`."""


def rules_for(categories: tuple[str, ...] | list[str]) -> frozenset[str]:
    """IDs of the buf rules in any of ``categories`` (case-insensitive); raises `InvalidCategory`."""
    chosen = {name.upper() for name in categories}
    unknown = chosen - set(CATEGORIES)
    if unknown:
        known = ", ".join(CATEGORIES)
        raise InvalidCategory(f"unknown rule category {sorted(unknown)[0]!r} (known: {known})")
    return frozenset(rule.id for rule in BUF_RULES if chosen & set(rule.categories))
