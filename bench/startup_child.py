"""Time until the first screen is ready, run headless with Textual's run_test.

    python -m bench.startup_child minimal
    python -m bench.startup_child app <db-url>

Prints the wall-clock time (time.time()) at which the screen was ready; the parent started its
clock before launching this process, so the figure includes interpreter start and imports.
"""

from __future__ import annotations

import asyncio
import sys
import time


async def _minimal() -> float:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert str(app.query_one(Label).render()) == "ready"
        return time.time()


async def _app(url: str) -> float:
    from datetime import date

    from audit_tui.config import Settings
    from audit_tui.services.context import AppContext
    from audit_tui.ui.app import create_app

    # What `audit-tui --db URL` does before the UI starts, with the benchmark's fixed today.
    ctx = AppContext.from_settings(Settings(db=url, user="bench"))
    ctx.today = lambda: date(2026, 11, 20)
    app = create_app(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        from audit_tui.ui.screens.home import HomeScreen

        screen = app.screen
        assert isinstance(screen, HomeScreen), screen
        assert screen.summary is not None and not screen.summary.empty
        return time.time()


def main() -> None:
    kind = sys.argv[1]
    ready = asyncio.run(_minimal() if kind == "minimal" else _app(sys.argv[2]))
    print(f"READY {ready:.6f}")


if __name__ == "__main__":
    main()
