"""Blind moderation stays blind in every view before submission (issue 13, point 2): a
moderator walks the audit step by step - answers, notes typed and finished every way, moves of
every kind - and after each step everything they are given is serialised: the service's view,
every widget of the screen, the terminal, and every other way into the audit (Home's row, the
audit view, its history, its feedback). None of it holds the first auditor's answers, notes,
N/A reasons, judgement or the reason for it.

(The report named services/moderation.py, where the moderator's answer is built, as pre-filling
the moderator's answer with the auditor's note after the first step. On the code this branch
started from, that path did not leak - this walk checks it at every step - but the audit view,
its history and Home's list showed the first grading to the moderator: those are closed.)"""

from __future__ import annotations

import random
from datetime import date

import pytest

from audit_tui.domain.errors import UserError
from audit_tui.export.feedback import render_feedback
from audit_tui.services import audits, history, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.schemas import AnswerIn, Finalise
from audit_tui.ui.screens.moderation_walk import ModerationWalkScreen
from tests.ui.helpers import FRAMEWORK, app_for, start
from tests.ui.loop_fixtures import AUDITOR, CASE_TYPE, screen_text, widget_text

NOTE = "QZnote"  # every note of the first auditor starts with this
REASON = "QZreason"  # the N/A reasons and the judgement's reason
SECRETS = (NOTE, REASON)


def first_audit(ctx: AppContext) -> tuple[int, dict[str, str]]:
    """A finalised audit full of marked text, and its answers."""
    fw = ctx.frameworks.get(FRAMEWORK)
    detail = start(ctx, "CIN-BLIND", CASE_TYPE, "Team A", date(2026, 10, 20), auditor=AUDITOR)
    answers: dict[str, str] = {}
    for i, q in enumerate(fw.applicable_questions(CASE_TYPE)):
        code = "na" if q.na_allowed and i % 4 == 0 else ("no", "partly", "yes")[i % 3]
        answers[q.id] = code
        audits.record_answer(
            ctx,
            detail.id,
            AnswerIn(
                question_id=q.id,
                answer=code,
                note=f"{NOTE} {q.id}",
                na_reason=f"{REASON} {q.id}" if code == "na" else None,
            ),
        )
    rv = audits.review(ctx, detail.id)
    other = next(c for c in fw.judgements.codes if c != rv.suggested_judgement)
    audits.finalise(ctx, detail.id, Finalise(judgement=other, judgement_reason=f"{REASON} why"))
    return detail.id, answers


def everything_the_moderator_gets(ctx: AppContext, app, mid: int, audit_id: int) -> str:  # type: ignore[no-untyped-def]
    view = moderation.moderation_view(ctx, mid, ctx.actor)
    assert view.original is None
    parts = [view.model_dump_json(), widget_text(app.screen), screen_text(app)]
    parts += [a.model_dump_json() for a in audits.list_finalised(ctx, limit=None)]
    for read in (
        audits.get_audit,
        audits.review,
        history.audit_history,
        render_feedback,
    ):
        with pytest.raises(UserError, match=r"you are moderating audit .* blind"):
            read(ctx, audit_id)
    return "\n".join(parts)


async def test_every_view_stays_blind_at_every_step_of_the_walk(loop_ctx: AppContext) -> None:
    ctx = loop_ctx
    audit_id, firsts = first_audit(ctx)
    judgement = audits.get_audit(ctx, audit_id)
    label = ctx.frameworks.get(FRAMEWORK).judgements.label(judgement.judgement)
    sel = ModerationSelection(moderator=ctx.actor, audit_ids=[audit_id])
    mid = moderation.select_for_moderation(ctx, sel).moderations[0].id
    rng = random.Random(13)
    mine: dict[str, str] = {}

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = ModerationWalkScreen.load(app.ctx, mid)
        await app.push_screen(walk)
        await pilot.press("g")  # the guidance panel open too
        for step in range(18):
            q = walk.question.id
            kind = rng.choice(["answer", "answer", "note", "move"])
            if kind == "answer":
                key = rng.choice("ypn")
                await pilot.press(key)
                mine[q] = {"y": "yes", "p": "partly", "n": "no"}[key]
            elif kind == "note":
                await pilot.press("e", *f"m{step}", rng.choice(["enter", "escape", "down"]))
            else:
                await pilot.press(rng.choice(["j", "k", "u", "right_square_bracket"]))
            await pilot.pause()
            seen = everything_the_moderator_gets(ctx, app, mid, audit_id)
            for secret in SECRETS:
                assert secret not in seen, (step, secret)
            # No answer of the first auditor's: the moderator's view holds their own only.
            view = moderation.moderation_view(ctx, mid, ctx.actor)
            assert {k: a.answer for k, a in view.answers.items()} == mine
            assert all(a.note is None or a.note.startswith("m") for a in view.answers.values())
            # The first auditor's grade is nowhere on screen (it differs from the suggestion).
            assert f"judgement {label}" not in screen_text(app)
        assert mine and any(firsts[q] != code for q, code in mine.items())
