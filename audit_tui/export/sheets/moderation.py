"""Moderation: how far auditors and moderators agree (overall, per auditor, per team, per
question, each with n, and auditors who grade more generously than the moderator flagged in
words), then one row per moderation.

A moderation still at the blind stage shows nothing of either grading: the service withholds
it (moderation_rows), and the sheet says so rather than leaving the cells unexplained.
"""

from __future__ import annotations

from typing import Any

from audit_tui.domain.case_types import case_type_label
from audit_tui.export import styles
from audit_tui.export.book import ExportBook, Sheet, excel_date
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

MODERATION_HEADERS = [
    "Moderation id",
    "Audit id",
    "Case reference",
    "Case type",
    "Team",
    "Auditor",
    "Moderator",
    "Audit date",
    "Status",
    "Auditor's judgement",
    "Moderator's judgement (blind)",
    "Agreed judgement",
    "Questions compared (n)",
    "Questions agreeing (n)",
    "Answer agreement",
    "Comment",
    "Requested at",
    "Submitted at",
    "Agreed at",
]

WIDTHS = [14, 30, 16, 16, 20, 20, 20, 20, 18, 20, 28, 16, 16, 16, 16, 14, 45, 17, 17, 17]


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


def _agreement(
    book: ExportBook, sheet: Sheet, report: AgreementReport, mods: list[ModerationRow]
) -> None:
    auditors, teams = report.auditors, report.teams
    if book.team_filter:
        chosen = {t.casefold() for t in book.team_filter}
        in_teams = {r.auditor for r in mods}
        teams = [g for g in teams if g.name.casefold() in chosen]
        auditors = [g for g in auditors if g.name in in_teams]
        sheet.note_row(
            "Teams were chosen: the overall, auditor and question figures cover every moderated "
            "audit in the period (an auditor's figures include all their moderated audits); "
            "the team rows and the list below hold only the chosen teams."
        )
    if report.overall.n == 0 and report.overall.answers_n == 0:
        sheet.note_row(
            f"No moderation has been submitted for audits in {book.period.label} yet, so there "
            "are no agreement figures."
        )
    first = sheet.header(AGREEMENT_HEADERS)
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


def _moderation_row(book: ExportBook, sheet: Sheet, r: ModerationRow) -> list[Any]:
    label = book.framework.judgements.label
    blind = r.status == "requested"
    date_tpl = sheet.style(number_format=styles.DATE)
    time_tpl = sheet.style(number_format=styles.DATETIME)
    wrap = sheet.style(alignment=styles.WRAP)

    def grade(code: str | None) -> Any:
        if blind:
            return HIDDEN
        return None if code is None else sheet.cell(label(code))

    def when(t: Any) -> Any:
        return None if t is None else sheet.cell(excel_date(t), time_tpl)

    return [
        r.moderation_id,
        r.audit_id,
        sheet.cell(r.case_reference),
        sheet.cell(case_type_label(r.case_type)),
        sheet.cell(r.team),
        sheet.cell(r.auditor),
        sheet.cell(r.moderator),
        sheet.cell(r.audit_date, date_tpl),
        sheet.cell(STATUS_LABELS.get(r.status, r.status)),
        grade(r.original_judgement),
        grade(r.moderator_judgement),
        None if r.agreed_judgement is None else sheet.cell(label(r.agreed_judgement)),
        r.questions_compared,
        r.questions_agreeing,
        sheet.percent(r.answer_agreement_percent, banded=False),
        None if r.comment is None else sheet.cell(r.comment, wrap),
        when(r.requested_at),
        when(r.submitted_at),
        when(r.agreed_at),
    ]


def write_moderation(book: ExportBook) -> None:
    mods = in_scope(book)
    report = agreement.agreement_report(book.ctx, book.framework.id, book.period)
    sheet = book.sheet("Moderation")
    sheet.setup(WIDTHS)
    sheet.title_row(f"Moderation: how far auditors and moderators agree, {book.period.label}")
    sheet.note_row(
        "A pair is the auditor's judgement and the moderator's blind judgement on one submitted "
        "or agreed moderation. Weighted kappa is Cohen's, linearly weighted; Gwet's AC1 corrects "
        "exact agreement for chance and, unlike kappa, stays steady when one grade is very "
        "common (1 = perfect, 0 = chance for both). Neither is given under "
        f"{agreement.AGREEMENT_MIN_PAIRS} pairs. A negative mean difference means the auditor "
        "grades more generously."
    )
    sheet.note_row(
        f"An auditor is flagged as more generous with at least {agreement.GENEROUS_MIN_N} pairs, "
        "a negative mean difference and more than half of the pairs graded above the moderator."
    )
    _agreement(book, sheet, report, mods)

    sheet.blank()
    sheet.title_row("Moderations: one row per audit selected", styles.SUBTITLE_FONT)
    if not mods:
        teams = f" in {', '.join(book.team_filter)}" if book.team_filter else ""
        sheet.note_row(f"No moderations recorded for audits in {book.period.label}{teams}.")
    else:
        sheet.note_row(
            "While a moderation is blind (requested, not yet submitted) neither judgement is "
            "shown, so the workbook cannot leak the auditor's grading to the moderator."
        )
    first = sheet.header(MODERATION_HEADERS)
    for r in mods:
        sheet.append(_moderation_row(book, sheet, r))
    sheet.table("Moderations", MODERATION_HEADERS, first, sheet.row)
    book.counts["Moderation"] = len(mods)
