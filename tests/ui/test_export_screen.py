"""Exporting the Excel workbook from the TUI: from Home and from Profiles (with its scope), the
progress shown while a worker writes it, the path when done, one-line errors, and an existing
file replaced only when confirmed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from textual.widgets import Input, ProgressBar

from audit_tui.config import Settings
from audit_tui.services.context import AppContext
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.screens.export import ExportModal
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.profiles import ProfilesScreen
from tests.ui.demo_template import settle
from tests.ui.helpers import app_for

# Later features add sheets (Actions, Moderation, Programme...) between these.
CORE_SHEETS = ["Summary", "Teams", "Trend", "Questions", "Findings", "Audits", "Answers"]


@pytest.fixture
def exports(demo_ctx: AppContext, tmp_path: Path) -> Path:
    """The session's exports folder (its settings, as the CLI builds them once)."""
    folder = tmp_path / "exports"  # not there yet: the export creates it
    demo_ctx.settings = Settings(exports=folder)
    return folder


def _text(modal: ExportModal, selector: str) -> str:
    return str(modal.query_one(selector).render())


def _sheet_names(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _assert_workbook(path: Path, sheets: list[str]) -> None:
    """The file re-opens, with the sheets the export reported and the core ones in order."""
    names = _sheet_names(path)
    assert names == sheets
    assert [n for n in names if n in CORE_SHEETS] == CORE_SHEETS


async def test_export_from_profiles_uses_its_scope_and_shows_the_path(
    demo_ctx: AppContext, exports: Path
) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(app, pilot)
        profiles = app.screen
        assert isinstance(profiles, ProfilesScreen)
        await pilot.press("left_square_bracket")  # 2025-26
        await pilot.press("t", "down", "space", "enter")  # one team
        await settle(app, pilot)
        team = profiles.teams
        assert len(team) == 1
        await pilot.press("x")
        modal = app.screen
        assert isinstance(modal, ExportModal)
        assert modal.query_one("#ex-period", Input).value == "2025-26"
        assert team[0] in _text(modal, "#ex-scope")
        # The folder and the file name each in a field of their own, shown whole; from the
        # demo database, the name says DEMO.
        assert modal.query_one("#ex-folder", Input).value == str(exports)
        name = modal.query_one("#ex-path", Input).value
        assert name == "DEMO_case-file_2025-26_child-protection-demo_20261120-1030.xlsx"
        suggested = exports / name
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        result = modal.result
        assert result is not None and result.path == suggested
        assert result.period == "2025-26" and result.teams == team
        _assert_workbook(result.path, result.sheets)
        assert modal.query_one("#ex-progress", ProgressBar).progress == 100
        assert str(result.path.resolve()) in _text(modal, "#ex-done")
        await pilot.press("enter")  # Done
        assert app.screen is profiles


async def test_export_from_home_asks_before_replacing_and_shows_errors_in_one_line(
    demo_ctx: AppContext, tmp_path: Path
) -> None:
    demo_ctx.settings = Settings(exports=tmp_path)  # short names to type; shown in full
    target = tmp_path / "board.xlsx"

    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("x")
        modal = app.screen
        assert isinstance(modal, ExportModal)
        assert modal.query_one("#ex-period", Input).value == "2026-27"  # this year
        assert "all teams" in _text(modal, "#ex-scope")
        # The file name has focus with its text selected: typing replaces it. A quarter
        # keeps the test quick.
        await pilot.press(*"board.xlsx", "shift+tab", "shift+tab", *"2026-27 Q3", "enter")
        await settle(app, pilot)
        assert modal.result is not None and modal.result.path.resolve() == target.resolve()
        _assert_workbook(target, modal.result.sheets)
        assert str(target.resolve()) in _text(modal, "#ex-done")
        await pilot.press("escape")
        assert app.screen is home
        first = target.read_bytes()

        # Again to the same file: asked first; "keep it" writes nothing.
        await pilot.press("x", *"board.xlsx", "shift+tab", "shift+tab", *"2026-27 Q3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        modal = app.screen
        assert isinstance(modal, ExportModal)
        assert "already exists" in _text(modal, "#ex-error")
        assert modal.result is None and target.read_bytes() == first

        # A period with no audits: one line, and no file (nor temporary file) left.
        await pilot.press("shift+tab", "shift+tab", *"2019-20")
        await pilot.press("tab", "tab", *"board-2019.xlsx", "ctrl+s")
        await settle(app, pilot)
        error = _text(modal, "#ex-error")
        assert "no finalised case-file audits in 2019-20" in error
        assert "\n" not in error.strip()
        assert modal.result is None and not modal.running
        assert sorted(p.name for p in tmp_path.iterdir() if "board" in p.name) == ["board.xlsx"]

        # Back to this year, the same file, and "replace" this time.
        modal.query_one("#ex-period", Input).value = "2026-27 Q3"
        modal.query_one("#ex-path", Input).value = "board.xlsx"
        await pilot.press("ctrl+s", "y")
        await settle(app, pilot)
        assert modal.result is not None and modal.result.path.resolve() == target.resolve()
        _assert_workbook(target, modal.result.sheets)


async def test_export_stopped_with_escape_leaves_no_file(
    demo_ctx: AppContext, exports: Path
) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        modal = app.screen
        assert isinstance(modal, ExportModal)
        # Esc while it runs: the next progress report raises and the export module removes
        # what it had begun. (The worker's first report waits for this loop, so the stop
        # always comes before the end.)
        modal.action_export()
        assert modal.running
        modal.action_close()
        await settle(app, pilot)
        for _ in range(100):  # a busy machine: wait for the worker's end to be shown
            if not modal.running:
                break
            await pilot.pause(0.05)
        error = _text(modal, "#ex-error")
        assert "no file was written" in error, error
        assert modal.result is None
        assert not exports.exists() or list(exports.iterdir()) == []
