"""Actions from the keyboard: added from a No answer in the audit view and completed in the
Actions screen; an overdue action on Home; a re-audit started from its action, linked back
with the change in grade."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import DataTable, Input, OptionList

from audit_tui.services import actions, audits
from audit_tui.services.actions import NewAction
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn, Finalise
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.dialogs.actions import NewActionModal, NotNeededModal, ReauditModal
from audit_tui.ui.screens.actions import ActionsScreen
from audit_tui.ui.screens.audit_view import AuditViewScreen
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.conftest import FIXED_TODAY
from tests.ui.helpers import FRAMEWORK, app_for
from tests.ui.loop_fixtures import (
    CASE_TYPE,
    audit_id_of,
    widget_text,
)


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def open_finalised(pilot, ref: str) -> AuditViewScreen:  # type: ignore[no-untyped-def]
    """From Home: down the finalised list to `ref`, Enter."""
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    table = home.query_one("#finalised-table", DataTable)
    refs = [r[0] for r in rows(table)]
    table.focus()
    await pilot.pause()
    await pilot.press(*["down"] * refs.index(ref), "enter")
    view = pilot.app.screen
    assert isinstance(view, AuditViewScreen)
    return view


async def test_action_from_a_no_answer_and_complete_it(loop_ctx: AppContext) -> None:
    ctx = loop_ctx
    audit_id = audit_id_of(ctx, "CIN-3002")
    detail = audits.get_audit(ctx, audit_id)
    order = [q.id for q in ctx.frameworks.get(FRAMEWORK).applicable_questions(CASE_TYPE)]
    no_q = next(qid for qid in order if detail.answers[qid].answer == "no")
    yes_q = next(qid for qid in order if detail.answers[qid].answer == "yes")

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_finalised(pilot, "CIN-3002")
        assert "Actions: none yet" in widget_text(view)
        # On a Yes answer, c explains instead of opening the dialog.
        await pilot.press(*["down"] * order.index(yes_q), "c")
        assert app.screen is view
        await pilot.press(*["up"] * order.index(yes_q), *["down"] * order.index(no_q), "c")
        modal = app.screen
        assert isinstance(modal, NewActionModal)
        assert modal.question is not None and modal.question.id == no_q
        due = modal.query_one("#act-due", Input)
        assert due.value == (FIXED_TODAY + timedelta(days=28)).isoformat()
        assert modal.query_one("#act-owner", Input).value == "Sam Worker"
        await pilot.press("ctrl+s")  # no description: refused in the dialog
        assert app.screen is modal
        # In plain words, as the form names the field (issue 15: never pydantic's
        # "String should have at least 1 character").
        error = str(modal.query_one("#form-error").render())
        assert error == "✗ What must change: cannot be empty"
        # A due date already past is said once; the same date again is taken as meant.
        due.value = (FIXED_TODAY - timedelta(days=3)).isoformat()
        await pilot.press(*"Record the analysis with JB", "ctrl+s")
        assert app.screen is modal
        error = str(modal.query_one("#form-error").render())
        assert "is already past" in error and "OVERDUE" in error
        due.value = (FIXED_TODAY + timedelta(days=28)).isoformat()
        await pilot.press("ctrl+s")
        assert app.screen is view
        assert "1 open" in widget_text(view)

        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        listed = rows(screen.query_one("#actions-table", DataTable))
        assert len(listed) == 1
        assert listed[0][:5] == [
            "open",
            (FIXED_TODAY + timedelta(days=28)).isoformat(),
            "CIN-3002",
            no_q,
            "Sam Worker",
        ]
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        assert app.screen is screen
        assert rows(screen.query_one("#actions-table", DataTable))[0][0] == "✓ done"
        assert screen.check_action("done", ()) is False
        await pilot.press("escape")
        assert app.screen is view
        assert "0 open" in widget_text(view) and "1 done" in widget_text(view)
    [action] = actions.list_actions(ctx, audit_id=audit_id)
    assert (action.question_id, action.status, action.description) == (
        no_q,
        "done",
        "Record the analysis with JB",
    )
    assert action.due_date == FIXED_TODAY + timedelta(days=28)


async def test_overdue_action_on_home_closed_as_not_needed(loop_ctx: AppContext) -> None:
    ctx = loop_ctx
    audit_id = audit_id_of(ctx, "CIN-3001")
    overdue = actions.create_action(
        ctx,
        NewAction(
            audit_id=audit_id,
            description="Supervision record on file",
            owner="Team manager",
            due_date=FIXED_TODAY - timedelta(days=1),
        ),
    )
    actions.create_action(  # due today: not overdue yet
        ctx,
        NewAction(audit_id=audit_id, description="Chronology", owner="SW", due_date=FIXED_TODAY),
    )

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        # Home's worker reads the panels; the list is mounted when they arrive.
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        hook = home.query_one("#home-actions")
        assert hook.display
        listed = hook.query_one(OptionList)
        assert listed.option_count == 1
        text = str(listed.get_option_at_index(0).prompt)
        assert text.startswith("OVERDUE due 2026-11-19 · CIN-3001")
        assert "Supervision record on file" in text
        # Visible at 80x24, above the finalised list.
        assert 0 < hook.region.y < home.query_one("#home-finalised").region.y
        assert hook.region.bottom <= 23

        # Tab back from the finalised list to it; Enter opens it in Actions.
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is listed
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        assert screen.selected() is not None and screen.selected().id == overdue.id  # type: ignore[union-attr]
        assert rows(screen.query_one("#actions-table", DataTable))[0][0] == "OVERDUE"
        await pilot.press("x")
        assert isinstance(app.screen, NotNeededModal)
        await pilot.press("ctrl+s")  # a reason is required
        assert "reason" in str(app.screen.query_one("#form-error").render())
        await pilot.press(*"case closed", "enter")
        assert app.screen is screen
        await pilot.press("escape")
        assert app.screen is home
        assert not home.query_one("#home-actions").display
    closed = actions.get_action(ctx, overdue.id)
    assert (closed.status, closed.status_reason) == ("not_needed", "case closed")


async def test_reaudit_started_from_its_action_links_back_with_the_change_in_grade(
    loop_ctx: AppContext,
) -> None:
    ctx = loop_ctx
    first_id = audit_id_of(ctx, "CIN-3003")
    first = audits.get_audit(ctx, first_id)
    action = actions.create_action(
        ctx,
        NewAction(
            audit_id=first_id,
            description="Re-assess risk",
            owner="SW",
            due_date=date(2026, 12, 1),
            reaudit_by=date(2027, 2, 1),
        ),
    )

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        assert rows(screen.query_one("#actions-table", DataTable))[0][5] == "by 2027-02-01"
        await pilot.press("r")
        modal = app.screen
        assert isinstance(modal, ReauditModal)
        assert modal.query_one("#re-auditor", Input).value == "tester"
        assert modal.query_one("#re-date", Input).value == FIXED_TODAY.isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        assert walk.detail.previous_audit_id == first_id
        assert walk.detail.case_reference == "CIN-3003"
        second_id = walk.audit_id
        await pilot.press("escape")
        assert app.screen is screen
        assert rows(screen.query_one("#actions-table", DataTable))[0][5] == f"audit {second_id}"

        # The re-audit, all Yes, is finalised; its view shows the link and the change.
        for q in ctx.frameworks.get(FRAMEWORK).applicable_questions(CASE_TYPE):
            audits.record_answer(ctx, second_id, AnswerIn(question_id=q.id, answer="yes"))
        audits.finalise(ctx, second_id, Finalise(judgement="excellent"))
        screen.refresh_data()
        assert "→ Excellent" in str(screen.query_one("#actions-detail").render())
        await pilot.press("r")
        view = app.screen
        assert isinstance(view, AuditViewScreen) and view.audit_id == second_id
        label = ctx.frameworks.get(FRAMEWORK).judgements.label
        summary = str(view.query_one("#av-summary").render())
        assert f"Re-audit of audit {first_id}" in summary
        assert f"{label(first.judgement)} → Excellent" in summary
        await pilot.press("p")
        back = app.screen
        assert isinstance(back, AuditViewScreen) and back.audit_id == first_id
        assert f"Re-audited in audit {second_id}" in widget_text(back)
    assert actions.reaudit_outcome(ctx, action.id).grade_change is not None
