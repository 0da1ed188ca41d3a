"""framework versions, identity, database info, keyed log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

- framework_versions: every framework version an audit used, stored in full by content hash,
  so an audit is always read against its own definition.
- workers: login (a person's own database login), is_auditor, left_on (leavers keep their
  history but get no new work).
- audits.escalated_by: who raised a safeguarding concern (nobody acknowledges their own).
- events.mac: HMAC of each entry's hash with a key kept outside the database.
- database_info: facts about the database itself (live or demo, the log key's fingerprint).
- answers.weight may be 0 (a question recorded but not scored).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "framework_versions",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_framework_versions")),
        sa.UniqueConstraint("framework_id", "version", name="uq_framework_versions_id_version"),
    )
    op.create_table(
        "database_info",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_database_info")),
    )
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_auditor", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("login", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_workers_login"), ["login"])
    # Everyone who has audited so far is an auditor.
    op.execute(
        "UPDATE workers SET is_auditor = true WHERE is_manager "
        "OR id IN (SELECT auditor_id FROM audits)"
    )
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.alter_column("is_auditor", server_default=None)
    # Plain ADD COLUMN (no table rebuild): audits can be large and events carries triggers.
    op.add_column("audits", sa.Column("escalated_by", sa.String(length=120), nullable=True))
    op.add_column("events", sa.Column("mac", sa.String(length=64), nullable=True))
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_answers_weight_positive"), type_="check")
        batch_op.create_check_constraint(op.f("ck_answers_weight_not_negative"), "weight >= 0")


def downgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_answers_weight_not_negative"), type_="check")
        batch_op.create_check_constraint(op.f("ck_answers_weight_positive"), "weight > 0")
    op.drop_column("events", "mac")
    op.drop_column("audits", "escalated_by")
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_workers_login"), type_="unique")
        batch_op.drop_column("left_on")
        batch_op.drop_column("login")
        batch_op.drop_column("is_auditor")
    op.drop_table("database_info")
    op.drop_table("framework_versions")
