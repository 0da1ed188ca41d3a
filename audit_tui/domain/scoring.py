"""Scoring rules: percent met, critical failures and the suggested judgement. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from audit_tui.domain.framework import Framework
from audit_tui.i18n import _


@dataclass(frozen=True)
class ScoredAnswer:
    """One answer as scoring sees it: points None means not applicable; weight 0 means
    recorded, not scored; `cap` is the grade this answer caps the audit at when it is a
    critical failure (`Framework.critical_cap_of`), None when it is not one."""

    points: float | None
    weight: float = 1.0
    cap: str | None = None

    @property
    def scored(self) -> bool:
        return self.points is not None and self.weight > 0


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


def scored_count(answers: Iterable[ScoredAnswer]) -> int:
    """The n behind a percent met: answers that are neither N/A nor weight 0."""
    return sum(1 for a in answers if a.scored)


def critical_caps(answers: Iterable[ScoredAnswer]) -> list[str]:
    """The caps of the answers that are critical failures."""
    return [a.cap for a in answers if a.cap is not None]


def band(framework: Framework, percent: float | None) -> str | None:
    """The grade whose threshold `percent` reaches (no cap); None when there is no data."""
    if percent is None:
        return None
    for t in framework.thresholds:
        if percent >= t.min_percent:
            return t.judgement
    return framework.thresholds[-1].judgement


def suggested_judgement(
    framework: Framework, percent: float | None, caps: Iterable[str] = ()
) -> str | None:
    """The first threshold reached, capped by the lowest cap among the audit's critical
    failures; None when there is no data."""
    grade = band(framework, percent)
    if grade is None:
        return None
    scale = framework.judgements
    for cap in caps:
        if cap in scale.codes and scale.rank(grade) < scale.rank(cap):
            grade = cap
    return grade


def capped_by_critical(framework: Framework, percent: float | None, suggested: str | None) -> bool:
    """Whether a critical failure lowered the suggested grade below the band the percent
    reached (a cap is the only thing that makes the two differ)."""
    reached = band(framework, percent)
    return reached is not None and suggested is not None and suggested != reached


def round_half_up(value: float, places: int = 0) -> float:
    """Round as people and Excel do (62.5 -> 63), not to even as Python's round() does, so
    the tool, the CLI and the workbook show the same whole percentages."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def format_percent(percent: float | None, places: int = 0) -> str:
    """ "63%" (or with `places` decimals, "74.6%"), or "no data" - never 0% - when nothing
    was applicable."""
    if percent is None:
        return _("no data")
    return f"{round_half_up(percent, places):.{places}f}%"


# --- a figure beside its band ---------------------------------------------------------------
#
# The rule (docs/framework-format.md, "Figures and bands"): a percent met is shown as a whole
# number, unless rounding it to a whole number would put it on the other side of a threshold
# from where it is - 74.58 rounds to 75, where Good starts, while the figure is Requires
# improvement. Then it is shown with one decimal place (74.6%), or as many more as it takes
# (74.99 -> 74.99%, as 75.0 would cross too). So no reader sees 75% beside a band that starts
# at 75%. The TUI, the CLI and the workbook all take the places from `band_places`.

MAX_PLACES = 9  # percent met is rounded to 9 places, so this always agrees


def band_places(percent: float | None, thresholds: Iterable[float]) -> int:
    """The fewest decimal places at which `percent`, rounded half up, is on the same side of
    every threshold (a `min_percent`) as the exact figure."""
    if percent is None:
        return 0
    edges = list(thresholds)
    for places in range(MAX_PLACES + 1):
        shown = round_half_up(percent, places)
        if all((shown >= t) == (percent >= t) for t in edges):
            return places
    return MAX_PLACES


def banded_percent(framework: Framework, percent: float | None) -> str:
    """A percent met as shown beside the framework's bands: '75%', '74.6%', 'no data'."""
    places = band_places(percent, (t.min_percent for t in framework.thresholds))
    return format_percent(percent, places)
