"""Findings: for the weakest questions (the whole authority's, then each team's), what good
looks like and the auditors' most recent notes on answers short of full marks.

Laid out to be read and printed: one block per question - the question with its percent met,
n and band in words, what good looks like, then one row per note (answer, note, case
reference, team, date). The notes are also in the Answers sheet, where they can be filtered.
"""

from __future__ import annotations

from audit_tui.export import styles
from audit_tui.export.book import ExportBook
from audit_tui.services.profile_schemas import Finding

WIDTHS = [12, 68, 16, 30, 12]
# With many teams each team's block is shorter, so the printed pack stays tens of pages:
# beyond this many teams, each shows this many questions and notes.
MANY_TEAMS = 3
SHORT = 3
COLUMNS = ["Answer", "Auditor's note", "Case reference", "Team", "Audit date"]


def heading(f: Finding) -> str:
    pm = f.percent_met
    percent = "no data" if pm.percent is None else f"{pm.shown} met"
    return f"{f.question_id} - {percent} (n = {pm.n} answers, {pm.band_label}): {f.text}"


def write_findings(book: ExportBook) -> None:
    p = book.profile
    sheet = book.sheet("Findings")
    sheet.setup(WIDTHS, freeze="A4")
    span = len(WIDTHS)
    sheet.title_row(f"Findings: the weakest questions, {p.period.caption}")
    short = len(p.teams) > MANY_TEAMS
    each = (
        f" Each team shows its {SHORT} weakest questions with up to {SHORT} notes each."
        if short
        else ""
    )
    sheet.note_row(
        f"For the whole authority and each team, the questions with the lowest percent met "
        f"(at least {p.min_answers} scored answers), what good looks like, and the most "
        f"recent notes auditors wrote where a question was answered {p.below_full_marks}.{each} "
        "Every note is in the "
        "Answers sheet.",
        span=span,
    )
    sheet.header(COLUMNS)
    sheet.print_titles("3:3")
    bold = sheet.style(font=styles.BOLD, alignment=styles.WRAP)
    good = sheet.style(font=styles.NOTE_FONT, alignment=styles.WRAP)
    wrap = sheet.style(alignment=styles.WRAP)
    date = sheet.style(number_format=styles.DATE)
    rows = 0
    for g in p.groups:
        sheet.blank()
        sheet.title_row(f"{g.name}: the weakest questions", styles.SUBTITLE_FONT)
        if not g.weakest:
            sheet.note_row(
                f"No question has {p.min_answers} or more scored answers in this period.",
                span=span,
            )
            continue
        cut = short and not g.is_authority
        for f in g.weakest[:SHORT] if cut else g.weakest:
            sheet.append([sheet.cell(heading(f), bold)], spans={1: span})
            sheet.append([sheet.cell(f"What good looks like: {f.good}", good)], spans={1: span})
            if not f.notes:
                sheet.append(
                    [
                        None,
                        sheet.cell(f"(no notes where it was answered {p.below_full_marks})", wrap),
                    ]
                )
            for n in f.notes[:SHORT] if cut else f.notes:
                sheet.append(
                    [
                        sheet.cell(n.answer_label),
                        sheet.cell(n.note, wrap),
                        sheet.cell(n.case_reference),
                        sheet.cell(n.team, wrap),
                        sheet.cell(n.audit_date, date),
                    ]
                )
                rows += 1
    book.counts["Findings"] = rows
