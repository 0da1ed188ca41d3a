"""Trend: percent met per team per period with a line chart, the n and audits behind each
figure, and the whole authority's judgement distribution per period.

The percentages here are not band-coloured: the trend is about movement, and the bands are
on the Teams and Questions sheets, each written beside its colour. A period still in
progress is labelled "to date (N months)".
"""

from __future__ import annotations

from audit_tui.export import styles
from audit_tui.export.book import ExportBook
from audit_tui.export.sheets.charts import trend_lines

# Rows left under the chart so it prints with the sheet (the chart is 13 cm tall).
CHART_ROWS = 26


def write_trend(book: ExportBook) -> None:
    p = book.profile
    groups = p.groups
    periods = [t.caption for t in p.trend_periods]
    names = [g.name for g in groups]
    sheet = book.sheet("Trend")
    sheet.setup([24] + [11] * max(len(groups), 2 * len(p.grades) + 4), freeze="B1")
    sheet.title_row(f"Percent met per period, {periods[0]} to {periods[-1]}")
    sheet.note_row(
        "Each figure's n is in the tables below. Periods with too few audits "
        f"(fewer than {p.small_sample}) are marked '*' in the audits table: read with care."
    )
    sheet.print_titles("1:1")

    header_row = sheet.header(["Period", *names])
    for i, label in enumerate(periods):
        sheet.append(
            [sheet.cell(label)]
            + [sheet.percent(g.trend[i].percent_met, banded=False) for g in groups]
        )
    last = sheet.row
    sheet.table("TrendPercent", ["Period", *names], header_row, last)

    sheet.blank()
    sheet.title_row("Scored answers (n) behind each percent", styles.SUBTITLE_FONT)
    first = sheet.header(["Period", *(f"{n} n" for n in names)])
    for i, label in enumerate(periods):
        sheet.append([sheet.cell(label)] + [g.trend[i].percent_met.n for g in groups])
    sheet.table("TrendAnswers", ["Period", *(f"{n} n" for n in names)], first, sheet.row)

    sheet.blank()
    sheet.title_row("Audits per period ('*' = too few audits)", styles.SUBTITLE_FONT)
    first = sheet.header(["Period", *(f"{n} audits" for n in names)])
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
    sheet.table("TrendAudits", ["Period", *(f"{n} audits" for n in names)], first, sheet.row)

    sheet.blank()
    sheet.title_row(f"Judgements per period: {p.authority.name}", styles.SUBTITLE_FONT)
    sheet.group_header(
        [(grade.label, 2) for grade in p.grades] + [(p.good_or_better_name, 3)], first=3
    )
    jheaders = ["Period", "Audits"] + ["n", "%"] * len(p.grades) + ["%", "95% low", "95% high"]
    first = sheet.header(jheaders, unique=False)
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

    # The chart below the tables, on a page of its own, so the sheet prints one page wide.
    sheet.page_break()
    trend_lines(
        sheet,
        f"Percent met per period ({p.framework_title})",
        header_row,
        last,
        list(range(2, 2 + len(groups))),
        f"A{sheet.row + 1}",
        [tp.percent_met.percent for g in groups for tp in g.trend],
        titles=names,
    )
    sheet.blank(CHART_ROWS)
