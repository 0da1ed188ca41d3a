"""draft index

Revision ID: 0005_draft_index
Revises: 0004
Create Date: 2026-11-29

A partial index for Home's drafts (mine, and everyone's when I have none): the newest drafts
are read from it instead of scanning every audit twice at each start (200,000 audits: two
full scans of the audits table). Partial, so it holds the few drafts only and no query by
another status can choose it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_draft_index"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DRAFTS = sa.text("status = 'draft'")


def upgrade() -> None:
    op.create_index(
        "ix_audits_drafts",
        "audits",
        ["updated_at"],
        unique=False,
        sqlite_where=DRAFTS,
        postgresql_where=DRAFTS,
    )


def downgrade() -> None:
    op.drop_index("ix_audits_drafts", table_name="audits")
