"""The raw rows behind a profile, for the export's Audits and Answers sheets.

Plain tuples, streamed in chunks: a year can hold millions of answers, and building a pydantic
object for each would cost more than writing it. The same scope rules as the profile apply.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Select,
    func,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from audit_tui.domain.case_types import case_type_label
from audit_tui.domain.periods import (
    Period,
    fy_start_year,
    quarter,
    quarter_of,
)
from audit_tui.services.context import AppContext

# --- periods -------------------------------------------------------------------------------
from audit_tui.services.profiles import answer_label, resolve_teams, scope_filter
from audit_tui.store.models import Answer, Audit, Case, Team, Worker

AUDIT_ROW_COLUMNS = (
    "audit_id",
    "case_reference",
    "case_type",
    "team",
    "case_holder",
    "auditor",
    "audit_date",
    "period",
    "status",
    "percent_met",
    "critical_failures",
    "suggested_judgement",
    "judgement",
    "moderated_judgement",
    "judgement_counted",
    "finalised_at",
    "practitioner_response",  # "Agree" / "Disagree" / None
    "practitioner_comment",
    "escalated",  # "Yes" / "No"
    "escalated_to",
    "escalated_at",
)

ANSWER_ROW_COLUMNS = (
    "audit_id",
    "case_reference",
    "team",
    "case_holder",
    "auditor",
    "audit_date",
    "period",
    "section",
    "question_id",
    "question",
    "answer",
    "points",
    "weight",
    "note",
    "source",  # original, or agreed (moderation)
)

# The case-holder and the auditor are both workers: one alias each, shared by both queries.
HOLDER = aliased(Worker)
AUDITOR = aliased(Worker)


def _with_people(stmt: Select[Any]) -> Select[Any]:
    """Join an audit query to its case, team, auditor and (optional) case-holder."""
    return (
        stmt.join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Audit.team_id)
        .join(AUDITOR, AUDITOR.id == Audit.auditor_id)
        .outerjoin(HOLDER, HOLDER.id == Audit.worker_id)
    )


def _team_ids(s: Session, teams: Sequence[str] | None) -> list[int] | None:
    chosen = resolve_teams(s, teams)
    return [t.id for t in chosen] or None


def _quarter_label(cache: dict[date, str], d: date) -> str:
    label = cache.get(d)
    if label is None:
        label = cache[d] = quarter(fy_start_year(d), quarter_of(d)).label
    return label


def audit_rows(
    ctx: AppContext,
    framework_id: str,
    period: Period,
    teams: Sequence[str] | None = None,
    *,
    chunk: int = 5_000,
) -> Iterator[tuple[Any, ...]]:
    """Every finalised audit behind the profile, oldest first (then by team), as
    AUDIT_ROW_COLUMNS tuples.
    Judgements are labels from the framework's scale; the period is the financial quarter."""
    fw = ctx.frameworks.get(framework_id)
    label = fw.judgements.label
    judgement_counted = func.coalesce(Audit.moderated_judgement, Audit.judgement)
    quarters: dict[date, str] = {}
    with ctx.db.read() as s:
        ids = _team_ids(s, teams)
        stmt = (
            _with_people(
                select(
                    Audit.id,
                    Case.reference,
                    Audit.case_type,
                    Team.name,
                    HOLDER.name,
                    AUDITOR.name,
                    Audit.audit_date,
                    Audit.status,
                    Audit.percent_met,
                    Audit.critical_failures,
                    Audit.suggested_judgement,
                    Audit.judgement,
                    Audit.moderated_judgement,
                    judgement_counted,
                    Audit.finalised_at,
                    Audit.practitioner_response,
                    Audit.practitioner_comment,
                    Audit.escalated_to,
                    Audit.escalated_at,
                )
            )
            .where(*scope_filter(fw.id, period.start, period.end))
            # The order of ix_audits_profile: SQLite streams the rows without sorting them.
            .order_by(Audit.audit_date, Audit.team_id, Audit.id)
            .execution_options(yield_per=chunk)
        )
        if ids:
            stmt = stmt.where(Audit.team_id.in_(ids))
        for r in s.execute(stmt):
            yield (
                r[0],
                r[1],
                case_type_label(r[2]),
                r[3],
                r[4],
                r[5],
                r[6],
                _quarter_label(quarters, r[6]),
                r[7],
                r[8],
                r[9],
                None if r[10] is None else label(r[10]),
                None if r[11] is None else label(r[11]),
                None if r[12] is None else label(r[12]),
                None if r[13] is None else label(r[13]),
                r[14],
                None if r[15] is None else r[15].capitalize(),
                r[16],
                "No" if r[17] is None else "Yes",
                r[17],
                r[18],
            )


def answer_rows(
    ctx: AppContext,
    framework_id: str,
    period: Period,
    teams: Sequence[str] | None = None,
    *,
    chunk: int = 5_000,
) -> Iterator[tuple[Any, ...]]:
    """Every counted answer behind the profile, as ANSWER_ROW_COLUMNS tuples, in audit date
    order (then by team) and within an audit in the order answered. Fetched `chunk` rows at
    a time."""
    fw = ctx.frameworks.get(framework_id)
    section_title = {sec.id: sec.title for sec in fw.sections}
    question_text = {q.id: q.text for q in fw.questions}
    labels: dict[tuple[str, str], str] = {}
    quarters: dict[date, str] = {}
    with ctx.db.read() as s:
        ids = _team_ids(s, teams)
        stmt = (
            _with_people(
                select(
                    Audit.id,
                    Case.reference,
                    Team.name,
                    HOLDER.name,
                    AUDITOR.name,
                    Audit.audit_date,
                    Answer.section_id,
                    Answer.question_id,
                    Answer.answer,
                    Answer.points,
                    Answer.weight,
                    Answer.note,
                    Answer.kind,
                ).join(Answer, Answer.audit_id == Audit.id)
            )
            .where(*scope_filter(fw.id, period.start, period.end), Answer.counted == true())
            # Index order (ix_audits_profile, then ix_answers_audit_counted): no sort on SQLite.
            .order_by(Audit.audit_date, Audit.team_id, Audit.id, Answer.id)
            .execution_options(yield_per=chunk)
        )
        if ids:
            stmt = stmt.where(Audit.team_id.in_(ids))
        for aid, ref, team, who, by, when, sec, qid, code, points, weight, note, kind in s.execute(
            stmt
        ):
            key = (qid, code)
            answer = labels.get(key)
            if answer is None:
                answer = labels[key] = answer_label(fw, qid, code)
            yield (
                aid,
                ref,
                team,
                who,
                by,
                when,
                _quarter_label(quarters, when),
                section_title.get(sec, sec),
                qid,
                question_text.get(qid, qid),
                answer,
                points,
                weight,
                note,
                kind,
            )
