"""Safeguarding escalation and practitioner responses on SQLite and PostgreSQL.
Today is FIXED_TODAY (2026-11-20)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import audits, escalation
from audit_tui.services.audits import FinaliseRefused
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import Finalise
from audit_tui.store.models import Event
from tests.builders import Builder

TEAM = "Intake"
ANSWERS = {"M-01": "yes", "M-02": "yes", "M-03": "yes"}  # 100% -> outstanding
WHEN = datetime(2026, 11, 19, 14, 30, tzinfo=UTC)


@pytest.fixture
def ectx(ctx: AppContext, frameworks: FrameworkRegistry) -> Iterator[AppContext]:
    c = dataclasses.replace(ctx, frameworks=frameworks)
    add_team(c, TEAM)
    yield c


@pytest.fixture
def answered_draft(ectx: AppContext, build: type[Builder]) -> Callable[..., int]:
    """answered_draft(ref): a draft on ectx with ANSWERS recorded."""
    b = build(ectx)
    return lambda ref="CMS-1": b.answered_draft(ref, ANSWERS, date(2026, 11, 2), TEAM)


def test_open_concern_blocks_finalising_until_escalated(
    ectx: AppContext, answered_draft: Callable[..., int]
) -> None:
    a = answered_draft()
    status = escalation.raise_concern(ectx, a, "Bruising seen on the visit of 18/11 (AB)")
    assert (status.concern_open, status.state) == (True, "not_escalated")
    with pytest.raises(FinaliseRefused, match="safeguarding concern is open"):
        audits.finalise(ectx, a, Finalise(judgement="outstanding"))
    assert audits.get_audit(ectx, a).status == "draft"

    status = escalation.record_escalation(ectx, a, "Duty team manager", WHEN, "phoned at once")
    assert status.state == "awaiting_acknowledgement"
    assert status.escalated_at == WHEN  # stored in UTC, read back the same on both databases
    assert status.concern_note == "Bruising seen on the visit of 18/11 (AB)\nphoned at once"
    final = audits.finalise(ectx, a, Finalise(judgement="outstanding"))
    assert final.status == "finalised" and final.escalated_to == "Duty team manager"


def test_open_escalations_and_acknowledgement(
    ectx: AppContext, answered_draft: Callable[..., int]
) -> None:
    escalated = answered_draft("CMS-1")
    concern = answered_draft("CMS-2")
    quiet = answered_draft("CMS-3")
    escalation.raise_concern(ectx, escalated, "risk at home")
    escalation.record_escalation(ectx, escalated, "Duty manager", WHEN)
    escalation.raise_concern(ectx, concern, "missing from school")
    assert escalation.escalation_status(ectx, quiet).state == "none"

    # A concern not yet escalated comes first, then escalations awaiting acknowledgement.
    listed = escalation.open_escalations(ectx)
    assert [(e.audit_id, e.state) for e in listed] == [
        (concern, "not_escalated"),
        (escalated, "awaiting_acknowledgement"),
    ]
    assert listed[1].case_reference == "CMS-1" and listed[1].auditor == "Ceri Jones"

    # Acknowledged by the person using the tool, never by the one who escalated (issue 15).
    rhian = dataclasses.replace(ectx, actor="Rhian Evans")
    with pytest.raises(UserError, match="no escalation to acknowledge"):
        escalation.acknowledge_escalation(rhian, concern)
    ack = escalation.acknowledge_escalation(rhian, escalated)
    assert (ack.state, ack.acknowledged_by) == ("acknowledged", "Rhian Evans")
    assert ack.acknowledged_at is not None
    with pytest.raises(UserError, match="already acknowledged by Rhian Evans"):
        escalation.acknowledge_escalation(
            dataclasses.replace(ectx, actor="Someone else"), escalated
        )
    assert [e.audit_id for e in escalation.open_escalations(ectx)] == [concern]

    with ectx.db.read() as s:
        fields = s.execute(
            select(Event.action, Event.field).where(Event.audit_id == escalated).order_by(Event.id)
        ).all()
    assert [tuple(f) for f in fields if f[0] != "answer" and f[0] != "start"] == [
        ("raise_concern", "concern_open"),
        ("raise_concern", "escalation_note"),
        ("raise_concern", "escalated_by"),
        ("escalate", "escalated_to"),
        ("escalate", "escalated_at"),
        ("acknowledge", "escalation_acknowledged_by"),
    ]


def test_escalation_refusals(ectx: AppContext, answered_draft: Callable[..., int]) -> None:
    a = answered_draft()
    with pytest.raises(UserError, match="cannot be empty"):
        escalation.raise_concern(ectx, a, "   ")
    escalation.raise_concern(ectx, a, "risk")
    with pytest.raises(UserError, match="already has an open safeguarding concern"):
        escalation.raise_concern(ectx, a, "again")
    with pytest.raises(UserError, match="in the future"):
        escalation.record_escalation(ectx, a, "Duty manager", date(2026, 11, 22))
    with pytest.raises(UserError, match="to whom it was escalated cannot be empty"):
        escalation.record_escalation(ectx, a, " ", WHEN)
    assert escalation.escalation_status(ectx, a).state == "not_escalated"
    escalation.record_escalation(ectx, a, "Duty manager", date(2026, 11, 20))
    with pytest.raises(UserError, match="already escalated to Duty manager"):
        escalation.record_escalation(ectx, a, "Another", WHEN)
    with pytest.raises(UserError, match="it stays on record"):
        escalation.withdraw_concern(ectx, a, "mistake")
    with pytest.raises(UserError, match="no audit 404"):
        escalation.raise_concern(ectx, 404, "risk")


def test_concern_found_after_finalising_and_withdrawn_concern(
    ectx: AppContext, answered_draft: Callable[..., int]
) -> None:
    a = answered_draft("CMS-1")
    audits.finalise(ectx, a, Finalise(judgement="outstanding"))
    # A finalised audit cannot hold an unescalated concern: raise it by recording the escalation.
    with pytest.raises(UserError, match="record the escalation itself"):
        escalation.raise_concern(ectx, a, "noticed later")
    status = escalation.record_escalation(ectx, a, "Duty manager", WHEN, "noticed later")
    assert (status.concern_open, status.state, status.audit_status) == (
        True,
        "awaiting_acknowledgement",
        "finalised",
    )

    b = answered_draft("CMS-2")
    escalation.raise_concern(ectx, b, "wrong case")
    with pytest.raises(UserError, match="cannot be empty"):
        escalation.withdraw_concern(ectx, b, "")
    escalation.withdraw_concern(ectx, b, "raised on the wrong case")
    assert escalation.escalation_status(ectx, b).state == "none"
    assert audits.finalise(ectx, b, Finalise(judgement="outstanding")).status == "finalised"
    with pytest.raises(UserError, match="no open safeguarding concern"):
        escalation.withdraw_concern(ectx, b, "again")


def test_practitioner_response(ectx: AppContext, answered_draft: Callable[..., int]) -> None:
    a = answered_draft()
    r = escalation.record_practitioner_response(ectx, a, "agree")
    assert (r.response, r.comment) == ("agree", None)
    with pytest.raises(UserError, match="needs a comment"):
        escalation.record_practitioner_response(ectx, a, "disagree", "  ")
    with pytest.raises(UserError, match="must be agree or disagree"):
        escalation.record_practitioner_response(ectx, a, "maybe", "hmm")
    audits.finalise(ectx, a, Finalise(judgement="outstanding"))
    # Recorded on a finalised audit too: a response is not a change to the grading.
    escalation.record_practitioner_response(
        ectx, a, "Disagree", "The plan was reviewed on 3/11, see case note"
    )
    detail = audits.get_audit(ectx, a)
    assert detail.practitioner_response == "disagree"
    assert detail.practitioner_comment == "The plan was reviewed on 3/11, see case note"
    with ectx.db.read() as s:
        logged = s.execute(
            select(Event.new_value)
            .where(Event.action == "practitioner_response")
            .order_by(Event.id)
        ).scalars()
        assert [v is not None and "disagree" in v for v in logged] == [False, True]
