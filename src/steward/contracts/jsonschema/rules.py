"""The JSON Schema rule catalogue: every finding `check` can report, with a stable ID.

A change is breaking when the reader may reject a document the writer's schema allows. IDs are
never reused; a retired rule keeps its entry with "(retired)" in its purpose.
"""

from __future__ import annotations

from steward.contracts.findings import Rule, catalogue

TYPE_NARROWED = "JSONSCHEMA_TYPE_NARROWED"
TYPE_WIDENED = "JSONSCHEMA_TYPE_WIDENED"
REQUIRED_ADDED = "JSONSCHEMA_REQUIRED_ADDED"
REQUIRED_REMOVED = "JSONSCHEMA_REQUIRED_REMOVED"
ENUM_VALUE_REMOVED = "JSONSCHEMA_ENUM_VALUE_REMOVED"
ENUM_VALUE_ADDED = "JSONSCHEMA_ENUM_VALUE_ADDED"
CONST_CHANGED = "JSONSCHEMA_CONST_CHANGED"
PROPERTY_ADDED_TO_OPEN_MODEL = "JSONSCHEMA_PROPERTY_ADDED_TO_OPEN_MODEL"
PROPERTY_REMOVED_FROM_CLOSED_MODEL = "JSONSCHEMA_PROPERTY_REMOVED_FROM_CLOSED_MODEL"
PROPERTY_ADDED = "JSONSCHEMA_PROPERTY_ADDED"
PROPERTY_REMOVED = "JSONSCHEMA_PROPERTY_REMOVED"
ADDITIONAL_PROPERTIES_NARROWED = "JSONSCHEMA_ADDITIONAL_PROPERTIES_NARROWED"
ADDITIONAL_PROPERTIES_WIDENED = "JSONSCHEMA_ADDITIONAL_PROPERTIES_WIDENED"
NUMBER_RANGE_NARROWED = "JSONSCHEMA_NUMBER_RANGE_NARROWED"
LENGTH_RANGE_NARROWED = "JSONSCHEMA_LENGTH_RANGE_NARROWED"
ITEMS_RANGE_NARROWED = "JSONSCHEMA_ITEMS_RANGE_NARROWED"
PROPERTIES_RANGE_NARROWED = "JSONSCHEMA_PROPERTIES_RANGE_NARROWED"
PATTERN_CHANGED = "JSONSCHEMA_PATTERN_CHANGED"
FORMAT_CHANGED = "JSONSCHEMA_FORMAT_CHANGED"
COMBINATION_NARROWED = "JSONSCHEMA_COMBINATION_NARROWED"
UNCHECKED_KEYWORD_CHANGED = "JSONSCHEMA_UNCHECKED_KEYWORD_CHANGED"

RULES = catalogue(
    [
        Rule(
            TYPE_NARROWED,
            "The reader accepts fewer types than the writer allows (number → integer, a type added where any was allowed, a schema made false).",
            ("VALIDATION",),
        ),
        Rule(
            TYPE_WIDENED,
            "The reader accepts more types than the writer allows (integer → number, a type added to a list).",
            ("INFO",),
        ),
        Rule(
            REQUIRED_ADDED,
            "The reader requires a property the writer does not require.",
            ("VALIDATION",),
        ),
        Rule(
            REQUIRED_REMOVED,
            "The reader no longer requires a property the writer requires.",
            ("INFO",),
        ),
        Rule(
            ENUM_VALUE_REMOVED,
            "The reader's enum lacks a value the writer allows (or an enum now restricts an unrestricted value).",
            ("VALIDATION",),
        ),
        Rule(ENUM_VALUE_ADDED, "The reader's enum has values the writer's lacks.", ("INFO",)),
        Rule(
            CONST_CHANGED,
            "The reader's const was added or differs from what the writer allows.",
            ("VALIDATION",),
        ),
        Rule(
            PROPERTY_ADDED_TO_OPEN_MODEL,
            "The reader constrains a property the writer's open content model lets through with any value.",
            ("VALIDATION",),
        ),
        Rule(
            PROPERTY_REMOVED_FROM_CLOSED_MODEL,
            "The reader's closed content model (additionalProperties: false) rejects a property the writer defines.",
            ("VALIDATION",),
        ),
        Rule(
            PROPERTY_ADDED,
            "The reader defines a property the writer cannot write (its content model is closed) or lets through unconstrained.",
            ("INFO",),
        ),
        Rule(
            PROPERTY_REMOVED,
            "The reader no longer defines a property; its open content model still accepts it.",
            ("INFO",),
        ),
        Rule(
            ADDITIONAL_PROPERTIES_NARROWED,
            "The reader's additionalProperties rejects undeclared properties the writer's allows (open → closed or partially open).",
            ("VALIDATION",),
        ),
        Rule(
            ADDITIONAL_PROPERTIES_WIDENED,
            "The reader's additionalProperties accepts undeclared properties the writer's rejects.",
            ("INFO",),
        ),
        Rule(
            NUMBER_RANGE_NARROWED,
            "minimum, maximum, exclusiveMinimum, exclusiveMaximum or multipleOf added or tightened.",
            ("VALIDATION",),
        ),
        Rule(LENGTH_RANGE_NARROWED, "minLength or maxLength added or tightened.", ("VALIDATION",)),
        Rule(
            ITEMS_RANGE_NARROWED,
            "minItems, maxItems or uniqueItems added or tightened.",
            ("VALIDATION",),
        ),
        Rule(
            PROPERTIES_RANGE_NARROWED,
            "minProperties or maxProperties added or tightened.",
            ("VALIDATION",),
        ),
        Rule(
            PATTERN_CHANGED,
            "A pattern was added or changed: the reader may reject strings the writer allows.",
            ("VALIDATION",),
        ),
        Rule(
            FORMAT_CHANGED,
            "A format was added or changed: a validating reader may reject strings the writer allows.",
            ("VALIDATION",),
        ),
        Rule(
            COMBINATION_NARROWED,
            "A value the writer allows matches no branch of the reader's anyOf/oneOf.",
            ("VALIDATION",),
        ),
        Rule(
            UNCHECKED_KEYWORD_CHANGED,
            "A keyword the checker does not reason about (not, if/then/else, patternProperties, dependencies, an external $ref …) changed.",
            ("UNCHECKED",),
        ),
    ]
)
