"""Trend: percent met per team per period with a line chart, and the judgement distribution
per period for the whole authority."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from audit_tui.export import styles
from audit_tui.export.book import ExportBook
from audit_tui.export.sheets.charts import trend_lines


def write_trend(book: ExportBook) -> None:
    p = book.profile
    groups = [p.authority, *p.teams]
    n_periods = len(p.trend_periods)
    sheet = book.sheet("Trend")
    sheet.setup([16] + [12] * max(len(groups) + 1, 2 * len(p.grades) + 5), freeze="B4")
    sheet.title_row(f"Percent met per period, {p.trend_periods[0].label} to {p.period.label}")
    sheet.note_row(
        "Each figure's n is in the tables below. Periods with too few audits "
        f"(fewer than {p.small_sample}) are marked in the audits table: read with care."
    )
    names = [g.name for g in groups]

    header_row = sheet.header(["Period", *names])
    sheet.print_titles(f"{header_row}:{header_row}")
    for i in range(n_periods):
        sheet.append(
            [sheet.cell(p.trend_periods[i].label)]
            + [sheet.percent(g.trend[i].percent_met) for g in groups]
        )
    last = sheet.row
    sheet.table("TrendPercent", ["Period", *names], header_row, last)

    sheet.blank()
    sheet.title_row("Scored answers (n) behind each percent", styles.SUBTITLE_FONT)
    first = sheet.header(["Period", *(f"{n} n" for n in names)])
    for i in range(n_periods):
        sheet.append(
            [sheet.cell(p.trend_periods[i].label)] + [g.trend[i].percent_met.n for g in groups]
        )
    sheet.table("TrendAnswers", ["Period", *(f"{n} n" for n in names)], first, sheet.row)

    sheet.blank()
    sheet.title_row("Audits per period ('*' = too few audits)", styles.SUBTITLE_FONT)
    first = sheet.header(["Period", *(f"{n} audits" for n in names)])
    # Still numbers (they sort and sum); the number format adds the '*'.
    starred = sheet.style(number_format='0"*"', font=styles.TOO_FEW_FONT)
    for i in range(n_periods):
        sheet.append(
            [sheet.cell(p.trend_periods[i].label)]
            + [
                sheet.cell(g.trend[i].audits, starred) if g.trend[i].too_few else g.trend[i].audits
                for g in groups
            ]
        )
    sheet.table("TrendAudits", ["Period", *(f"{n} audits" for n in names)], first, sheet.row)

    sheet.blank()
    sheet.title_row(f"Judgements per period: {p.authority.name}", styles.SUBTITLE_FONT)
    jheaders = ["Period", "Audits"]
    for grade in p.grades:
        jheaders += [f"{grade.label} n", f"{grade.label} %"]
    jheaders += ["Good or better", "95% low", "95% high"]
    first = sheet.header(jheaders)
    pct = sheet.style(number_format=styles.PERCENT)
    for point in p.authority.trend:
        counts = {j.code: j for j in point.judgements}
        out: list[object] = [sheet.cell(point.period.label), point.audits]
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
    sheet.table("TrendJudgements", jheaders, first, sheet.row)

    trend_lines(
        sheet,
        f"Percent met per period ({p.framework_title})",
        header_row,
        last,
        2,
        1 + len(groups),
        # Right of the widest table (the judgements: period, audits, n and % per grade, three
        # good-or-better columns), so the chart covers none of them.
        f"{get_column_letter(max(len(groups) + 1, len(jheaders)) + 2)}3",
    )
