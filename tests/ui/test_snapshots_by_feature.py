"""Snapshots of every screen that test_snapshots.py (Home, walkthrough, review) and
test_profiles_screen.py (Profiles) do not show, grouped by feature, at 80x24.

On a copy of the demo database (400 audits, today fixed at 2026-11-20, a fixed clock) as the
demo's persona, reached from Home the way a user gets there (tests/ui/visits.py). Accept a
change with `pytest tests/ui --snapshot-update` only after looking at the new SVGs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from audit_tui.config import Settings
from audit_tui.demo.story import PERSONA_KEY
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import info
from audit_tui.ui.app import AuditApp
from audit_tui.ui.screens.home import HomeBody
from tests.ui.demo_template import copy_context, settle
from tests.ui.helpers import app_for, stable_where
from tests.ui.visits import Visit, a_finalised, comparison, keys, opening, pressing

SIZE = (80, 24)


@pytest.fixture
def persona(
    demo_template: Path, tmp_path: Path, registry: FrameworkRegistry
) -> Iterator[AppContext]:
    # A copy per test: a screen that writes (who is working, a version stored) must not
    # change the next picture, whichever test ran before it on the worker.
    ctx = copy_context(demo_template, tmp_path, registry)
    who = info(ctx, PERSONA_KEY)
    assert who
    ctx.actor = who
    # A fixed exports folder (the export dialog shows it); nothing is written in these tests.
    ctx.settings = Settings(exports=Path("/home/qa/Documents/audit-tui"))
    yield ctx
    ctx.db.dispose()


def over_home(*pressed: str) -> Visit:
    """A dialog over Home: Home behind it scrolled to its top first. Where Home stands after
    its panels arrive (an escalation taking the focus scrolls it) can differ by a row with
    the machine's load since the first frame comes before the database (issue 16); these
    pictures are of the dialog."""

    async def visit(app: AuditApp, pilot: Pilot[object]) -> None:
        await settle(app, pilot)
        app.screen.query_one(HomeBody).scroll_home(animate=False, immediate=True)
        await pilot.pause()
        await keys(app, pilot, *pressed)

    return visit


def shoot(snap_compare, ctx: AppContext, visit: Visit, monkeypatch) -> bool:  # type: ignore[no-untyped-def]
    stable_where(monkeypatch)

    async def run_before(pilot: Pilot[object]) -> None:
        app = pilot.app
        assert isinstance(app, AuditApp)
        await visit(app, pilot)
        # A blinking cursor would make the picture depend on the moment it is taken.
        for field in app.screen.query(Input):
            field.cursor_blink = False
        # A scroll into view (Home's panels arriving) animates: the picture is its end.
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    app = app_for(ctx)
    # Scrolling a panel into view is animated; a picture taken mid-way depends on the load
    # of the machine. Without animation every scroll lands at once.
    app.animation_level = "none"
    return bool(snap_compare(app, terminal_size=SIZE, run_before=run_before))


class TestAudits:
    """Starting an audit, reading a finalised one, its history."""

    def test_new_audit(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("n"), monkeypatch)

    def test_audit_view(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, opening(a_finalised), monkeypatch)

    def test_history(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, opening(a_finalised, "h"), monkeypatch)


class TestFollowUp:
    """What comes after an audit: actions and the audit programme."""

    def test_actions(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("t"), monkeypatch)

    def test_programme(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("g"), monkeypatch)


class TestModeration:
    """The moderation list, choosing audits, agreement, the blind walk, the comparison."""

    def test_moderation_list(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("m"), monkeypatch)

    def test_select_for_moderation(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("m", "s"), monkeypatch)

    def test_agreement(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("m", "a"), monkeypatch)

    def test_blind_walk(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("m", "enter"), monkeypatch)

    def test_comparison(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, comparison, monkeypatch)


class TestReporting:
    """The figures behind a profile and the board-pack export."""

    def test_audits_behind_a_figure(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("p", "enter"), monkeypatch)

    def test_export(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, over_home("x"), monkeypatch)


class TestAroundTheHouse:
    """Help and the staff directory."""

    def test_help(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, over_home("question_mark"), monkeypatch)

    def test_staff(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("s"), monkeypatch)
