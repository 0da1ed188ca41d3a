"""A moderated audit reads the same on every screen (issue 13, point 4): the audit view shows
the answers that count (the agreed ones) with the auditor's original beside each changed one,
in words; an action is offered where the counted answer is No or Partly, as the service
checks; Home's row carries the counted percent and grade with the original judgement in a
column of its own. And `h` lists the audit's history, ending with the log check."""

from __future__ import annotations

from textual.widgets import DataTable

from audit_tui.services import audits, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.services.schemas import AnswerIn
from audit_tui.ui.dialogs.actions import NewActionModal
from audit_tui.ui.screens.audit_view import AuditViewScreen
from audit_tui.ui.screens.history import HistoryScreen
from audit_tui.ui.screens.home import HomeScreen
from tests.ui.helpers import FRAMEWORK, app_for
from tests.ui.loop_fixtures import CASE_TYPE, audit_id_of, widget_text


def cells(table: DataTable, key: str) -> list[str]:
    return [str(c) for c in table.get_row(key)]


def moderate(ctx: AppContext, audit_id: int) -> tuple[str, str]:
    """Agree a version that turns the auditor's first No into Yes and a Yes into No.
    Returns (the question now Yes, the question now No)."""
    original = audits.get_audit(ctx, audit_id)
    questions = ctx.frameworks.get(FRAMEWORK).applicable_questions(CASE_TYPE)
    to_yes = next(q.id for q in questions if original.answers[q.id].answer == "no")
    to_no = next(
        q.id for q in questions if original.answers[q.id].answer == "yes" and not q.critical
    )
    # And every Partly becomes Yes, so the agreed percent differs from the original.
    mine = {
        q.id: "yes" if original.answers[q.id].answer == "partly" else original.answers[q.id].answer
        for q in questions
    } | {to_yes: "yes", to_no: "no"}
    sel = ModerationSelection(moderator="Dana Moss", audit_ids=[audit_id])
    mid = moderation.select_for_moderation(ctx, sel).moderations[0].id
    for qid, code in mine.items():
        moderation.record_moderation_answer(ctx, mid, AnswerIn(question_id=qid, answer=code))
    moderation.submit_moderation(ctx, mid, "requires_improvement")
    moderation.agree(
        ctx,
        mid,
        AgreeIn(answers=mine, judgement="requires_improvement", comment="Agreed at the panel"),
    )
    return to_yes, to_no


async def test_a_moderated_audit_reads_the_same_everywhere(loop_ctx: AppContext) -> None:
    ctx = loop_ctx
    target = audit_id_of(ctx, "CIN-3001")
    to_yes, to_no = moderate(ctx, target)
    detail = audits.get_audit(ctx, target)
    assert detail.counted is not None
    counted_pct = f"{round(detail.counted.percent_met or 0)}%"
    original_pct = f"{round(detail.percent_met or 0)}%"
    assert counted_pct != original_pct
    changed = len(detail.original_answers)

    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        finalised = home.query_one("#finalised-table", DataTable)
        row = cells(finalised, str(target))
        assert row[1] == "Requires improvement (moderated)"
        assert row[2] == counted_pct  # the counted percent, beside the agreed grade
        assert row[-1] == ctx.frameworks.get(FRAMEWORK).judgements.label(detail.judgement)

        await app.push_screen(AuditViewScreen.load(ctx, audits.get_audit(ctx, target)))
        await pilot.pause()
        view = app.screen
        assert isinstance(view, AuditViewScreen)
        text = widget_text(view)
        assert f"Agreed at moderation: percent met {counted_pct}" in text
        assert f"Before moderation: percent met {original_pct}" in text
        assert f"{changed} answers changed" in text and changed > 2
        table = view.query_one("#av-answers", DataTable)
        assert cells(table, to_yes)[1:3] == ["✓ Yes", "changed from ✗ No"]
        assert cells(table, to_no)[1:3] == ["✗ No", "changed from ✓ Yes"]
        untouched = next(k.value for k in table.rows if k.value not in (to_yes, to_no))
        assert cells(table, str(untouched))[2] == ""

        # c follows what the row shows: refused on the agreed Yes, offered on the agreed No.
        await pilot.press(*["down"] * table.get_row_index(to_yes), "c")
        assert app.screen is view
        table.move_cursor(row=table.get_row_index(to_no))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, NewActionModal)
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("h")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        shown = widget_text(history)
        assert "Finalised the audit" in shown
        assert f"Agreed at moderation: {to_yes}" in shown
        assert "No -> Yes" in shown  # the change, in words
        assert "Agreed at the panel" in shown  # the reason
        assert "✓ Log intact" in shown


async def test_h_shows_a_demo_audits_history(sqlite_ctx: AppContext) -> None:
    from audit_tui.demo import generate_demo

    generate_demo(sqlite_ctx, audits=30, seed=2, drafts=1)
    # The oldest: one of the demo's history, finalised in bulk (this term's audits, made
    # through the services with every answer logged, are the most recent).
    audit_id = audits.list_finalised(sqlite_ctx, limit=None)[-1].id

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(
            AuditViewScreen.load(sqlite_ctx, audits.get_audit(sqlite_ctx, audit_id))
        )
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#hi-table", DataTable)
        rows = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert rows[:2] == ["Started the audit", "Finalised the audit"]
        assert set(rows[2:]) <= {"Practitioner's response recorded"}
        n = table.row_count
        assert f"✓ Log intact: {n} entries for this audit" in widget_text(screen)
        await pilot.press("escape")
        assert isinstance(app.screen, AuditViewScreen)
