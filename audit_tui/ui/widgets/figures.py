"""Profile figures as cells of text: percent met with its n and band, a trend as block letters,
and the areas (overall, a section, a question) the Profiles grid has a column for.

Nothing is said by colour alone: the band is always written (abbreviated when long, with a
legend), "no data" is written, and a group with too few audits says so in words. Colours are
theme variables, blue for the better bands and orange/red for the weaker, so the common forms
of colour blindness still tell them apart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual.content import Content

from audit_tui.domain.scoring import format_percent
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services.profile_schemas import (
    Change,
    Grade,
    GroupProfile,
    PercentMet,
    PeriodOut,
    Profile,
)

BLOCKS = "▁▂▃▄▅▆▇█"
NO_DATA = N_("no data")  # translated where shown
# In table cells: "$text-muted" is worked out against the widget background, which a
# DataTable cell does not give it (it comes out black on the dark themes).
MUTED = "italic $foreground-muted"
MIN_SPAN = 10.0  # points: a trend never fills the whole height for a one-point wobble
# Team names are shown whole (the team column stays put while the areas scroll sideways);
# area titles wrap in the column heading over at most HEADER_LINES lines of up to AREA_WIDTH.
AREA_WIDTH = 26
HEADER_LINES = 2
FIXED = ("group", "audits", "trend", "overall")  # the grid's columns before the areas


def short_band(grades: Sequence[Grade], code: str | None) -> str:
    """A band where space is short, in the scale's own words: 'Good' stays 'Good'; a long
    label is its `short` ('RI'), as the framework gives it or as initials."""
    if code is None:
        return _(NO_DATA)
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
    return "({})".format(_("<{n} audits").format(n=limit))


def band_text(fig: PercentMet, grades: Sequence[Grade]) -> str:
    """'Good 78%', 'RI 74.6%' (the figure agrees with its band: PercentMet.places)."""
    return f"{short_band(grades, fig.band)} {fig.shown}"


def percent_text(fig: PercentMet, grades: Sequence[Grade]) -> str:
    """'Good 78% n=42' - or 'no data', never 0%."""
    if fig.percent is None:
        return _(NO_DATA)
    return f"{band_text(fig, grades)} n={fig.n}"


def figure_cell(
    fig: PercentMet, grades: Sequence[Grade], *, too_few: bool = False, limit: int = 5
) -> Content:
    if fig.percent is None:
        return Content.styled(_(NO_DATA), MUTED)
    text = percent_text(fig, grades)
    if too_few:
        text += f" {too_few_text(limit)}"
    return Content.styled(text, band_style(grades, fig.band))


def points_text(points: float | None) -> str:
    """'▲ +3.2 pts' / '▼ -4.0 pts' (arrow and sign); 'no data' when either side has none."""
    if points is None:
        return _(NO_DATA)
    if abs(points) < 0.05:
        return "= " + _("{points} pts").format(points="0.0")
    return f"{'▲' if points > 0 else '▼'} " + _("{points} pts").format(points=f"{points:+.1f}")


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


@dataclass(frozen=True)
class Area:
    """A column of the grid (or a row block of the comparison): overall, a section or a
    question."""

    key: str  # "overall", "s:<section id>" or "q:<question id>"
    title: str

    @property
    def section_id(self) -> str | None:
        return self.key[2:] if self.key.startswith("s:") else None

    @property
    def question_id(self) -> str | None:
        return self.key[2:] if self.key.startswith("q:") else None


def figure_of(group: GroupProfile, area: Area) -> PercentMet:
    if area.section_id is not None:
        return group.section(area.section_id).percent_met
    if area.question_id is not None:
        return group.question(area.question_id).percent_met
    return group.percent_met


def heading(title: str) -> str:
    """An area's column heading: the whole title, wrapped to as few lines as fit (at most
    HEADER_LINES, each at most AREA_WIDTH wide where the words allow)."""
    width = 12
    lines = textwrap.wrap(title, width) or [title]
    while len(lines) > HEADER_LINES and width < AREA_WIDTH:
        width += 1
        lines = textwrap.wrap(title, width)
    return "\n".join(lines)


def plain_percent(value: float | None) -> str:
    """A percent with no band beside it (a share of audits, a change's ends): whole."""
    return format_percent(value)


def short_caption(p: PeriodOut) -> str:
    """A column header: the label, with the months when the figures cover part of it."""
    if p.months is None:
        return p.label
    return "{} ({})".format(p.label, _("{n} mo").format(n=p.months))


def figure_lines(prof: Profile, group: GroupProfile, area: Area) -> list[Content]:
    """The highlighted figure in words: what it is, its n, band and interval, the change."""
    fig = figure_of(group, area)
    title = area.title
    if area.question_id:
        q = next(q for q in prof.questions if q.id == area.question_id)
        critical = " " + _("(critical)") if q.critical else ""
        title = f"{q.id}{critical}: {q.text}"
    head = Content.assemble((group.name, "bold"), " · ", title)
    if fig.percent is None:
        body = Content(
            _("{no_data}: no scored answers ({n} answered, all N/A)").format(
                no_data=_(NO_DATA), n=fig.answered
            )
        )
    else:
        ci = (
            ", "
            + _("95% CI {low}-{high}% (allows for answers alike within an audit)").format(
                low=f"{fig.low:.0f}", high=f"{fig.high:.0f}"
            )
            if fig.low is not None and fig.high is not None
            else ""
        )
        body = Content.assemble(
            (_("{percent} met").format(percent=fig.shown), band_style(prof.grades, fig.band)),
            f"{ci} · {fig.band_label} · ",
            _("n={n} scored of {answered} answers").format(n=fig.n, answered=fig.answered),
            " · ",
            ngettext("{n} audit", "{n} audits", group.audits).format(n=group.audits),
        )
    lines = [head, body]
    change = None
    if area.key == "overall":
        change = group.change
    elif area.section_id is not None:
        change = group.section(area.section_id).change
    if change is not None:
        lines.append(
            Content(
                _("On {period}: {change}").format(
                    period=change.previous_period, change=change_text(change)
                )
                + (" " + change.verdict_words if change.verdict else "")
                + f" ({plain_percent(change.previous)} n={change.n_previous} -> "
                + f"{plain_percent(change.current)} n={change.n_current})"
            )
        )
    return lines
