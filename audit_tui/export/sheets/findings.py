"""Findings: for the weakest questions, the auditors' notes on No/Partly answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit_tui.export.book import Column, ExportBook

COLUMNS = [
    Column("Scope", 22),
    Column("Question id", 11),
    Column("Question", 50, "wrap"),
    Column("Percent met", 11, "percent"),
    Column("n (answers)", 10, "int"),
    Column("What good looks like", 45, "wrap"),
    Column("Answer", 10),
    Column("Auditor's note", 60, "wrap"),
    Column("Case reference", 16),
    Column("Team", 22),
    Column("Audit date", 12, "date"),
]


def _rows(book: ExportBook) -> Iterator[list[Any]]:
    p = book.profile
    for g in [p.authority, *p.teams]:
        for f in g.weakest:
            head = [g.name, f.question_id, f.text, f.percent_met.percent, f.percent_met.n, f.good]
            if not f.notes:
                yield [*head, None, "(no notes written on No/Partly answers)", None, None, None]
            for n in f.notes:
                yield [*head, n.answer_label, n.note, n.case_reference, n.team, n.audit_date]


def write_findings(book: ExportBook) -> None:
    p = book.profile
    book.table_sheet(
        "Findings",
        COLUMNS,
        _rows(book),
        intro=[
            f"The weakest questions in {p.period.label} (at least {p.min_answers} scored "
            "answers), for the whole authority and each team, with the most recent notes "
            "auditors wrote on No and Partly answers.",
        ],
    )
