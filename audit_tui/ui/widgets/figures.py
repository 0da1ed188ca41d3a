"""Profile figures as cells of text: percent met with its n and band, a trend as block letters.

Nothing is said by colour alone: the band is always written (abbreviated when long, with a
legend), "no data" is written, and a group with too few audits says so in words. Colours are
theme variables, blue for the better bands and orange/red for the weaker, so the common forms
of colour blindness still tell them apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content

from audit_tui.services.profile_schemas import Change, Grade, PercentMet

BLOCKS = "▁▂▃▄▅▆▇█"
NO_DATA = "no data"
# In table cells: "$text-muted" is worked out against the widget background, which a
# DataTable cell does not give it (it comes out black on the dark themes).
MUTED = "italic $foreground-muted"
MIN_SPAN = 10.0  # points: a trend never fills the whole height for a one-point wobble


def short_band(grades: Sequence[Grade], code: str | None) -> str:
    """A band where space is short, in the scale's own words: 'Good' stays 'Good'; a long
    label is its `short` ('RI'), as the framework gives it or as initials."""
    if code is None:
        return NO_DATA
    return next((g.short for g in grades if g.code == code), code)


def band_legend(grades: Sequence[Grade]) -> str:
    """'RI = Requires improvement · RSI = ...' for the grades written short."""
    return " · ".join(f"{g.short} = {g.label}" for g in grades if g.short != g.label)


def band_style(grades: Sequence[Grade], band: str | None) -> str:
    """Theme colour for a band by its rank on the scale (best first)."""
    codes = [g.code for g in grades]
    if band is None or band not in codes:
        return MUTED
    if len(codes) == 1:
        return "$text-primary"
    rank = codes.index(band) / (len(codes) - 1)
    if rank == 0:
        return "bold $text-primary"
    if rank < 0.5:
        return "$text-primary"
    if rank < 1:
        return "$text-warning"
    return "bold $text-error"


def too_few_text(limit: int) -> str:
    return f"(<{limit} audits)"


def band_text(fig: PercentMet, grades: Sequence[Grade]) -> str:
    """'Good 78%', 'RI 74.6%' (the figure agrees with its band: PercentMet.places)."""
    return f"{short_band(grades, fig.band)} {fig.shown}"


def percent_text(fig: PercentMet, grades: Sequence[Grade]) -> str:
    """'Good 78% n=42' - or 'no data', never 0%."""
    if fig.percent is None:
        return NO_DATA
    return f"{band_text(fig, grades)} n={fig.n}"


def figure_cell(
    fig: PercentMet, grades: Sequence[Grade], *, too_few: bool = False, limit: int = 5
) -> Content:
    if fig.percent is None:
        return Content.styled(NO_DATA, MUTED)
    text = percent_text(fig, grades)
    if too_few:
        text += f" {too_few_text(limit)}"
    return Content.styled(text, band_style(grades, fig.band))


def points_text(points: float | None) -> str:
    """'▲ +3.2 pts' / '▼ -4.0 pts' (arrow and sign); 'no data' when either side has none."""
    if points is None:
        return NO_DATA
    if abs(points) < 0.05:
        return "= 0.0 pts"
    return f"{'▲' if points > 0 else '▼'} {points:+.1f} pts"


def change_text(change: Change) -> str:
    return points_text(change.points)


def sparkline(values: Sequence[float | None], low: float, high: float) -> str:
    """One block letter per value between `low` and `high`; '·' where there is no data."""
    span = max(high - low, 1e-9)
    out = []
    for v in values:
        if v is None:
            out.append("·")
            continue
        level = round((v - low) / span * (len(BLOCKS) - 1))
        out.append(BLOCKS[min(max(level, 0), len(BLOCKS) - 1)])
    return "".join(out)


def sparkline_range(series: Iterable[Sequence[float | None]]) -> tuple[float, float]:
    """One scale for every trend on screen (so shapes compare), at least MIN_SPAN points."""
    values = [v for s in series for v in s if v is not None]
    if not values:
        return 0.0, 100.0
    low, high = min(values), max(values)
    if high - low < MIN_SPAN:
        middle = (high + low) / 2
        low, high = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    return max(low, 0.0), min(high, 100.0)
