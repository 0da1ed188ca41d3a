"""Summary: one A4 landscape page for a board, about the group the workbook is for.

With `--team` the page is about the chosen team(s), with the whole authority beside it for
comparison; otherwise about the whole authority. Top to bottom:

- the title and what the workbook covers (period, what it is compared with, audits);
- headline sentences per group: its judgement distribution (n and %), the share judged
  good or better (in the scale's words) with
  its interval and change, percent met with its interval, n, band and change, each change
  said to be clear or to be possibly chance;
- percent met by section (with the authority's beside a team's), the chart beside it;
- the weakest questions across the page, then how to read the figures.

Body text is SUMMARY_SIZE points and the layout fits the page at full size, so even if a
client shrinks it to fit, nothing prints below 9 pt (the render test checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from audit_tui.domain.scoring import round_half_up
from audit_tui.export import styles
from audit_tui.export.book import ExportBook, Sheet
from audit_tui.export.sheets.charts import section_bars
from audit_tui.services.database_info import is_demo
from audit_tui.services.profile_schemas import Change, GroupProfile, PercentMet, Profile, Rate

TITLE = "Summary"
DEMO_TITLE = "DEMO DATA, MADE UP - "  # a workbook from the demo database says so at the top
PAGE_UNITS = 140  # characters of column width across the page at full size
GAP = 2
SECTION = 26
PCT, N, BAND, CMP = 12, 11, 19, 12


def _fmt_date(d: object) -> str:
    return f"{d.day} {d:%B %Y}"  # type: ignore[attr-defined]


def _pct(value: float | None) -> str:
    return "no data" if value is None else f"{round_half_up(value):.0f}%"


def _interval(r: Rate) -> str:
    if r.low is None or r.high is None:
        return ""
    return f"95% interval {round_half_up(r.low):.0f}-{round_half_up(r.high):.0f}%"


def change_words(ch: Change) -> str:
    """'+3.0 points on 2025-26 (may be chance)'; too few audits or no data said so."""
    if ch.points is None:
        return f"no figure to compare with {ch.previous_period}"
    # A true minus sign: a client may break a line after a hyphen.
    points = f"{round_half_up(ch.points, 1):+.1f}".replace("-", "\u2212")
    text = f"{points} points on {ch.previous_period}"
    if ch.too_few:
        return f"{text} (too few audits to compare)"
    return f"{text} ({ch.verdict})" if ch.verdict else text


def headline(p: Profile, g: GroupProfile) -> str:
    """A group's headline figures in two sentences, every figure with its n."""
    if g.audits == 0:
        return f"{g.name}: no finalised audits in {p.period.caption}."
    judged = ", ".join(f"{j.n} {j.label} ({_pct(j.percent)})" for j in g.judgements)
    gob, pm = g.good_or_better, g.percent_met
    few = " - too few audits: read with care" if g.too_few else ""
    first = f"{g.name}: {g.audits} audits{few}: {judged}."
    percent_met = (
        f"Percent met {pm.shown} ({_interval(pm)}; n = {pm.n} answers), "
        f"band {pm.band_label}, {change_words(g.change)}."
        if pm.percent is not None
        else "Percent met: no data (nothing applicable was answered)."
    )
    second = (
        f"{p.good_or_better_name} {_pct(gob.percent)} ({_interval(gob)}), "
        f"{change_words(g.good_or_better_change)}. {percent_met}"
    )
    return f"{first} {second}"


def summary_title(book: ExportBook) -> str:
    """The page title; the one place to mark the workbook (e.g. as demo data)."""
    p = book.profile
    who = f" - {', '.join(p.teams_selected)}" if p.teams_selected else " - whole authority"
    demo = DEMO_TITLE if is_demo(book.ctx) else ""
    return f"{demo}{p.framework_title}: board summary{who}, {p.period.caption}"


def scope_line(book: ExportBook) -> str:
    p, fw = book.profile, book.framework
    period, before = p.period, p.previous_period
    span = f"{_fmt_date(period.start)} to {_fmt_date(period.end)}"
    if period.to_date:
        span = f"{_fmt_date(period.start)} to date ({period.months} months so far)"
    teams = ", ".join(p.teams_selected) if p.teams_selected else f"all {len(p.teams)} teams"
    beside = " with the whole authority beside for comparison" if p.teams_selected else ""
    return (
        f"{span}, compared with {before.caption}. {p.scope_audits} finalised audits, "
        f"{teams}{beside}. {_versions(p, fw.id, fw.version)} Written "
        f"{book.generated_at.day} {book.generated_at:%B %Y %H:%M} by {book.ctx.actor}."
    )


