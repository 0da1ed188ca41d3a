"""Summary: what the workbook covers, the headline figures with their n, percent met by section
for the authority with a bar chart, and the strongest and weakest questions."""

from __future__ import annotations

from collections.abc import Sequence

from audit_tui.export import styles
from audit_tui.export.book import ExportBook, Sheet
from audit_tui.export.sheets.charts import section_bars
from audit_tui.services.profile_schemas import Finding, GroupProfile, QuestionFigure

TITLE = "Summary"


def _fmt_date(d: object) -> str:
    return f"{d:%-d %B %Y}"  # type: ignore[str-format]


def scope_lines(book: ExportBook) -> list[tuple[str, str]]:
    p, fw = book.profile, book.framework
    period = p.period
    teams = ", ".join(p.teams_selected) if p.teams_selected else f"All teams ({len(p.teams)})"
    return [
        ("Framework", f"{fw.title} ({fw.id}, version {fw.version})"),
        (
            "Period",
            f"{period.label} ({_fmt_date(period.start)} to {_fmt_date(period.end)})",
        ),
        ("Compared with", f"{p.previous_period.label} (the previous period)"),
        ("Teams", teams),
        ("Audits counted", f"{p.scope_audits} finalised audits"),
        ("Generated", f"{book.generated_at:%-d %B %Y %H:%M} by {book.ctx.actor}"),
        (
            "What counts",
            "Finalised audits only. Where an audit was moderated, the agreed answers and "
            "judgement count.",
        ),
        (
            "Percent met",
            "100 x (Yes + half of Partly, by question weight) / (Yes + Partly + No). "
            "Not applicable is left out, never counted as 0. 'no data' means nothing "
            "applicable was answered.",
        ),
        (
            "n and intervals",
            "n is the number of audits, or of scored answers (not N/A), behind a figure. "
            "95% intervals are Wilson intervals.",
        ),
        (
            "Small samples",
            f"Fewer than {p.small_sample} audits is marked 'too few audits': a change there "
            "may be chance, not a real rise or fall.",
        ),
        (
            "Bands",
            "Each percent met is banded by the framework's judgement thresholds: "
            + "; ".join(
                f"{fw.judgements.label(t.judgement)} from {t.min_percent:g}%" for t in fw.thresholds
            )
            + ". Colours repeat the band; the band is always written too.",
        ),
    ]


HEADLINE = [
    "Group",
    "Audits",
    "Too few audits",
    "Good or better",
    "n (audits)",
    "95% low",
    "95% high",
    "Percent met",
    "n (answers)",
    "95% low",
    "95% high",
    "Band",
    "Change (points)",
    "Audits previous period",
]


def headline_row(sheet: Sheet, g: GroupProfile) -> list[object]:
    gob, pm, ch = g.good_or_better, g.percent_met, g.change
    pct = sheet.style(number_format=styles.PERCENT)
    pts = sheet.style(number_format=styles.POINTS)
    return [
        sheet.cell(g.name),
        g.audits,
        "too few audits" if g.too_few else "",
        sheet.percent(gob.percent),
        gob.n,
        sheet.cell(None if gob.low is None else gob.low / 100, pct),
        sheet.cell(None if gob.high is None else gob.high / 100, pct),
        sheet.percent(pm),
        pm.n,
        sheet.cell(None if pm.low is None else pm.low / 100, pct),
        sheet.cell(None if pm.high is None else pm.high / 100, pct),
        sheet.band(pm),
        sheet.cell(ch.points, pts),
        ch.audits_previous,
    ]


def _questions_block(
    sheet: Sheet, title: str, figs: Sequence[QuestionFigure | Finding], min_n: int
) -> None:
    sheet.title_row(title, styles.SUBTITLE_FONT)
    sheet.header(["Question", "Percent met", "n (answers)", "Band"])
    wrap = sheet.style(alignment=styles.WRAP)
    for f in figs:
        sheet.append(
            [
                sheet.cell(f"{f.question_id} {f.text}", wrap),
                sheet.percent(f.percent_met),
                f.percent_met.n,
                sheet.band(f.percent_met),
            ]
        )
    if not figs:
        sheet.note_row(f"No question has {min_n} or more scored answers in this period.")


def write_summary(book: ExportBook) -> None:
    p = book.profile
    sheet = book.sheet(TITLE)
    sheet.setup([48] + [13] * (len(HEADLINE) - 1), freeze="A3")
    sheet.title_row(f"{p.framework_title}: audit summary {p.period.label}")
    sheet.note_row(
        "Every figure has its n beside it. Read figures marked 'too few audits' with care."
    )
    sheet.print_titles("1:2")
    sheet.blank()
    sheet.title_row("What this workbook covers", styles.SUBTITLE_FONT)
    label = sheet.style(font=styles.SUBTITLE_FONT, alignment=styles.TOP)
    for key, value in scope_lines(book):
        sheet.append([sheet.cell(key, label), sheet.cell(value)])
    sheet.blank()

    sheet.title_row("Headline figures", styles.SUBTITLE_FONT)
    sheet.header(HEADLINE)
    groups = [p.authority, *(p.teams if p.teams_selected else [])]
    for g in groups:
        sheet.append(headline_row(sheet, g))
    sheet.blank()

    sheet.title_row(f"Percent met by section: {p.authority.name}", styles.SUBTITLE_FONT)
    header_row = sheet.header(
        ["Section", "Percent met", "n (answers)", "95% low", "95% high", "Band"]
    )
    pct = sheet.style(number_format=styles.PERCENT)
    for s in p.authority.sections:
        pm = s.percent_met
        sheet.append(
            [
                sheet.cell(s.title),
                sheet.percent(pm),
                pm.n,
                sheet.cell(None if pm.low is None else pm.low / 100, pct),
                sheet.cell(None if pm.high is None else pm.high / 100, pct),
                sheet.band(pm),
            ]
        )
    last = sheet.row
    section_bars(
        sheet,
        f"Percent met by section, {p.period.label} ({p.authority.name})",
        header_row,
        header_row + 1,
        last,
        f"H{header_row}",
    )
    # Leave room for the chart before the next block.
    sheet.blank(max(2, 18 - len(p.authority.sections)))

    _questions_block(
        sheet,
        f"Strongest questions ({p.authority.name}, at least {p.min_answers} scored answers)",
        p.authority.strongest,
        p.min_answers,
    )
    sheet.blank()
    _questions_block(
        sheet,
        f"Weakest questions ({p.authority.name}, at least {p.min_answers} scored answers)",
        p.authority.weakest,
        p.min_answers,
    )
