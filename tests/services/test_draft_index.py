"""Home's draft lists read the newest drafts from the partial index ix_audits_drafts
(migration 0005) instead of scanning every audit: structural (the query plan), not timed."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from sqlalchemy import event

from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from tests.ui.helpers import start


def _plans(ctx: AppContext, read: Any) -> list[str]:
    """The query plan of each statement `read` runs against the audits table."""
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM audits" in statement:
            seen.append((statement, params))

    event.listen(ctx.db.engine, "before_cursor_execute", capture)
    try:
        read()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", capture)
    assert ctx.db.path is not None and seen
    with sqlite3.connect(ctx.db.path) as conn:
        return [
            " / ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {s}", p))
            for s, p in seen
        ]


def test_draft_lists_read_the_draft_index(sqlite_ctx: AppContext) -> None:
    directory.add_team(sqlite_ctx, "Team A")
    start(sqlite_ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2))
    start(sqlite_ctx, "CP-2", "child_protection", "Team A", date(2026, 11, 3), auditor="Other")
    mine = _plans(sqlite_ctx, lambda: audits.list_drafts(sqlite_ctx, auditor="tester"))
    everyone = _plans(sqlite_ctx, lambda: audits.list_drafts(sqlite_ctx))
    for plan in (mine[0], everyone[0]):
        assert "USING INDEX ix_audits_drafts" in plan, plan
        assert "SCAN audits" not in plan.replace("SCAN audits USING INDEX", ""), plan
    assert [d.case_reference for d in audits.list_drafts(sqlite_ctx)] == ["CP-2", "CP-1"]
    assert [d.case_reference for d in audits.list_drafts(sqlite_ctx, auditor="tester")] == ["CP-1"]
