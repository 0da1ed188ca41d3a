"""Notes and N/A reasons saved through the screens are in the event log, each as its own
entry, and `db verify` stays clean: the walkthrough (a note typed before answering, a required
reason, a note changed later), the review's strengths, the audit view's amendment of a note,
and the moderator's blind walk. Before the fix, the walkthrough's own save path (an answer
with its note or reason) logged the answer only."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from sqlalchemy import select
from textual.widgets import Input, Select

from audit_tui.config import Settings
from audit_tui.services import audits, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.integrity import verify_database
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.schemas import Finalise, SummaryIn
from audit_tui.store.migrate import open_database
from audit_tui.store.models import Event
from audit_tui.ui.dialogs.amend import AmendModal
from audit_tui.ui.screens.audit_view import AuditViewScreen
from audit_tui.ui.screens.moderation_walk import ModerationWalkScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.helpers import FRAMEWORK, answer_all, app_for
from tests.ui.test_walkthrough_text_fields import new_draft, recorded_notifications


def logged(
    ctx: AppContext, audit_id: int, *actions: str
) -> list[tuple[str, str | None, str | None]]:
    """(action, question, new value) of the audit's entries of these kinds, in order."""
    with ctx.db.read() as s:
        rows = s.execute(
            select(Event.action, Event.field, Event.new_value)
            .where(Event.audit_id == audit_id, Event.action.in_(actions))
            .order_by(Event.id)
        ).all()
    return [(a, f, v) for a, f, v in rows]


async def test_the_walkthroughs_notes_and_reasons_are_logged(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0101")

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = WalkthroughScreen.load(ctx, audits.get_audit(ctx, audit_id))
        await app.push_screen(walk)
        await pilot.pause()
        first = walk.question.id
        # A note typed before answering, saved with the answer.
        await pilot.press("e", *"AB seen alone", "enter", "y")
        await pilot.pause()
        # The note changed afterwards, on the answered question.
        walk.go_to(first)
        await pilot.pause()
        await pilot.press("e", "ctrl+u", *"AB seen alone twice", "enter")
        await pilot.pause()
        # A required N/A reason, typed into its box.
        walk.go_to("CF-PL-06")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert app.focused is walk.query_one("#wt-na-reason", Input)
        await pilot.press(*"no plan needed yet", "enter")
        await pilot.pause()
        assert logged(ctx, audit_id, "note", "na_reason") == [
            ("note", first, "AB seen alone"),
            ("note", first, "AB seen alone twice"),
            ("na_reason", "CF-PL-06", "no plan needed yet"),
        ]
    assert verify_database(ctx).problems == []


async def test_the_reviews_summary_and_the_audit_views_amended_note_are_logged(
    sqlite_ctx: AppContext,
) -> None:
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0102")
    answer_all(ctx, audit_id, "care_leaver", random.Random(3))
    audits.update_summary(ctx, audit_id, SummaryIn(strengths="Voice clear"))
    suggested = audits.review(ctx, audit_id).suggested_judgement
    audits.finalise(ctx, audit_id, Finalise(judgement=suggested or "good"))
    first = ctx.frameworks.get(FRAMEWORK).applicable_questions("care_leaver")[0]

    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        view = AuditViewScreen.load(ctx, audits.get_audit(ctx, audit_id))
        await app.push_screen(view)
        await pilot.pause()
        await pilot.press("a")  # amend the selected (first) answer
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AmendModal)
        modal.query_one("#amend-note", Input).value = "Seen alone - CD"
        answer = modal.query_one("#amend-choice", Select)
        assert answer.value is not None
        await pilot.press(*"note was missing", "enter")
        await pilot.pause()
        assert app.screen is view
    assert logged(ctx, audit_id, "edit", "amend_note") == [
        ("edit", "strengths", "Voice clear"),
        ("amend_note", first.id, "Seen alone - CD"),
    ]
    assert verify_database(ctx).problems == []


async def test_the_moderators_notes_are_logged(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0103")
    answer_all(ctx, audit_id, "care_leaver", random.Random(4))
    suggested = audits.review(ctx, audit_id).suggested_judgement
    audits.finalise(ctx, audit_id, Finalise(judgement=suggested or "good"))
    # Dana moderates: the person using the tool in the moderator's walk.
    sel = ModerationSelection(moderator="Dana Moss", audit_ids=[audit_id])
    mid = moderation.select_for_moderation(ctx, sel).moderations[0].id
    mctx = dataclasses.replace(ctx, actor="Dana Moss")

    app = app_for(mctx)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = ModerationWalkScreen.load(mctx, mid)
        await app.push_screen(walk)
        await pilot.pause()
        q = walk.question.id
        await pilot.press("e", *"Not seen - DM", "enter", "n")
        await pilot.pause()
        assert logged(mctx, audit_id, "moderate_answer", "moderate_note") == [
            ("moderate_answer", q, "no"),
            ("moderate_note", q, "Not seen - DM"),
        ]
    assert verify_database(ctx).problems == []


async def test_without_the_log_key_the_walkthrough_says_where_it_must_be_and_saves_nothing(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    """Reading works without the key; an answer is refused in one line naming where the key
    must be put, and nothing is saved."""
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0104")
    elsewhere = tmp_path / "no-such.key"
    away = AppContext(
        db=open_database(ctx.db.url.render_as_string(hide_password=False)),
        frameworks=ctx.frameworks,
        actor=ctx.actor,
        today=ctx.today,
        settings=Settings(key_file=elsewhere),
    )
    shown: list[tuple[str, str]] = []

    try:
        app = app_for(away)
        async with app.run_test(size=(80, 24)) as pilot:
            walk = WalkthroughScreen.load(ctx, audits.get_audit(ctx, audit_id))
            await app.push_screen(walk)
            await pilot.pause()
            first = walk.question.id
            seen = recorded_notifications(app)
            await pilot.press("y")
            await pilot.pause()
            assert walk.question.id == first  # not saved: it stays on the question
            shown.extend(seen)
    finally:
        away.db.dispose()
    (message, severity) = shown[-1]
    assert severity == "error" and message.startswith("cannot save: this database's log key")
    assert str(elsewhere) in message and "\n" not in message
    assert audits.get_audit(ctx, audit_id).answers == {}
