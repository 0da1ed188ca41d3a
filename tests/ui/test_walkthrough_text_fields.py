"""The note and N/A reason fields belong to one question: whatever keys are pressed, text typed
for one question is never saved against another (issue 13, point 1), and the reason box and
its Esc behave (issue 15's findings in the same place)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select
from textual.widgets import Input

from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from audit_tui.store.models import Answer
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.helpers import app_for, start

CARE_LEAVER = "care_leaver"


def stored(ctx: AppContext, audit_id: int) -> dict[str, tuple[str, str | None, str | None]]:
    """question id -> (answer, note, N/A reason) as the database holds them."""
    with ctx.db.read() as s:
        rows = s.execute(
            select(Answer.question_id, Answer.answer, Answer.note, Answer.na_reason).where(
                Answer.audit_id == audit_id, Answer.kind == "original"
            )
        ).all()
    return {qid: (code, note, reason) for qid, code, note, reason in rows}


TEAM = "Leaving Care"


def new_draft(ctx: AppContext, ref: str, case_type: str = CARE_LEAVER) -> int:
    if TEAM not in {t.name for t in directory.list_teams(ctx)}:
        directory.add_team(ctx, TEAM)
    return start(ctx, ref, case_type, TEAM, date(2026, 11, 2)).id


async def na_on(app, pilot, audit_id: int, question_id: str) -> WalkthroughScreen:  # type: ignore[no-untyped-def]
    """Open the walkthrough at `question_id` and answer it N/A (a required reason then has
    the focus)."""
    walk = WalkthroughScreen.load(app.ctx, audits.get_audit(app.ctx, audit_id))
    await app.push_screen(walk)
    walk.go_to(question_id)
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()
    return walk


async def test_an_na_reason_stays_on_its_own_question(sqlite_ctx: AppContext) -> None:
    """The exact sequence of the report: a required reason on CF-PL-06, Yes on CF-PL-07, N/A
    on CF-PL-10 (reason optional). CF-PL-10 must not take CF-PL-06's reason."""
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0001")

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await na_on(app, pilot, audit_id, "CF-PL-06")
        assert app.focused is walk.query_one("#wt-na-reason", Input)
        await pilot.press(*"no plan needed yet", "enter")
        await pilot.pause()
        assert walk.question.id == "CF-PL-07"
        await pilot.press("y")
        await pilot.pause()
        assert walk.question.id == "CF-PL-10"
        await pilot.press("a")
        await pilot.pause()
    rows = stored(ctx, audit_id)
    assert rows["CF-PL-06"] == ("na", None, "no plan needed yet")
    assert rows["CF-PL-07"] == ("yes", None, None)
    assert rows["CF-PL-10"] == ("na", None, None)


async def test_esc_in_a_required_reason_returns_to_the_question_with_the_box_in_view(
    sqlite_ctx: AppContext,
) -> None:
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0002")

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await na_on(app, pilot, audit_id, "CF-PL-06")
        box = walk.query_one("#wt-na-reason", Input)
        assert app.focused is box
        # The box itself is on screen while typing, not only its label.
        main = walk.query_one("#wt-main")
        assert main.region.contains_region(box.region), (main.region, box.region)
        await pilot.press(*"not yet", "escape")
        await pilot.pause()
        assert app.screen is walk  # still in the audit
        assert app.focused is walk.query_one("#wt-question")
        assert walk.question.id == "CF-PL-06"
    assert stored(ctx, audit_id)["CF-PL-06"] == ("na", None, "not yet")


