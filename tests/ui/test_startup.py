"""Start-up (issue 16): Home's first frame is drawn from Textual alone and the database is
opened by a worker after it (audit_tui/ui/startup.py). Keys pressed meanwhile wait and run
once it is open; an error opening it still reaches the user as one line from the command
line; the first frame's path imports neither SQLAlchemy nor pydantic."""

from __future__ import annotations

import contextlib
import functools
import json
import random
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable
from textual.worker import WorkerFailed

from audit_tui.cli import main
from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import Finalise
from audit_tui.store.early_drafts import early_drafts
from audit_tui.ui.app import AuditApp, create_app
from audit_tui.ui.screens.help import HelpScreen
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.new_audit import NewAuditScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from audit_tui.ui.startup import OPENING, NotOpenYet
from audit_tui.ui.widgets.app_header import AppHeader
from tests.ui.helpers import FIXED_NOW, answer_all, start
from tests.ui.loop_fixtures import widget_text


class Gate:
    """Opens the context only when the test says so: the state between the first frame and
    the database, held still."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.release = threading.Event()
        self.calls = 0

    def __call__(self) -> AppContext:
        self.calls += 1
        assert self.release.wait(30), "the test never released the gate"
        return self.ctx


def _gated(ctx: AppContext) -> tuple[AuditApp, Gate]:
    gate = Gate(ctx)
    return create_app(open_context=gate, clock=lambda: FIXED_NOW), gate


async def _release(gate: Gate, app: AuditApp, pilot: Any) -> None:
    """Let the worker (asking at the gate by now, or soon) open the database; wait for it,
    then for Home to show what it read."""
    while gate.calls == 0:  # the worker starts after Home's first refresh
        await pilot.pause()
    gate.release.set()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()  # Home's figures
    await pilot.pause()


async def test_first_frame_shows_home_and_its_keys_before_the_database_opens(
    sqlite_ctx: AppContext,
) -> None:
    directory.add_team(sqlite_ctx, "Team A")
    start(sqlite_ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2))
    app, gate = _gated(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert not app.opened
        with pytest.raises(NotOpenYet):
            app.ctx  # noqa: B018
        text = widget_text(home)
        assert OPENING in text
        # Not the empty-database offer: nothing is known about the database yet.
        assert not home.query_one("#home-empty").display
        assert "audit-tui" in widget_text(home.query_one(AppHeader))
        for key in ("n", "r", "p", "g", "m", "t", "s", "x", "q"):
            assert key in home.active_bindings, key
        await _release(gate, app, pilot)
        assert app.opened and gate.calls == 1
        assert OPENING not in widget_text(home)
        assert home.query_one("#drafts-table", DataTable).row_count == 1
        assert home.summary is not None
        assert "tester" in widget_text(home.query_one(AppHeader))  # who: from the context


async def test_keys_pressed_before_the_database_opens_run_in_order_once_it_is(
    sqlite_ctx: AppContext,
) -> None:
    """r (resume) pressed while the database opens is kept, not lost nor a crash: once Home
    lists the drafts it resumes the draft, as if pressed then. Help works meanwhile."""
    directory.add_team(sqlite_ctx, "Team A")
    draft = start(sqlite_ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2)).id
    app, gate = _gated(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.opened
        await pilot.press("question_mark")  # needs no database
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("r", "ctrl+p")  # resume; then the palette, left at once
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)  # nothing ran yet, nothing failed
        await _release(gate, app, pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen) and walk.audit_id == draft


def _gated_early(ctx: AppContext, user: str = "tester") -> tuple[AuditApp, Gate]:
    gate = Gate(ctx)
    early = functools.partial(early_drafts, str(ctx.db.url), user, demo=False)
    return create_app(open_context=gate, early_drafts=early, clock=lambda: FIXED_NOW), gate


def _drafts(home: HomeScreen) -> list[str]:
    table = home.query_one("#drafts-table", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_the_first_frame_lists_the_drafts_read_early(sqlite_ctx: AppContext) -> None:
    """Home lists the user's drafts before the database is open (the early read); keys and
    Enter on a draft wait for the database meanwhile, and then run in order; once open, the
    list is the services' (a draft finalised in between is gone)."""
    directory.add_team(sqlite_ctx, "Team A")
    first = start(sqlite_ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2)).id
    start(sqlite_ctx, "CP-2", "child_protection", "Team A", date(2026, 11, 3))
    start(sqlite_ctx, "LA-3", "looked_after", "Team A", date(2026, 11, 4), auditor="Other One")
    app, gate = _gated_early(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and not app.opened
        assert _drafts(home) == ["CP-2", "CP-1"]  # mine, newest first
        assert "My drafts (2)" in widget_text(home)
        assert OPENING in widget_text(home)  # the figures still wait
        # The second row, then Enter: nothing opens before the database (nothing could be
        # written), and nothing is lost.
        await pilot.press("down", "enter")
        assert app.screen is home and not app.opened
        # Meanwhile CP-2 is finalised elsewhere: the list read once the database is open
        # is the services'.
        answer_all(sqlite_ctx, first + 1, "child_protection", random.Random(1))
        rv = audits.review(sqlite_ctx, first + 1)
        audits.finalise(sqlite_ctx, first + 1, Finalise(judgement=rv.suggested_judgement))
        await _release(gate, app, pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen) and walk.audit_id == first
        assert _drafts(home) == ["CP-1"]


async def test_the_early_drafts_of_someone_not_in_the_directory(sqlite_ctx: AppContext) -> None:
    """A user the staff directory does not know yet: everyone's drafts, as Home lists them
    under "who are you?" once the database is open."""
    directory.add_team(sqlite_ctx, "Team A")
    start(sqlite_ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2))
    app, gate = _gated_early(sqlite_ctx, user="Newcomer Person")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and not app.opened
        assert _drafts(home) == ["CP-1"]
        assert "Drafts (1; none yours)" in widget_text(home)
        await _release(gate, app, pilot)  # then "who are you?" over the same list
        assert _drafts(home) == ["CP-1"]


