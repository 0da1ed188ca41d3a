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
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import (
    Integer,
    Select,
    String,
    case,
    column,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
    values,
)
from sqlalchemy.orm import Session, aliased

from audit_tui.domain import wording
from audit_tui.domain.defaults import MAX_TREND
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import (
    Period,
    comparison_period,
    current_year,
    financial_year,
    fy_start_year,
    parse_period,
    quarter,
)
from audit_tui.domain.scoring import band as percent_band
from audit_tui.domain.scoring import band_places
from audit_tui.domain.stats import (
    CLUSTERED_METHOD,
    clustered_interval,
    difference_interval,
    wilson_interval,
)
from audit_tui.domain.versions import VersionSet
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import answer_out, counted_figures
from audit_tui.services.context import AppContext
from audit_tui.services.directory import find_team
from audit_tui.services.profile_schemas import (
    AUTHORITY,
    AuditBehind,
    Change,
    EvidenceNote,
    Finding,
    Grade,
    GradeCount,
    GroupProfile,
    PercentMet,
    PeriodOut,
    Profile,
    QuestionFigure,
    QuestionInfo,
    Rate,
    SectionFigure,
    SectionInfo,
    TrendPoint,
    VersionCount,
)
from audit_tui.services.profile_sums import (
    COMPARED,
    Sums,
    bucket,
    period_sums,
    scope_filter,
    scored_answers,
)
from audit_tui.services.schemas import AnswerOut
from audit_tui.store.models import Answer, Audit, Case, Team, Worker

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


# --- figures -------------------------------------------------------------------------------

CMP = COMPARED  # the comparison period's key beside the trend periods' indexes

INTERVAL_METHOD = (
    f"Percent met of a section or overall: {CLUSTERED_METHOD}. Percent met of one question "
    "(one answer per audit) and the share of audits judged at the good-or-better cut-off "
    "or above: Wilson interval. A change "
    "is clear when the 95% interval of the difference (Newcombe's method from the two "
    "intervals) leaves out zero."
)


def _percent_met(fw: Framework, t: Sums, *, clustered: bool = True) -> PercentMet:
    # Successes are weighted points and n the summed weight, so a Partly counts as half a
    # success and a weight-2 question twice; with all weights 1 this is the plain proportion.
    # A section's or team's answers cluster within audits and the interval allows for it; a
    # question has one answer per audit, so its answers are independent (Wilson's interval).
    if t.weight <= 0:
        return PercentMet(
            percent=None,
            n=t.scored,
            answered=t.answered,
            weight=0.0,
            band=None,
            band_label="no data",
        )
    pct = 100.0 * t.points / t.weight
    if clustered:
        low, high = clustered_interval(t.cluster_sums()) or (None, None)
    else:
        low, high = wilson_interval(t.points, t.weight) or (None, None)
    band = percent_band(fw, pct)
    places = band_places(pct, (t.min_percent for t in fw.thresholds))
    return PercentMet(
        percent=pct,
        n=t.scored,
        low=None if low is None else 100 * low,
        high=None if high is None else 100 * high,
        answered=t.answered,
        weight=t.weight,
        band=band,
        band_label=fw.judgements.label(band),
        places=places,
    )


def _rate(successes: int, n: int) -> Rate:
    if n <= 0:
        return Rate(percent=None, n=0)
    low, high = wilson_interval(successes, n) or (0.0, 0.0)
    return Rate(percent=100.0 * successes / n, n=n, low=100 * low, high=100 * high)


def _change(
    label: str,
    now: Rate,
    before: Rate,
    audits: tuple[int, int],
    threshold: int,
) -> Change:
    cur, prev = now.percent, before.percent
    low = high = None
    clear = None
    if (
        cur is not None
        and prev is not None
        and now.low is not None
        and now.high is not None
        and before.low is not None
        and before.high is not None
    ):
        # Both in percent: the difference's interval is in percentage points.
        low, high = difference_interval(cur, (now.low, now.high), prev, (before.low, before.high))
        clear = low > 0 or high < 0
    return Change(
        previous_period=label,
        current=cur,
        previous=prev,
        points=None if cur is None or prev is None else cur - prev,
        low=low,
        high=high,
        clear=clear,
        audits_current=audits[0],
        audits_previous=audits[1],
        n_current=now.n,
        n_previous=before.n,
        too_few=audits[0] < threshold or audits[1] < threshold,
    )


