"""Findings: for the weakest questions (the whole authority's, then each team's), what good
looks like and the auditors' most recent notes on answers short of full marks.

Laid out to be read and printed: one block per question - the question with its percent met,
n and band in words, what good looks like, then one row per note (answer, note, case
reference, team, date). The notes are also in the Answers sheet, where they can be filtered.
"""

from __future__ import annotations

from audit_tui.export import styles
from audit_tui.export.book import ExportBook
from audit_tui.export.periods import period_caption
from audit_tui.export.words import Words
from audit_tui.i18n import N_, _
from audit_tui.services.profile_schemas import Finding

WIDTHS = [12, 68, 16, 30, 12]
# With many teams each team's block is shorter, so the printed pack stays tens of pages:
# beyond this many teams, each shows this many questions and notes.
MANY_TEAMS = 3
SHORT = 3
COLUMNS = [N_("Answer"), N_("Auditor's note"), N_("Case reference"), N_("Team"), N_("Audit date")]


def heading(f: Finding, words: Words) -> str:
    pm = f.percent_met
    percent = _("no data") if pm.percent is None else _("{percent} met").format(percent=pm.shown)
    return _("{question} - {percent} (n = {n} answers, {band}): {text}").format(
        question=f.question_id,
        percent=percent,
        n=pm.n,
        band=words.band(pm),
        text=words.question(f.question_id, f.text),
    )


def below_full_marks(book: ExportBook) -> str:
    """'No or Partly', in the export's language (the first, in a bilingual one)."""
    from audit_tui import i18n
    from audit_tui.domain import wording

    if i18n.current() == "en":
        return book.profile.below_full_marks
    return wording.short_of_met_words(book.framework.in_language("cy"))


def write_findings(book: ExportBook) -> None:
    p, words = book.profile, book.words
    below = below_full_marks(book)
    sheet = book.sheet(_("Findings"))
    sheet.setup(WIDTHS, freeze="A4")
    span = len(WIDTHS)
    sheet.title_row(
        _("Findings: the weakest questions, {period}").format(period=period_caption(p.period))
    )
    short = len(p.teams) > MANY_TEAMS
    each = (
        " "
        + _("Each team shows its {n} weakest questions with up to {n} notes each.").format(n=SHORT)
        if short
        else ""
    )
    sheet.note_row(
        _(
            "For the whole authority and each team, the questions with the lowest percent met "
            "(at least {n} scored answers), what good looks like, and the most recent notes "
            "auditors wrote where a question was answered {answers}."
        ).format(n=p.min_answers, answers=below)
        + each
        + " "
        + _("Every note is in the Answers sheet."),
        span=span,
    )
    sheet.header([_(c) for c in COLUMNS])
    sheet.print_titles("3:3")
    bold = sheet.style(font=styles.BOLD, alignment=styles.WRAP)
    good = sheet.style(font=styles.NOTE_FONT, alignment=styles.WRAP)
    wrap = sheet.style(alignment=styles.WRAP)
    date = sheet.style(number_format=styles.DATE)
    rows = 0
    for g in p.groups:
        sheet.blank()
        sheet.title_row(
            _("{group}: the weakest questions").format(group=words.group(g.name)),
            styles.SUBTITLE_FONT,
        )
        if not g.weakest:
            sheet.note_row(
                _("No question has {n} or more scored answers in this period.").format(
                    n=p.min_answers
                ),
                span=span,
            )
            continue
        cut = short and not g.is_authority
        for f in g.weakest[:SHORT] if cut else g.weakest:
            sheet.append([sheet.cell(heading(f, words), bold)], spans={1: span})
            good_text = _("What good looks like: {good}").format(
                good=words.guidance(f.question_id, f.good)
            )
            sheet.append([sheet.cell(good_text, good)], spans={1: span})
            if not f.notes:
                none = _("(no notes where it was answered {answers})").format(answers=below)
                sheet.append([None, sheet.cell(none, wrap)])
            for n in f.notes[:SHORT] if cut else f.notes:
                sheet.append(
                    [
                        sheet.cell(words.answer(f.question_id, n.answer, n.answer_label)),
                        sheet.cell(n.note, wrap),
                        sheet.cell(n.case_reference),
                        sheet.cell(n.team, wrap),
                        sheet.cell(n.audit_date, date),
                    ]
                )
                rows += 1
    book.counts["Findings"] = rows
