"""The raw rows behind a profile, for the export's Audits and Answers sheets.

Plain tuples, streamed in chunks: a year can hold millions of answers, and building a pydantic
object for each would cost more than writing it. The same scope rules as the profile apply.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    func,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import (
    Period,
    fy_start_year,
    quarter,
    quarter_of,
)
from audit_tui.domain.review import score_answers
from audit_tui.domain.versions import VersionSet
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services import profiles
from audit_tui.services.context import AppContext
from audit_tui.services.profile_sums import AnySelect, scope_filter
from audit_tui.services.profiles import answer_label, resolve_teams
from audit_tui.services.schemas import Figures
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
    "framework_version",
    # What counts: from the agreed answers where the audit was moderated.
    "percent_met",
    "critical_failures",
    "suggested_judgement",
    "judgement",  # the auditor's own judgement, before any moderation
    "moderated_judgement",
    "judgement_counted",
    "finalised_at",
    "practitioner_response",  # "Agree" / "Disagree" / None
    "practitioner_comment",
    "escalated",  # "escalated" / "not escalated" (not Yes/No: a framework's answer words)
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
    "framework_version",
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


def _with_people(stmt: AnySelect) -> AnySelect:
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


class _Counted(NamedTuple):
    answer: str
    points: float | None
    weight: float
    na_reason: str | None


def _moderated_figures(
    ctx: AppContext, s: Session, framework_id: str, period: Period, ids: list[int] | None
) -> dict[int, Figures]:
    """The counted figures of the moderated audits in scope (a few of them): their agreed
    answers scored against each audit's own version, as the audit view shows them."""
    stmt = (
        select(
            Audit.id,
            Audit.case_type,
            Audit.framework_hash,
            Audit.moderated_judgement,
            Answer.question_id,
            Answer.answer,
            Answer.points,
            Answer.weight,
            Answer.na_reason,
        )
        .join(Answer, Answer.audit_id == Audit.id)
        .where(
            *scope_filter(framework_id, period.start, period.end),
            Audit.moderated_judgement.is_not(None),
            Answer.counted == true(),
        )
    )
    if ids:
        stmt = stmt.where(Audit.team_id.in_(ids))
    answers: dict[int, dict[str, _Counted]] = defaultdict(dict)
    heads: dict[int, tuple[str, str, str | None]] = {}
    for aid, case_type, fw_hash, agreed, qid, code, points, weight, na_reason in s.execute(stmt):
        heads[aid] = (case_type, fw_hash, agreed)
        answers[aid][qid] = _Counted(code, points, weight, na_reason)
    out: dict[int, Figures] = {}
    for aid, (case_type, fw_hash, agreed) in heads.items():
        try:
            fw = versions.framework_in(ctx, s, fw_hash)
        except UserError:
            continue  # its version cannot be found: the audit's stored figures stand
        rv = score_answers(fw, aid, case_type, answers[aid])
        out[aid] = Figures(
            percent_met=rv.percent_met,
            critical_failures=len(rv.critical_failures),
            suggested_judgement=rv.suggested_judgement,
            judgement=agreed,
        )
    return out


def audit_rows(
    ctx: AppContext,
    framework_id: str,
    period: Period,
    teams: Sequence[str] | None = None,
    *,
    chunk: int = 5_000,
) -> Iterator[tuple[Any, ...]]:
    """Every finalised audit behind the profile, oldest first (then by team), as
    AUDIT_ROW_COLUMNS tuples. Percent met, critical failures and the suggested judgement
    are the figures that count (the agreed ones for a moderated audit); the auditor's own
    judgement has a column of its own.
    Judgements are labels from the framework's scale; the period is the financial quarter."""
    fw = profiles.versions_in(ctx, framework_id, period).newest
    label = fw.judgements.label
    judgement_counted = func.coalesce(Audit.moderated_judgement, Audit.judgement)
    quarters: dict[date, str] = {}
    with ctx.db.read() as s:
        ids = _team_ids(s, teams)
        moderated = _moderated_figures(ctx, s, fw.id, period, ids)
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
                    Audit.framework_version,
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
            m = moderated.get(r[0])
            pct, crit, suggested = (
                (r[9], r[10], r[11])
                if m is None
                else (m.percent_met, m.critical_failures, m.suggested_judgement)
            )
            yield (
                r[0],
                r[1],
                fw.case_type_label(r[2]),
                r[3],
                r[4],
                r[5],
                r[6],
                _quarter_label(quarters, r[6]),
                r[7],
                r[8],
                pct,
                crit,
                None if suggested is None else label(suggested),
                None if r[12] is None else label(r[12]),
                None if r[13] is None else label(r[13]),
                None if r[14] is None else label(r[14]),
                r[15],
                None if r[16] is None else r[16].capitalize(),
                r[17],
                _("not escalated") if r[18] is None else _("escalated"),
                r[18],
                r[19],
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
    a time. Each answer reads in the words of the version it was given against: the
    question, its section and the answer's label."""
    # (version hash, question id, code) -> (section title, question text, answer label, version)
    words: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
    quarters: dict[date, str] = {}
    with ctx.db.read() as s:
        ids = _team_ids(s, teams)
        own: dict[str, VersionSet] = {}
        # The versions the period's audits used (one short query, not a column per row).
        version_of = dict(
            s.execute(
                select(Audit.framework_hash, Audit.framework_version)
                .where(*scope_filter(framework_id, period.start, period.end))
                .distinct()
            ).all()
        )
        period_versions = versions.version_set(ctx, s, framework_id, version_of)
        fw = period_versions.newest

        def version(h: str) -> VersionSet:
            # An answer on a version that cannot be found reads in the period's words.
            if h not in own:
                try:
                    own[h] = VersionSet.of([versions.framework_in(ctx, s, h)])
                except UserError:
                    own[h] = period_versions
            return own[h]

        stmt = (
            _with_people(
                select(
                    Audit.id,
                    Case.reference,
                    Team.name,
                    HOLDER.name,
                    AUDITOR.name,
                    Audit.audit_date,
                    Audit.framework_hash,
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
        for (
            aid,
            ref,
            team,
            who,
            by,
            when,
            fw_hash,
            sec,
            qid,
            code,
            points,
            weight,
            note,
            kind,
        ) in s.execute(stmt):
            key = (fw_hash, qid, code)
            said = words.get(key)
            if said is None:
                vs = version(fw_hash)
                said = words[key] = (
                    *(
                        (vs.section_of(qid).title, vs.question(qid).text)
                        if vs.has_question(qid)
                        else (sec, _("{q} (wording not stored)").format(q=qid))
                    ),
                    answer_label(vs, qid, code),
                    version_of[fw_hash],
                )
            yield (
                aid,
                ref,
                team,
                who,
                by,
                when,
                _quarter_label(quarters, when),
                said[3],
                said[0],
                qid,
                said[1],
                said[2],
                points,
                weight,
                note,
                kind,
            )
