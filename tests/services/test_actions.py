"""Actions and re-audits on SQLite and PostgreSQL. Today is FIXED_TODAY (2026-11-20).

mini, child_in_need: M-01 (critical), M-02, M-03, weight 1 each; Ofsted thresholds 90/75/50/0.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import actions, audits
from audit_tui.services.actions import NewAction, ReauditIn
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit
from audit_tui.store.models import Action, Event
from tests.conftest import FIXED_TODAY

TEAM = "Intake"
WEAK = {"M-01": "yes", "M-02": "no", "M-03": "partly"}  # 1.5/3 = 50% -> requires improvement


@pytest.fixture
def actx(ctx: AppContext, frameworks: FrameworkRegistry) -> Iterator[AppContext]:
    c = dataclasses.replace(ctx, frameworks=frameworks)
    add_team(c, TEAM)
    yield c


def audit_with(
    ctx: AppContext,
    answers: dict[str, str],
    judgement: str | None,
    ref: str = "CMS-1",
    day: date = date(2026, 10, 1),
) -> int:
    audit = audits.start_audit(
        ctx,
        NewAudit(
            framework_id="mini",
            case_reference=ref,
            case_type="child_in_need",
            team=TEAM,
            case_holder="Alun Price",
            auditor="Ceri Jones",
            audit_date=day,
        ),
    )
    for qid, code in answers.items():
        audits.record_answer(ctx, audit.id, AnswerIn(question_id=qid, answer=code))
    if judgement:
        audits.finalise(ctx, audit.id, Finalise(judgement=judgement))
    return audit.id


def new(audit_id: int, due: date = date(2026, 12, 1), **kw: object) -> NewAction:
    data: dict[str, object] = {
        "audit_id": audit_id,
        "description": "Record the risk analysis",
        "owner": "Team manager",
        "due_date": due,
    }
    data.update(kw)
    return NewAction(**data)  # type: ignore[arg-type]


def test_create_from_no_or_partly_or_whole_audit(actx: AppContext) -> None:
    a = audit_with(actx, WEAK, "requires_improvement")
    from_no = actions.create_action(actx, new(a, question_id="M-02"))
    from_partly = actions.create_action(actx, new(a, question_id="M-03"))
    whole = actions.create_action(actx, new(a))
    assert (from_no.question_id, from_partly.question_id, whole.question_id) == (
        "M-02",
        "M-03",
        None,
    )
    assert from_no.status == "open" and from_no.case_reference == "CMS-1"
    assert not from_no.overdue

    with pytest.raises(UserError, match=r"M-01 on audit .* is answered 'yes'"):
        actions.create_action(actx, new(a, question_id="M-01"))
    with pytest.raises(UserError, match="not in framework mini"):
        actions.create_action(actx, new(a, question_id="X-1"))
    with pytest.raises(UserError, match="no audit 404"):
        actions.create_action(actx, new(404))
    draft = audit_with(actx, {"M-01": "no"}, None, ref="CMS-2")
    with pytest.raises(UserError, match=r"M-02 on audit .* is not answered"):
        actions.create_action(actx, new(draft, question_id="M-02"))
    on_draft = actions.create_action(actx, new(draft, question_id="M-01"))
    assert on_draft.audit_id == draft
    with pytest.raises(ValidationError):
        new(a, description="   ")

    assert [x.id for x in actions.list_actions(actx, audit_id=a)] == [
        from_no.id,
        from_partly.id,
        whole.id,
    ]
    with actx.db.read() as s:
        logged = s.execute(
            select(Event.entity_id).where(Event.entity == "action", Event.action == "create")
        ).scalars()
        assert sorted(logged) == sorted([from_no.id, from_partly.id, whole.id, on_draft.id])


def test_overdue_at_date_edges(actx: AppContext) -> None:
    a = audit_with(actx, WEAK, "requires_improvement")
    day = timedelta(days=1)
    yesterday = actions.create_action(actx, new(a, FIXED_TODAY - day, description="yesterday"))
    today = actions.create_action(actx, new(a, FIXED_TODAY, description="today"))
    tomorrow = actions.create_action(actx, new(a, FIXED_TODAY + day, description="tomorrow"))
    done = actions.create_action(actx, new(a, date(2026, 1, 1), description="done long ago"))
    skipped = actions.create_action(actx, new(a, date(2026, 1, 1), description="not needed"))
    actions.complete_action(actx, done.id)
    actions.mark_not_needed(actx, skipped.id, "case closed")

    # Due yesterday is overdue; due today is not yet; done and not-needed never are.
    assert [x.id for x in actions.overdue_actions(actx)] == [yesterday.id]
    assert [x.id for x in actions.overdue_actions(actx, FIXED_TODAY + day)] == [
        yesterday.id,
        today.id,
    ]
    assert actions.overdue_actions(actx, FIXED_TODAY - day) == []
    flags = {x.description: x.overdue for x in actions.list_actions(actx)}
    assert flags == {
        "yesterday": True,
        "today": False,
        "tomorrow": False,
        "done long ago": False,
        "not needed": False,
    }
    assert actions.get_action(actx, tomorrow.id).overdue is False


def test_complete_and_not_needed(actx: AppContext) -> None:
    a = audit_with(actx, WEAK, "requires_improvement")
    x = actions.create_action(actx, new(a, question_id="M-02"))
    y = actions.create_action(actx, new(a))
    with pytest.raises(UserError, match="give a reason"):
        actions.mark_not_needed(actx, y.id, "  ")
    assert actions.get_action(actx, y.id).status == "open"

    done = actions.complete_action(actx, x.id)
    assert done.status == "done" and done.closed_at is not None
    with pytest.raises(UserError, match="already done"):
        actions.complete_action(actx, x.id)
    with pytest.raises(UserError, match="already done"):
        actions.mark_not_needed(actx, x.id, "changed my mind")
    skipped = actions.mark_not_needed(actx, y.id, "child moved out of area")
    assert (skipped.status, skipped.status_reason) == ("not_needed", "child moved out of area")
    with pytest.raises(UserError, match="already not needed"):
        actions.complete_action(actx, y.id)
    with pytest.raises(UserError, match="no action 999"):
        actions.complete_action(actx, 999)
    assert [z.id for z in actions.list_actions(actx, status="open")] == []
    with actx.db.read() as s:
        events = s.execute(
            select(Event.action, Event.new_value, Event.reason)
            .where(Event.entity == "action", Event.field == "status")
            .order_by(Event.id)
        ).all()
        assert [tuple(e) for e in events] == [
            ("done", "done", None),
            ("not_needed", "not_needed", "child moved out of area"),
        ]


def test_reaudit_links_back_and_shows_the_change(actx: AppContext) -> None:
    a = audit_with(actx, WEAK, "requires_improvement")
    x = actions.create_action(actx, new(a, question_id="M-02", reaudit_by=date(2027, 2, 1)))
    other = actions.create_action(actx, new(a, description="no re-audit asked"))
    assert [d.id for d in actions.reaudits_due(actx)] == [x.id]

    outcome = actions.reaudit_outcome(actx, x.id)
    assert (outcome.previous_judgement, outcome.reaudit_audit_id) == ("requires_improvement", None)
    assert outcome.previous_percent_met == pytest.approx(50.0)

    with pytest.raises(UserError, match="before the first audit"):
        actions.start_reaudit(
            actx, x.id, ReauditIn(auditor="Dana Moss", audit_date=date(2026, 9, 1))
        )
    second = actions.start_reaudit(
        actx, x.id, ReauditIn(auditor="Dana Moss", audit_date=date(2026, 11, 15))
    )
    assert second.previous_audit_id == a
    assert (second.case_reference, second.case_type, second.team) == (
        "CMS-1",
        "child_in_need",
        TEAM,
    )
    assert second.case_holder == "Alun Price" and second.status == "draft"
    assert actions.get_action(actx, x.id).reaudit_audit_id == second.id
    assert actions.reaudits_due(actx) == []
    with pytest.raises(UserError, match=f"already has its re-audit \\(audit {second.id}\\)"):
        actions.start_reaudit(
            actx, x.id, ReauditIn(auditor="Dana Moss", audit_date=date(2026, 11, 16))
        )

    # A draft re-audit shows no grade yet.
    pending = actions.reaudit_outcome(actx, x.id)
    assert (pending.reaudit_status, pending.reaudit_judgement, pending.grade_change) == (
        "draft",
        None,
        None,
    )
    # yes, yes, yes -> 100% -> outstanding: two grades better, +50 points.
    for qid in ("M-01", "M-02", "M-03"):
        audits.record_answer(actx, second.id, AnswerIn(question_id=qid, answer="yes"))
    audits.finalise(actx, second.id, Finalise(judgement="outstanding"))
    done = actions.reaudit_outcome(actx, x.id)
    assert (done.reaudit_judgement, done.reaudit_percent_met) == ("outstanding", 100.0)
    assert (done.grade_change, done.percent_change) == (2, pytest.approx(50.0))
    assert actions.reaudit_outcome(actx, other.id).reaudit_audit_id is None


def test_reaudit_of_a_draft_is_refused(actx: AppContext) -> None:
    draft = audit_with(actx, WEAK, None)
    x = actions.create_action(actx, new(draft, reaudit_by=date(2027, 1, 1)))
    with pytest.raises(UserError, match="finalise it before its re-audit"):
        actions.start_reaudit(
            actx, x.id, ReauditIn(auditor="Dana Moss", audit_date=date(2026, 11, 15))
        )
    with actx.db.read() as s:
        assert s.get(Action, x.id).reaudit_audit_id is None  # type: ignore[union-attr]
    assert len(audits.list_drafts(actx)) == 1


def test_action_rows_for_the_export(actx: AppContext) -> None:
    a = audit_with(actx, WEAK, "requires_improvement")
    old = audit_with(actx, WEAK, "requires_improvement", ref="CMS-9", day=date(2025, 6, 1))
    late = actions.create_action(actx, new(a, date(2026, 11, 1), question_id="M-02"))
    actions.create_action(actx, new(old, date(2025, 7, 1)))
    rows = actions.action_rows(actx, "mini", "2026-27")
    assert [r.action_id for r in rows] == [late.id]
    row = rows[0]
    assert (row.case_reference, row.team, row.auditor, row.overdue) == (
        "CMS-1",
        TEAM,
        "Ceri Jones",
        True,
    )
    assert row.question_text == "Is the risk analysis explicit?"
    assert len(actions.action_rows(actx)) == 2
    assert actions.action_rows(actx, "case-file") == []
