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
from tests.ui.demo_template import build_template, copy_context
from tests.ui.helpers import app_for, stable_where
from tests.ui.visits import Visit, a_finalised, comparison, opening, pressing

SIZE = (80, 24)


@pytest.fixture(scope="module")
def persona(
    tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry
) -> Iterator[AppContext]:
    # One copy for the module: the snapshots only look, they never write.
    folder = tmp_path_factory.mktemp("snapshot-demo")
    ctx = copy_context(build_template(folder, registry), folder, registry)
    who = info(ctx, PERSONA_KEY)
    assert who
    ctx.actor = who
    # A fixed exports folder (the export dialog shows it); nothing is written in these tests.
    ctx.settings = Settings(exports=Path("/home/qa/Documents/audit-tui"))
    yield ctx
    ctx.db.dispose()


def shoot(snap_compare, ctx: AppContext, visit: Visit, monkeypatch) -> bool:  # type: ignore[no-untyped-def]
    stable_where(monkeypatch)

    async def run_before(pilot: Pilot[object]) -> None:
        app = pilot.app
        assert isinstance(app, AuditApp)
        await visit(app, pilot)
        # A blinking cursor would make the picture depend on the moment it is taken.
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return bool(snap_compare(app_for(ctx), terminal_size=SIZE, run_before=run_before))


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
        assert shoot(snap_compare, persona, pressing("x"), monkeypatch)


class TestAroundTheHouse:
    """Help and the staff directory."""

    def test_help(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("question_mark"), monkeypatch)

    def test_staff(self, snap_compare, persona, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        assert shoot(snap_compare, persona, pressing("s"), monkeypatch)