def _citation(fw: Framework, qid: str) -> str:
    # dict.fromkeys: the same paragraph cited twice is shown once, in order.
    return "; ".join(dict.fromkeys(fw.citation_text(c) for c in fw.question(qid).evidence))


# --- SQL -------------------------------------------------------------------------------------


# GROUP BY the output alias: PostgreSQL would not see two renderings of a CASE with bound
# dates as the same expression.
_BUCKET = literal_column("bucket")
_JCODE = literal_column("jcode")


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


def _notes(
    s: Session,
    framework_id: str,
    period: Period,
    question_ids: Iterable[str],
    per_question: int,
) -> list[tuple]:  # type: ignore[type-arg]
    """Notes on answers short of full marks to the given questions, the most recent `per_question` for
    each team and question. The authority's most recent notes are among these too."""
    ids = sorted(set(question_ids))
    if not ids or per_question <= 0:
        return []
    rn = (
        func.row_number()
        .over(
            partition_by=(Audit.team_id, Answer.question_id),
            order_by=(Audit.audit_date.desc(), Audit.id.desc()),
        )
        .label("rn")
    )
    inner = (
        select(
            Audit.team_id,
            Answer.question_id,
            Audit.id.label("audit_id"),
            Case.reference,
            Audit.audit_date,
            Answer.answer,
            Answer.note,
            rn,
        )
        .join(Answer, Answer.audit_id == Audit.id)
        .join(Case, Case.id == Audit.case_id)
        .where(
            *scope_filter(framework_id, period.start, period.end),
            Answer.counted == true(),
            Answer.question_id.in_(ids),
            Answer.points < 1,
            Answer.note.is_not(None),
            Answer.note != "",
        )
        .subquery()
    )
    stmt = select(inner).where(inner.c.rn <= per_question)
    return list(s.execute(stmt))


def _recent_notes(
    s: Session,
    framework_id: str,
    period: Period,
    pairs: Iterable[tuple[int, str]],
    per_question: int,
) -> list[tuple]:  # type: ignore[type-arg]
    """PostgreSQL: `_notes`' rows for the given (team id, question id) pairs, each pair's
    found by walking that team's audits newest first (ix_audits_profile backwards, then the
    answer by its unique index) and stopping at `per_question` notes. Ranking every noted
    answer of a year instead took a third of a national year's profile."""
    wanted_pairs = sorted(set(pairs))
    if not wanted_pairs or per_question <= 0:
        return []
    wanted = values(column("team_id", Integer), column("question_id", String), name="wanted").data(
        wanted_pairs
    )
    recent = (
        select(
            Audit.id.label("audit_id"),
            Audit.case_id,
            Audit.audit_date,
            Answer.answer,
            Answer.note,
        )
        .join(Answer, Answer.audit_id == Audit.id)
        .where(
            *scope_filter(framework_id, period.start, period.end),
            Audit.team_id == wanted.c.team_id,
            Answer.question_id == wanted.c.question_id,
            Answer.counted == true(),
            Answer.points < 1,
            Answer.note.is_not(None),
            Answer.note != "",
        )
        .order_by(Audit.audit_date.desc(), Audit.id.desc())
        .limit(per_question)
        .lateral("recent")
    )
    stmt = (
        select(
            wanted.c.team_id,
            wanted.c.question_id,
            recent.c.audit_id,
            Case.reference,
            recent.c.audit_date,
            recent.c.answer,
            recent.c.note,
            literal(0),
        )
        .select_from(wanted)
        .join(recent, true())
        .join(Case, Case.id == recent.c.case_id)
    )
    # The planner's cost for these LIMITed walks is far above the real work (8 ms for a
    # national year), so it would JIT-compile the query for ~150 ms: not for this statement.
    s.execute(text("SET LOCAL jit = off"))
    return list(s.execute(stmt))


# --- the profile ---------------------------------------------------------------------------


def resolve_teams(s: Session, names: Sequence[str] | None) -> list[Team]:
    chosen: list[Team] = []
    for name in names or []:
        if not name.strip():
            raise UserError("a team name cannot be empty")
        team = find_team(s, name)
        if team not in chosen:
            chosen.append(team)
    return chosen


