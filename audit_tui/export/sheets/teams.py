"""Teams (team x section, then each team's judgement distribution with a stacked bar chart)
and Questions (question x team): percent met with n and its band in words beside the colour.

Both are wider than a page: they print at the board scale across pages, the team or
question columns repeated on each (export/printing.py).
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from audit_tui.export import styles
from audit_tui.export.book import ExportBook, Sheet
from audit_tui.export.periods import period_caption
from audit_tui.export.sheets.charts import judgement_bars
from audit_tui.i18n import _
from audit_tui.services.profile_schemas import Change, PercentMet

# A figure's columns: percent met, n, band. Narrow, so that eight teams or sections fit on
# two pages across at the wide scale; the group's name heads the three.
PCT, N, BAND = 7, 6, 13
# Characters of column width on one printed page across at the wide scale (A4 landscape less
# margins is 1,046 points at 75%; LibreOffice's columns are 5.55 points a character).
WIDE_PAGE = 180


def intro(book: ExportBook, what: str) -> list[str]:
    p = book.profile
    return [
        _(
            "{what}, {period}. n = scored answers (not applicable left out). '{too_few}' = "
            "fewer than {n} audits: read with care."
        ).format(
            what=what,
            period=period_caption(p.period),
            too_few=_("too few audits"),
            n=p.small_sample,
        ),
        _(
            "Each percent met is banded by the framework's judgement thresholds; the band is "
            "written beside its colour. 95% intervals allow for answers on one case file being "
            "alike (see the Summary); a change is clear when its interval leaves out 0."
        ),
    ]


def change_note(ch: Change) -> str:
    """What a change says, in words: clear or maybe chance, or why there is none."""
    if ch.points is None:
        return _("no figure to compare")
    if ch.too_few:
        return _("too few audits to compare")
    return ch.verdict_words


def figure(sheet: Sheet, pm: PercentMet) -> list[Any]:
    """Percent met on its band's colour, its n, and the band in words."""
    return [sheet.percent(pm), pm.n, sheet.band(pm)]


def write_teams(book: ExportBook) -> None:
    p = book.profile
    # At least 9 wide: the judgement table below (one column per team) shares them.
    words = book.words
    fixed = [
        (_("Team"), 24),
        (_("Audits"), 9),
        (_("Too few audits"), 9),
        (_("Percent met"), 9),
        (_("n (answers)"), 9),
        (_("Band"), BAND),
        (_("95% low"), 9),
        (_("95% high"), 9),
        (_("Change on {period} (points)").format(period=p.previous_period.label), 10),
        (_("Is the change clear?"), 11),
        (_("Audits compared with"), 9),
    ]
    widths = [w for _h, w in fixed] + [PCT, N, BAND] * len(p.sections)
    sheet = book.sheet(_("Teams"))
    lines = intro(book, _("Percent met by team and section"))
    sheet.setup(widths, freeze=f"B{len(lines) + 3}", scale=styles.WIDE_SCALE)
    for line in lines:
        sheet.note_row(line)
    sheet.group_header(
        [(_("Whole team"), len(fixed) - 1)]
        + [(words.section(s.id, s.title), 3) for s in p.sections],
        first=2,
    )
    sheet.header([h for h, _w in fixed] + ["%", "n", _("Band")] * len(p.sections), unique=False)
    # The table is short and wide: each page across holds its headers; the team names
    # are repeated at the left of each, and a page never splits a section's columns.
    sheet.ws.print_title_cols = "A:A"
    starts = [len(fixed) + 1 + 3 * i for i in range(len(p.sections))]
    breaks = sheet.column_breaks(starts, len(widths), WIDE_PAGE, sheet.width(1))
    pct = sheet.style(number_format=styles.PERCENT)
    pts = sheet.style(number_format=styles.POINTS)
    too_few = sheet.style(font=styles.TOO_FEW_FONT)
    for g in p.groups:
        pm, ch = g.percent_met, g.change
        row: list[Any] = [
            sheet.cell(
                words.group(g.name), sheet.style(font=styles.BOLD) if g.is_authority else None
            ),
            g.audits,
            sheet.cell(_("too few audits"), too_few) if g.too_few else "",
            sheet.percent(pm),
            pm.n,
            sheet.band(pm),
            sheet.cell(None if pm.low is None else pm.low / 100, pct),
            sheet.cell(None if pm.high is None else pm.high / 100, pct),
            sheet.cell(ch.points, pts),
            sheet.cell(change_note(ch), sheet.style(alignment=styles.WRAP)),
            ch.audits_previous,
        ]
        for s in g.sections:
            row += figure(sheet, s.percent_met)
        sheet.append(row)
    _judgements(book, sheet, breaks[0] if breaks else len(widths))