def _versions(p: Profile, framework_id: str, version: str) -> str:
    """Which framework versions the period's audits were done on, with their counts."""
    if len(p.framework_versions) > 1:
        return (
            f"Framework {framework_id}, versions {p.versions_line} (each audit scored against "
            "its own version; questions matched by id, in the newest version's words)."
        )
    return f"Framework {framework_id} version {version}."


def definitions(book: ExportBook) -> list[str]:
    """How to read the figures: what each term means for this framework."""
    p, fw = book.profile, book.framework
    good = " or ".join(g.label for g in p.grades if g.code in p.good_or_better_codes)
    bands = ", ".join(
        f"{fw.judgements.label(t.judgement)} from {t.min_percent:g}%" for t in fw.thresholds
    )
    out = [
        f"How to read these figures. {p.good_or_better_name}: audits judged {good}, as a "
        "share of audits; n = audits.",
        f"Percent met: {p.percent_met_definition}. Bands: {bands}.",
        "95% intervals allow for answers on one case file being alike (Wilson's on the "
        "effective number of answers). A change is clear when its interval leaves out 0; "
        "otherwise it may be chance.",
        f"Too few audits: fewer than {p.small_sample} in a period - a change there may be "
        "chance, not a real rise or fall.",
        "Only finalised audits count; a moderated audit counts as agreed.",
    ]
    if p.period.to_date:
        out.append(
            f"{p.period.label} is still in progress ({p.period.months} months so far): it is "
            f"compared with the same months of {p.previous_period.label}, not the whole year."
        )
    return out


@dataclass
class _Columns:
    """Where things go. The section table from column A (section, then percent met, n and
    band per subject, then the comparison), a gap, and a block on the right for the chart
    whose last three columns are figure columns again; the weakest questions run across the
    page, their figures in the last three columns. With no room on the right (several teams
    chosen) the chart goes below."""

    widths: list[float]
    left: int  # columns of the section table
    right_first: int  # first column of the chart block (0: none)

    @property
    def total(self) -> int:
        return len(self.widths)


def _columns(subjects: int, compare: bool) -> _Columns:
    left = [SECTION] + [PCT, N, BAND] * subjects + ([CMP] if compare else [])
    room = PAGE_UNITS - sum(left) - GAP
    # The chart needs about 45 characters; the weakest questions' figures take the last three
    # columns of its block.
    if room >= 45:
        right = [room - PCT - N - BAND, PCT, N, BAND]
        return _Columns([*left, GAP, *right], len(left), len(left) + 2)
    return _Columns(left, len(left), 0)


def write_summary(book: ExportBook) -> None:
    p = book.profile
    subjects = p.teams if p.teams_selected else [p.authority]
    compare = p.authority if p.teams_selected else None
    cols = _columns(len(subjects), compare is not None)
    sheet = book.sheet(TITLE)
    sheet.setup(cols.widths, kind="summary")
    full = cols.total

    note = sheet.style(font=styles.S_BODY_FONT, alignment=styles.WRAP)
    sub = sheet.style(font=styles.S_SUBTITLE_FONT)
    sheet.append([sheet.cell(summary_title(book), sheet.style(font=styles.S_TITLE_FONT))])
    sheet.append([sheet.cell(scope_line(book), note)], spans={1: full})
    sheet.append([], height=5)
    sheet.append([sheet.cell("Headline figures", sub)])
    for g in [*subjects, *([compare] if compare else [])]:
        sheet.append([sheet.cell(headline(p, g), note)], spans={1: full})
    sheet.append([], height=5)

    # Percent met by section, with its chart beside it.
    first_section_row = sheet.row + 1
    heights = []
    for values, spans in _section_rows(sheet, p, subjects, compare):
        sheet.append(values, spans=spans)
        heights.append(sheet.ws.row_dimensions[sheet.row].height)
    header_row = first_section_row + 1
    last_section = sheet.row
    value_cols = [2 + 3 * i for i in range(len(subjects))]
    titles = [g.name for g in subjects]
    if compare is not None:
        value_cols.append(2 + 3 * len(subjects))
        titles.append(compare.name)
    # The chart beside the table, or when there is no room beside it (several teams), below
    # everything else.
    chart: dict[str, Any] = {}
    if cols.right_first:
        chart = {
            "anchor": f"{get_column_letter(cols.right_first)}{first_section_row}",
            "width": _cm(sheet.width(cols.right_first, full - cols.right_first + 1) * CHAR_POINTS),
            "height": _cm(sum(heights)),
        }
    sheet.append([], height=5)

    # The weakest questions across the page, then how to read the figures.
    for values, spans in _weakest_rows(sheet, p, subjects, full):
        sheet.append(values, spans=spans)
    sheet.append([], height=5)
    sheet.append([sheet.cell(" ".join(definitions(book)), note)], spans={1: full})
    if not cols.right_first:
        chart = {"anchor": f"A{sheet.row + 2}", "width": _cm(sheet.width(1, full) * CHAR_POINTS)}
    section_bars(
        sheet,
        f"Percent met by section, {p.period.caption}",
        header_row + 1,
        last_section,
        value_cols,
        chart.pop("anchor"),
        titles=titles,
        **chart,
    )