def _framework_layout(
    vs: VersionSet, found: Iterable[tuple[str, str]]
) -> tuple[list[SectionInfo], list[QuestionInfo]]:
    """The sections and questions of the versions in use, matched by id: the newest
    version's in order, each question in the words of the newest version that has it (a
    retired question in its own). Then any answered on a version that cannot be found."""
    sections = [SectionInfo(id=sec.id, title=sec.title) for sec in vs.layout]
    questions = [
        QuestionInfo(
            id=q.id,
            section_id=sec.id,
            text=q.text,
            critical=q.critical,
            good=" ".join(q.guidance.good.split()),
            citation=_citation(vs.holder(q.id), q.id),
            in_framework=not vs.retired(q.id),
        )
        for sec in vs.layout
        for q in sec.questions
    ]
    known_s = {s.id for s in sections}
    known_q = {q.id for q in questions}
    for sec_id, qid in sorted(set(found)):
        if sec_id not in known_s:
            sections.append(SectionInfo(id=sec_id, title=f"{sec_id} (wording not stored)"))
            known_s.add(sec_id)
        if qid not in known_q:
            questions.append(
                QuestionInfo(
                    id=qid,
                    section_id=sec_id,
                    text=f"{qid} (wording not stored)",
                    critical=False,
                    good="",
                    citation="",
                    in_framework=False,
                )
            )
            known_q.add(qid)
    return sections, questions


def answer_label(vs: VersionSet, qid: str, code: str) -> str:
    return vs.answer_label(qid, code)


