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
from audit_tui.services import profile_rows

AUDIT_COLUMNS = [
    Column("Audit id", 9, "int"),
    Column("Case reference", 16),
    Column("Case type", 18),
    Column("Team", 24),
    Column("Case-holder", 22),
    Column("Auditor", 22),
    Column("Audit date", 12, "date"),
    Column("Period", 12),
    Column("Status", 10),
    Column("Framework version", 11),
    Column("Percent met", 11, "percent"),
    Column("Critical failures", 10, "int"),
    Column("Suggested judgement", 22),
    Column("Judgement given", 22),
    Column("Moderated judgement", 22),
    Column("Judgement that counts", 22),
    Column("Finalised at", 17, "datetime"),
    Column("Practitioner response", 13),
    Column("Practitioner comment", 40),
    Column("Escalated", 10),
    Column("Escalated to", 24),
    Column("Escalated at", 17, "datetime"),
]

ANSWER_COLUMNS = [
    Column("Audit id", 9, "int"),
    Column("Case reference", 16),
    Column("Team", 24),
    Column("Case-holder", 22),
    Column("Auditor", 22),
    Column("Audit date", 12, "date"),
    Column("Period", 12),
    Column("Framework version", 11),
    Column("Section", 24),
    Column("Question id", 11),
    Column("Question", 60),
    Column("Answer", 14),
    Column("Points", 7, "number"),
    Column("Weight", 7, "number"),
    Column("Note", 60),
    Column("Answer from", 11),
]


def write_audits(book: ExportBook) -> None:
    rows = profile_rows.audit_rows(book.ctx, book.framework.id, book.period, book.team_filter)
    book.table_sheet("Audits", AUDIT_COLUMNS, rows, counted=True, raw=True)


def write_answers(book: ExportBook) -> None:
    rows = profile_rows.answer_rows(book.ctx, book.framework.id, book.period, book.team_filter)
    book.table_sheet("Answers", ANSWER_COLUMNS, rows, counted=True, raw=True)
