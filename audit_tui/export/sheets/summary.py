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
from audit_tui.export.periods import months, period_caption
from audit_tui.export.sheets.charts import section_bars
from audit_tui.export.words import Words
from audit_tui.i18n import N_, _, format_date, format_number, format_percent, ngettext
from audit_tui.services.database_info import is_demo
from audit_tui.services.profile_schemas import Change, GroupProfile, PercentMet, Profile, Rate

TITLE = N_("Summary")
# A workbook from the demo database says so at the top.
DEMO_TITLE = N_("DEMO DATA, MADE UP - ")
PAGE_UNITS = 140  # characters of column width across the page at full size
GAP = 2
SECTION = 26
PCT, N, BAND, CMP = 12, 11, 19, 12


def _pct(value: float | None) -> str:
    return _("no data") if value is None else format_percent(round_half_up(value))


def _interval(r: Rate) -> str:
    if r.low is None or r.high is None:
        return ""
    return _("95% interval {low}-{high}").format(
        low=format_number(round_half_up(r.low), 0), high=format_percent(round_half_up(r.high))
    )


def change_words(ch: Change) -> str:
    """'+3.0 points on 2025-26 (may be chance)'; too few audits or no data said so."""
    if ch.points is None:
        return _("no figure to compare with {period}").format(period=ch.previous_period)
    # A true minus sign: a client may break a line after a hyphen.
    sign = "+" if ch.points >= 0 else "\u2212"
    points = sign + format_number(abs(round_half_up(ch.points, 1)), 1)
    text = _("{points} points on {period}").format(points=points, period=ch.previous_period)
    if ch.too_few:
        return _("{change} (too few audits to compare)").format(change=text)
    if not ch.verdict:
        return text
    return f"{text} ({ch.verdict_words})"


def headline(p: Profile, g: GroupProfile, words: Words) -> str:
    """A group's headline figures in two sentences, every figure with its n."""
    name = words.group(g.name)
    if g.audits == 0:
        return _("{group}: no finalised audits in {period}.").format(
            group=name, period=period_caption(p.period)
        )
    judged = ", ".join(f"{j.n} {words.grade(j.code)} ({_pct(j.percent)})" for j in g.judgements)
    gob, pm = g.good_or_better, g.percent_met
    audits = ngettext("{n} audit", "{n} audits", g.audits).format(n=g.audits)
    if g.too_few:
        audits += _(" - too few audits: read with care")
    first = f"{name}: {audits}: {judged}."
    percent_met = (
        _("Percent met {percent} ({interval}; n = {n} answers), band {band}, {change}.").format(
            percent=format_percent(pm.percent, pm.places),
            interval=_interval(pm),
            n=pm.n,
            band=words.band(pm),
            change=change_words(g.change),
        )
        if pm.percent is not None
        else _("Percent met: no data (nothing applicable was answered).")
    )
    second = (
        f"{words.good_or_better()} {_pct(gob.percent)} ({_interval(gob)}), "
        f"{change_words(g.good_or_better_change)}. {percent_met}"
    )
    return f"{first} {second}"


def summary_title(book: ExportBook) -> str:
    """The page title; the one place to mark the workbook (e.g. as demo data)."""
    p = book.profile
    who = ", ".join(p.teams_selected) if p.teams_selected else _("whole authority")
    demo = _(DEMO_TITLE) if is_demo(book.ctx) else ""
    return demo + _("{framework}: board summary - {who}, {period}").format(
        framework=book.words.text(book.framework.title), who=who, period=period_caption(p.period)
    )


def scope_line(book: ExportBook) -> str:
    p, fw = book.profile, book.framework
    period, before = p.period, p.previous_period
    span = _("{start} to {end}").format(
        start=format_date(period.start), end=format_date(period.end)
    )
    if period.to_date:
        span = _("{start} to date ({months} so far)").format(
            start=format_date(period.start), months=months(period.months or 0)
        )
    if p.teams_selected:
        teams = _("{teams} with the whole authority beside for comparison").format(
            teams=", ".join(p.teams_selected)
        )
    else:
        teams = _("all {n} teams").format(n=len(p.teams))
    audits = ngettext("{n} finalised audit", "{n} finalised audits", p.scope_audits).format(
        n=format_number(p.scope_audits)
    )
    return _(
        "{span}, compared with {before}. {audits}, {teams}. {versions} Written {date} {time} "
        "by {actor}."
    ).format(
        span=span,
        before=period_caption(before),
        audits=audits,
        teams=teams,
        versions=_versions(p, fw.id, fw.version),
        date=format_date(book.generated_at),
        time=f"{book.generated_at:%H:%M}",
        actor=book.ctx.actor,
    )


