"""Wilson intervals and agreement statistics against textbook and hand-worked values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_tui.domain.stats import (
    difference_interval,
    exact_agreement,
    gwet_ac1,
    mean_difference,
    weighted_kappa,
    wilson_interval,
    within_one_agreement,
)


def test_wilson_textbook_values() -> None:
    # Newcombe (1998) / any Wilson table: 8 of 10 -> 0.490 to 0.943.
    assert wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=5e-4)
    # 0 of 10 and 10 of 10: the interval stays inside 0..1 and is not zero-width.
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=5e-4)
    assert wilson_interval(10, 10) == pytest.approx((0.7225, 1.0), abs=5e-4)
    # 1 of 2: symmetric about one half.
    low, high = wilson_interval(1, 2)
    assert low == pytest.approx(1 - high)


def test_wilson_with_no_data_is_none() -> None:
    assert wilson_interval(0, 0) is None


def test_wilson_accepts_half_successes() -> None:
    # 7 Yes and 2 Partly of 10 count as 8 successes.
    assert wilson_interval(7 + 2 * 0.5, 10) == wilson_interval(8, 10)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5000), st.floats(0, 1))
def test_wilson_bounds_are_within_0_and_1_and_contain_p(n: int, share: float) -> None:
    successes = round(share * n * 2) / 2  # whole or half successes, as percent met has
    interval = wilson_interval(successes, n)
    assert interval is not None
    low, high = interval
    assert 0.0 <= low <= successes / n + 1e-12
    assert successes / n - 1e-12 <= high <= 1.0


# Hand-worked linear-weighted kappa, 3 grades (0, 1, 2), disagreement weight |i - j| / 2.
#   rater A: 0 0 1 1 2 2        pairs: (0,0) (0,1) (1,1) (1,2) (2,2) (2,2)
#   rater B: 0 1 1 2 2 2        weights: 0   1/2    0    1/2   0     0
#   observed disagreement po = (1/2 + 1/2) / 6 = 1/6
#   marginals: A = (2, 2, 2), B = (1, 2, 3); expected disagreement
#   pe = sum w(i,j) A_i B_j / 36
#      = [ (1/2)(2)(2) + (1)(2)(3)          row 0: j=1, j=2  -> 2 + 6 = 8
#        + (1/2)(2)(1) + (1/2)(2)(3)        row 1: j=0, j=2  -> 1 + 3 = 4
#        + (1)(2)(1)   + (1/2)(2)(2) ] / 36 row 2: j=0, j=1  -> 2 + 2 = 4
#      = 16 / 36 = 4/9
#   kappa = 1 - po / pe = 1 - (1/6) / (4/9) = 1 - 3/8 = 0.625
# Quadratic weights (d^2: 1/4 for neighbours, 1 for two apart):
#   po = (1/4 + 1/4) / 6 = 1/12;  pe = (1 + 6 + 1/2 + 3/2 + 2 + 1) / 36 = 12/36 = 1/3
#   kappa = 1 - (1/12) / (1/3) = 0.75
RATER_A = [0, 0, 1, 1, 2, 2]
RATER_B = [0, 1, 1, 2, 2, 2]


def test_weighted_kappa_hand_worked() -> None:
    assert weighted_kappa(RATER_A, RATER_B, categories=3) == pytest.approx(0.625)
    assert weighted_kappa(RATER_A, RATER_B, categories=3, weights="quadratic") == pytest.approx(
        0.75
    )
    # Kappa is symmetric in the two raters.
    assert weighted_kappa(RATER_B, RATER_A, categories=3) == pytest.approx(0.625)


def test_weighted_kappa_perfect_and_degenerate() -> None:
    assert weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3], categories=4) == pytest.approx(1.0)
    # Everyone graded "good": kappa's formula is 0/0; the raters agreed on every case.
    assert weighted_kappa([1, 1, 1], [1, 1, 1], categories=4) == 1.0
    # Each rater constant but different: agreement no better than chance.
    assert weighted_kappa([1, 1, 1], [2, 2, 2], categories=4) == pytest.approx(0.0)
    # Systematic opposite grading is worse than chance.
    assert weighted_kappa([0, 3, 0, 3], [3, 0, 3, 0], categories=4) < 0


def test_weighted_kappa_edges() -> None:
    assert weighted_kappa([], [], categories=4) is None
    with pytest.raises(ValueError, match="differ in length"):
        weighted_kappa([0], [0, 1], categories=4)
    with pytest.raises(ValueError, match="at least two grades"):
        weighted_kappa([0], [0], categories=1)


# Gwet's AC1 by hand on the same six pairs, 3 grades:
#   exact agreement pa = 4/6 (pairs (0,0) (1,1) (2,2) (2,2))
#   pi_k = share of all 12 ratings: grade 0: 3/12, grade 1: 4/12, grade 2: 5/12
#   pe = sum pi_k (1 - pi_k) / (q - 1) = (27 + 32 + 35) / 144 / 2 = 94/288
#   AC1 = (pa - pe) / (1 - pe) = (192/288 - 94/288) / (194/288) = 98/194 = 0.50515...
def test_gwet_ac1_hand_worked() -> None:
    assert gwet_ac1(RATER_A, RATER_B, categories=3) == pytest.approx(98 / 194)
    assert gwet_ac1(RATER_B, RATER_A, categories=3) == pytest.approx(98 / 194)
    assert gwet_ac1([0, 1, 2, 3], [0, 1, 2, 3], categories=4) == pytest.approx(1.0)
    assert gwet_ac1([], [], categories=4) is None
    with pytest.raises(ValueError, match="differ in length"):
        gwet_ac1([0], [0, 1], categories=4)


# Where kappa misleads: 20 moderated audits, auditor and moderator both said "Good" (rank 1 of
# 4) on 18; on the other two one said Good and the other Requires improvement (rank 2).
#   exact agreement 18/20 = 0.90; within one grade 1.00.
#   Kappa, linear weights |i - j| / 3: po = 2 x (1/3) / 20 = 1/30.
#     marginals both raters: Good 19/20, RI 1/20; pe = 2 x (1/3) x (19/20)(1/20) = 19/600.
#     kappa = 1 - (1/30) / (19/600) = 1 - 20/19 = -1/19 = -0.053: "worse than chance"
#     from two raters who agreed on 90% and were never more than a grade apart.
#   AC1, 4 grades: pi_Good = 38/40, pi_RI = 2/40; pe = (0.95 x 0.05 x 2) / 3 = 0.031667;
#     AC1 = (0.9 - 0.031667) / (1 - 0.031667) = 0.8967: close to the agreement seen.
PARADOX_A = [1] * 18 + [1, 2]
PARADOX_B = [1] * 18 + [2, 1]


def test_kappa_misleads_when_one_grade_is_very_common_and_ac1_does_not() -> None:
    assert exact_agreement(PARADOX_A, PARADOX_B) == 0.9
    kappa = weighted_kappa(PARADOX_A, PARADOX_B, categories=4)
    assert kappa == pytest.approx(-1 / 19)
    ac1 = gwet_ac1(PARADOX_A, PARADOX_B, categories=4)
    assert ac1 == pytest.approx((0.9 - 0.095 / 3) / (1 - 0.095 / 3))
    assert ac1 == pytest.approx(0.8967, abs=1e-4)


def test_difference_interval_hand_worked() -> None:
    # Newcombe (1998) example 1 (hybrid score, his method 10): 56/70 against 48/80 gives a
    # difference of 0.2 with 95% interval 0.0524 to 0.3339.
    p1, p2 = 56 / 70, 48 / 80
    ci = difference_interval(p1, wilson_interval(56, 70), p2, wilson_interval(48, 80))  # type: ignore[arg-type]
    assert ci == pytest.approx((0.0524, 0.3339), abs=5e-4)


def test_exact_and_within_one_agreement() -> None:
    a, b = [0, 1, 2, 3], [0, 1, 3, 1]  # differences 0, 0, 1, 2
    assert exact_agreement(a, b) == 0.5
    assert within_one_agreement(a, b) == 0.75
    assert exact_agreement([], []) is None
    assert within_one_agreement([], []) is None
    with pytest.raises(ValueError):
        exact_agreement([0], [])
    with pytest.raises(ValueError):
        within_one_agreement([0], [])


def test_mean_difference_sign() -> None:
    # Grades ranked best = 0: a negative difference means the first rater is more generous.
    assert mean_difference([0, 1], [1, 1]) == -0.5
    assert mean_difference([], []) is None


grades = st.integers(0, 3)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(grades, grades), min_size=1, max_size=30))
def test_agreement_statistics_stay_in_range(pairs: list[tuple[int, int]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    exact, within = exact_agreement(a, b), within_one_agreement(a, b)
    assert exact is not None and within is not None
    assert 0.0 <= exact <= within <= 1.0
    kappa = weighted_kappa(a, b, categories=4)
    assert kappa is not None
    assert -1.0 - 1e-9 <= kappa <= 1.0 + 1e-9
    assert weighted_kappa(a, a, categories=4) == pytest.approx(1.0)
