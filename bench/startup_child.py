"""Time until the first screen is ready, run headless with Textual's run_test.

    python -m bench.startup_child minimal
    python -m bench.startup_child app <db-url>

Prints the wall-clock times (time.time()) of its marks; the parent started its clock before
launching this process, so each figure includes interpreter start and imports. The minimal
app prints READY once its label shows. The real app prints FIRST at Home's first frame (the
drafts and recently finalised audits listed, every key bound) and READY when the quarter's
figures, read by Home's worker afterwards, are on screen.
"""

from __future__ import annotations

import asyncio
import sys
import time


async def _minimal() -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert str(app.query_one(Label).render()) == "ready"
        return {"READY": time.time()}


async def _app(url: str) -> dict[str, float]:
    from datetime import date

    from textual.widgets import DataTable

    from audit_tui.config import Settings
    from audit_tui.services.context import AppContext
    from audit_tui.ui.app import create_app

    # What `audit-tui --db URL` does before the UI starts, with the benchmark's fixed today.
    ctx = AppContext.from_settings(Settings(db=url, user="bench"))
    ctx.today = lambda: date(2026, 11, 20)
    app = create_app(ctx)
    marks: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        from audit_tui.ui.screens.home import HomeScreen

        await pilot.pause()  # as the minimal app does before its mark
        # Home, perhaps under the "who are you?" question (the benchmark's user is not in
        # the staff directory).
        screen = app.screen_stack[1]
        assert isinstance(screen, HomeScreen), app.screen_stack
        # Mounted: the lists are filled in on_mount, before the first frame is drawn.
        assert screen.query_one("#finalised-table", DataTable).row_count > 0
        marks["FIRST"] = time.time()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.summary is not None and not screen.summary.empty
        marks["READY"] = time.time()
    ctx.db.dispose()
    return marks


def main() -> None:
    kind = sys.argv[1]
    marks = asyncio.run(_minimal() if kind == "minimal" else _app(sys.argv[2]))
    for name, at in marks.items():
        print(f"{name} {at:.6f}")


if __name__ == "__main__":
    main()
