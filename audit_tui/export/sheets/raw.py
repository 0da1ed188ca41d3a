"""Audits and Answers: the raw data behind every other sheet, streamed from the database.

Each audit carries its framework version; each answer reads in that version's words. The
Audits sheet's percent met, critical failures and suggested judgement are the figures that
count (the agreed ones where an audit was moderated); the judgement the auditor gave has a
column of its own beside the moderated one and the one that counts.

These sheets can be very long, so their text is not wrapped (Excel would have to measure
every row's height when opening them) and nothing is held in memory beyond one chunk. They
are for filtering, not printing: printing the workbook leaves them out (export/printing.py).
"""

from __future__ import annotations

from audit_tui.export.book import Column, ExportBook
from audit_tui.i18n import N_, _
from audit_tui.services import profile_rows

AUDITS = N_("Audits")
ANSWERS = N_("Answers")

AUDIT_COLUMNS = [
    Column(N_("Audit id"), 9, "int"),
    Column(N_("Case reference"), 16),
    Column(N_("Case type"), 18),
    Column(N_("Team"), 24),
    Column(N_("Case-holder"), 22),
    Column(N_("Auditor"), 22),
    Column(N_("Audit date"), 12, "date"),
    Column(N_("Period"), 12),
    Column(N_("Status"), 10),
    Column(N_("Framework version"), 11),
    Column(N_("Percent met"), 11, "percent"),
    Column(N_("Critical failures"), 10, "int"),
    Column(N_("Suggested judgement"), 22),
    Column(N_("Judgement given"), 22),
    Column(N_("Moderated judgement"), 22),
    Column(N_("Judgement that counts"), 22),
    Column(N_("Finalised at"), 17, "datetime"),
    Column(N_("Practitioner response"), 13),
    Column(N_("Practitioner comment"), 40),
    Column(N_("Escalated"), 10),
    Column(N_("Escalated to"), 24),
    Column(N_("Escalated at"), 17, "datetime"),
]

ANSWER_COLUMNS = [
    Column(N_("Audit id"), 9, "int"),
    Column(N_("Case reference"), 16),
    Column(N_("Team"), 24),
    Column(N_("Case-holder"), 22),
    Column(N_("Auditor"), 22),
    Column(N_("Audit date"), 12, "date"),
    Column(N_("Period"), 12),
    Column(N_("Framework version"), 11),
    Column(N_("Section"), 24),
    Column(N_("Question id"), 11),
    Column(N_("Question"), 60),
    Column(N_("Answer"), 14),
    Column(N_("Points"), 7, "number"),
    Column(N_("Weight"), 7, "number"),
    Column(N_("Note"), 60),
    Column(N_("Answer from"), 11),
]


def write_audits(book: ExportBook) -> None:
    rows = profile_rows.audit_rows(book.ctx, book.framework.id, book.period, book.team_filter)
    book.table_sheet(_(AUDITS), AUDIT_COLUMNS, rows, counted=True, raw=True)


def write_answers(book: ExportBook) -> None:
    rows = profile_rows.answer_rows(book.ctx, book.framework.id, book.period, book.team_filter)
    book.table_sheet(_(ANSWERS), ANSWER_COLUMNS, rows, counted=True, raw=True)
