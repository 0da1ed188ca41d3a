"""Team quality profiles: percent met, judgements and change over time, aggregated in SQL.

What counts: finalised audits of one framework whose audit date falls in the period, and of
their answers only the `counted` ones (moderation marks the original answer not counted and
adds an agreed one). The judgement that counts is the moderated one when there is one.

A whole profile is five queries whatever the number of teams and questions: the teams, the
chosen teams, audits grouped by team x period x judgement, counted answers grouped by
team x period x section x question, and the notes behind the weakest questions. Sections,
teams and the authority are sums of the grouped rows (sums are additive), so no answer row
is ever pulled into Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnClause, func, literal_column, select
from sqlalchemy.orm import Session

from audit_tui.domain import wording
from audit_tui.domain.defaults import MAX_TREND
from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import (
    Period,
    comparison_period,
    current_year,
    financial_year,
    fy_start_year,
    parse_period,
    quarter,
)
from audit_tui.domain.profile_figures import (
    COMPARED,
    INTERVAL_METHOD,
    ProfileScope,
    ProfileTables,
    findings,
    framework_layout,
    version_counts,
)
from audit_tui.domain.profile_model import (
    AUTHORITY,
    Grade,
    PeriodOut,
    Profile,
    QuestionInfo,
    SectionInfo,
)
from audit_tui.domain.versions import VersionSet
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services.context import AppContext
from audit_tui.services.directory import find_team
from audit_tui.services.profile_drill import audits_behind as audits_behind
from audit_tui.services.profile_drill import counted_answers as counted_answers
from audit_tui.services.profile_drill import versions_in as versions_in
from audit_tui.services.profile_notes import weakest_notes
from audit_tui.services.profile_sums import PeriodSums, bucket, period_sums, scope_filter
from audit_tui.store.models import Answer, Audit, Team

# --- periods -------------------------------------------------------------------------------


def resolve_period(ctx: AppContext, text: str | None = None) -> Period:
    """A period from its text (`2025-26`, `2025-26 Q1`, `2025-07`, `2025-04-01..2025-09-30`);
    with no text, the current financial year."""
    if text is None or not text.strip():
        return current_year(ctx.today())
    return parse_period(text)


def period_options(ctx: AppContext, framework_id: str) -> list[PeriodOut]:
    """Financial years and quarters from the first finalised audit to today, newest first:
    the choices a period picker offers."""
    with ctx.db.read() as s:
        first = s.execute(
            select(func.min(Audit.audit_date)).where(
                Audit.framework_id == framework_id, Audit.status == "finalised"
            )
        ).scalar()
    today = ctx.today()
    start_fy = fy_start_year(first) if first else fy_start_year(today)
    out: list[PeriodOut] = []
    for fy in range(fy_start_year(today), start_fy - 1, -1):
        out.append(PeriodOut.of(financial_year(fy)))
        for q in range(4, 0, -1):
            p = quarter(fy, q)
            if p.start <= today:
                out.append(PeriodOut.of(p))
    return out


# --- SQL -------------------------------------------------------------------------------------


# GROUP BY the output alias: PostgreSQL would not see two renderings of a CASE with bound
# dates as the same expression.
_BUCKET: ColumnClause[Any] = literal_column("bucket")
_JCODE: ColumnClause[Any] = literal_column("jcode")


def _judgement_counts(
    s: Session, framework_id: str, periods: Sequence[Period]
) -> tuple[dict[tuple[int, int], dict[str, int]], dict[tuple[int, str], int]]:
    """(team id, period index) -> judgement code -> audits; and (period index, framework
    version hash) -> audits: which versions each period's audits were done on."""
    jcode = func.coalesce(Audit.moderated_judgement, Audit.judgement).label("jcode")
    stmt = (
        select(Audit.team_id, bucket(periods), jcode, Audit.framework_hash, func.count().label("n"))
        .where(*scope_filter(framework_id, periods[0].start, periods[-1].end))
        .group_by(Audit.team_id, _BUCKET, _JCODE, Audit.framework_hash)
    )
    out: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    used: dict[tuple[int, str], int] = defaultdict(int)
    for team_id, b, code, content_hash, n in s.execute(stmt):
        out[(team_id, b)][code] += n
        used[(b, content_hash)] += n
    return out, used


def _sections_in_data(
    s: Session, framework_id: str, start: date, end: date, question_ids: set[str]
) -> dict[str, str]:
    """The stored section of questions the framework no longer has (older versions)."""
    if not question_ids:
        return {}
    stmt = (
        select(Answer.question_id, func.min(Answer.section_id))
        .join(Audit, Audit.id == Answer.audit_id)
        .where(*scope_filter(framework_id, start, end), Answer.question_id.in_(question_ids))
        .group_by(Answer.question_id)
    )
    return {qid: sec for qid, sec in s.execute(stmt)}


def resolve_teams(s: Session, names: Sequence[str] | None) -> list[Team]:
    chosen: list[Team] = []
    for name in names or []:
        if not name.strip():
            raise UserError(_("a team name cannot be empty"))
        team = find_team(s, name)
        if team not in chosen:
            chosen.append(team)
    return chosen


def answer_label(vs: VersionSet, qid: str, code: str) -> str:
    return vs.answer_label(qid, code)


Judged = dict[tuple[int, int], dict[str, int]]


