"""`db verify`: the event log's hash chain is unbroken and every finalised audit's answers
are what its log says they should be."""

from __future__ import annotations

import json

from pydantic import BaseModel
from sqlalchemy import select

from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import verify_chain
from audit_tui.store.models import Answer, Audit, Event


class VerifyReport(BaseModel):
    events: int
    finalised_audits: int
    problems: list[str]

    @property
    def summary(self) -> str:
        state = "OK" if not self.problems else f"{len(self.problems)} problem(s)"
        return (
            f"{state}: {self.events} log entries checked, "
            f"{self.finalised_audits} finalised audits compared with the log"
        )


def expected_answers(events: list[Event]) -> dict[str, str] | None:
    """Replay one audit's log from its last finalise: the answers it should have now."""
    answers: dict[str, str] | None = None
    for e in events:
        if e.action == "finalise" and e.new_value:
            answers = dict(json.loads(e.new_value).get("answers", {}))
        elif answers is not None and e.action == "amend" and e.entity == "answer" and e.field:
            answers[e.field] = e.new_value or ""
    return answers


def verify_database(ctx: AppContext) -> VerifyReport:
    problems: list[str] = []
    with ctx.db.read() as s:
        for b in verify_chain(s):
            problems.append(f"event {b.event_id}: {b.problem}")
        n_events = s.execute(select(Event.id)).all()
        audits = s.execute(select(Audit.id).where(Audit.status == "finalised")).scalars().all()
        by_audit: dict[int, list[Event]] = {}
        for e in s.execute(
            select(Event).where(Event.audit_id.is_not(None)).order_by(Event.id)
        ).scalars():
            by_audit.setdefault(e.audit_id, []).append(e)  # type: ignore[arg-type]
        stored: dict[int, dict[str, str]] = {}
        for audit_id, qid, ans in s.execute(
            select(Answer.audit_id, Answer.question_id, Answer.answer)
            .join(Audit, Audit.id == Answer.audit_id)
            .where(Audit.status == "finalised", Answer.kind == "original")
        ):
            stored.setdefault(audit_id, {})[qid] = ans
        for audit_id in audits:
            expected = expected_answers(by_audit.get(audit_id, []))
            if expected is None:
                problems.append(f"audit {audit_id}: finalised, but the log has no finalise entry")
                continue
            actual = stored.get(audit_id, {})
            for qid in sorted(set(expected) | set(actual)):
                if expected.get(qid) != actual.get(qid):
                    problems.append(
                        f"audit {audit_id}: question {qid} is '{actual.get(qid)}' but the log "
                        f"says '{expected.get(qid)}'"
                    )
    return VerifyReport(events=len(n_events), finalised_audits=len(audits), problems=problems)
