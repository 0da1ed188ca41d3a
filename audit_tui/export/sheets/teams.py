"""Teams (team x section) and Questions (question x team): percent met with n and band."""

from __future__ import annotations

from audit_tui.export import styles
from audit_tui.export.book import ExportBook
from audit_tui.services.profile_schemas import GroupProfile


def _intro(book: ExportBook, what: str) -> list[str]:
    p = book.profile
    return [
        f"{what}, {p.period.label}. n = scored answers (not applicable left out). "
        f"'too few audits' = fewer than {p.small_sample}: read with care.",
        "Bands follow the framework's judgement thresholds; colour repeats the band, which is "
        "always written as text.",
    ]


def write_teams(book: ExportBook) -> None:
    p = book.profile
    fixed = [
        ("Team", 30),
        ("Audits", 9),
        ("Too few audits", 14),
        ("Good or better", 11),
        ("Good or better n", 11),
        ("Percent met", 11),
        ("n (answers)", 11),
        ("95% low", 9),
        ("95% high", 9),
        ("Band", 18),
        ("Change (points)", 12),
        ("Audits previous period", 12),
        ("Change note", 16),
    ]
    per_section = [
        (f"{s.title} {suffix}", w)
        for s in p.sections
        for suffix, w in (("%", 11), ("n", 8), ("band", 16))
    ]
    headers = [h for h, _ in fixed + per_section]
    intro = _intro(book, "Percent met by team and section")
    sheet = book.sheet("Teams")
    header_row = len(intro) + 1
    sheet.setup([w for _, w in fixed + per_section], freeze=f"B{header_row + 1}")
    for line in intro:
        sheet.note_row(line)
    sheet.header(headers)
    sheet.print_titles(f"{header_row}:{header_row}")
    sheet.ws.print_title_cols = "A:A"
    pct = sheet.style(number_format=styles.PERCENT)
    pts = sheet.style(number_format=styles.POINTS)
    too_few = sheet.style(font=styles.TOO_FEW_FONT)

    def row(g: GroupProfile) -> list[object]:
        pm, ch = g.percent_met, g.change
        out: list[object] = [
            sheet.cell(g.name),
            g.audits,
            sheet.cell("too few audits", too_few) if g.too_few else "",
            sheet.percent(g.good_or_better.percent),
            g.good_or_better.n,
            sheet.percent(pm),
            pm.n,
            sheet.cell(None if pm.low is None else pm.low / 100, pct),
            sheet.cell(None if pm.high is None else pm.high / 100, pct),
            sheet.band(pm),
            sheet.cell(ch.points, pts),
            ch.audits_previous,
            "too few audits to compare" if ch.too_few else "",
        ]
        for s in g.sections:
            out += [sheet.percent(s.percent_met), s.percent_met.n, sheet.band(s.percent_met)]
        return out

    for g in [p.authority, *p.teams]:
        sheet.append(row(g))
    sheet.table("Teams", headers, header_row, sheet.row)


def write_questions(book: ExportBook) -> None:
    p = book.profile
    groups = [p.authority, *p.teams]
    fixed = [
        ("Section", 22),
        ("Question id", 11),
        ("Question", 60),
        ("Critical", 8),
        ("Report citation", 34),
        ("What good looks like", 50),
    ]
    per_group = [(f"{g.name} {suffix}", w) for g in groups for suffix, w in (("%", 10), ("n", 7))]
    headers = [h for h, _ in fixed + per_group]
    intro = _intro(book, "Percent met by question and team")
    sheet = book.sheet("Questions")
    header_row = len(intro) + 1
    sheet.setup([w for _, w in fixed + per_group], freeze=f"D{header_row + 1}")
    for line in intro:
        sheet.note_row(line)
    sheet.header(headers)
    sheet.print_titles(f"{header_row}:{header_row}")
    wrap = sheet.style(alignment=styles.WRAP)
    section_title = {s.id: s.title for s in p.sections}
    figures = {g.name: {q.question_id: q.percent_met for q in g.questions} for g in groups}
    for q in p.questions:
        out: list[object] = [
            sheet.cell(section_title.get(q.section_id, q.section_id), wrap),
            sheet.cell(q.id),
            sheet.cell(q.text, wrap),
            "critical" if q.critical else "",
            sheet.cell(q.citation, wrap),
            sheet.cell(q.good, wrap),
        ]
        for g in groups:
            pm = figures[g.name][q.id]
            out += [sheet.percent(pm), pm.n]
        sheet.append(out)
    sheet.table("Questions", headers, header_row, sheet.row)
