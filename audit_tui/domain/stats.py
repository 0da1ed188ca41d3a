"""Small statistics: Wilson intervals for proportions, intervals for percent met that allow
for answers being clustered within audits, the difference of two rates, and agreement
(weighted Cohen's kappa, Gwet's AC1).

Written here rather than pulled from scipy/statsmodels: each is a few lines of textbook
arithmetic, and those libraries would add seconds to start-up and hundreds of MB to install.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

Z95 = 1.959963984540054


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    """95% Wilson score interval for a proportion, as (low, high) in 0..1; None when n is 0.

    `successes` may be fractional (a Partly counts as half a success).
    """
    if n <= 0:
        return None
    return _wilson_at(successes / n, n, z)


def t_quantile(p: float, df: float) -> float:
    """Student's t quantile: exact for 1 and 2 degrees of freedom, otherwise the Cornish-Fisher
    expansion (Abramowitz and Stegun 26.7.5), within 0.2% of the tables from 3 df up."""
    if df <= 0:
        # not translated: a programming error, never shown to a user
        raise ValueError("the t distribution needs at least one degree of freedom")
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) * math.sqrt(2 / (4 * p * (1 - p)))
    z = NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


@dataclass(frozen=True)
class ClusterSums:
    """Additive sums behind a percent met whose answers come in clusters (audits).

    Per audit i: x_i = summed weight of its scored answers, y_i = summed weight x points.
    `clusters` counts audits with x_i > 0; `answers` the scored answers (not N/A)."""

    clusters: int = 0
    answers: int = 0
    x: float = 0.0
    y: float = 0.0
    xx: float = 0.0
    xy: float = 0.0
    yy: float = 0.0

    def __add__(self, other: ClusterSums) -> ClusterSums:
        return ClusterSums(
            self.clusters + other.clusters,
            self.answers + other.answers,
            self.x + other.x,
            self.y + other.y,
            self.xx + other.xx,
            self.xy + other.xy,
            self.yy + other.yy,
        )


# not translated: the method as `profile --json` records it for analysts (the workbook words it)
CLUSTERED_METHOD = (
    "Wilson interval on the effective number of answers, allowing for answers being "
    "clustered within audits (design effect from the audit-level variance of the ratio "
    "estimator, never below 1, with the Korn-Graubard correction for the number of audits)"
)


def effective_n(s: ClusterSums) -> float | None:
    """The number of independent answers a clustered sample is worth (Korn and Graubard 1998):
    the summed weight divided by the design effect (audit-level variance of the ratio
    estimator over the variance if answers were independent; never below 1), times
    (t(answers - 1) / t(audits - 1))^2 for the few audits the variance rests on.

    One audit gives no measure of how audits differ: it counts as one answer. None: no data."""
    if s.x <= 0:
        return None
    if s.clusters <= 1:
        return min(s.x, 1.0)
    r = s.y / s.x
    # Linearised variance of the ratio estimator with audits as the sampling units:
    # n/(n-1) * sum_i (y_i - r x_i)^2 / (sum_i x_i)^2.
    residual = max(0.0, s.yy - 2 * r * s.xy + r * r * s.xx)
    clustered = s.clusters / (s.clusters - 1) * residual / (s.x * s.x)
    independent = r * (1 - r) / s.x
    deff = max(1.0, clustered / independent) if independent > 0 else 1.0
    n_eff = s.x / deff
    answers = max(s.answers, s.clusters)
    if answers > s.clusters:
        n_eff *= (t_quantile(0.975, answers - 1) / t_quantile(0.975, s.clusters - 1)) ** 2
    return n_eff


def clustered_interval(s: ClusterSums, z: float = Z95) -> tuple[float, float] | None:
    """95% interval for a ratio y/x whose answers are clustered within audits: the Wilson
    interval at the observed proportion with the effective number of answers (effective_n).
    (low, high) in 0..1; None with no data."""
    n_eff = effective_n(s)
    if n_eff is None:
        return None
    p = s.y / s.x
    return _wilson_at(p, n_eff, z)


def _wilson_at(p: float, n: float, z: float) -> tuple[float, float]:
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(max(0.0, p * (1 - p)) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(
    p1: float, ci1: tuple[float, float], p2: float, ci2: tuple[float, float]
) -> tuple[float, float]:
    """95% interval for p1 - p2 from each rate's own interval (Newcombe's hybrid score method,
    the "method of variance estimates recovery"): the two samples are independent."""
    l1, u1 = ci1
    l2, u2 = ci2
    d = p1 - p2
    return (
        d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def exact_agreement(a: Sequence[int], b: Sequence[int]) -> float | None:
    if len(a) != len(b):
        # not translated: a programming error, never shown to a user
        raise ValueError("paired ratings differ in length")
    if not a:
        return None
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def within_one_agreement(a: Sequence[int], b: Sequence[int]) -> float | None:
    if len(a) != len(b):
        # not translated: a programming error, never shown to a user
        raise ValueError("paired ratings differ in length")
    if not a:
        return None
    return sum(abs(x - y) <= 1 for x, y in zip(a, b, strict=True)) / len(a)


def weighted_kappa(
    a: Sequence[int], b: Sequence[int], categories: int, weights: str = "linear"
) -> float | None:
    """Cohen's kappa with linear (or quadratic) disagreement weights for ordinal grades.

    Ratings are category indexes 0..categories-1. Returns None when there are no pairs, and
    1.0 when both raters used one and the same grade throughout (perfect agreement with no
    variation: kappa's formula is 0/0 there, and the raters did agree on every case).
    """
    if len(a) != len(b):
        # not translated: a programming error, never shown to a user
        raise ValueError("paired ratings differ in length")
    if categories < 2:
        # not translated: a programming error, never shown to a user
        raise ValueError("weighted kappa needs a scale of at least two grades")
    n = len(a)
    if n == 0:
        return None
    k = categories

    def w(i: int, j: int) -> float:
        d = abs(i - j) / (k - 1)
        return d if weights == "linear" else d * d

    observed = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        observed[x][y] += 1
    row = [sum(observed[i]) for i in range(k)]
    col = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    po = sum(w(i, j) * observed[i][j] for i in range(k) for j in range(k)) / n
    pe = sum(w(i, j) * row[i] * col[j] for i in range(k) for j in range(k)) / (n * n)
    if pe == 0:
        return 1.0 if po == 0 else 0.0
    return 1.0 - po / pe


def mean_difference(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Mean of (a - b): with grades ranked best = 0, negative means `a` grades more generously."""
    if not a:
        return None
    return sum(x - y for x, y in zip(a, b, strict=True)) / len(a)


def gwet_ac1(a: Sequence[int], b: Sequence[int], categories: int) -> float | None:
    """Gwet's AC1: exact agreement corrected for chance, where chance agreement is
    sum_k pi_k (1 - pi_k) / (q - 1) over the q grades of the scale, pi_k the share of all
    ratings given grade k. Unlike kappa it stays near the observed agreement when one grade
    is very common (Gwet 2008). None when there are no pairs."""
    if len(a) != len(b):
        # not translated: a programming error, never shown to a user
        raise ValueError("paired ratings differ in length")
    if categories < 2:
        # not translated: a programming error, never shown to a user
        raise ValueError("AC1 needs a scale of at least two grades")
    n = len(a)
    if n == 0:
        return None
    pa = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pi = [(a.count(k) + b.count(k)) / (2 * n) for k in range(categories)]
    pe = sum(p * (1 - p) for p in pi) / (categories - 1)
    return (pa - pe) / (1 - pe)