def recorded_notifications(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Record every notification the app shows from now on, as (message, severity)."""
    seen: list[tuple[str, str]] = []
    show = app.notify

    def notify(message: str, **kw) -> None:  # type: ignore[no-untyped-def]
        seen.append((message, kw.get("severity", "information")))
        show(message, **kw)

    app.notify = notify
    return seen


async def test_a_note_typed_before_answering_is_kept_without_a_warning(
    sqlite_ctx: AppContext,
) -> None:
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0004")

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = WalkthroughScreen.load(app.ctx, audits.get_audit(app.ctx, audit_id))
        await app.push_screen(walk)
        await pilot.pause()
        first = walk.question.id
        seen = recorded_notifications(app)
        await pilot.press("e", *"AB seen alone", "enter")
        await pilot.pause()
        assert app.focused is walk.query_one("#wt-question")
        await pilot.press("y")
        await pilot.pause()
        # Said once that it will be saved with the answer; no warning that it was not.
        assert [m for m, severity in seen if severity == "warning"] == []
        assert len([m for m, _ in seen if "note" in m.lower()]) == 1
        assert stored(ctx, audit_id)[first] == ("yes", "AB seen alone", None)
        # Typed and then left unanswered: that one is not saved, and it says so once.
        second = walk.question.id
        await pilot.press("e", *"CD", "enter", "down")
        await pilot.pause()
        warnings = [m for m, severity in seen if severity == "warning"]
        assert warnings == [
            f"Note on {second} not saved: answer the question first, then add the note."
        ]
        assert second not in stored(ctx, audit_id)


@pytest.mark.parametrize("seed", [6, 7])  # each failed on the code before the fix
async def test_random_key_sequences_never_save_text_against_another_question(
    sqlite_ctx: AppContext, seed: int
) -> None:
    """A seeded random walk of answers, N/A, notes and reasons finished in every way (Enter,
    Esc, moving away) and moves of every kind. Every text typed is unique, so a note or reason
    stored against any question other than the one it was typed for shows at once."""
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, f"CL-R{seed}")
    rng = random.Random(seed)
    typed_notes: dict[str, list[str]] = {}
    typed_reasons: dict[str, list[str]] = {}
    finishes = ["enter", "escape", "down", "up", "tab"]
    moves = ["j", "k", "u", "down", "up", "right_square_bracket", "left_square_bracket"]

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = WalkthroughScreen.load(app.ctx, audits.get_audit(app.ctx, audit_id))
        await app.push_screen(walk)
        await pilot.pause()
        note_box = walk.query_one("#wt-note", Input)
        reason_box = walk.query_one("#wt-na-reason", Input)
        for step in range(30):
            token = f"t{step}"
            q = walk.question.id
            kind = rng.choice(["answer", "answer", "note", "note", "reason", "move"])
            if kind == "answer":
                await pilot.press(rng.choice("yypna"))
            elif kind == "note":
                typed_notes.setdefault(q, []).append(token)
                await pilot.press("e", *token, rng.choice(finishes))
            elif kind == "reason":
                # Move on (by keys) to a question that allows N/A, and answer it N/A.
                for _ in range(len(walk.walk.questions)):
                    if walk.question.na_allowed:
                        break
                    await pilot.press("j" if rng.random() < 0.8 else "u")
                q = walk.question.id
                await pilot.press("a")
                if walk.question.id != q:  # an optional reason: the walk moved on
                    await pilot.press("k")
                answer = walk.walk.answer()
                if walk.question.id != q or answer is None or answer.points is not None:
                    continue
                typed_reasons.setdefault(q, []).append(token)
                if app.focused is not reason_box:  # a reason that is not required
                    await pilot.press("r")
                await pilot.press(*token, rng.choice(finishes))
            else:
                await pilot.press(rng.choice(moves))
            # A required reason takes the focus after N/A: give one, as a person would.
            if app.focused is reason_box:
                owner = walk.question.id
                typed_reasons.setdefault(owner, []).append(f"{token}r")
                await pilot.press(*f"{token}r", rng.choice(finishes))
            elif app.focused is note_box:
                await pilot.press("escape")
        await pilot.press("escape")  # leave the audit, saving what is in the fields
        await pilot.pause()
    rows = stored(ctx, audit_id)
    assert rows, "the walk answered nothing"
    for qid, (code, note, reason) in rows.items():
        assert note is None or note in typed_notes.get(qid, []), (qid, note)
        assert reason is None or reason in typed_reasons.get(qid, []), (qid, reason)
        if code != "na":
            assert reason is None, (qid, reason)
    # The walk exercised both fields (a later answer may rightly have cleared every reason).
    assert typed_reasons and any(note for _, note, _ in rows.values())
