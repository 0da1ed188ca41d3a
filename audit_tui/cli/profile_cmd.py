"""`audit-tui profile`: team quality profiles as a readable table, or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeGuard

import click

from audit_tui.cli.common import (
    app_context,
    framework_option,
    period_option,
    teams_option,
)
from audit_tui.domain.defaults import MAX_TREND
from audit_tui.domain.text import printable
from audit_tui.i18n import N_, _

if TYPE_CHECKING:
    from audit_tui.export.words import Words
    from audit_tui.services.profile_schemas import Change, GroupProfile, PercentMet, Profile, Rate

NAME_WIDTH = 30
CELL_WIDTH = 18


def format_percent(percent: float | None) -> str:
    # Imported when used: domain.scoring loads the framework models, and `audit-tui --help`
    # stays light.
    from audit_tui.domain.scoring import format_percent

    return format_percent(percent)


def round_half_up(value: float, places: int = 0) -> float:
    from audit_tui.domain.scoring import round_half_up

    return round_half_up(value, places)


def _safe(text: str) -> str:
    """User text on one line with no control characters (no terminal escapes)."""
    return " ".join(printable(text).split())


def _interval(r: Rate | PercentMet) -> str:
    if r.percent is None or r.low is None or r.high is None:
        return _("no data")
    low, high = round_half_up(r.low), round_half_up(r.high)
    # A percent met is shown as its band needs it (74.6%, not 75% beside Requires improvement).
    shown = getattr(r, "shown", None) or format_percent(r.percent)
    return f"{shown} [{low:.0f}-{high:.0f}] n={r.n}"


def _short(p: Profile, band: str | None, words: Words | None = None) -> str:
    """A band as short as the scale writes it: 'Good', 'RI'; in another language, the
    grade's own words shortened as the scale shortens a long label ('Da', 'RhGS')."""
    if band is not None and _foreign(words):
        from audit_tui.domain.scales import short_label

        return short_label(words.grade(band))
    return next((g.short for g in p.grades if g.code == band), "-")


def _foreign(words: Words | None) -> TypeGuard[Words]:
    """The framework's words are wanted in another language than the profile's English."""
    from audit_tui import i18n

    return words is not None and words.lang != i18n.DEFAULT


def _cell(p: Profile, pm: PercentMet, words: Words | None = None) -> str:
    if pm.percent is None:
        return _("no data")
    return f"{pm.shown} n={pm.n} {_short(p, pm.band, words)}"


def _change(ch: Change) -> str:
    if ch.points is None:
        return "-"
    flag = " *" if ch.too_few else ""
    verdict = f" {ch.verdict_words}" if ch.verdict else ""
    return (
        _("{points} pts{verdict} ({current} vs {previous} audits)").format(
            points=f"{ch.points:+.1f}",
            verdict=verdict,
            current=ch.audits_current,
            previous=ch.audits_previous,
        )
        + flag
    )


