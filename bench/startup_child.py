"""Time until the first screen is on screen, run headless with Textual's run_test.

    python -m bench.startup_child minimal
    python -m bench.startup_child app <db-url>

Prints the wall-clock times (time.time()) of its marks, each with the process's CPU time
(time.process_time()) then; the parent started its clock before
launching this process, so each figure includes interpreter start and imports.

A frame counts when Textual hands it to the terminal (`App._display`, watched the same way in
both apps; headless, the driver then drops it). Waiting for the CPU to go idle, as
`pilot.pause()` does, would not do: the real app's worker is busy opening the database right
after its first frame, by design.

The minimal app prints READY at its first frame showing its label. The real app starts as the
command line starts it: with a way to open its context, opened in a worker after Home's first
frame (audit_tui/ui/startup.py), and the drafts read early for that frame where they can be
(store/early_drafts.py). It prints FIRST at Home's first frame (its panels, "Opening the
database…" and every key bound and shown in the footer: a key pressed now waits for the
database and is not lost),
LISTED when the drafts are listed, OPENED when the context is open and the recently finalised
audits are listed too, and READY when the quarter's figures, read by Home's worker
afterwards, are on screen.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from audit_tui.services.context import AppContext


FRAME = asyncio.Event()  # set when a frame reaches a new mark
# The process's CPU time (every thread, from its start) at each mark: less sensitive than
# the wall time to other processes on a shared machine.
CPU: dict[str, float] = {}


def watch_frames(
    app: App[Any], marks: dict[str, float], tests: dict[str, Callable[[Screen[Any]], bool]]
) -> None:
    """Mark the time of the first frame of `app` for which each test holds."""
    display = app._display

    def spy(screen: Screen[Any], renderable: Any) -> None:
        display(screen, renderable)
        if renderable is None:
            return
        for mark, test in tests.items():
            if mark not in marks and test(screen):
                marks[mark] = time.time()
                CPU[mark] = time.process_time()
                FRAME.set()

    app._display = spy  # type: ignore[method-assign]  # the benchmark's probe, nothing else


async def until(marks: dict[str, float], mark: str, app: Any = None) -> None:
    """Wait for a mark, woken by each frame (no polling: a loop waking every millisecond
    would take the interpreter from the app's worker over and over)."""
    while mark not in marks:
        if app is not None and app.start_error is not None:
            raise app.start_error
        await asyncio.wait_for(FRAME.wait(), timeout=120)
        FRAME.clear()


async def _minimal() -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

    app = Minimal()
    marks: dict[str, float] = {}
    watch_frames(app, marks, {"READY": lambda screen: bool(screen.query(Label))})
    async with app.run_test(size=(120, 40)):
        await until(marks, "READY")
        assert str(app.query_one(Label).render()) == "ready"
    return marks


def _open_context(url: str) -> AppContext:
    """What `audit-tui --db URL --user bench` opens in the UI's worker (cli/common.py), with
    the benchmark's fixed today."""
    from datetime import date

    from audit_tui.cli.common import Obj

    ctx = Obj(db_url=url, user="bench").ui_context()
    ctx.today = lambda: date(2026, 11, 20)
    return ctx


async def _app(url: str) -> dict[str, float]:
    from audit_tui import collector

    collector.hold()  # as the command line does before the UI (cli/__init__.py)
    from functools import partial

    from textual.widgets import DataTable
    from textual.widgets._footer import FooterKey

    from audit_tui.store.early_drafts import early_drafts
    from audit_tui.ui.app import create_app

    # As the command line starts it (cli/common.py): the drafts read early, the context
    # opened after.
    app = create_app(
        open_context=partial(_open_context, url),
        early_drafts=partial(early_drafts, url, "bench", demo=False),
    )

    def home(screen: Screen[Any]) -> bool:
        # Home mounted: its title set, its keys bound (n: new audit) and shown in the footer.
        return (
            screen.title == "Home"
            and "n" in screen.active_bindings
            and any(key.key == "n" for key in screen.query(FooterKey))
        )

    def listed(screen: Screen[Any]) -> bool:
        # The drafts panel filled from a read (its columns are added then, even for none).
        return home(screen) and bool(screen.query_one("#drafts-table", DataTable).columns)

    def opened(screen: Screen[Any]) -> bool:
        return home(screen) and screen.query_one("#finalised-table", DataTable).row_count > 0

    def figures(screen: Screen[Any]) -> bool:
        return home(screen) and getattr(screen, "summary", None) is not None

    marks: dict[str, float] = {}
    # Home, perhaps under the "who are you?" question (the benchmark's user is not in the
    # staff directory): the frames of that dialog show Home beneath it.
    base = lambda test: lambda s: test(app.screen_stack[1]) if len(app.screen_stack) > 1 else False  # noqa: E731
    tests = {"FIRST": home, "LISTED": listed, "OPENED": opened, "READY": figures}
    watch_frames(app, marks, {mark: base(test) for mark, test in tests.items()})
    async with app.run_test(size=(120, 40)):
        for mark in tests:
            await until(marks, mark, app)
        summary = app.screen_stack[1].summary  # type: ignore[attr-defined]
        assert summary is not None and not summary.empty
    app.ctx.db.dispose()
    return marks


def main() -> None:
    kind = sys.argv[1]
    marks = asyncio.run(_minimal() if kind == "minimal" else _app(sys.argv[2]))
    for name, at in marks.items():
        print(f"{name} {at:.6f} {CPU[name]:.6f}")


if __name__ == "__main__":
    main()