def _judged(
    s: Session, framework_id: str, periods: Sequence[Period], compared: Period
) -> tuple[Judged, dict[tuple[int, str], int], set[str]]:
    """Judgement counts for the trend periods and the compared period (key COMPARED), the
    versions each period's audits were done on, and the versions of this period's and the
    compared period's audits: their questions, matched by id, are the profile's."""
    cur, prev = len(periods) - 1, len(periods) - 2
    judged, used = _judgement_counts(s, framework_id, periods)
    hashes = {h for (b, h) in used if b in (cur, prev)}
    if compared == periods[prev]:
        judged.update({(t, COMPARED): c for (t, b), c in list(judged.items()) if b == prev})
    else:
        judged_cmp, used_cmp = _judgement_counts(s, framework_id, [compared])
        judged.update({(t, COMPARED): c for (t, _), c in judged_cmp.items()})
        hashes |= {h for (_, h) in used_cmp}
    return judged, used, hashes


def _layout(
    s: Session, vs: VersionSet, period: Period, found: PeriodSums
) -> tuple[list[SectionInfo], list[QuestionInfo]]:
    """The profile's sections and questions: the versions' in use, then any answered on a
    version that cannot be found, in the section stored with their answers."""
    unknown = {qid for _, qid in found.questions if not vs.has_question(qid)}
    stored_section = _sections_in_data(s, vs.newest.id, period.start, period.end, unknown)

    def section_of(qid: str) -> str:
        return vs.section_of(qid).id if vs.has_question(qid) else stored_section.get(qid, "?")

    return framework_layout(vs, {(section_of(q), q) for q in unknown})


# --- the profile ---------------------------------------------------------------------------


def profile(
    ctx: AppContext,
    framework_id: str,
    period: Period,
    teams: Sequence[str] | None = None,
    *,
    trend: int = 4,
    weakest: int = 5,
    min_answers: int | None = None,
    notes_per_question: int = 5,
    small_sample: int | None = None,
) -> Profile:
    """The quality profile of every team (or the chosen `teams`) and the whole authority.

    trend: how many periods of the same kind the trend covers, ending with `period`.
    weakest: how many weakest (and strongest) questions to list, authority-wide and per team.
    min_answers: scored answers a question needs to be ranked (default: the small-sample limit).
    notes_per_question: the most recent notes on answers short of full marks kept per weakest question.
    small_sample: fewer audits than this sets `too_few` (default: ctx.small_sample).
    """
    if not 1 <= trend <= MAX_TREND:
        raise UserError(
            _("trend: choose between 1 and {most} periods, not {n}").format(most=MAX_TREND, n=trend)
        )
    threshold = ctx.small_sample if small_sample is None else small_sample
    periods = period.last(max(trend, 2))
    # A year or quarter in progress is compared with the same months of the year before.
    compared = comparison_period(period, ctx.today())
    with ctx.db.read() as s:
        chosen = resolve_teams(s, teams)
        team_names = {i: n for i, n in s.execute(select(Team.id, Team.name).order_by(Team.name))}
        judged, used, hashes = _judged(s, framework_id, periods, compared)
        vs = versions.version_set(ctx, s, framework_id, hashes)
        fw = vs.newest
        # Question sums for this period; section and overall sums (with the clustering
        # sums behind their intervals) for every trend period and the comparison.
        found = period_sums(s, fw, periods, compared)
        sections, questions = _layout(s, vs, period, found)
        scope = ProfileScope(
            fw=fw,
            periods=periods,
            trend=trend,
            compared_label=PeriodOut.of(compared, today=ctx.today()).caption,
            today=ctx.today(),
            threshold=threshold,
            min_answers=threshold if min_answers is None else min_answers,
        )
        tables = ProfileTables(
            scope,
            questions,
            sections,
            question_sums=found.questions,
            section_sums=found.sections,
            overall_sums=found.overall,
            judged=judged,
        )
        wanted: list[tuple[int | None, str]] = [(t.id, t.name) for t in chosen]
        groups = [(None, AUTHORITY), *(wanted or team_names.items())]
        weak = {g: tables.ranked(g, weakest, weakest=True) for g, _ in groups}
        notes = weakest_notes(s, vs, period, weak, team_names, notes_per_question)
    qinfo = {q.id: q for q in questions}
    built = [
        tables.group(
            g,
            name,
            weakest=findings(weak[g], qinfo, notes.get(g, {}), notes_per_question),
            strongest=tables.ranked(g, weakest, weakest=False),
        )
        for g, name in groups
    ]
    counts = version_counts(vs, {h: n for (b, h), n in used.items() if b == len(periods) - 1})
    scale = fw.judgements
    return Profile(
        framework_id=fw.id,
        framework_title=fw.title,
        framework_version=next(
            (
                v.version
                for v in vs.versions
                if any(c.content_hash == v.content_hash for c in counts)
            ),
            fw.version,
        ),
        framework_versions=counts,
        period=PeriodOut.of(period, today=ctx.today()),
        previous_period=PeriodOut.of(compared, today=ctx.today()),
        trend_periods=[PeriodOut.of(p, today=ctx.today()) for p in periods[len(periods) - trend :]],
        interval_method=INTERVAL_METHOD,
        small_sample=threshold,
        min_answers=scope.min_answers,
        teams_selected=[t.name for t in chosen],
        grades=[Grade(code=g.code, label=g.label, short=scale.short(g.code)) for g in scale.grades],
        good_or_better_codes=list(scale.good_or_better_codes),
        good_or_better_name=scale.good_or_better_name,
        percent_met_definition=wording.percent_met_definition(fw),
        below_full_marks=wording.short_of_met_words(fw),
        sections=sections,
        questions=questions,
        authority=built[0],
        teams=built[1:],
        generated_at=datetime.now(UTC),
    )


__all__ = [
    "audits_behind",
    "counted_answers",
    "period_options",
    "profile",
    "resolve_period",
    "versions_in",
]
