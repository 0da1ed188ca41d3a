"""Moderation: how far auditors and moderators agree (overall, per auditor, per team, per
question, each with n, and auditors who grade more generously than the moderator flagged in
words), then one row per moderation.

A moderation still at the blind stage shows nothing of either grading: the service withholds
it (moderation_rows), and the sheet says so rather than leaving the cells unexplained.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit_tui.export.book import Column, ExportBook, Sheet
from audit_tui.services import agreement, moderation
from audit_tui.services.agreement import AgreementReport, GradeAgreement
from audit_tui.services.moderation import ModerationRow

HIDDEN = "(hidden until the moderator submits)"
GENEROUS = "YES: grades above the moderator"
TOO_FEW = f"too few pairs to tell (under {agreement.GENEROUS_MIN_N})"
STATUS_LABELS = {
    "requested": "Requested (blind)",
    "submitted": "Submitted (to agree)",
    "agreed": "Agreed",
}
KAPPA = "0.00"
SIGNED = "+0.00;-0.00;0.00"

AGREEMENT_HEADERS = [
    "Scope",
    "Name",
    "Judgement pairs (n)",
    "Exact agreement",
    "Within one grade",
    "Weighted kappa",
    "Gwet's AC1",
    "Mean difference (auditor - moderator, grades)",
    "Graded above moderator (n)",
    "Graded below moderator (n)",
    "More generous than moderator?",
    "Answers compared (n)",
    "Answers agreeing",
]

AGREEMENT_WIDTHS = [10, 28, 10, 10, 10, 10, 10, 12, 10, 10, 18, 10, 10]

MODERATION_COLUMNS = [
    Column("Moderation id", 11, "int"),
    Column("Audit id", 9, "int"),
    Column("Case reference", 16),
    Column("Case type", 18),
    Column("Team", 20),
    Column("Auditor", 20),
    Column("Moderator", 20),
    Column("Audit date", 12, "date"),
    Column("Status", 16),
    Column("Auditor's judgement", 20, "wrap"),
    Column("Moderator's judgement (blind)", 20, "wrap"),
    Column("Agreed judgement", 20, "wrap"),
    Column("Questions compared (n)", 11, "int"),
    Column("Questions agreeing (n)", 11, "int"),
    Column("Answer agreement", 11, "percent"),
    Column("Comment", 45, "wrap"),
    Column("Requested at", 17, "datetime"),
    Column("Submitted at", 17, "datetime"),
    Column("Agreed at", 17, "datetime"),
]


def in_scope(book: ExportBook) -> list[ModerationRow]:
    """Moderations of the export's framework and period (and teams, when chosen)."""
    rows = moderation.moderation_rows(book.ctx, book.framework.id, book.period)
    if book.team_filter:
        chosen = {t.casefold() for t in book.team_filter}
        rows = [r for r in rows if r.team.casefold() in chosen]
    return rows


def _flag(g: GradeAgreement) -> str:
    if g.generous:
        return GENEROUS
    return TOO_FEW if g.n < agreement.GENEROUS_MIN_N else "no"


def _statistic(sheet: Sheet, g: GradeAgreement, value: float | None) -> Any:
    if g.too_few_pairs:
        return sheet.cell(f"too few pairs (under {g.min_pairs})")
    return sheet.cell(value, sheet.style(number_format=KAPPA))


def _grade_row(sheet: Sheet, scope: str, g: GradeAgreement, name: str | None = None) -> list[Any]:
    return [
        sheet.cell(scope),
        sheet.cell(name or g.name),
        g.n,
        sheet.percent(g.exact_percent, banded=False),
        sheet.percent(g.within_one_percent, banded=False),
        _statistic(sheet, g, g.kappa),
        _statistic(sheet, g, g.ac1),
        sheet.cell(g.mean_difference, sheet.style(number_format=SIGNED)),
        g.more_generous,
        g.harsher,
        sheet.cell(_flag(g)),
        g.answers_n,
        sheet.percent(g.answers_agree_percent, banded=False),
    ]


