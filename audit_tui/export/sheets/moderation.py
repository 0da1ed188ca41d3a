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
from audit_tui.export.sheets.actions import scope_words
from audit_tui.i18n import N_, _
from audit_tui.services import agreement, moderation
from audit_tui.services.agreement import AgreementReport, GradeAgreement
from audit_tui.services.moderation import ModerationRow

HIDDEN = N_("(hidden until the moderator submits)")
GENEROUS = N_("YES: grades above the moderator")
TOO_FEW = N_("too few pairs to tell (under {n})")
STATUS_LABELS = {
    "requested": N_("Requested (blind)"),
    "submitted": N_("Submitted (to agree)"),
    "agreed": N_("Agreed"),
}
KAPPA = "0.00"
SIGNED = "+0.00;-0.00;0.00"

AGREEMENT_HEADERS = [
    N_("Scope"),
    N_("Name"),
    N_("Judgement pairs (n)"),
    N_("Exact agreement"),
    N_("Within one grade"),
    N_("Weighted kappa"),
    N_("Gwet's AC1"),
    N_("Mean difference (auditor - moderator, grades)"),
    N_("Graded above moderator (n)"),
    N_("Graded below moderator (n)"),
    N_("More generous than moderator?"),
    N_("Answers compared (n)"),
    N_("Answers agreeing"),
]

AGREEMENT_WIDTHS = [10, 28, 10, 10, 10, 10, 10, 12, 10, 10, 18, 10, 10]

MODERATION_COLUMNS = [
    Column(N_("Moderation id"), 11, "int"),
    Column(N_("Audit id"), 9, "int"),
    Column(N_("Case reference"), 16),
    Column(N_("Case type"), 18),
    Column(N_("Team"), 20),
    Column(N_("Auditor"), 20),
    Column(N_("Moderator"), 20),
    Column(N_("Audit date"), 12, "date"),
    Column(N_("Status"), 16),
    Column(N_("Auditor's judgement"), 20, "wrap"),
    Column(N_("Moderator's judgement (blind)"), 20, "wrap"),
    Column(N_("Agreed judgement"), 20, "wrap"),
    Column(N_("Questions compared (n)"), 11, "int"),
    Column(N_("Questions agreeing (n)"), 11, "int"),
    Column(N_("Answer agreement"), 11, "percent"),
    Column(N_("Comment"), 45, "wrap"),
    Column(N_("Requested at"), 17, "datetime"),
    Column(N_("Submitted at"), 17, "datetime"),
    Column(N_("Agreed at"), 17, "datetime"),
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
        return _(GENEROUS)
    if g.n < agreement.GENEROUS_MIN_N:
        return _(TOO_FEW).format(n=agreement.GENEROUS_MIN_N)
    return _("no")


def _statistic(sheet: Sheet, g: GradeAgreement, value: float | None) -> Any:
    if g.too_few_pairs:
        return sheet.cell(_("too few pairs (under {n})").format(n=g.min_pairs))
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
        _(
            "A pair is the auditor's judgement and the moderator's blind judgement on one "
            "submitted or agreed moderation. Weighted kappa is Cohen's, linearly weighted; "
            "Gwet's AC1 corrects exact agreement for chance and, unlike kappa, stays steady when "
            "one grade is very common (1 = perfect, 0 = chance for both). Neither is given under "
            "{n} pairs. A negative mean difference means the auditor grades more generously."
        ).format(n=agreement.AGREEMENT_MIN_PAIRS),
        _(
            "An auditor is flagged as more generous with at least {n} pairs, a negative mean "
            "difference and more than half of the pairs graded above the moderator. One row per "
            "moderation is on the Moderations sheet."
        ).format(n=agreement.GENEROUS_MIN_N),
    ]
    if book.team_filter:
        lines.append(
            _(
                "Teams were chosen: the overall, auditor and question figures cover every "
                "moderated audit in the period (an auditor's figures include all their moderated "
                "audits); the team rows and the Moderations sheet hold only the chosen teams."
            )
        )
    if report.overall.n == 0 and report.overall.answers_n == 0:
        lines.append(
            _(
                "No moderation has been submitted for audits in {period} yet, so there are no "
                "agreement figures."
            ).format(period=book.period.label)
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
    headers = [_(h) for h in AGREEMENT_HEADERS]
    first = sheet.header(headers)
    sheet.print_titles(f"{first}:{first}", "A:B")
    sheet.append(_grade_row(sheet, _("Overall"), report.overall, _("All moderated audits")))
    for g in auditors:
        sheet.append(_grade_row(sheet, _("Auditor"), g))
    for g in teams:
        sheet.append(_grade_row(sheet, _("Team"), g))
    for q in report.questions:
        text = book.words.question(q.question_id, q.text) if q.text else ""
        name = f"{q.question_id} {text}" if text else q.question_id
        sheet.append(
            [
                sheet.cell(_("Question")),
                sheet.cell(name),
                *([None] * 9),
                q.n,
                sheet.percent(q.percent_agree, banded=False),
            ]
        )
    sheet.table("ModerationAgreement", headers, first, sheet.row)


def _moderation_rows(book: ExportBook, mods: list[ModerationRow]) -> Iterator[list[Any]]:
    label = book.words.grade
    hidden = _(HIDDEN)
    for r in mods:
        blind = r.status == "requested"

        def grade(code: str | None, blind: bool = blind) -> str | None:
            if blind:
                return hidden
            return None if code is None else label(code)

        yield [
            r.moderation_id,
            r.audit_id,
            r.case_reference,
            _case_type(book, r.case_type),
            r.team,
            r.auditor,
            r.moderator,
            r.audit_date,
            _(STATUS_LABELS[r.status]) if r.status in STATUS_LABELS else r.status,
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
    sheet = book.sheet(_("Moderation"))
    lines = _notes(book, report)
    # Frozen below the table's header (the title, the notes, the header) and its names.
    sheet.setup(AGREEMENT_WIDTHS, freeze=f"C{len(lines) + 3}")
    sheet.title_row(
        _("Moderation: how far auditors and moderators agree, {period}").format(
            period=book.period.label
        )
    )
    for line in lines:
        sheet.note_row(line)
    _agreement(book, sheet, report, mods)

    scope = scope_words(book)
    intro = [
        _(
            "Moderations of {framework} audits dated in {scope}: one row per audit selected. "
            "While a moderation is blind (requested, not yet submitted) neither judgement is "
            "shown, so the workbook cannot leak the auditor's grading to the moderator."
        ).format(framework=book.framework.id, scope=scope)
    ]
    if not mods:
        intro.append(_("No moderations recorded for audits in {scope}.").format(scope=scope))
    book.table_sheet(
        _("Moderations"), MODERATION_COLUMNS, _moderation_rows(book, mods), intro=intro
    )


def _case_type(book: ExportBook, code: str) -> str:
    """A case type's label in the export's language."""
    found = next((ct for ct in book.framework.case_type_list if ct.id == code), None)
    return book.words.text(found.label) if found is not None else code
