"""`db verify`: the event log's hash chain is unbroken, every finalised audit's answers and
judgement are what its log says they should be, and entries whose hash was written down
earlier still carry it.

The chain shows any single changed, removed or inserted entry. Someone with write access to
the database file who rewrites every entry after a point, hashes and all, keeps the chain
whole; a hash written down earlier (the last line of `db verify`, or a backup) catches that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import NamedTuple

from pydantic import BaseModel
from sqlalchemy import func, select

from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import verify_chain
from audit_tui.store.models import Answer, Audit, Event


class VerifyReport(BaseModel):
    events: int
    finalised_audits: int
    problems: list[str]
    last_event_id: int | None = None
    last_hash: str | None = None

    @property
    def summary(self) -> str:
        state = "OK" if not self.problems else f"{len(self.problems)} problem(s)"
        tip = (
            f" (last entry {self.last_event_id}, hash {self.last_hash[:16]})"
            if self.last_event_id is not None and self.last_hash
            else ""
        )
        return (
            f"{state}: {self.events} log entries checked{tip}, "
            f"{self.finalised_audits} finalised audits compared with the log"
        )


class Expected(NamedTuple):
    answers: dict[str, str]
    judgement: str | None


def replay(events: list[Event]) -> Expected | None:
    """Replay one audit's log from its last finalise: the answers and judgement it should have
    now. None when the log holds no finalise entry."""
    state: Expected | None = None
    for e in events:
        if e.action == "finalise" and e.new_value:
            logged = json.loads(e.new_value)
            state = Expected(dict(logged.get("answers", {})), logged.get("judgement"))
        elif state is not None and e.action == "amend" and e.field:
            if e.entity == "answer":
                state.answers[e.field] = e.new_value or ""
            elif e.entity == "audit" and e.field == "judgement":
                state = state._replace(judgement=e.new_value)
    return state


def expected_answers(events: list[Event]) -> dict[str, str] | None:
    state = replay(events)
    return None if state is None else state.answers


def parse_anchor(text: str) -> tuple[int, str]:
    """`ID:HASH` (a hash prefix of 8 or more characters) as written down from `db verify`."""
    event_id, sep, digest = text.partition(":")
    digest = digest.strip().lower()
    if not sep or not event_id.strip().isdigit() or len(digest) < 8:
        raise ValueError(f"'{text}' is not ENTRY:HASH (e.g. 1204:3f9a0c1b2d4e5f60)")
    if any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"'{text}': a hash is hexadecimal (0-9, a-f)")
    return int(event_id), digest


def verify_database(ctx: AppContext, anchors: Iterable[tuple[int, str]] = ()) -> VerifyReport:
    problems: list[str] = []
    with ctx.db.read() as s:
        for b in verify_chain(s):
            problems.append(f"event {b.event_id}: {b.problem}")
        n_events = s.execute(select(func.count(Event.id))).scalar_one()
        last = s.execute(select(Event.id, Event.hash).order_by(Event.id.desc()).limit(1)).first()
        for event_id, digest in anchors:
            recorded = s.execute(select(Event.hash).where(Event.id == event_id)).scalar()
            if recorded is None:
                problems.append(f"event {event_id}: missing, but its hash {digest} was recorded")
            elif not recorded.startswith(digest):
                problems.append(
                    f"event {event_id}: its hash is now {recorded[:16]}, but {digest} was "
                    "recorded (the log was rewritten from this entry or before)"
                )
        finalised = dict(
            s.execute(select(Audit.id, Audit.judgement).where(Audit.status == "finalised")).all()
        )
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
        status = dict(s.execute(select(Audit.id, Audit.status)).all())
        for audit_id, events in sorted(by_audit.items()):
            if audit_id not in finalised and replay(events) is not None:
                # Only amend changes a finalised audit; it never unlocks or removes one.
                now = "missing" if audit_id not in status else f"a {status[audit_id]}"
                problems.append(f"audit {audit_id}: the log says finalised, but it is {now}")
        for audit_id in sorted(finalised):
            expected = replay(by_audit.get(audit_id, []))
            if expected is None:
                problems.append(f"audit {audit_id}: finalised, but the log has no finalise entry")
                continue
            actual = stored.get(audit_id, {})
            for qid in sorted(set(expected.answers) | set(actual)):
                if expected.answers.get(qid) != actual.get(qid):
                    problems.append(
                        f"audit {audit_id}: question {qid} is '{actual.get(qid)}' but the log "
                        f"says '{expected.answers.get(qid)}'"
                    )
            if expected.judgement is not None and expected.judgement != finalised[audit_id]:
                problems.append(
                    f"audit {audit_id}: judgement is '{finalised[audit_id]}' but the log says "
                    f"'{expected.judgement}'"
                )
    return VerifyReport(
        events=n_events,
        finalised_audits=len(finalised),
        problems=problems,
        last_event_id=last[0] if last else None,
        last_hash=last[1] if last else None,
    )
