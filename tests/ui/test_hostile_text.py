"""A name holding terminal escape sequences (written before the tool refused them, or by
something else straight into the database) is shown without them: no control character from
the record reaches the terminal through the UI."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from audit_tui.domain.text import CONTROL_STRIP
from audit_tui.services import directory
from audit_tui.services.context import AppContext
from tests.ui.helpers import app_for, start

HOSTILE_TEAM = "North\x1b[31mRED\x1b]0;owned\x07\x9b2J"


async def test_escape_sequences_in_a_stored_team_name_never_reach_the_screen(
    sqlite_ctx: AppContext,
) -> None:
    directory.add_team(sqlite_ctx, "North")
    start(sqlite_ctx, "ESC-1", "child_protection", "North", date(2026, 11, 19))
    with sqlite_ctx.db.engine.begin() as conn:  # behind the tool's back: no check runs here
        conn.execute(text("UPDATE teams SET name = :n"), {"n": HOSTILE_TEAM})

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = "".join(
            segment.text
            for y in range(app.screen.size.height)
            for segment in app.screen._compositor.render_strips()[y]
        )
        assert "ESC-1" in shown  # the draft, with its team, is on Home
        assert not any(ord(c) in CONTROL_STRIP for c in shown)
        assert "North[31mRED]0;owned2J" in shown  # the name, without its controls
