"""Programme: each audit round's progress per auditor and team - assigned, not started,
started, finalised and overdue - with who is behind written out.

The rounds shown are those of the export's framework whose due date falls in the export's
period: a round belongs to the period its audits are due in, so a year's workbook holds that
year's rounds and a quarter's workbook the rounds due that quarter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit_tui.export.book import Column, ExportBook
from audit_tui.services import programme
from audit_tui.services.programme import ProgrammeRow, RoundOut

OVERDUE = "OVERDUE"

COLUMNS = [
    Column("Round", 24),
    Column("Round id", 9, "int"),
    Column("Due date", 12, "date"),
    Column("Auditor", 22),
    Column("Team", 22),
    Column("Assigned", 10, "int"),
    Column("Not started", 10, "int"),
    Column("Started (draft)", 10, "int"),
    Column("Finalised", 10, "int"),
    Column("Overdue", 10, "int"),
    Column("Finalised share", 10, "percent"),
    Column("Progress", 32),
]


def rounds_in_scope(book: ExportBook) -> tuple[list[RoundOut], int]:
    """The rounds of the export's framework due in its period, and how many rounds exist."""
    every = programme.list_rounds(book.ctx)
    start, end = book.period.start, book.period.end
    chosen = [
        r for r in every if r.framework_id == book.framework.id and start <= r.due_date <= end
    ]
    return chosen, len(every)


def in_scope(book: ExportBook, rounds: list[RoundOut]) -> list[ProgrammeRow]:
    """programme_rows for the chosen rounds (and teams, when chosen), overdue as of today."""
    ids = {r.id for r in rounds}
    if not ids:
        return []
    rows = [r for r in programme.programme_rows(book.ctx) if r.round_id in ids]
    if book.team_filter:
        teams = {t.casefold() for t in book.team_filter}
        rows = [r for r in rows if r.team.casefold() in teams]
    return rows


def progress_text(r: ProgrammeRow) -> str:
    if r.overdue:
        return f"{OVERDUE}: {r.overdue} not finalised by the due date"
    if r.finalised == r.assigned:
        return "complete"
    return "on track"


def _rows(rows: list[ProgrammeRow]) -> Iterator[list[Any]]:
    for r in rows:
        yield [
            r.round_name,
            r.round_id,
            r.due_date,
            r.auditor,
            r.team,
            r.assigned,
            r.not_started,
            r.started,
            r.finalised,
            r.overdue,
            100.0 * r.finalised / r.assigned if r.assigned else None,
            progress_text(r),
        ]


def _round_line(rnd: RoundOut, rows: list[ProgrammeRow]) -> str:
    mine = [r for r in rows if r.round_id == rnd.id]

    def total(field: str) -> int:
        return sum(getattr(r, field) for r in mine)

    overdue = total("overdue")
    return (
        f"{rnd.name} (round {rnd.id}), due {rnd.due_date.day} {rnd.due_date:%B %Y}: "
        f"{total('assigned')} assigned, {total('not_started')} not started, "
        f"{total('started')} started, {total('finalised')} finalised, "
        f"{overdue} {OVERDUE if overdue else 'overdue'}."
    )


def write_programme(book: ExportBook) -> None:
    rounds, existing = rounds_in_scope(book)
    rows = in_scope(book, rounds)
    today = book.ctx.today()
    teams = f" for {', '.join(book.team_filter)}" if book.team_filter else ""
    intro = [
        f"Audit rounds of {book.framework.id} due in {book.period.label}{teams}, per auditor "
        f"and team. Overdue: not finalised and the round's due date has passed (as of "
        f"{today.day} {today:%B %Y}; the due day itself is not overdue).",
    ]
    if existing == 0:
        intro.append("No audit round exists yet: draw one with `audit-tui sample`.")
    elif not rounds:
        intro.append(
            f"No audit round of {book.framework.id} is due in {book.period.label} "
            f"({existing} round{'s' if existing != 1 else ''} due at other times or for "
            "other frameworks)."
        )
    elif not rows:
        intro.append(f"No cases of the chosen teams are assigned in these rounds{teams}.")
    else:
        intro += [_round_line(r, rows) for r in sorted(rounds, key=lambda r: r.due_date)]
    book.table_sheet("Programme", COLUMNS, _rows(rows), intro=intro)