def _notes(book: ExportBook, report: AgreementReport) -> list[str]:
    """The lines above the agreement table."""
    lines = [
        "A pair is the auditor's judgement and the moderator's blind judgement on one submitted "
        "or agreed moderation. Weighted kappa is Cohen's, linearly weighted; Gwet's AC1 corrects "
        "exact agreement for chance and, unlike kappa, stays steady when one grade is very "
        "common (1 = perfect, 0 = chance for both). Neither is given under "
        f"{agreement.AGREEMENT_MIN_PAIRS} pairs. A negative mean difference means the auditor "
        "grades more generously.",
        f"An auditor is flagged as more generous with at least {agreement.GENEROUS_MIN_N} pairs, "
        "a negative mean difference and more than half of the pairs graded above the moderator. "
        "One row per moderation is on the Moderations sheet.",
    ]
    if book.team_filter:
        lines.append(
            "Teams were chosen: the overall, auditor and question figures cover every moderated "
            "audit in the period (an auditor's figures include all their moderated audits); "
            "the team rows and the Moderations sheet hold only the chosen teams."
        )
    if report.overall.n == 0 and report.overall.answers_n == 0:
        lines.append(
            f"No moderation has been submitted for audits in {book.period.label} yet, so there "
            "are no agreement figures."
        )
    return lines


def _agreement(
    book: ExportBook, sheet: Sheet, report: AgreementReport, mods: list[ModerationRow]
) -> None:
    auditors, teams = report.auditors, report.teams
    if book.team_filter:
        chosen = {t.casefold() for t in book.team_filter}
        in_teams = {r.auditor for r in mods}
        teams = [g for g in teams if g.name.casefold() in chosen]
        auditors = [g for g in auditors if g.name in in_teams]
    first = sheet.header(AGREEMENT_HEADERS)
    sheet.print_titles(f"{first}:{first}", "A:B")
    sheet.append(_grade_row(sheet, "Overall", report.overall, "All moderated audits"))
    for g in auditors:
        sheet.append(_grade_row(sheet, "Auditor", g))
    for g in teams:
        sheet.append(_grade_row(sheet, "Team", g))
    for q in report.questions:
        name = f"{q.question_id} {q.text}" if q.text else q.question_id
        sheet.append(
            [
                sheet.cell("Question"),
                sheet.cell(name),
                *([None] * 9),
                q.n,
                sheet.percent(q.percent_agree, banded=False),
            ]
        )
    sheet.table("ModerationAgreement", AGREEMENT_HEADERS, first, sheet.row)


def _moderation_rows(book: ExportBook, mods: list[ModerationRow]) -> Iterator[list[Any]]:
    label = book.framework.judgements.label
    for r in mods:
        blind = r.status == "requested"

        def grade(code: str | None, blind: bool = blind) -> str | None:
            if blind:
                return HIDDEN
            return None if code is None else label(code)

        yield [
            r.moderation_id,
            r.audit_id,
            r.case_reference,
            book.framework.case_type_label(r.case_type),
            r.team,
            r.auditor,
            r.moderator,
            r.audit_date,
            STATUS_LABELS.get(r.status, r.status),
            grade(r.original_judgement),
            grade(r.moderator_judgement),
            None if r.agreed_judgement is None else label(r.agreed_judgement),
            r.questions_compared,
            r.questions_agreeing,
            r.answer_agreement_percent,
            r.comment,
            r.requested_at,
            r.submitted_at,
            r.agreed_at,
        ]


def write_moderation(book: ExportBook) -> None:
    """Two sheets: Moderation (how far auditors and moderators agree) and Moderations (one
    row per moderation, a filterable table that prints with its header on every page)."""
    mods = in_scope(book)
    report = agreement.agreement_report(book.ctx, book.framework.id, book.period)
    sheet = book.sheet("Moderation")
    lines = _notes(book, report)
    # Frozen below the table's header (the title, the notes, the header) and its names.
    sheet.setup(AGREEMENT_WIDTHS, freeze=f"C{len(lines) + 3}")
    sheet.title_row(f"Moderation: how far auditors and moderators agree, {book.period.label}")
    for line in lines:
        sheet.note_row(line)
    _agreement(book, sheet, report, mods)

    teams = f" in {', '.join(book.team_filter)}" if book.team_filter else ""
    intro = [
        f"Moderations of {book.framework.id} audits dated in {book.period.label}{teams}: one "
        "row per audit selected. While a moderation is blind (requested, not yet submitted) "
        "neither judgement is shown, so the workbook cannot leak the auditor's grading to the "
        "moderator."
    ]
    if not mods:
        intro.append(f"No moderations recorded for audits in {book.period.label}{teams}.")
    book.table_sheet("Moderations", MODERATION_COLUMNS, _moderation_rows(book, mods), intro=intro)
