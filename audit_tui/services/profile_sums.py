"""The additive sums behind every percent met in a profile, gathered in SQL.

A percent met needs the counted answers, the scored ones, and their summed weight and points.
Its 95% interval also needs to know how the answers cluster within audits (answers on one
case file are alike, so they are not independent observations): for each audit, the summed
weight x_i and points y_i of its scored answers, and over the audits the sums of x_i^2,
x_i y_i and y_i^2 (domain.stats.ClusterSums). Those are additive too, so teams add up to the
authority as before.

- Sections and overall figures: one statement (clustered_sums) groups the answers of the
  profile's period and the one before by audit and by the section each was answered in (the
  section stored with the answer); summing those rows gives each section's figure with its
  clustering sums, and each audit's total (a ROLLUP row from the same sort on PostgreSQL; its
  section rows summed again on SQLite, which has no ROLLUP) gives the overall figure with its
  own. The older trend periods need no section figures: their answers are grouped by audit
  alone (audit_sums). Grouping answers by audit and section is most of a profile's work, and
  the floor `make bench` compares the profile with (bench/run.py, FLOOR_SQL).
- Questions: a question has one counted answer per audit, so its answers are independent and
  need no clustering sums (question_sums).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Label,
    Select,
    String,
    case,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import Period
from audit_tui.domain.profile_figures import COMPARED as COMPARED
from audit_tui.domain.profile_figures import Sums as Sums
from audit_tui.domain.stats import ClusterSums
from audit_tui.store.models import Answer, Audit

# A query of any columns (Select is generic over its columns' types).
AnySelect = Select[*tuple[Any, ...]]


def scope_filter(framework_id: str, start: date, end: date) -> list:  # type: ignore[type-arg]
    return [
        Audit.framework_id == framework_id,
        Audit.status == "finalised",
        Audit.audit_date >= start,
        Audit.audit_date <= end,
    ]


def bucket(periods: Sequence[Period], audit_date: Any = Audit.audit_date) -> Label[int]:
    """The index of the trend period an audit date falls in, computed in SQL."""
    return case(
        *[(audit_date.between(p.start, p.end), i) for i, p in enumerate(periods)],
        else_=-1,
    ).label("bucket")


def scored_answers() -> Label[int]:
    """The n behind a percent met, in SQL: answers neither N/A nor weight 0 (a question a
    framework records but does not score)."""
    return func.count(case((Answer.weight > 0, Answer.points))).label("scored")


def _plain_columns() -> tuple[Label[Any], ...]:
    scored_weight = case((Answer.points.is_not(None), Answer.weight), else_=0.0)
    return (
        func.count().label("answered"),
        scored_answers(),
        func.sum(scored_weight).label("weight"),
        func.sum(Answer.weight * Answer.points).label("points"),
    )


def question_sums(s: Session, fw: Framework, period: Period) -> dict[tuple[int, str], Sums]:
    """(team id, question id) -> answered, scored, weight and points over the counted answers
    of one period. No clustering sums: a question has one answer per audit."""
    stmt = (
        select(Audit.team_id, Answer.question_id, *_plain_columns())
        .join(Answer, Answer.audit_id == Audit.id)
        .where(*scope_filter(fw.id, period.start, period.end), Answer.counted == true())
        .group_by(Audit.team_id, Answer.question_id)
    )
    return {(row.team_id, row.question_id): _row(row, clustered=False) for row in s.execute(stmt)}


def _level(n: Any, xx: Any, xy: Any, yy: Any) -> ClusterSums:
    return ClusterSums(int(n or 0), 0, 0.0, 0.0, float(xx or 0), float(xy or 0), float(yy or 0))


def _per_audit(
    fw: Framework, periods: Sequence[Period], *, by_section: bool, rollup: bool = False
) -> AnySelect:
    """Each audit's counted answers in `periods` (and with `by_section`, per section): team,
    date, answers, scored answers, x = summed weight and y = summed weight x points. With
    `rollup` (PostgreSQL), each audit's own total too, as a row whose section is NULL
    (answers always have a section), from the same sort."""
    x = case((Answer.points.is_not(None), Answer.weight), else_=0.0)
    section: list[Any] = []
    if by_section:
        section = [func.rollup(Answer.section_id) if rollup else Answer.section_id]
    return (
        select(
            Audit.id.label("aid"),
            Audit.team_id,
            Audit.audit_date,
            *([Answer.section_id.label("sec")] if by_section else []),
            func.count().label("answered"),
            scored_answers(),
            func.sum(x).label("x"),
            func.coalesce(func.sum(Answer.weight * Answer.points), 0.0).label("y"),
        )
        .join(Answer, Answer.audit_id == Audit.id)
        .where(*scope_filter(fw.id, periods[0].start, periods[-1].end), Answer.counted == true())
        # Grouped on the audit's key alone (team and date depend on it) and the section the
        # answer was given in: an expression per answer row here (which period, which
        # section of the framework) would cost more than the grouping itself.
        .group_by(Audit.id, *section)
    )


def _cluster_sums(t: Any) -> list[Any]:
    """Over rows of per-audit sums: the totals, the audits with scored answers, and the sums
    of squares and products behind the clustered interval."""
    return [
        func.sum(t.answered).label("answered"),
        func.sum(t.scored).label("scored"),
        func.sum(t.x).label("weight"),
        func.sum(t.y).label("points"),
        func.sum(case((t.x > 0, 1), else_=0)).label("n"),
        func.sum(t.x * t.x).label("xx"),
        func.sum(t.x * t.y).label("xy"),
        func.sum(t.y * t.y).label("yy"),
    ]


def _row(row: Any, *, clustered: bool = True) -> Sums:
    return Sums(
        answered=int(row.answered),
        scored=int(row.scored),
        weight=float(row.weight or 0),
        points=float(row.points or 0),
        clusters=_level(row.n, row.xx, row.xy, row.yy) if clustered else ClusterSums(),
    )


@dataclass
class ClusteredSums:
    """Per (team, period index, section) and per (team, period index): the totals and the
    clustering sums (audits as clusters) behind section and overall figures."""

    sections: dict[tuple[int, int, str], Sums]
    overall: dict[tuple[int, int], Sums]


def _rolled_up(fw: Framework, periods: Sequence[Period]) -> AnySelect:
    """PostgreSQL: each audit's per-section and whole-audit sums from one sort (GROUP BY
    audit, ROLLUP(section)), summed per team, period and section (NULL: the whole audit)."""
    per = _per_audit(fw, periods, by_section=True, rollup=True).subquery("per_audit")
    return select(
        per.c.team_id, bucket(periods, per.c.audit_date), per.c.sec, *_cluster_sums(per.c)
    ).group_by(per.c.team_id, literal_column("bucket"), per.c.sec)


def _summed_twice(fw: Framework, periods: Sequence[Period]) -> AnySelect:
    """SQLite (no ROLLUP): each audit's per-section sums, kept once (a CTE) and summed per
    team, period and section; and summed per audit first for the whole-audit rows."""
    per = _per_audit(fw, periods, by_section=True).cte("per_audit_section")
    by_section = select(
        per.c.team_id, bucket(periods, per.c.audit_date), per.c.sec, *_cluster_sums(per.c)
    ).group_by(per.c.team_id, literal_column("bucket"), per.c.sec)
    audit = (
        select(
            per.c.aid,
            func.min(per.c.team_id).label("team_id"),
            func.min(per.c.audit_date).label("audit_date"),
            func.sum(per.c.answered).label("answered"),
            func.sum(per.c.scored).label("scored"),
            func.sum(per.c.x).label("x"),
            func.sum(per.c.y).label("y"),
        )
        .group_by(per.c.aid)
        .subquery()
    )
    by_audit = select(
        audit.c.team_id,
        bucket(periods, audit.c.audit_date),
        literal(None, String).label("sec"),
        *_cluster_sums(audit.c),
    ).group_by(audit.c.team_id, literal_column("bucket"))
    return union_all(by_section, by_audit)  # type: ignore[return-value]


def clustered_sums(s: Session, fw: Framework, periods: Sequence[Period]) -> ClusteredSums:
    """One statement over the counted answers of `periods` (contiguous, oldest first): each
    audit's sums per section, summed to sections and, through each audit's total, to the
    overall figure - both with their clustering sums."""
    postgres = s.get_bind().dialect.name == "postgresql"
    if postgres:
        jit_off(s)
    stmt = _rolled_up(fw, periods) if postgres else _summed_twice(fw, periods)
    out = ClusteredSums({}, {})
    for row in s.execute(stmt):
        t = _row(row)
        if row.sec is None:
            out.overall[(row.team_id, row.bucket)] = t
        else:
            out.sections[(row.team_id, row.bucket, row.sec)] = t
    return out


def jit_off(s: Session) -> None:
    """PostgreSQL: no JIT compiling for the rest of this read. The planner's costs for a
    profile's grouped statements set off JIT (about 100 ms of compiling, whatever the size)
    for work that takes a few hundred ms without it."""
    s.execute(text("SET LOCAL jit = off"))  # not translated: SQL


@dataclass
class PeriodSums:
    """What a profile reads: the last period's (team, question) sums, and (team, key,
    section) and (team, key) sums for every trend period and the comparison (COMPARED)."""

    questions: dict[tuple[int, str], Sums]
    sections: dict[tuple[int, int, str], Sums]
    overall: dict[tuple[int, int], Sums]


def audit_sums(s: Session, fw: Framework, periods: Sequence[Period]) -> dict[tuple[int, int], Sums]:
    """(team id, period index) -> overall sums with their clustering sums, for periods where
    no section figure is needed (the older trend periods): answers grouped by audit only."""
    if not periods:
        return {}
    per = _per_audit(fw, periods, by_section=False).subquery()
    stmt = select(per.c.team_id, bucket(periods, per.c.audit_date), *_cluster_sums(per.c)).group_by(
        per.c.team_id, literal_column("bucket")
    )
    return {(row.team_id, row.bucket): _row(row) for row in s.execute(stmt)}


def period_sums(
    s: Session, fw: Framework, periods: Sequence[Period], compared: Period
) -> PeriodSums:
    """Sums for the trend `periods` (oldest first, ending with the profile's period) and for
    `compared`: the period before, or while the period is in progress the same months of the
    year before, which needs a pass of its own. Only the last two periods need section
    figures; the older ones are grouped by audit alone, which is cheaper (measured: cheaper
    than grouping every trend period by audit and section in one statement)."""
    last = len(periods) - 2  # the index of the first period with section figures
    found = clustered_sums(s, fw, periods[last:])
    sections = {(t, b + last, sec): v for (t, b, sec), v in found.sections.items()}
    overall = {(t, b + last): v for (t, b), v in found.overall.items()}
    overall.update(audit_sums(s, fw, periods[:last]))
    if compared == periods[-2]:
        prev = len(periods) - 2
        sections.update(
            {(t, COMPARED, sec): v for (t, b, sec), v in list(sections.items()) if b == prev}
        )
        overall.update({(t, COMPARED): v for (t, b), v in list(overall.items()) if b == prev})
    else:
        part = clustered_sums(s, fw, [compared])
        sections.update({(t, COMPARED, sec): v for (t, _, sec), v in part.sections.items()})
        overall.update({(t, COMPARED): v for (t, _), v in part.overall.items()})
    return PeriodSums(question_sums(s, fw, periods[-1]), sections, overall)
