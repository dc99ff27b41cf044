"""Create the scans, dependency_statuses and findings tables.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the three tables and their indexes."""
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("root", sa.Text(), nullable=False),
        sa.Column("steward_version", sa.String(length=64), nullable=False),
        sa.Column("dependencies", sa.Integer(), nullable=False),
        sa.Column("outdated_major", sa.Integer(), nullable=False),
        sa.Column("outdated_minor", sa.Integer(), nullable=False),
        sa.Column("outdated_patch", sa.Integer(), nullable=False),
        sa.Column("outdated_other", sa.Integer(), nullable=False),
        sa.Column("not_checked", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.Column("libyears", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scans"),
    )
    op.create_index("ix_scans_started_at", "scans", ["started_at"])
    op.create_table(
        "dependency_statuses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("ecosystem", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("dep_type", sa.String(length=64), nullable=False),
        sa.Column("constraint", sa.Text(), nullable=False),
        sa.Column("current", sa.Text(), nullable=True),
        sa.Column("latest", sa.Text(), nullable=True),
        sa.Column("update_type", sa.String(length=16), nullable=True),
        sa.Column("checked", sa.Boolean(), nullable=False),
        sa.Column("not_checked_reason", sa.Text(), nullable=True),
        sa.Column("libyears", sa.Float(), nullable=True),
        sa.Column("current_published", sa.DateTime(timezone=True), nullable=True),
        sa.Column("latest_published", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["scan_id"],
            ["scans.id"],
            name="fk_dependency_statuses_scan_id_scans",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_dependency_statuses"),
    )
    op.create_index("ix_dependency_statuses_scan_id", "dependency_statuses", ["scan_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=128), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scan_id"],
            ["scans.id"],
            name="fk_findings_scan_id_scans",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_scan_id", "findings", ["scan_id"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_index("ix_findings_scan_id", table_name="findings")
    op.drop_table("findings")
    op.drop_index("ix_dependency_statuses_scan_id", table_name="dependency_statuses")
    op.drop_table("dependency_statuses")
    op.drop_index("ix_scans_started_at", table_name="scans")
    op.drop_table("scans")