async def test_no_early_read_leaves_the_drafts_to_the_context(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    """Where the early read steps aside (here: another schema revision), the first frame
    lists nothing and Home lists the drafts once the database is open, as before."""
    directory.add_team(sqlite_ctx, "Team A")
    start(sqlite_ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2))
    copy = tmp_path / "copy.db"
    with sqlite3.connect(copy) as out, sqlite3.connect(sqlite_ctx.db.path) as src:  # type: ignore[arg-type]
        src.backup(out)
        out.execute("UPDATE alembic_version SET version_num = '0001'")
    out.close()
    src.close()
    gate = Gate(sqlite_ctx)
    early = functools.partial(early_drafts, f"sqlite:///{copy}", "tester", demo=False)
    app = create_app(open_context=gate, early_drafts=early, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and not app.opened
        assert _drafts(home) == []
        await _release(gate, app, pilot)
        assert _drafts(home) == ["CP-1"]


async def test_several_waiting_keys_run_in_the_order_pressed(sqlite_ctx: AppContext) -> None:
    """a (everyone's drafts) then n (new audit): Home lists everyone's drafts, then New
    audit opens on top of it."""
    app, gate = _gated(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("a", "n")
        await _release(gate, app, pilot)
        assert isinstance(app.screen, NewAuditScreen)
        assert home.all_drafts is True
        assert app.screen_stack[-2] is home


async def test_an_open_context_works_as_before(sqlite_ctx: AppContext) -> None:
    """Tests and the demo switch hand the app an open context: no worker, no waiting."""
    app = create_app(sqlite_ctx, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.opened and OPENING not in widget_text(app.screen)
        await pilot.press("n")
        assert isinstance(app.screen, NewAuditScreen)


# --- an error opening the database: one line from the command line --------------------------


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    """`audit-tui` with no command runs the UI: headless here, and closed once the opening
    worker has finished (it fails in these tests; if it did not, the test would see exit 0)."""

    async def until_opened(pilot: Any) -> None:
        await pilot.pause()
        with contextlib.suppress(WorkerFailed):  # the app has it too: start_error
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.exit()

    def run(self: AuditApp, **_: Any) -> None:
        App.run(self, headless=True, auto_pilot=until_opened)

    monkeypatch.setattr(AuditApp, "run", run)


def _tui(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_a_file_that_is_not_a_database_is_one_line(
    tmp_path: Path, headless: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Team meeting notes\n" * 200)
    code, out, err = _tui(capsys, "--db", f"sqlite:///{path}", "--user", "tester")
    assert (code, out) == (2, "")
    assert "not an audit-tui database" in _one_line(err)
    assert path.read_text() == "Team meeting notes\n" * 200


def test_a_newer_database_is_one_line(
    tmp_path: Path, sqlite_ctx: AppContext, headless: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_ctx.db.path
    assert path is not None
    sqlite_ctx.db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    code, out, err = _tui(capsys, "--db", f"sqlite:///{path}", "--user", "tester")
    assert (code, out) == (2, "")
    assert "written by a newer audit-tui (schema 0999)" in _one_line(err)


def test_a_bad_setting_is_one_line(
    sqlite_url: str,
    headless: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AUDIT_TUI_SMALL_SAMPLE", "lots")
    code, out, err = _tui(capsys, "--db", sqlite_url, "--user", "tester")
    assert (code, out) == (2, "")
    assert "setting small_sample (AUDIT_TUI_SMALL_SAMPLE or " in _one_line(err)


def test_an_unknown_default_framework_is_one_line(
    sqlite_url: str,
    headless: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AUDIT_TUI_DEFAULT_FRAMEWORK", "no-such-framework")
    code, out, err = _tui(capsys, "--db", sqlite_url, "--user", "tester")
    assert (code, out) == (2, "")
    assert "no-such-framework" in _one_line(err)


# --- the first frame's imports ---------------------------------------------------------------

_FIRST_FRAME = """
import asyncio, json, sys
from audit_tui.ui.app import create_app
from audit_tui.domain.errors import UserError

HEAVY = ("sqlalchemy", "pydantic", "pydantic_settings", "alembic", "yaml")
# Not on Home's first frame (about 30 ms between them): the text widgets only forms and the
# language switch use, and rich's emoji table, which reading a str as markup loads.
NOT_YET = ("textual.widgets._text_area", "textual.widgets.input", "textual.widgets.select",
           "rich._emoji_codes")
seen = {}

def open_context():
    # Called by the worker once Home's first frame is drawn: what is loaded by then?
    seen["heavy"] = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
    seen["services"] = sorted(m for m in sys.modules if m.startswith("audit_tui.services."))
    seen["widgets"] = sorted(set(sys.modules) & set(NOT_YET))
    seen["screen"] = type(app.screen).__name__
    if "drafts" in seen:
        from textual.widgets import DataTable
        seen["drafts"] = app.screen.query_one("#drafts-table", DataTable).row_count
    raise UserError("stop here")

early = None
if len(sys.argv) > 1:  # a database: Home's drafts read early, as the command line does
    from functools import partial
    from audit_tui.store.early_drafts import early_drafts
    early = partial(early_drafts, sys.argv[1], "tester", demo=False)
    seen["drafts"] = None

app = create_app(open_context=open_context, early_drafts=early)

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

asyncio.run(main())
seen["error"] = str(app.start_error)
print(json.dumps(seen))
"""


def _first_frame(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_FRAME, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    assert seen["screen"] == "HomeScreen"
    assert seen["heavy"] == []
    assert seen["widgets"] == []
    # framework_choice names the framework in the title bar; it imports nothing heavy.
    assert set(seen["services"]) <= {"audit_tui.services.framework_choice"}, seen["services"]
    assert seen["error"] == "stop here"
    return seen


def test_the_first_frame_imports_neither_sqlalchemy_nor_pydantic() -> None:
    """Structural, not a timing: a fresh interpreter draws Home and, when the worker starts
    opening the database, nothing has imported SQLAlchemy, pydantic or the services."""
    _first_frame()


def test_the_early_drafts_read_imports_neither_sqlalchemy_nor_pydantic(
    sqlite_ctx: AppContext,
) -> None:
    """The same with the drafts read early (store/early_drafts.py) and listed on that first
    frame."""
    directory.add_team(sqlite_ctx, "Team A")
    start(sqlite_ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2))
    start(sqlite_ctx, "CP-2", "child_protection", "Team A", date(2026, 11, 3))
    assert _first_frame(str(sqlite_ctx.db.url))["drafts"] == 2
