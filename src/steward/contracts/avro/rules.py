"""The Avro rule catalogue: every finding `check` can report, with a stable ID.

IDs are never reused; a retired rule keeps its entry with "(retired)" in its purpose. Rules marked
with a ``†`` in their purpose go beyond Apache Avro's own compatibility checker (see README.md).
"""

from __future__ import annotations

from steward.contracts.findings import Rule, catalogue

TYPE_MISMATCH = "AVRO_TYPE_MISMATCH"
NAME_MISMATCH = "AVRO_NAME_MISMATCH"
FIXED_SIZE_MISMATCH = "AVRO_FIXED_SIZE_MISMATCH"
ENUM_SYMBOL_MISSING = "AVRO_ENUM_SYMBOL_MISSING"
READER_FIELD_WITHOUT_DEFAULT = "AVRO_READER_FIELD_WITHOUT_DEFAULT"
READER_FIELD_INVALID_DEFAULT = "AVRO_READER_FIELD_INVALID_DEFAULT"
READER_UNION_MISSING_BRANCH = "AVRO_READER_UNION_MISSING_BRANCH"
WRITER_UNION_BRANCH_UNREADABLE = "AVRO_WRITER_UNION_BRANCH_UNREADABLE"
LOGICAL_TYPE_CHANGED = "AVRO_LOGICAL_TYPE_CHANGED"
DECIMAL_SCALE_CHANGED = "AVRO_DECIMAL_SCALE_CHANGED"
DECIMAL_PRECISION_NARROWED = "AVRO_DECIMAL_PRECISION_NARROWED"
LOGICAL_TYPE_ADDED_OR_REMOVED = "AVRO_LOGICAL_TYPE_ADDED_OR_REMOVED"
TYPE_PROMOTED = "AVRO_TYPE_PROMOTED"
WRITER_FIELD_IGNORED = "AVRO_WRITER_FIELD_IGNORED"
READER_FIELD_DEFAULT_USED = "AVRO_READER_FIELD_DEFAULT_USED"
ENUM_SYMBOL_DEFAULTED = "AVRO_ENUM_SYMBOL_DEFAULTED"

RULES = catalogue(
    [
        Rule(
            TYPE_MISMATCH,
            "The reader's type cannot read the writer's, even by promotion.",
            ("WIRE",),
        ),
        Rule(
            NAME_MISMATCH,
            "A named type's unqualified name differs and no reader alias names the writer's type.",
            ("WIRE",),
        ),
        Rule(FIXED_SIZE_MISMATCH, "Reader and writer fixed types have different sizes.", ("WIRE",)),
        Rule(
            ENUM_SYMBOL_MISSING,
            "The writer may write an enum symbol the reader lacks, and the reader enum has no default.",
            ("WIRE",),
        ),
        Rule(
            READER_FIELD_WITHOUT_DEFAULT,
            "A reader field is absent from the writer and has no default.",
            ("WIRE", "DEFAULT"),
        ),
        Rule(
            READER_FIELD_INVALID_DEFAULT,
            "† A reader field absent from the writer has a default that does not match its type.",
            ("WIRE", "DEFAULT"),
        ),
        Rule(
            READER_UNION_MISSING_BRANCH,
            "A type the writer may write matches no branch of the reader's union.",
            ("WIRE",),
        ),
        Rule(
            WRITER_UNION_BRANCH_UNREADABLE,
            "A branch of the writer's union cannot be read by the reader's (non-union) type.",
            ("WIRE",),
        ),
        Rule(
            LOGICAL_TYPE_CHANGED,
            "† The logical type changed (timestamp-millis → timestamp-micros, date → timestamp-millis): values decode with another meaning.",
            ("SEMANTIC",),
        ),
        Rule(
            DECIMAL_SCALE_CHANGED,
            "† A decimal's scale changed: every value is read multiplied by a power of ten.",
            ("SEMANTIC",),
        ),
        Rule(
            DECIMAL_PRECISION_NARROWED,
            "† The reader's decimal precision is smaller than the writer's: values may not fit.",
            ("SEMANTIC",),
        ),
        Rule(
            LOGICAL_TYPE_ADDED_OR_REMOVED,
            "† A logical type was added to or removed from the same underlying type.",
            ("INFO",),
        ),
        Rule(
            TYPE_PROMOTED,
            "The writer's type is promoted when read (int → long, float or double; long → float or double; float → double; string ↔ bytes).",
            ("INFO",),
        ),
        Rule(
            WRITER_FIELD_IGNORED,
            "A writer field has no reader field: its data is skipped when read.",
            ("INFO",),
        ),
        Rule(
            READER_FIELD_DEFAULT_USED,
            "A reader field is absent from the writer: its default is used.",
            ("INFO", "DEFAULT"),
        ),
        Rule(
            ENUM_SYMBOL_DEFAULTED,
            "The writer may write an enum symbol the reader lacks: the reader's enum default is used.",
            ("INFO",),
        ),
    ]
)