def _name(g: GroupProfile, width: int = NAME_WIDTH, words: Words | None = None) -> str:
    shown = words.group(g.name) if _foreign(words) else g.name
    name = _safe(shown) + (" *" if g.too_few else "")
    return name if len(name) <= width else name[: width - 1] + "…"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(head: list[str], rows: list[list[str]], first_width: int = NAME_WIDTH) -> list[str]:
    widths = [first_width] + [max(len(r[i]) for r in [head, *rows]) for i in range(1, len(head))]
    out = []
    for r in [head, *rows]:
        cells = [_fit(r[0], widths[0]).ljust(widths[0])]
        cells += [
            c.rjust(w) if c.isdigit() else c.ljust(w)
            for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    return out


@dataclass(frozen=True)
class _Say:
    """The framework's words for the table: the profile's own (English), or `w`'s in the
    run's language (None: English)."""

    p: Profile
    w: Words | None

    def title(self) -> str:
        return self.w.text(self.w.framework.title) if self.w else self.p.framework_title

    def grade(self, code: str, label: str) -> str:
        return self.w.grade(code) if self.w else label

    def good_or_better(self) -> str:
        return self.w.good_or_better() if self.w else self.p.good_or_better_name

    def band(self, pm: PercentMet) -> str:
        return self.w.band(pm) if self.w else pm.band_label

    def section(self, section_id: str, title: str) -> str:
        return self.w.section(section_id, title) if self.w else title

    def group(self, name: str) -> str:
        return self.w.group(name) if self.w else name

    def question(self, question_id: str, text: str) -> str:
        return self.w.question(question_id, text) if self.w else text

    def answer(self, question_id: str, code: str, label: str) -> str:
        return self.w.answer(question_id, code, label) if self.w else label


def render_profile(p: Profile, words: Words | None = None) -> str:
    """The profile as text. `words`: the framework's words in the run's language (grades,
    sections, questions, answers, the whole authority); None or English: the profile's own."""
    groups = p.groups
    period = p.period
    w = words if _foreign(words) else None
    say = _Say(p, w)
    grades = [(_short(p, g.code, w), say.grade(g.code, g.label)) for g in p.grades]
    legend = ", ".join(f"{short} = {label}" if short != label else label for short, label in grades)
    title = say.title()
    from audit_tui.export.periods import period_caption

    out = [
        f"{title} ({p.framework_id} {p.framework_version}): "
        + _("{period} ({start} to {end})").format(
            period=period_caption(period), start=period.start, end=period.end
        ),
        _("Finalised audits only; where an audit was moderated, the agreed answers count."),
        _(
            "n = scored answers (not applicable left out); [95% interval, allowing for answers "
            "being alike within an audit]; a change is 'clear' when its 95% interval leaves out "
            "0; * = fewer than {n} audits, read with care."
        ).format(n=p.small_sample),
        _("Bands: {legend}.").format(legend=legend),
    ]
    if len(p.framework_versions) > 1:
        # A period mixing versions says so: each audit is scored against its own version.
        out.append(
            _("Framework versions in this period: {versions}.").format(versions=p.versions_line)
        )
    out.append("")
    out += _table(
        [
            "",
            _("AUDITS"),
            say.good_or_better().upper(),
            _("PERCENT MET"),
            _("BAND"),
            _("CHANGE VS {period}").format(period=period_caption(p.previous_period).upper()),
        ],
        [
            [
                _name(g, words=w),
                str(g.audits),
                _interval(g.good_or_better),
                _interval(g.percent_met),
                say.band(g.percent_met),
                _change(g.change),
            ]
            for g in groups
        ],
    )
    out += ["", _("Percent met by section (n = scored answers, band)"), ""]
    out += _table(
        [_("SECTION"), *(_name(g, CELL_WIDTH, w) for g in groups)],
        [
            [
                say.section(s.id, s.title),
                *(_cell(p, g.sections[i].percent_met, w) for g in groups),
            ]
            for i, s in enumerate(p.sections)
        ],
    )
    out += ["", _("Trend: percent met (audits) per period"), ""]
    out += _table(
        ["", *(t.label for t in p.trend_periods)],
        [
            [
                _name(g, words=w),
                *(
                    f"{format_percent(t.percent_met.percent)} ({t.audits}{'*' if t.too_few else ''})"
                    if t.audits
                    else _("no audits")
                    for t in g.trend
                ),
            ]
            for g in groups
        ],
    )
    # Per team only when teams were chosen: for every team it would bury the table above.
    for g in groups if p.teams_selected else [p.authority]:
        if not g.weakest:
            continue
        out += [
            "",
            _("Weakest questions: {group} (at least {n} scored answers)").format(
                group=_safe(say.group(g.name)), n=p.min_answers
            ),
        ]
        for f in g.weakest:
            text = say.question(f.question_id, f.text)
            out.append(f"  {_cell(p, f.percent_met, w):<20} {f.question_id}  {_fit(text, 80)}")
            for n in f.notes[:3]:
                note = _fit(" ".join(n.note.split()), 70)
                answer = say.answer(f.question_id, n.answer, n.answer_label)
                out.append(
                    f'  {"":<20}   {answer}: "{note}" '
                    f"({n.case_reference}, {n.team}, {n.audit_date})"
                )
    return "\n".join(out)


@click.command("profile")
@framework_option
@period_option
@teams_option
@click.option(
    "--json", "as_json", is_flag=True, help=N_("JSON (its shape is documented in the README).")
)
@click.option(
    "--trend",
    type=click.IntRange(1, MAX_TREND),
    default=4,
    show_default=True,
    help=N_("Periods in the trend, ending with this one."),
)
@click.option(
    "--weakest",
    type=click.IntRange(1, 50),
    default=5,
    show_default=True,
    help=N_("Weakest questions to list, with the notes behind them."),
)
def profile(
    framework_id: str | None,
    period: str | None,
    teams: tuple[str, ...],
    as_json: bool,
    trend: int,
    weakest: int,
) -> None:
    """Quality profile per team and for the whole authority: percent met by section with n,
    judgements, change on the previous period, trend and the weakest questions."""
    from audit_tui import i18n
    from audit_tui.export.words import Words
    from audit_tui.services import framework_choice, profiles

    ctx = app_context()
    fw_id = framework_choice.in_use(ctx, framework_id).id
    chosen = profiles.resolve_period(ctx, period)
    result = profiles.profile(ctx, fw_id, chosen, list(teams) or None, trend=trend, weakest=weakest)
    if as_json:  # data, not prose: its words stay the framework's English, as documented
        click.echo(result.model_dump_json(indent=2))
    else:
        # The newest version the period's audits were done on, as the workbook takes it.
        fw = profiles.versions_in(ctx, fw_id, chosen).newest
        click.echo(render_profile(result, Words(fw, i18n.current())))


def register(cli: click.Group) -> None:
    cli.add_command(profile)
