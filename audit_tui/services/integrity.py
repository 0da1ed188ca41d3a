"""`db verify`: the event log's hash chain is unbroken, every finalised audit's answers and
judgement are what its log says they should be, and entries whose hash was written down
earlier still carry it.

The chain shows any single changed, removed or inserted entry. Someone with write access to
the database file who rewrites every entry after a point, hashes and all, keeps the chain
whole; a hash written down earlier (the last line of `db verify`, or a backup) catches that.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.services import framework_versions as versions
from audit_tui.services.audits import score_answers
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import verify_chain
from audit_tui.store.models import Answer, Audit, Event, FrameworkVersion


class VerifyReport(BaseModel):
    events: int
    finalised_audits: int
    problems: list[str]
    # What could not be checked but is no sign of tampering (a framework version lost).
    notes: list[str] = []
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


def compare_with_log(
    audit_id: int, expected: Expected | None, answers: dict[str, str], judgement: str | None
) -> list[str]:
    """What differs between a finalised audit (its original answers and judgement) and what
    its log says they should be."""
    if expected is None:
        return [f"audit {audit_id}: finalised, but the log has no finalise entry"]
    problems = []
    for qid in sorted(set(expected.answers) | set(answers)):
        if expected.answers.get(qid) != answers.get(qid):
            problems.append(
                f"audit {audit_id}: question {qid} is '{answers.get(qid)}' but the log "
                f"says '{expected.answers.get(qid)}'"
            )
    if expected.judgement is not None and expected.judgement != judgement:
        problems.append(
            f"audit {audit_id}: judgement is '{judgement}' but the log says '{expected.judgement}'"
        )
    return problems


def audit_log_problems(s: Session, audit: Audit, events: list[Event]) -> list[str]:
    """`db verify`'s comparison of one audit with its log (its entries given, in order)."""
    if audit.status != "finalised":
        return []
    originals = {a.question_id: a.answer for a in audit.answers if a.kind == "original"}
    return compare_with_log(audit.id, replay(events), originals, audit.judgement)


class _Scored(NamedTuple):
    answer: str
    points: float | None
    weight: float
    na_reason: str | None


def version_problems(ctx: AppContext, s: Session) -> tuple[list[str], list[str]]:
    """Each audit read against its own framework version: every stored definition still
    matches its hash, and every finalised audit's percent met, critical failures and
    suggested judgement are those of its original answers scored against its own version -
    never against another. Returns (problems, notes): a version that is neither stored nor
    on disk cannot be checked, which is a note, not a sign of tampering."""
    problems: list[str] = []
    notes: list[str] = []
    for row in s.execute(select(FrameworkVersion)).scalars():
        try:
            versions.from_row(row)
        except UserError as exc:
            problems.append(str(exc))
    found: dict[str, Framework | None] = {}
    for h, fw_id, version, n in s.execute(
        select(Audit.framework_hash, Audit.framework_id, Audit.framework_version, func.count())
        .group_by(Audit.framework_hash, Audit.framework_id, Audit.framework_version)
        .order_by(Audit.framework_id, Audit.framework_version)
    ):
        try:
            found[h] = versions.framework_in(ctx, s, h)
        except versions.VersionMissing:
            found[h] = None
            notes.append(
                f"{n} audit(s) on {fw_id} version {version} (hash {h}): that version is "
                "neither stored in this database nor in any framework file, so their figures "
                "were not checked; store it with `audit-tui frameworks store FILE`"
            )
        except UserError as exc:  # a stored definition that no longer matches its hash
            found[h] = None
            problems.append(str(exc))
    answers: dict[int, dict[str, _Scored]] = defaultdict(dict)
    for audit_id, qid, *scored in s.execute(
        select(
            Answer.audit_id,
            Answer.question_id,
            Answer.answer,
            Answer.points,
            Answer.weight,
            Answer.na_reason,
        )
        .join(Audit, Audit.id == Answer.audit_id)
        .where(Audit.status == "finalised", Answer.kind == "original")
    ):
        answers[audit_id][qid] = _Scored(*scored)
    for audit in s.execute(select(Audit).where(Audit.status == "finalised")).scalars():
        fw = found.get(audit.framework_hash)
        if fw is None:
            continue
        rv = score_answers(fw, audit.id, audit.case_type, answers.get(audit.id, {}))
        stored = (audit.percent_met, audit.critical_failures, audit.suggested_judgement)
        scored = (rv.percent_met, len(rv.critical_failures), rv.suggested_judgement)
        same_pct = (stored[0] is None) == (scored[0] is None) and (
            stored[0] is None or abs(stored[0] - scored[0]) < 1e-6  # type: ignore[operator]
        )
        if not same_pct or stored[1:] != scored[1:]:
            problems.append(
                f"audit {audit.id}: its figures ({_figures(*stored)}) are not those of its "
                f"answers scored against its own framework version {audit.framework_version} "
                f"({_figures(*scored)})"
            )
    return problems, notes


def _figures(percent: float | None, critical: int, suggested: str | None) -> str:
    pct = "no data" if percent is None else f"{percent:.2f}%"
    return f"{pct} met, {critical} critical failure(s), suggested {suggested or 'none'}"


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
            problems += compare_with_log(
                audit_id,
                replay(by_audit.get(audit_id, [])),
                stored.get(audit_id, {}),
                finalised[audit_id],
            )
        version_found, notes = version_problems(ctx, s)
        problems += version_found
    return VerifyReport(
        events=n_events,
        finalised_audits=len(finalised),
        problems=problems,
        notes=notes,
        last_event_id=last[0] if last else None,
        last_hash=last[1] if last else None,
    )
