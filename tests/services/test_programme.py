"""The audit programme: per auditor and team progress, overdue, assigned cases pre-filling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from audit_tui.domain.errors import UserError
from audit_tui.services.audits import finalise, record_answer, review, start_audit
from audit_tui.services.context import AppContext
from audit_tui.services.programme import (
    assigned_cases,
    current_round,
    list_rounds,
    programme_rows,
    programme_status,
)
from audit_tui.services.sampling import SampleRequest, draw_sample
from audit_tui.services.schemas import AnswerIn, Finalise
from audit_tui.store.models import RoundCase
from tests.conftest import FIXED_TODAY
from tests.services.test_sampling import add_team

DUE = FIXED_TODAY + timedelta(days=10)


def finish(ctx: AppContext, audit_id: int, case_type: str) -> None:
    """Answer every applicable question with its best answer and finalise."""
    fw = ctx.frameworks.get("case-file")
    for q in fw.applicable_questions(case_type):
        best = max(
            (o for o in fw.scale(q.scale).options if o.points is not None),
            key=lambda o: o.points,  # type: ignore[arg-type, return-value]
        )
        record_answer(ctx, audit_id, AnswerIn(question_id=q.id, answer=best.code))
    judgement = review(ctx, audit_id).suggested_judgement
    assert judgement is not None
    finalise(ctx, audit_id, Finalise(judgement=judgement))


@pytest.fixture
def round_ctx(ctx: AppContext) -> AppContext:
    """Alpha: 3 cases for Ann and Bea in turn; Bravo: 2 cases for Cat. Due in 10 days."""
    add_team(ctx, "Alpha", 3, managers=("Ann", "Bea"), holder="Pat")
    add_team(ctx, "Bravo", 2, managers=("Cat",), holder="Sam")
    draw_sample(ctx, SampleRequest(per_team=5, seed=1, due_date=DUE, name="November round"))
    return ctx


def test_no_round_yet(ctx: AppContext) -> None:
    assert current_round(ctx) is None
    assert assigned_cases(ctx, "Ann") == []
    assert programme_rows(ctx) == []
    with pytest.raises(UserError, match="no audit round yet: draw one with `audit-tui sample`"):
        programme_status(ctx)


def test_assigned_case_prefills_an_audit_and_links_it(round_ctx: AppContext) -> None:
    ctx = round_ctx
    mine = assigned_cases(ctx, "ann")
    assert [(c.reference, c.team, c.case_holder, c.status) for c in mine] == [
        ("A-001", "Alpha", "Pat", "not started"),
        ("A-003", "Alpha", "Pat", "not started"),
    ]
    new = mine[0].new_audit(FIXED_TODAY)
    assert new.model_dump() == {
        "framework_id": "case-file",
        "case_reference": "A-001",
        "case_type": "child_in_need",
        "team": "Alpha",
        "case_holder": "Pat",
        "auditor": "Ann",
        "audit_date": FIXED_TODAY,
        "previous_audit_id": None,
        "round_case_id": mine[0].round_case_id,
    }
    audit = start_audit(ctx, new)
    with ctx.db.read() as s:
        link = s.get(RoundCase, mine[0].round_case_id)
        assert link is not None and link.audit_id == audit.id
    after = assigned_cases(ctx, "Ann")
    assert [(c.reference, c.status, c.audit_id) for c in after] == [
        ("A-001", "draft", audit.id),
        ("A-003", "not started", None),
    ]
    assert assigned_cases(ctx, "Nobody") == []


def test_status_counts_per_auditor_and_team(round_ctx: AppContext) -> None:
    ctx = round_ctx
    by_ref = {c.reference: c for c in assigned_cases(ctx)}
    draft = start_audit(ctx, by_ref["A-001"].new_audit(FIXED_TODAY))
    done = start_audit(ctx, by_ref["B-001"].new_audit(FIXED_TODAY))
    finish(ctx, done.id, "child_in_need")
    assert draft.status == "draft"

    status = programme_status(ctx, today=DUE)  # the due day itself is not overdue
    assert status.round.name == "November round"
    assert status.round.cases == 5
    assert not status.is_overdue
    got = [
        (r.auditor, r.team, r.assigned, r.not_started, r.started, r.finalised, r.overdue)
        for r in status.rows
    ]
    assert got == [
        ("Ann", "Alpha", 2, 1, 1, 0, 0),
        ("Bea", "Alpha", 1, 1, 0, 0, 0),
        ("Cat", "Bravo", 2, 1, 0, 1, 0),
    ]
    t = status.total
    assert (t.assigned, t.not_started, t.started, t.finalised, t.overdue) == (5, 3, 1, 1, 0)

    late = programme_status(ctx, today=DUE + timedelta(days=1))
    assert late.is_overdue
    assert [(r.auditor, r.overdue) for r in late.rows] == [("Ann", 2), ("Bea", 1), ("Cat", 1)]
    assert late.total.overdue == 4
    # assigned_cases judges overdue by ctx.today(), which is before the due date
    assert not any(c.overdue for c in assigned_cases(ctx))


def test_rows_cover_every_round_newest_first(round_ctx: AppContext) -> None:
    ctx = round_ctx
    add_team(ctx, "Charlie", 1, managers=("Dee",))
    second = draw_sample(ctx, SampleRequest(per_team=1, seed=2, name="December round"))
    assert current_round(ctx).id == second.round_id  # type: ignore[union-attr]
    assert [r.name for r in list_rounds(ctx)] == ["December round", "November round"]
    rows = programme_rows(ctx)
    assert [(r.round_name, r.auditor, r.assigned) for r in rows] == [
        ("December round", "Dee", 1),
        ("November round", "Ann", 2),
        ("November round", "Bea", 1),
        ("November round", "Cat", 2),
    ]
    first_id = list_rounds(ctx)[1].id
    assert programme_status(ctx, first_id).total.assigned == 5
    with pytest.raises(UserError, match="no audit round 999"):
        programme_status(ctx, 999)


def test_assigned_cases_can_leave_out_finalised(round_ctx: AppContext) -> None:
    ctx = round_ctx
    case = assigned_cases(ctx, "Cat")[0]
    audit = start_audit(ctx, case.new_audit(FIXED_TODAY))
    finish(ctx, audit.id, case.case_type)
    assert [c.reference for c in assigned_cases(ctx, "Cat")] == ["B-001", "B-002"]
    assert [c.reference for c in assigned_cases(ctx, "Cat", include_finalised=False)] == ["B-002"]


def test_overdue_flag_on_assigned_cases(round_ctx: AppContext) -> None:
    ctx = round_ctx
    ctx.today = lambda: DUE + timedelta(days=1)
    assert {c.reference for c in assigned_cases(ctx) if c.overdue} == {
        "A-001",
        "A-002",
        "A-003",
        "B-001",
        "B-002",
    }
    with ctx.db.read() as s:
        assert len(s.execute(select(RoundCase)).all()) == 5