def _judgements(book: ExportBook, sheet: Sheet, page_end: int) -> None:
    """Each team's judgement distribution (n and %), the good-or-better share (in the scale's
    words) with its interval and change beside the change in percent met, and a stacked bar
    chart.

    One column per team (the teams across, the measures down), so the table fits the first
    printed page whatever the number of grades."""
    p, words = book.profile, book.words
    groups = p.groups
    sheet.page_break()  # the table and its chart on a page of their own
    sheet.title_row(_("Judgements by team (audits)"), styles.SUBTITLE_FONT)
    sheet.note_row(
        _(
            "n and % of the team's audits given each judgement (the moderated judgement where "
            "there is one). {good_or_better}: {judged}. Changes are on {period}; a change is "
            "clear when its 95% interval leaves out 0."
        ).format(
            good_or_better=words.good_or_better(),
            judged=_good(book),
            period=period_caption(p.previous_period),
        )
    )
    header_row = sheet.header([_("Team"), *(words.group(g.name) for g in groups)], unique=False)
    pct = sheet.style(number_format=styles.PERCENT)
    pts = sheet.style(number_format=styles.POINTS)
    label = sheet.style(font=styles.BOLD, alignment=styles.WRAP)
    wrap = sheet.style(alignment=styles.WRAP)

    def row(name: str, values: list[Any]) -> int:
        return sheet.append([sheet.cell(name, label), *values])

    row(_("Audits"), [g.audits for g in groups])
    first_n = sheet.row + 1
    for i, grade in enumerate(p.grades):
        name = words.grade(grade.code)
        row(f"{name}: n", [g.judgements[i].n for g in groups])
        row(
            f"{name}: %",
            [sheet.percent(g.judgements[i].percent, banded=False) for g in groups],
        )
    gob_name = words.good_or_better()
    row(gob_name, [sheet.percent(g.good_or_better.percent, banded=False) for g in groups])
    row(
        _("{measure}: 95% low").format(measure=gob_name),
        [sheet.cell(_hundredth(g.good_or_better.low), pct) for g in groups],
    )
    row(
        _("{measure}: 95% high").format(measure=gob_name),
        [sheet.cell(_hundredth(g.good_or_better.high), pct) for g in groups],
    )
    row(
        _("Change in {measure} (points)").format(measure=gob_name[:1].lower() + gob_name[1:]),
        [sheet.cell(g.good_or_better_change.points, pts) for g in groups],
    )
    row(_("Change in percent met (points)"), [sheet.cell(g.change.points, pts) for g in groups])
    row(
        _("{measure}: clear change?").format(measure=gob_name),
        [sheet.cell(change_note(g.good_or_better_change), wrap) for g in groups],
    )
    row(
        _("Percent met: clear change?"),
        [sheet.cell(change_note(g.change), wrap) for g in groups],
    )
    # The chart beside the table, on the same page: from two columns after it to the page's
    # first break.
    first_col = len(groups) + 3
    height = sum(sheet.ws.row_dimensions[r].height or 15 for r in range(header_row, sheet.row + 1))
    judgement_bars(
        sheet,
        _("Judgements by team, {period} (share of audits)").format(period=period_caption(p.period)),
        header_row,
        [first_n + 2 * i for i in range(len(p.grades))],  # the n rows: stacked as shares
        len(groups),
        f"{get_column_letter(first_col)}{header_row}",
        titles=[words.grade(g.code) for g in p.grades],
        width=sheet.width(first_col, page_end - first_col + 1) * 5.25 * 0.97 / 28.35,
        height=height / 28.35,
        text_size=11,  # 8.25 pt on paper at the wide scale
    )


def _hundredth(v: float | None) -> float | None:
    return None if v is None else v / 100


def _good(book: ExportBook) -> str:
    p = book.profile
    good = _(" or ").join(
        book.words.grade(g.code) for g in p.grades if g.code in p.good_or_better_codes
    )
    return _("judged {grades}").format(grades=good)


def write_questions(book: ExportBook) -> None:
    p = book.profile
    groups = p.groups
    words = book.words
    fixed = [(_("Section"), 14), (_("Question id"), 10), (_("Question"), 44), (_("Critical"), 7)]
    reference = [(_("Source"), 40), (_("What good looks like"), 80)]
    widths = [w for _h, w in fixed] + [PCT, N, BAND] * len(groups) + [w for _h, w in reference]
    sheet = book.sheet(_("Questions"))
    lines = intro(book, _("Percent met by question and team"))
    lines.append(
        _(
            "The source each question cites and what good looks like are in the last two "
            "columns, left out of the printed pages (the Findings sheet prints them for the "
            "weakest questions)."
        )
    )
    sheet.setup(widths, freeze=f"D{len(lines) + 3}", scale=styles.WIDE_SCALE)
    for line in lines:
        sheet.note_row(line)
    sheet.group_header([(words.group(g.name), 3) for g in groups], first=len(fixed) + 1)
    sheet.header(
        [h for h, _w in fixed] + ["%", "n", _("Band")] * len(groups) + [h for h, _w in reference],
        unique=False,
    )
    header_row = sheet.row
    sheet.print_titles(f"{header_row - 1}:{header_row}", "B:C")
    starts = [len(fixed) + 1 + 3 * i for i in range(len(groups))]
    sheet.column_breaks(starts, len(fixed) + 3 * len(groups), WIDE_PAGE, sheet.width(2, 2))
    last_figure = get_column_letter(len(fixed) + 3 * len(groups))
    wrap = sheet.style(alignment=styles.WRAP)
    section_title = {s.id: words.section(s.id, s.title) for s in p.sections}
    figures = {g.name: {q.question_id: q.percent_met for q in g.questions} for g in groups}
    for q in p.questions:
        row: list[Any] = [
            sheet.cell(section_title.get(q.section_id, q.section_id), wrap),
            sheet.cell(q.id),
            sheet.cell(words.question(q.id, q.text), wrap),
            _("critical") if q.critical else "",
        ]
        for g in groups:
            row += figure(sheet, figures[g.name][q.id])
        row += [sheet.cell(q.citation), sheet.cell(words.guidance(q.id, q.good))]
        sheet.append(row)
    sheet.ws.print_area = f"A1:{last_figure}{sheet.row}"