CHAR_POINTS = 5.25  # points per character of column width


def _cm(points: float) -> float:
    return round(points / 28.35, 2)


Row = tuple[list[Any], dict[int, int]]


def _section_rows(
    sheet: Sheet, p: Profile, subjects: Sequence[GroupProfile], compare: GroupProfile | None
) -> list[Row]:
    sub = sheet.style(font=styles.S_SUBTITLE_FONT)
    body = sheet.style(font=styles.S_BODY_FONT, alignment=styles.WRAP)
    head = sheet.style(
        font=styles.S_HEADER_FONT, fill=styles.HEADER_FILL, alignment=styles.HEADER_ALIGN
    )
    beside = f" beside the {compare.name.lower()}" if compare is not None else ""
    names = ", ".join(g.name for g in subjects)
    rows: list[Row] = [([sheet.cell(f"Percent met by section: {names}{beside}", sub)], {})]
    header = [sheet.cell("Section", head)]
    for g in subjects:
        who = "" if len(subjects) == 1 else f"{g.name}: "
        header += [
            sheet.cell(f"{who}Percent met", head),
            sheet.cell("n (answers)", head),
            sheet.cell("Band", head),
        ]
    if compare is not None:
        header.append(sheet.cell(compare.name, head))
    rows.append((header, {}))
    for i, s in enumerate(p.sections):
        row = [sheet.cell(s.title, body)]
        for g in subjects:
            pm = g.sections[i].percent_met
            row += _figure(sheet, pm)
        if compare is not None:
            row.append(
                sheet.percent(
                    compare.sections[i].percent_met, banded=False, font=styles.S_BODY_FONT
                )
            )
        rows.append((row, {}))
    return rows


def _figure(sheet: Sheet, pm: PercentMet) -> list[Any]:
    body = sheet.style(font=styles.S_BODY_FONT, alignment=styles.TOP)
    return [
        sheet.percent(pm, font=styles.S_BODY_FONT),
        sheet.cell(pm.n, body),
        sheet.band(pm, font=styles.S_BODY_FONT),
    ]


def _weakest_rows(
    sheet: Sheet, p: Profile, subjects: Sequence[GroupProfile], columns: int
) -> list[Row]:
    """Each subject's weakest questions across `columns` columns: the text, then percent
    met, n and band in the last three."""
    sub = sheet.style(font=styles.S_SUBTITLE_FONT)
    body = sheet.style(font=styles.S_BODY_FONT, alignment=styles.WRAP)
    head = sheet.style(
        font=styles.S_HEADER_FONT, fill=styles.HEADER_FILL, alignment=styles.HEADER_ALIGN
    )
    per = 5 if len(subjects) == 1 else 3
    text_span = columns - 3
    rows: list[Row] = []
    for g in subjects:
        title = f"Weakest questions: {g.name} (at least {p.min_answers} scored answers)"
        rows.append(([sheet.cell(title, sub)], {}))
        rows.append(
            (
                [sheet.cell("Question", head)]
                + [sheet.cell(None, head)] * (text_span - 1)
                + [
                    sheet.cell("Percent met", head),
                    sheet.cell("n (answers)", head),
                    sheet.cell("Band", head),
                ],
                {1: text_span},
            )
        )
        for f in g.weakest[:per]:
            rows.append(
                (
                    [sheet.cell(f"{f.question_id} {f.text}", body)]
                    + [None] * (text_span - 1)
                    + _figure(sheet, f.percent_met),
                    {1: text_span},
                )
            )
        if not g.weakest:
            text = f"No question has {p.min_answers} or more scored answers."
            rows.append(([sheet.cell(text, body)], {1: columns}))
    return rows
