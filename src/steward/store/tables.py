"""The store's schema in SQLAlchemy Core: one row per scan, its dependency rows and its findings.

Types are chosen to mean the same on SQLite and PostgreSQL: times are stored as UTC
(`UtcDateTime`), update types and severities as their string values rather than database enums,
and every constraint and index has a fixed name so migrations can refer to it. The Alembic
revisions under ``migrations/versions`` create exactly this schema; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was given to the store; it cannot tell which instant it is."""


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    PostgreSQL keeps the zone (``timestamp with time zone``); SQLite keeps text without one, so
    values are converted to UTC on the way in and marked UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"datetime {value.isoformat()} has no time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

scans = Table(
    "scans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=False),
    Column("root", Text, nullable=False),
    Column("steward_version", String(64), nullable=False),
    Column("dependencies", Integer, nullable=False),
    Column("outdated_major", Integer, nullable=False),
    Column("outdated_minor", Integer, nullable=False),
    Column("outdated_patch", Integer, nullable=False),
    Column("outdated_other", Integer, nullable=False),
    Column("not_checked", Integer, nullable=False),
    Column("problems", Integer, nullable=False),
    Column("libyears", Float, nullable=False),
    Index(None, "started_at"),
)

dependency_statuses = Table(
    "dependency_statuses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), nullable=False),
    Column("service", Text, nullable=False),
    Column("ecosystem", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("file", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("dep_type", String(64), nullable=False),
    Column("constraint", Text, nullable=False),
    Column("current", Text),
    Column("latest", Text),
    Column("update_type", String(16)),
    Column("checked", Boolean, nullable=False),
    Column("not_checked_reason", Text),
    Column("libyears", Float),
    Column("current_published", UtcDateTime),
    Column("latest_published", UtcDateTime),
    Index(None, "scan_id"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), nullable=False),
    Column("rule", String(128), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("subject", Text, nullable=False),
    Column("service", Text, nullable=False),
    Column("file", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("message", Text, nullable=False),
    Index(None, "scan_id"),
)
