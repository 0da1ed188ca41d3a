"""The percent-met interval against simulated audits: answers within one audit are alike (a
well-run case file is well run throughout), so they are not independent observations.

Each draw makes audits whose own rate varies around a known true rate (a beta distribution
with a stated intra-audit correlation), answers drawn within each audit, and asks whether the
95% interval covers the true rate. Over 2,000 seeded draws the clustered interval covers it
about 95% of the time; the answer-level Wilson interval, which treats every answer as
independent, covers it far less often - a board would be told noise is a real change.
"""

from __future__ import annotations

import random

import pytest

from audit_tui.domain.stats import (
    ClusterSums,
    clustered_interval,
    effective_n,
    t_quantile,
    wilson_interval,
)

DRAWS = 2_000


def clustered_sample(
    rng: random.Random, audits: int, answers: int, rate: float, icc: float, partly: bool
) -> ClusterSums:
    """One sample: `audits` audits of answers//2 to `answers` scored answers each."""
    spread = 1 / icc - 1  # a beta(a, b) with mean `rate` has correlation 1 / (a + b + 1)
    a, b = rate * spread, (1 - rate) * spread
    total = ClusterSums()
    for _ in range(audits):
        own = rng.betavariate(a, b)
        m = rng.randint(answers // 2, answers)
        if partly:
            # Yes = 1, Partly = 0.5, No = 0, with mean `own`: Partly takes a share of both.
            y = 0.0
            for _ in range(m):
                u = rng.random()
                y += 1.0 if u < own * 0.8 else 0.5 if u < own * 0.8 + own * 0.4 else 0.0
        else:
            y = float(sum(rng.random() < own for _ in range(m)))
        total = total + ClusterSums(1, m, m, y, m * m, m * y, y * y)
    return total


def coverage(audits: int, answers: int, rate: float, icc: float, partly: bool, seed: int):
    rng = random.Random(seed)
    clustered = wilson = 0
    for _ in range(DRAWS):
        s = clustered_sample(rng, audits, answers, rate, icc, partly)
        low, high = clustered_interval(s)  # type: ignore[misc]
        clustered += low <= rate <= high
        low, high = wilson_interval(s.y, s.x)  # type: ignore[misc]
        wilson += low <= rate <= high
    return clustered / DRAWS, wilson / DRAWS


# Two standard errors of a 95% coverage over 2,000 draws is about 1 point.
@pytest.mark.parametrize(
    ("audits", "answers", "rate", "icc", "partly"),
    [
        (30, 40, 0.75, 0.10, False),  # a team's year
        (8, 40, 0.70, 0.15, False),  # a small team: few audits to measure the spread on
        (30, 40, 0.75, 0.10, True),  # Partly answers count half
    ],
)
def test_clustered_interval_covers_the_true_rate_about_95_percent(
    audits: int, answers: int, rate: float, icc: float, partly: bool
) -> None:
    if partly:
        rate = 0.75 * 0.8 + 0.75 * 0.4 * 0.5  # the mean points per answer
    ours, wilson = coverage(audits, answers, rate, icc, partly, seed=20261120)
    assert 0.93 <= ours <= 0.975, ours
    # Treating answers as independent gives intervals far too narrow on the same draws.
    assert wilson < 0.85, wilson


def test_without_clustering_it_is_close_to_wilson() -> None:
    ours, wilson = coverage(30, 40, 0.6, 1e-6, False, seed=7)
    assert 0.93 <= wilson <= 0.97
    assert 0.93 <= ours <= 0.98  # a little wider (the design effect never goes below 1)


def test_effective_n_by_hand() -> None:
    # Three audits of 10 answers with 10, 5 and 0 Yes: r = 0.5.
    # residuals y - r x: 5, 0, -5 -> sum of squares 50; variance = 3/2 * 50 / 30^2 = 1/12.
    # Independent answers: 0.5 * 0.5 / 30 = 1/120, so the design effect is 10 and
    # n_eff = 30 / 10 = 3, times (t(29) / t(2))^2 for the two degrees of freedom.
    s = ClusterSums(3, 30, 30, 15, 300, 150, 125)
    t29, t2 = t_quantile(0.975, 29), t_quantile(0.975, 2)
    assert effective_n(s) == pytest.approx(3 * (t29 / t2) ** 2)
    assert t2 == pytest.approx(4.303, abs=1e-3) and t29 == pytest.approx(2.045, abs=2e-3)
    # Audits exactly alike: no design effect, and the interval is Wilson's on 30 answers
    # (with the same small correction for having only three audits).
    alike = ClusterSums(3, 30, 30, 15, 300, 150, 75)
    assert effective_n(alike) == pytest.approx(30 * (t29 / t2) ** 2)


def test_one_audit_counts_as_one_answer_and_no_data_is_none() -> None:
    one = ClusterSums(1, 40, 40, 30, 1600, 1200, 900)
    assert effective_n(one) == 1.0
    assert clustered_interval(one) == wilson_interval(0.75, 1)
    assert clustered_interval(ClusterSums()) is None


@pytest.mark.parametrize(
    ("df", "table"),
    [(1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (10, 2.228), (30, 2.042)],
)
def test_t_quantile_matches_the_tables(df: int, table: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(table, rel=2e-3)