def _versions(p: Profile, framework_id: str, version: str) -> str:
    """Which framework versions the period's audits were done on, with their counts."""
    if len(p.framework_versions) > 1:
        return _(
            "Framework {framework}, versions {versions} (each audit scored against its own "
            "version; questions matched by id, in the newest version's words)."
        ).format(framework=framework_id, versions=p.versions_line)
    return _("Framework {framework} version {version}.").format(
        framework=framework_id, version=version
    )


def definitions(book: ExportBook) -> list[str]:
    """How to read the figures: what each term means for this framework."""
    p, fw, words = book.profile, book.framework, book.words
    good = _(" or ").join(words.grade(g.code) for g in p.grades if g.code in p.good_or_better_codes)
    bands = ", ".join(
        _("{grade} from {percent}").format(
            grade=words.grade(t.judgement),
            percent=format_percent(t.min_percent, 1 if t.min_percent % 1 else 0),
        )
        for t in fw.thresholds
    )
    out = [
        _(
            "How to read these figures. {good_or_better}: audits judged {grades}, as a share "
            "of audits; n = audits."
        ).format(good_or_better=words.good_or_better(), grades=good),
        _("Percent met: {definition}. Bands: {bands}.").format(
            definition=percent_met_definition(book), bands=bands
        ),
        _(
            "95% intervals allow for answers on one case file being alike (Wilson's on the "
            "effective number of answers). A change is clear when its interval leaves out 0; "
            "otherwise it may be chance."
        ),
        _(
            "Too few audits: fewer than {n} in a period - a change there may be chance, not a "
            "real rise or fall."
        ).format(n=p.small_sample),
        _("Only finalised audits count; a moderated audit counts as agreed."),
    ]
    if p.period.to_date:
        out.append(
            _(
                "{period} is still in progress ({months} so far): it is compared with the same "
                "months of {before}, not the whole year."
            ).format(
                period=p.period.label,
                months=months(p.period.months or 0),
                before=p.previous_period.label,
            )
        )
    return out


def percent_met_definition(book: ExportBook) -> str:
    """The profile's definition (the framework's own words, in English) where the export is
    in English; in Welsh the general definition."""
    if book.lang == "en":
        return book.profile.percent_met_definition
    return _(
        "the share of the available points scored over the questions that applied, each "
        "weighted as the framework sets"
    )


