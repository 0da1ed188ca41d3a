"""The audit programme screen: a round's assigned cases and progress, overdue marked in words,
and the walk from an assigned case to a started audit linked to the round."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Select

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import programme
from audit_tui.services.context import AppContext
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.new_audit import NewAuditScreen
from audit_tui.ui.screens.programme import ProgrammeScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.demo_template import copy_context
from tests.ui.helpers import app_for


async def test_walk_from_an_assigned_case_to_a_started_audit_linked_to_the_round(
    demo_ctx: AppContext,
) -> None:
    before = programme.programme_status(demo_ctx)
    assert before.total.started == 0 and before.total.assigned > 0
    case = programme.assigned_cases(demo_ctx)[0]  # the first row of the list
    assert case.audit_id is None

    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, ProgrammeScreen)
        # "tester" has nothing assigned, so everyone's cases are listed.
        cases = screen.query_one("#pg-cases", DataTable)
        assert cases.row_count == before.total.assigned
        assert str(cases.get_row_at(0)[1]) == case.reference
        assert str(cases.get_row_at(0)[0]) == "not started"

        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, NewAuditScreen)
        assert form.query_one("#case_reference", Input).value == case.reference
        assert form.query_one("#framework", Select).value == case.framework_id
        assert form.query_one("#case_type", Select).value == case.case_type
        assert form.query_one("#team", Select).value == case.team
        assert form.query_one("#case_holder", Input).value == (case.case_holder or "")
        assert form.query_one("#auditor", Input).value == case.auditor
        assert form.query_one("#date", Input).value == "2026-11-20"
        assert case.round_name in str(form.query_one("#round-note").render())
        # Enter on the focused Start button starts it (after saying, in the demo
        # database, that this is practice).
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        audit_id = walk.audit_id

        after = programme.programme_status(demo_ctx)
        assert (after.total.started, after.total.not_started) == (
            1,
            before.total.not_started - 1,
        )
        linked = next(
            c for c in programme.assigned_cases(demo_ctx) if c.round_case_id == case.round_case_id
        )
        assert (linked.audit_id, linked.status) == (audit_id, "draft")

        # Back on the programme the case reads as started; Enter resumes its walkthrough.
        await pilot.press("escape")
        assert app.screen is screen
        assert str(cases.get_row_at(0)[0]) == "started (draft)"
        await pilot.press("enter")  # the assigned auditor's draft, not tester's: asked
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        assert isinstance(app.screen, WalkthroughScreen)
        assert app.screen.audit_id == audit_id
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_changed_case_reference_is_not_linked_to_the_round(demo_ctx: AppContext) -> None:
    case = programme.assigned_cases(demo_ctx)[0]

    app = app_for(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "enter")
        form = app.screen
        assert isinstance(form, NewAuditScreen)
        form.query_one("#case_reference", Input).value = "OTHER-1"
        await pilot.press("ctrl+s", "y")  # y: practice in the demo database
        assert isinstance(app.screen, WalkthroughScreen)
    same = next(
        c for c in programme.assigned_cases(demo_ctx) if c.round_case_id == case.round_case_id
    )
    assert same.audit_id is None and programme.programme_status(demo_ctx).total.started == 0


async def test_overdue_cases_are_marked_in_words(
    demo_template: Path, tmp_path: Path, registry: FrameworkRegistry
) -> None:
    ctx = copy_context(demo_template, tmp_path, registry)
    due = programme.current_round(ctx)
    assert due is not None
    ctx.today = lambda: due.due_date + timedelta(days=3)  # type: ignore[method-assign]

    try:
        app = app_for(ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("g")
            screen = app.screen
            assert isinstance(screen, ProgrammeScreen)
            assert "! overdue" in str(screen.query_one("#pg-round").render())
            assert "3 days ago" in str(screen.query_one("#pg-round").render())
            cases = screen.query_one("#pg-cases", DataTable)
            assert all(
                str(cases.get_row_at(i)[0]) == "! overdue, not started"
                for i in range(cases.row_count)
            )
            progress = screen.query_one("#pg-progress", DataTable)
            first = progress.get_row_at(0)
            assert str(first[-1]) == f"! overdue {first[2]}"  # every assigned case is overdue
    finally:
        ctx.db.dispose()


async def test_programme_without_a_round_says_how_to_draw_one(sqlite_ctx: AppContext) -> None:
    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, ProgrammeScreen)
        assert screen.query_one("#pg-empty").display
        assert "audit-tui sample" in str(screen.query_one("#pg-empty").render())
        assert screen.check_action("open_case", ()) is False
