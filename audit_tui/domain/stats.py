"""Small statistics: Wilson intervals for proportions, agreement and weighted Cohen's kappa.

Written here rather than pulled from scipy/statsmodels: each is a few lines of textbook
arithmetic, and those libraries would add seconds to start-up and hundreds of MB to install.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Z95 = 1.959963984540054


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    """95% Wilson score interval for a proportion, as (low, high) in 0..1; None when n is 0.

    `successes` may be fractional (a Partly counts as half a success).
    """
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def exact_agreement(a: Sequence[int], b: Sequence[int]) -> float | None:
    if len(a) != len(b):
        raise ValueError("paired ratings differ in length")
    if not a:
        return None
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def within_one_agreement(a: Sequence[int], b: Sequence[int]) -> float | None:
    if len(a) != len(b):
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
        raise ValueError("paired ratings differ in length")
    if categories < 2:
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
