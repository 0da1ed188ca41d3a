"""Safeguarding escalation from the keyboard: a concern raised in the walkthrough blocks
finalising (the service's reason shown in the missing list) until the escalation is recorded;
Home then shows the audit at the very top until the escalation is acknowledged. And the
practitioner's side of the audit view: their response, and the feedback document."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, OptionList

from audit_tui.config import Settings
from audit_tui.services import actions, audits, escalation
from audit_tui.services.context import AppContext
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.dialogs.actions import NewActionModal
from audit_tui.ui.dialogs.escalation import EscalationModal
from audit_tui.ui.dialogs.practitioner import ResponseModal
from audit_tui.ui.screens.audit_view import AuditViewScreen
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.review import ReviewScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.helpers import app_for
from tests.ui.loop_fixtures import (
    DRAFT_REF,
    audit_id_of,
    widget_text,
)


async def test_concern_blocks_finalising_until_escalated_and_home_shows_it_until_acknowledged(
    loop_ctx: AppContext,
) -> None:
    ctx = loop_ctx
    draft_id = audit_id_of(ctx, DRAFT_REF)

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # resume the only draft
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        assert not walk.query_one("#wt-concern").display
        # On the way: an action from the draft's No answer (the third question), with c.
        await pilot.press("j", "j", "c")
        assert isinstance(app.screen, NewActionModal)
        await pilot.press(*"Check the referral with EF", "ctrl+s")
        assert app.screen is walk
        [action] = actions.list_actions(ctx, audit_id=draft_id)
        assert action.question_id == walk.walk.question.id
        assert walk.walk.answer().answer == "no"  # type: ignore[union-attr]
        await pilot.press("!")
        modal = app.screen
        assert isinstance(modal, EscalationModal)
        await pilot.press("ctrl+s")  # the risk must be said
        assert "risk" in str(modal.query_one("#form-error").render())
        await pilot.press(*"Bruising seen on JD, not followed up", "ctrl+s")
        assert app.screen is walk
        banner = walk.query_one("#wt-concern")
        assert banner.display
        assert "⚠ ESCALATION" in str(banner.render())
        assert "NOT ESCALATED" in str(banner.render())

        # Review: finalising is refused, the service's reason listed with what is missing.
        await pilot.press("v")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.query_one("#rv-concern").display
        await pilot.press("ctrl+f")
        assert app.screen is review  # no confirmation: it would be refused
        listed = review.query_one("#rv-missing", OptionList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert prompts == ["✗ a safeguarding concern is open: record the escalation first"]
        assert app.focused is listed
        assert audits.get_audit(ctx, draft_id).status == "draft"

        # Enter on that item records the escalation (to whom; when defaults to now).
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, EscalationModal)
        assert modal.status.state == "not_escalated"
        await pilot.press(*"Duty manager DM", "ctrl+s")
        assert app.screen is review
        assert review.query_one("#rv-missing", OptionList).option_count == 0
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()

        home = app.screen
        assert isinstance(home, HomeScreen)
        hook = home.query_one("#home-escalations")
        assert hook.display
        assert hook.region.y <= 1  # the very top, under the header
        assert hook.region.y < home.query_one("#home-figures").region.y
        text = widget_text(hook)
        assert "⚠ ESCALATION" in text and DRAFT_REF in text
        assert "escalated to Duty manager DM 2026-11-20 10:30" in text
        # Acknowledged from Home: the first thing above the drafts list.
        await pilot.press("shift+tab")
        assert app.focused is hook.query_one(OptionList)
        await pilot.press("enter")
        ack = app.screen
        assert isinstance(ack, EscalationModal)
        assert ack.status.state == "awaiting_acknowledgement"
        # Separation of duties (issue 15): who escalated it is not offered the
        # acknowledgement - there is nothing to type or press that would record it.
        assert "You escalated it, so you cannot acknowledge it" in widget_text(ack)
        assert not ack.query("Input")
        assert str(ack.query_one("#save", Button).label) == "Close (ctrl+s)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is home
        assert home.query_one("#home-escalations").display  # still waiting

        # A colleague (here: the same app as another person) acknowledges it.
        ctx.actor = "Rhian Evans"
        await pilot.press("enter")
        ack = app.screen
        assert isinstance(ack, EscalationModal)
        assert "Acknowledging as Rhian Evans" in widget_text(ack)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is home
        assert not home.query_one("#home-escalations").display
    final = escalation.escalation_status(ctx, draft_id)
    assert final.audit_status == "finalised"
    assert (final.escalated_to, final.acknowledged_by) == ("Duty manager DM", "Rhian Evans")
    assert final.escalated_by == "tester"
    assert final.concern_note == "Bruising seen on JD, not followed up"


async def test_an_unacknowledged_escalation_takes_focus_on_a_fresh_home(
    loop_ctx: AppContext,
) -> None:
    ctx = loop_ctx
    audit_id = audit_id_of(ctx, "CIN-4001")
    # Recorded on a finalised audit, as in a later look at the file.
    # Escalated by a colleague, so tester may acknowledge it (not their own: issue 15).
    colleague = dataclasses.replace(ctx, actor="Ann Other")
    escalation.record_escalation(colleague, audit_id, "Duty team", ctx.today(), "seen by AB")
    other = audit_id_of(ctx, DRAFT_REF)
    escalation.raise_concern(ctx, other, "home conditions, CD")

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        # Home's worker reads the panels; the list is mounted, then focused, when they arrive.
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        box = home.query_one("#home-escalations-list", OptionList)
        assert app.focused is box
        prompts = [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]
        # Not yet escalated first: the most urgent.
        assert prompts[0].startswith(f"⚠ ESCALATION {DRAFT_REF}")
        assert "NOT ESCALATED" in prompts[0]
        assert prompts[1].startswith("⚠ ESCALATION CIN-4001")
        await pilot.press("down", "enter")
        assert isinstance(app.screen, EscalationModal)
        await pilot.press("ctrl+s")
        assert app.screen is home
        assert box.option_count == 1


async def test_practitioner_response_and_feedback_from_the_audit_view(
    loop_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = loop_ctx
    exports = tmp_path / "exports"
    ctx.settings = Settings(exports=exports)

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        table = home.query_one("#finalised-table", DataTable)
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        await pilot.press("shift+tab", *["down"] * refs.index("CIN-3001"), "enter")
        view = app.screen
        assert isinstance(view, AuditViewScreen)
        assert "Practitioner response: not recorded" in widget_text(view)
        await pilot.press("r")
        modal = app.screen
        assert isinstance(modal, ResponseModal)
        # The response list: open it, down past agree to disagree, choose.
        await pilot.press("enter", "down", "down", "enter")
        await pilot.press("ctrl+s")  # a disagreement needs a comment
        assert "comment" in str(modal.query_one("#form-error").render())
        await pilot.press("tab", *"Visit on 3 Oct not counted", "ctrl+s")
        assert app.screen is view
        assert "Practitioner response: DISAGREES - Visit on 3 Oct not counted" in widget_text(view)
        await pilot.press("f")
        assert view.feedback_path is not None
        assert f"Feedback written to {view.feedback_path}" in widget_text(view)
    written = list(exports.glob("*.md"))
    assert len(written) == 1
    text = written[0].read_text(encoding="utf-8")
    assert "# Case file audit feedback: CIN-3001" in text
    assert "response recorded: **disagree**" in text.lower()
    assert "Visit on 3 Oct not counted" in text