@dataclass
class _Columns:
    """Where things go. The section table from column A (section, then percent met, n and
    band per subject, then the comparison), a gap, and a block on the right for the chart
    whose last three columns are figure columns again; the weakest questions run across the
    page, their figures in the last three columns. With no room on the right (several teams
    chosen) the chart goes below."""

    widths: Sequence[float]
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
    sheet = book.sheet(_(TITLE))
    sheet.setup(cols.widths, kind="summary")
    full = cols.total

    note = sheet.style(font=styles.S_BODY_FONT, alignment=styles.WRAP)
    sub = sheet.style(font=styles.S_SUBTITLE_FONT)
    sheet.append([sheet.cell(summary_title(book), sheet.style(font=styles.S_TITLE_FONT))])
    sheet.append([sheet.cell(scope_line(book), note)], spans={1: full})
    sheet.append([], height=5)
    sheet.append([sheet.cell(_("Headline figures"), sub)])
    for g in [*subjects, *([compare] if compare else [])]:
        sheet.append([sheet.cell(headline(p, g, book.words), note)], spans={1: full})
    sheet.append([], height=5)

    # Percent met by section, with its chart beside it.
    first_section_row = sheet.row + 1
    heights = []
    for values, spans in _section_rows(book, sheet, subjects, compare):
        sheet.append(values, spans=spans)
        heights.append(sheet.ws.row_dimensions[sheet.row].height)
    header_row = first_section_row + 1
    last_section = sheet.row
    value_cols = [2 + 3 * i for i in range(len(subjects))]
    titles = [book.words.group(g.name) for g in subjects]
    if compare is not None:
        value_cols.append(2 + 3 * len(subjects))
        titles.append(book.words.group(compare.name))
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
    for values, spans in _weakest_rows(book, sheet, subjects, full):
        sheet.append(values, spans=spans)
    sheet.append([], height=5)
    sheet.append([sheet.cell(" ".join(definitions(book)), note)], spans={1: full})
    if not cols.right_first:
        chart = {"anchor": f"A{sheet.row + 2}", "width": _cm(sheet.width(1, full) * CHAR_POINTS)}
    section_bars(
        sheet,
        _("Percent met by section, {period}").format(period=period_caption(p.period)),
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
    book: ExportBook,
    sheet: Sheet,
    subjects: Sequence[GroupProfile],
    compare: GroupProfile | None,
) -> list[Row]:
    p, words = book.profile, book.words
    sub = sheet.style(font=styles.S_SUBTITLE_FONT)
    body = sheet.style(font=styles.S_BODY_FONT, alignment=styles.WRAP)
    head = sheet.style(
        font=styles.S_HEADER_FONT, fill=styles.HEADER_FILL, alignment=styles.HEADER_ALIGN
    )
    names = ", ".join(words.group(g.name) for g in subjects)
    title = _("Percent met by section: {groups}").format(groups=names)
    if compare is not None:
        title = _("Percent met by section: {groups} beside the whole authority").format(
            groups=names
        )
    rows: list[Row] = [([sheet.cell(title, sub)], {})]
    header = [sheet.cell(_("Section"), head)]
    for g in subjects:
        who = "" if len(subjects) == 1 else f"{words.group(g.name)}: "
        header += [
            sheet.cell(who + _("Percent met"), head),
            sheet.cell(_("n (answers)"), head),
            sheet.cell(_("Band"), head),
        ]
    if compare is not None:
        header.append(sheet.cell(words.group(compare.name), head))
    rows.append((header, {}))
    for i, s in enumerate(p.sections):
        row = [sheet.cell(words.section(s.id, s.title), body)]
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
    book: ExportBook, sheet: Sheet, subjects: Sequence[GroupProfile], columns: int
) -> list[Row]:
    """Each subject's weakest questions across `columns` columns: the text, then percent
    met, n and band in the last three."""
    sub = sheet.style(font=styles.S_SUBTITLE_FONT)
    body = sheet.style(font=styles.S_BODY_FONT, alignment=styles.WRAP)
    head = sheet.style(
        font=styles.S_HEADER_FONT, fill=styles.HEADER_FILL, alignment=styles.HEADER_ALIGN
    )
    p, words = book.profile, book.words
    per = 5 if len(subjects) == 1 else 3
    text_span = columns - 3
    rows: list[Row] = []
    for g in subjects:
        title = _("Weakest questions: {group} (at least {n} scored answers)").format(
            group=words.group(g.name), n=p.min_answers
        )
        rows.append(([sheet.cell(title, sub)], {}))
        rows.append(
            (
                [sheet.cell(_("Question"), head)]
                + [sheet.cell(None, head)] * (text_span - 1)
                + [
                    sheet.cell(_("Percent met"), head),
                    sheet.cell(_("n (answers)"), head),
                    sheet.cell(_("Band"), head),
                ],
                {1: text_span},
            )
        )
        for f in g.weakest[:per]:
            rows.append(
                (
                    [sheet.cell(f"{f.question_id} {words.question(f.question_id, f.text)}", body)]
                    + [None] * (text_span - 1)
                    + _figure(sheet, f.percent_met),
                    {1: text_span},
                )
            )
        if not g.weakest:
            text = _("No question has {n} or more scored answers.").format(n=p.min_answers)
            rows.append(([sheet.cell(text, body)], {1: columns}))
    return rows
