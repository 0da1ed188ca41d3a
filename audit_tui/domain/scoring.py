"""Scoring rules: percent met, critical failures and the suggested judgement. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from audit_tui.domain.framework import Framework


@dataclass(frozen=True)
class ScoredAnswer:
    """One answer as scoring sees it: points None means not applicable."""

    points: float | None
    weight: float = 1.0
    critical: bool = False


def percent_met(answers: Iterable[ScoredAnswer]) -> float | None:
    """100 x sum(weight x points) / sum(weight) over applicable answers; None is "no data"."""
    num = 0.0
    den = 0.0
    for a in answers:
        if a.points is None:
            continue
        num += a.weight * a.points
        den += a.weight
    if den == 0:
        return None
    # Rounded so float noise cannot cost a grade: Partly on weights 0.1 and 1.3 is 50, not
    # 49.99999999999999, and all Yes is 100, not 99.99999999999999.
    return round(100.0 * num / den, 9)


def has_critical_failure(answers: Iterable[ScoredAnswer]) -> bool:
    return any(a.critical and a.points == 0 for a in answers)


def suggested_judgement(
    framework: Framework, percent: float | None, critical_failure: bool
) -> str | None:
    """The first threshold reached, capped by a critical "No"; None when there is no data."""
    if percent is None:
        return None
    grade = framework.thresholds[-1].judgement
    for t in framework.thresholds:
        if percent >= t.min_percent:
            grade = t.judgement
            break
    if critical_failure:
        scale = framework.judgements
        if scale.rank(grade) < scale.rank(framework.critical_cap):
            grade = framework.critical_cap
    return grade


def capped_by_critical(framework: Framework, percent: float | None, critical_failures: int) -> bool:
    """Whether a critical "No" lowered the suggested grade below what the percent reached."""
    if not critical_failures or percent is None:
        return False
    return suggested_judgement(framework, percent, True) != suggested_judgement(
        framework, percent, False
    )


def round_half_up(value: float, places: int = 0) -> float:
    """Round as people and Excel do (62.5 -> 63), not to even as Python's round() does, so
    the tool, the CLI and the workbook show the same whole percentages."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def format_percent(percent: float | None) -> str:
    """ "63%", or "no data" - never 0% - when nothing was applicable."""
    if percent is None:
        return "no data"
    return f"{round_half_up(percent):.0f}%"