def _version_counts(vs: VersionSet, used: dict[str, int]) -> list[VersionCount]:
    """The versions a period's audits were done on, oldest first, with their audits."""
    known = {fw.content_hash: fw.version for fw in vs.versions}
    rows = [
        VersionCount(version=known.get(h, "unknown version"), content_hash=h, audits=n)
        for h, n in used.items()
        if n
    ]
    order = {fw.content_hash: i for i, fw in enumerate(vs.versions)}
    return sorted(
        rows,
        key=lambda r: (r.content_hash not in order, -order.get(r.content_hash, 0), r.content_hash),
    )


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
        raise UserError(f"trend: choose between 1 and {MAX_TREND} periods, not {trend}")
    threshold = ctx.small_sample if small_sample is None else small_sample
    min_n = threshold if min_answers is None else min_answers
    periods = period.last(max(trend, 2))
    cur, prev = len(periods) - 1, len(periods) - 2
    # A year or quarter in progress is compared with the same months of the year before.
    compared = comparison_period(period, ctx.today())
    whole_previous = compared == periods[prev]

    with ctx.db.read() as s:
        chosen = resolve_teams(s, teams)
        all_teams = list(s.execute(select(Team.id, Team.name).order_by(Team.name)))
        judged, used = _judgement_counts(s, framework_id, periods)
        layout_hashes = {h for (b, h) in used if b in (cur, prev)}
        if not whole_previous:
            judged_cmp, used_cmp = _judgement_counts(s, framework_id, [compared])
            judged.update({(t, CMP): c for (t, _), c in judged_cmp.items()})
            layout_hashes |= {h for (_, h) in used_cmp}
        # The versions this period's and the compared period's audits were done on: their
        # questions, matched by id, are the profile's; the newest gives bands and grades.
        vs = versions.version_set(ctx, s, framework_id, layout_hashes)
        fw = vs.newest
        scale = fw.judgements
        good_codes = set(scale.good_or_better_codes)
        # Question sums for this period; section and overall sums (with the clustering
        # sums behind their intervals) for every trend period and the comparison.
        found = period_sums(s, fw, periods, compared)
        unknown = {qid for _, qid in found.questions if not vs.has_question(qid)}
        stored_section = _sections_in_data(s, fw.id, period.start, period.end, unknown)

        def section_of(qid: str) -> str:
            return vs.section_of(qid).id if vs.has_question(qid) else stored_section.get(qid, "?")

        sections, questions = _framework_layout(vs, {(section_of(q), q) for q in unknown})
        section_title = {x.id: x.title for x in sections}
        qinfo = {q.id: q for q in questions}

        # Fold teams into the authority (sums are additive). None: the authority.
        by_q: dict[tuple[int | None, str], Sums] = defaultdict(Sums)
        by_s: dict[tuple[int | None, int, str], Sums] = defaultdict(Sums)
        overall: dict[tuple[int | None, int], Sums] = defaultdict(Sums)
        for (team_id, qid), t in found.questions.items():
            for g in (team_id, None):
                by_q[(g, qid)].add(t)
        for (team_id, b, sec), t in found.sections.items():
            for g in (team_id, None):
                by_s[(g, b, sec)].add(t)
        for (team_id, b), t in found.overall.items():
            for g in (team_id, None):
                overall[(g, b)].add(t)
        grades: dict[tuple[int | None, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for (team_id, b), counts in judged.items():
            for code, n in counts.items():
                grades[(team_id, b)][code] += n
                grades[(None, b)][code] += n
        if whole_previous:
            for (g, b), counts in list(grades.items()):
                if b == prev:
                    grades[(g, CMP)] = counts

        def audits_n(g: int | None, b: int) -> int:
            return sum(grades.get((g, b), {}).values())

        def judgement_counts(g: int | None, b: int) -> list[GradeCount]:
            counts = grades.get((g, b), {})
            total = sum(counts.values())
            codes = list(scale.codes) + sorted(c for c in counts if c not in scale.codes)
            return [
                GradeCount(
                    code=c,
                    label=scale.label(c),
                    n=counts.get(c, 0),
                    percent=100.0 * counts.get(c, 0) / total if total else None,
                )
                for c in codes
            ]

        def good_rate(g: int | None, b: int) -> Rate:
            counts = grades.get((g, b), {})
            return _rate(sum(n for c, n in counts.items() if c in good_codes), audits_n(g, b))

        def ranked(g: int | None) -> list[QuestionFigure]:
            figs = [
                QuestionFigure(
                    question_id=q.id,
                    section_id=q.section_id,
                    text=q.text,
                    critical=q.critical,
                    percent_met=_percent_met(fw, by_q.get((g, q.id), Sums()), clustered=False),
                )
                for q in questions
            ]
            return [
                f for f in figs if f.percent_met.percent is not None and f.percent_met.n >= min_n
            ]

        order = {q.id: i for i, q in enumerate(questions)}
        wanted_teams = chosen or list(all_teams)
        group_keys: list[tuple[int | None, str]] = [(None, AUTHORITY)] + [
            (t.id, t.name) for t in wanted_teams
        ]
        weak: dict[int | None, list[QuestionFigure]] = {}
        strong: dict[int | None, list[QuestionFigure]] = {}
        for g, _ in group_keys:
            figs = ranked(g)
            weak[g] = sorted(
                figs, key=lambda f: (f.percent_met.percent, -f.percent_met.n, order[f.question_id])
            )[:weakest]
            strong[g] = sorted(
                figs, key=lambda f: (-f.percent_met.percent, -f.percent_met.n, order[f.question_id])
            )[:weakest]

        if s.get_bind().dialect.name == "postgresql":
            # The notes read: every team's for the authority's weakest questions, and each
            # team's for its own weakest.
            pairs = {(t.id, f.question_id) for t in all_teams for f in weak[None]}
            pairs |= {(g, f.question_id) for g, figs in weak.items() if g is not None for f in figs}
            note_rows = _recent_notes(s, fw.id, period, pairs, notes_per_question)
        else:
            note_rows = _notes(
                s,
                fw.id,
                period,
                {f.question_id for figs in weak.values() for f in figs},
                notes_per_question,
            )

    team_name = {t.id: t.name for t in all_teams}
    notes_by: dict[tuple[int | None, str], list[EvidenceNote]] = defaultdict(list)
    for team_id, qid, audit_id, ref, when, code, note, _rn in note_rows:
        ev = EvidenceNote(
            audit_id=audit_id,
            case_reference=ref,
            team=team_name.get(team_id, str(team_id)),
            audit_date=when,
            answer=code,
            answer_label=answer_label(vs, qid, code),
            note=note,
        )
        notes_by[(team_id, qid)].append(ev)
        notes_by[(None, qid)].append(ev)
    for evs in notes_by.values():
        evs.sort(key=lambda e: (e.audit_date, e.audit_id), reverse=True)

    def findings(g: int | None) -> list[Finding]:
        return [
            Finding(
                question_id=f.question_id,
                section_id=f.section_id,
                text=f.text,
                good=qinfo[f.question_id].good,
                citation=qinfo[f.question_id].citation,
                percent_met=f.percent_met,
                notes=notes_by.get((g, f.question_id), [])[:notes_per_question],
            )
            for f in weak[g]
        ]

    compared_label = PeriodOut.of(compared, today=ctx.today()).caption

    def group(g: int | None, name: str) -> GroupProfile:
        pm = _percent_met(fw, overall.get((g, cur), Sums()))
        pm_prev = _percent_met(fw, overall.get((g, CMP), Sums()))
        audits_pair = (audits_n(g, cur), audits_n(g, CMP))
        gob, gob_prev = good_rate(g, cur), good_rate(g, CMP)
        section_figs = []
        for sec in sections:
            now = _percent_met(fw, by_s.get((g, cur, sec.id), Sums()))
            before = _percent_met(fw, by_s.get((g, CMP, sec.id), Sums()))
            section_figs.append(
                SectionFigure(
                    section_id=sec.id,
                    title=section_title[sec.id],
                    percent_met=now,
                    change=_change(compared_label, now, before, audits_pair, threshold),
                )
            )
        trend_points = [
            TrendPoint(
                period=PeriodOut.of(periods[b], today=ctx.today()),
                audits=audits_n(g, b),
                too_few=audits_n(g, b) < threshold,
                percent_met=_percent_met(fw, overall.get((g, b), Sums())),
                good_or_better=good_rate(g, b),
                judgements=judgement_counts(g, b),
            )
            for b in range(len(periods) - trend, len(periods))
        ]
        return GroupProfile(
            name=name,
            is_authority=g is None,
            audits=audits_pair[0],
            too_few=audits_pair[0] < threshold,
            judgements=judgement_counts(g, cur),
            good_or_better=gob,
            good_or_better_change=_change(compared_label, gob, gob_prev, audits_pair, threshold),
            percent_met=pm,
            change=_change(compared_label, pm, pm_prev, audits_pair, threshold),
            sections=section_figs,
            questions=[
                QuestionFigure(
                    question_id=q.id,
                    section_id=q.section_id,
                    text=q.text,
                    critical=q.critical,
                    percent_met=_percent_met(fw, by_q.get((g, q.id), Sums()), clustered=False),
                )
                for q in questions
            ],
            trend=trend_points,
            weakest=findings(g),
            strongest=strong[g],
        )

    counts = _version_counts(vs, {h: n for (b, h), n in used.items() if b == cur})
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
        min_answers=min_n,
        teams_selected=[t.name for t in chosen],
        grades=[Grade(code=g.code, label=g.label, short=scale.short(g.code)) for g in scale.grades],
        good_or_better_codes=list(scale.good_or_better_codes),
        good_or_better_name=scale.good_or_better_name,
        percent_met_definition=wording.percent_met_definition(fw),
        below_full_marks=wording.short_of_met_words(fw),
        sections=sections,
        questions=questions,
        authority=group(None, AUTHORITY),
        teams=[group(t.id, t.name) for t in wanted_teams],
        generated_at=datetime.now(UTC),
    )


# --- drill-down ----------------------------------------------------------------------------


def _hashes_in(s: Session, framework_id: str, period: Period) -> list[str]:
    """The framework versions the period's finalised audits were done on."""
    return list(
        s.execute(
            select(Audit.framework_hash)
            .where(*scope_filter(framework_id, period.start, period.end))
            .distinct()
        ).scalars()
    )


def versions_in(ctx: AppContext, framework_id: str, period: Period) -> VersionSet:
    """The versions of a framework that a period's audits were done on, newest first (the
    file on disk when the period has none)."""
    with ctx.db.read() as s:
        return versions.version_set(ctx, s, framework_id, _hashes_in(s, framework_id, period))


def audits_behind(
    ctx: AppContext,
    framework_id: str,
    period: Period,
    team: str | None = None,
    section_id: str | None = None,
    question_id: str | None = None,
    *,
    limit: int | None = None,
) -> list[AuditBehind]:
    """The finalised audits behind a profile figure, most recent first.

    With a section or question, only audits with a scored (not N/A) counted answer there, each
    with its own percent met for that cell; otherwise every audit behind the audits n.
    """
    with ctx.db.read() as s:
        vs = versions.version_set(ctx, s, framework_id, _hashes_in(s, framework_id, period))
    fw = vs.newest
    if section_id is not None and section_id not in vs.section_titles:
        raise UserError(f"section '{section_id}' is not in framework {fw.id}")
    if question_id is not None and not vs.has_question(question_id):
        raise UserError(f"question '{question_id}' is not in framework {fw.id}")
    cell = (section_id, question_id) != (None, None)
    scored_weight = case((Answer.points.is_not(None), Answer.weight), else_=0.0)
    answer_where = [Answer.counted == true()]
    if section_id is not None:
        answer_where.append(Answer.section_id == section_id)
    if question_id is not None:
        answer_where.append(Answer.question_id == question_id)
    agg = (
        select(
            Answer.audit_id,
            func.count().label("answered"),
            scored_answers(),
            func.sum(scored_weight).label("weight"),
            func.sum(Answer.weight * Answer.points).label("points"),
            func.max(Answer.answer).label("answer"),
            func.max(Answer.note).label("note"),
        )
        .where(*answer_where)
        .group_by(Answer.audit_id)
        .subquery()
    )
    holder, auditor = aliased(Worker), aliased(Worker)
    stmt: Select = (  # type: ignore[type-arg]
        select(
            Audit,
            Case.reference,
            Team.name,
            holder.name,
            auditor.name,
            agg.c.answered,
            agg.c.scored,
            agg.c.weight,
            agg.c.points,
            agg.c.answer,
            agg.c.note,
        )
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Audit.team_id)
        .join(auditor, auditor.id == Audit.auditor_id)
        .outerjoin(holder, holder.id == Audit.worker_id)
        .join(agg, agg.c.audit_id == Audit.id, isouter=not cell)
        .where(*scope_filter(fw.id, period.start, period.end))
        .order_by(Audit.audit_date.desc(), Audit.id.desc())
    )
    if cell:
        stmt = stmt.where(agg.c.scored > 0)
    if limit:
        stmt = stmt.limit(limit)
    with ctx.db.read() as s:
        if team is not None:
            stmt = stmt.where(Audit.team_id == find_team(s, team).id)
        out = []
        for (
            a,
            ref,
            team_name,
            holder_name,
            auditor_name,
            answered,
            scored,
            w,
            p,
            ans,
            note,
        ) in s.execute(stmt):
            # A moderated audit shows the figures that count: its agreed answers', scored
            # against its own version (few audits are moderated; the rest read as stored).
            counted = None
            if a.moderated_judgement is not None:
                try:
                    counted = counted_figures(versions.framework_in(ctx, s, a.framework_hash), a)
                except UserError:
                    counted = None
            out.append(
                AuditBehind(
                    id=a.id,
                    case_reference=ref,
                    case_type=a.case_type,
                    case_type_label=ctx.frameworks.case_type_label(a.case_type, a.framework_id),
                    team=team_name,
                    case_holder=holder_name,
                    auditor=auditor_name,
                    audit_date=a.audit_date,
                    status=a.status,
                    percent_met=counted.percent_met if counted else a.percent_met,
                    suggested_judgement=(
                        counted.suggested_judgement if counted else a.suggested_judgement
                    ),
                    judgement=a.judgement,
                    moderated_judgement=a.moderated_judgement,
                    judgement_counted=a.moderated_judgement or a.judgement,
                    cell_percent=100.0 * p / w if w else None,
                    cell_scored=scored or 0,
                    cell_answered=answered or 0,
                    answer=ans if question_id else None,
                    note=note if question_id else None,
                )
            )
        return out


__all__ = [
    "audits_behind",
    "counted_answers",
    "period_options",
    "profile",
    "resolve_period",
]


def counted_answers(ctx: AppContext, audit_id: int) -> dict[str, AnswerOut]:
    """One audit's answers that count (the agreed ones where moderated), by question id."""
    with ctx.db.read() as s:
        if s.get(Audit, audit_id) is None:
            raise UserError(f"no audit {audit_id}")
        rows = s.execute(
            select(Answer)
            .where(Answer.audit_id == audit_id, Answer.counted == true())
            .order_by(Answer.id)
        ).scalars()
        return {a.question_id: answer_out(a) for a in rows}
