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
from audit_tui.i18n import N_, _, format_date, ngettext
from audit_tui.services import programme
from audit_tui.services.programme import ProgrammeRow, RoundOut

OVERDUE = N_("OVERDUE")

COLUMNS = [
    Column(N_("Round"), 24),
    Column(N_("Round id"), 9, "int"),
    Column(N_("Due date"), 12, "date"),
    Column(N_("Auditor"), 22),
    Column(N_("Team"), 22),
    Column(N_("Assigned"), 10, "int"),
    Column(N_("Not started"), 10, "int"),
    Column(N_("Started (draft)"), 10, "int"),
    Column(N_("Finalised"), 10, "int"),
    Column(N_("Overdue"), 10, "int"),
    Column(N_("Finalised share"), 10, "percent"),
    Column(N_("Progress"), 32),
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
        return _("{OVERDUE}: {n} not finalised by the due date").format(
            OVERDUE=_(OVERDUE), n=r.overdue
        )
    if r.finalised == r.assigned:
        return _("complete")
    return _("on track")


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
    return _(
        "{round} (round {id}), due {date}: {assigned} assigned, {not_started} not started, "
        "{started} started, {finalised} finalised, {overdue} {overdue_word}."
    ).format(
        round=rnd.name,
        id=rnd.id,
        date=format_date(rnd.due_date),
        assigned=total("assigned"),
        not_started=total("not_started"),
        started=total("started"),
        finalised=total("finalised"),
        overdue=overdue,
        overdue_word=_(OVERDUE) if overdue else _("overdue"),
    )


def write_programme(book: ExportBook) -> None:
    rounds, existing = rounds_in_scope(book)
    rows = in_scope(book, rounds)
    today = book.ctx.today()
    scope = book.period.label
    if book.team_filter:
        scope = _("{period} for {teams}").format(
            period=book.period.label, teams=", ".join(book.team_filter)
        )
    intro = [
        _(
            "Audit rounds of {framework} due in {scope}, per auditor and team. Overdue: not "
            "finalised and the round's due date has passed (as of {date}; the due day itself "
            "is not overdue)."
        ).format(framework=book.framework.id, scope=scope, date=format_date(today)),
    ]
    if existing == 0:
        intro.append(_("No audit round exists yet: draw one with `audit-tui sample`."))
    elif not rounds:
        intro.append(
            ngettext(
                "No audit round of {framework} is due in {period} ({n} round due at other "
                "times or for other frameworks).",
                "No audit round of {framework} is due in {period} ({n} rounds due at other "
                "times or for other frameworks).",
                existing,
            ).format(framework=book.framework.id, period=book.period.label, n=existing)
        )
    elif not rows:
        intro.append(
            _("No cases of the chosen teams are assigned in these rounds for {teams}.").format(
                teams=", ".join(book.team_filter or [])
            )
        )
    else:
        intro += [_round_line(r, rows) for r in sorted(rounds, key=lambda r: r.due_date)]
    book.table_sheet(_("Programme"), COLUMNS, _rows(rows), intro=intro)
