"""Trend: percent met per team per period with a line chart, the n and audits behind each
figure, and the whole authority's judgement distribution per period.

The percentages here are not band-coloured: the trend is about movement, and the bands are
on the Teams and Questions sheets, each written beside its colour. A period still in
progress is labelled "to date (N months)".
"""

from __future__ import annotations

from audit_tui.export import styles
from audit_tui.export.book import ExportBook, Sheet
from audit_tui.export.periods import period_caption
from audit_tui.export.sheets.charts import trend_lines
from audit_tui.i18n import _
from audit_tui.services.profile_schemas import GroupProfile

# Rows left under the chart so it prints with the sheet (the chart is 13 cm tall).
CHART_ROWS = 26


def write_trend(book: ExportBook) -> None:
    p = book.profile
    groups = p.groups
    periods = [period_caption(t) for t in p.trend_periods]
    names = [book.words.group(g.name) for g in groups]
    sheet = book.sheet(_("Trend"))
    sheet.setup([24] + [11] * max(len(groups), 2 * len(p.grades) + 4), freeze="B1")
    sheet.title_row(
        _("Percent met per period, {first} to {last}").format(first=periods[0], last=periods[-1])
    )
    sheet.note_row(
        _(
            "Each figure's n is in the tables below. Periods with too few audits (fewer than "
            "{n}) are marked '*' in the audits table: read with care."
        ).format(n=p.small_sample)
    )
    sheet.print_titles("1:1")
    period = _("Period")

    header_row = sheet.header([period, *names])
    for i, label in enumerate(periods):
        sheet.append(
            [sheet.cell(label)]
            + [sheet.percent(g.trend[i].percent_met, banded=False) for g in groups]
        )
    last = sheet.row
    sheet.table("TrendPercent", [period, *names], header_row, last)
    _answers_table(sheet, periods, groups, names)
    _audits_table(sheet, periods, groups, names)
    _judgements_table(book, sheet, periods)

    # The chart below the tables, on a page of its own, so the sheet prints one page wide.
    sheet.page_break()
    trend_lines(
        sheet,
        _("Percent met per period ({framework})").format(
            framework=book.words.text(book.framework.title)
        ),
        header_row,
        last,
        list(range(2, 2 + len(groups))),
        f"A{sheet.row + 1}",
        [tp.percent_met.percent for g in groups for tp in g.trend],
        titles=names,
    )
    sheet.blank(CHART_ROWS)


def _answers_table(
    sheet: Sheet, periods: list[str], groups: list[GroupProfile], names: list[str]
) -> None:
    sheet.blank()
    sheet.title_row(_("Scored answers (n) behind each percent"), styles.SUBTITLE_FONT)
    headers = [_("Period"), *(_("{team} n").format(team=n) for n in names)]
    first = sheet.header(headers)
    for i, label in enumerate(periods):
        sheet.append([sheet.cell(label)] + [g.trend[i].percent_met.n for g in groups])
    sheet.table("TrendAnswers", headers, first, sheet.row)


def _audits_table(
    sheet: Sheet, periods: list[str], groups: list[GroupProfile], names: list[str]
) -> None:
    sheet.blank()
    sheet.title_row(_("Audits per period ('*' = too few audits)"), styles.SUBTITLE_FONT)
    headers = [_("Period"), *(_("{team} audits").format(team=n) for n in names)]
    first = sheet.header(headers)
    # Still numbers (they sort and sum); the number format adds the '*'.
    starred = sheet.style(number_format='0"*"', font=styles.TOO_FEW_FONT)
    for i, label in enumerate(periods):
        sheet.append(
            [sheet.cell(label)]
            + [
                sheet.cell(g.trend[i].audits, starred) if g.trend[i].too_few else g.trend[i].audits
                for g in groups
            ]
        )
    sheet.table("TrendAudits", headers, first, sheet.row)


def _judgements_table(book: ExportBook, sheet: Sheet, periods: list[str]) -> None:
    """The whole authority's judgements per period: n and % per grade, then good or better
    with its interval."""
    p = book.profile
    sheet.blank()
    sheet.title_row(
        _("Judgements per period: {group}").format(group=book.words.group(p.authority.name)),
        styles.SUBTITLE_FONT,
    )
    sheet.group_header(
        [(book.words.grade(grade.code), 2) for grade in p.grades]
        + [(book.words.good_or_better(), 3)],
        first=3,
    )
    jheaders = (
        [_("Period"), _("Audits")] + ["n", "%"] * len(p.grades) + ["%", _("95% low"), _("95% high")]
    )
    sheet.header(jheaders, unique=False)
    pct = sheet.style(number_format=styles.PERCENT)
    for label, point in zip(periods, p.authority.trend, strict=True):
        counts = {j.code: j for j in point.judgements}
        out: list[object] = [sheet.cell(label), point.audits]
        for grade in p.grades:
            j = counts[grade.code]
            out += [j.n, sheet.percent(j.percent)]
        gob = point.good_or_better
        out += [
            sheet.percent(gob.percent),
            sheet.cell(None if gob.low is None else gob.low / 100, pct),
            sheet.cell(None if gob.high is None else gob.high / 100, pct),
        ]
        sheet.append(out)
