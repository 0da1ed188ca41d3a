"""The sums behind a profile's section and overall figures (services.profile_sums: one grouped
statement for the profile's period and the one before, audits alone for the older trend
periods, a statement of its own for a comparison outside the trend) against a plain
recomputation from the rows the test inserted, on SQLite and PostgreSQL (`seeded`).

The data: several teams, every section of the case-file framework (one always N/A), N/A
answers, weight-2 questions, moderated audits whose original answers no longer count, and
audits of many answers each - the clusters behind the interval.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

import pytest
from sqlalchemy import select

from audit_tui.domain.periods import Period, comparison_period, parse_period
from audit_tui.domain.profile_figures import COMPARED, Sums
from audit_tui.domain.stats import ClusterSums
from audit_tui.services.context import AppContext
from audit_tui.services.profile_sums import period_sums
from audit_tui.store.models import Team
from tests.conftest import FIXED_TODAY
from tests.export.fake_audits import FakeAudit, FakeData

TEAMS = ("North", "South", "East", "West")
# The fake audits of the shared `seeded` database (tests/conftest.py), read by `sctx`, `data`.
SEEDED = {
    "seed": 11,
    "audits": 160,
    "start": date(2024, 10, 1),
    "end": FIXED_TODAY,
    "teams": TEAMS,
    "empty_team": None,
}


def _audit_sums(a: FakeAudit) -> dict[str, list[float]]:
    """Section id -> [answered, scored, x = weight of scored answers, y = weight x points] over
    the audit's counted answers."""
    out: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    for ans in a.answers:
        if not ans.counted:
            continue
        row = out[ans.section_id]
        row[0] += 1
        if ans.points is not None:
            row[1] += ans.weight > 0
            row[2] += ans.weight
            row[3] += ans.weight * ans.points
    return out


def _add(total: Sums, answered: float, scored: float, x: float, y: float) -> None:
    total.add(
        Sums(
            answered=int(answered),
            scored=int(scored),
            weight=x,
            points=y,
            clusters=ClusterSums(1 if x > 0 else 0, 0, 0.0, 0.0, x * x, x * y, y * y),
        )
    )


def expected(
    data: FakeData, team_ids: Mapping[str, int], periods: Mapping[int, Period]
) -> tuple[dict[tuple[int, int, str], Sums], dict[tuple[int, int], Sums]]:
    """Per (team, key, section) and per (team, key): the totals and clustering sums, each
    audit summed on its own first (per section; and over its sections for the overall)."""
    sections: dict[tuple[int, int, str], Sums] = defaultdict(Sums)
    overall: dict[tuple[int, int], Sums] = defaultdict(Sums)
    for key, p in periods.items():
        for a in data.finalised(p.start, p.end):
            team = team_ids[a.team]
            per_section = _audit_sums(a)
            for sec, row in per_section.items():
                _add(sections[(team, key, sec)], *row)
            whole = [sum(row[i] for row in per_section.values()) for i in range(4)]
            _add(overall[(team, key)], *whole)
    return dict(sections), dict(overall)


def _same(found: Sums, want: Sums) -> bool:
    c, w = found.clusters, want.clusters
    return (found.answered, found.scored, c.clusters) == (
        want.answered,
        want.scored,
        w.clusters,
    ) and all(
        got == pytest.approx(exp, rel=1e-12, abs=1e-12)
        for got, exp in [
            (found.weight, want.weight),
            (found.points, want.points),
            (c.xx, w.xx),
            (c.xy, w.xy),
            (c.yy, w.yy),
        ]
    )


@pytest.mark.parametrize(
    "label",
    [
        "2025-26 Q4",  # finished: trend of four quarters, compared with the one before
        "2026-27 Q3",  # in progress: compared with the same weeks a year before
        "2025-26",  # a finished year
        "2026-27",  # a year in progress
    ],
)
def test_section_and_overall_sums_equal_a_plain_recomputation(
    sctx: AppContext, data: FakeData, label: str
) -> None:
    fw = sctx.frameworks.get("case-file")
    period = parse_period(label)
    periods = period.last(4)
    compared = comparison_period(period, FIXED_TODAY)
    with sctx.db.read() as s:
        team_ids = {name: tid for tid, name in s.execute(select(Team.id, Team.name))}
        found = period_sums(s, fw, periods, compared)

    recent = {len(periods) - 2: periods[-2], len(periods) - 1: periods[-1], COMPARED: compared}
    want_sections, _ = expected(data, team_ids, recent)
    _, want_overall = expected(data, team_ids, {**dict(enumerate(periods)), COMPARED: compared})
    # The data covers what is compared: several teams, sections and audits in each period.
    assert len({t for t, _, _ in want_sections}) == len(TEAMS)
    assert len({sec for _, _, sec in want_sections}) == len(fw.sections)
    assert sum(t.clusters.clusters for t in want_overall.values()) > 2 * len(want_overall)
    # Section sums are needed for the period, the one before and the comparison only.
    got_sections = {k: v for k, v in found.sections.items() if k[1] in recent}
    assert got_sections.keys() == want_sections.keys()
    assert found.overall.keys() == want_overall.keys()
    wrong = [k for k, v in want_sections.items() if not _same(got_sections[k], v)]
    wrong += [k for k, v in want_overall.items() if not _same(found.overall[k], v)]
    assert wrong == []
