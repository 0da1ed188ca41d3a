"""Actions: every action agreed on the export's audits, with OVERDUE written out and, where a
re-audit was asked for, the change in grade once the re-audit is finalised."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit_tui.export.book import Column, ExportBook
from audit_tui.services import actions
from audit_tui.services.actions import ActionRow

OVERDUE = "OVERDUE"
STATUS_LABELS = {"open": "Open", "done": "Done", "not_needed": "Not needed"}

COLUMNS = [
    Column("Action id", 9, "int"),
    Column("Case reference", 16),
    Column("Team", 22),
    Column("Auditor", 20),
    Column("Audit id", 9, "int"),
    Column("Audit date", 12, "date"),
    Column("Question id", 11),
    Column("Question", 40, "wrap"),
    Column("Action", 50, "wrap"),
    Column("Owner", 20),
    Column("Due date", 12, "date"),
    Column("Status", 11),
    Column("Overdue", 10),
    Column("Reason (not needed)", 30, "wrap"),
    Column("Closed at", 17, "datetime"),
    Column("Re-audit by", 12, "date"),
    Column("Re-audit id", 10, "int"),
    Column("Re-audit status", 14),
    Column("Grade before", 20),
    Column("Grade after re-audit", 20),
    Column("Change in grade", 20),
    Column("Change in percent met", 12, "points"),
]


def in_scope(book: ExportBook) -> list[ActionRow]:
    """The actions on audits of the export's framework and period (and teams, when chosen)."""
    rows = actions.action_rows(book.ctx, book.framework.id, book.period)
    teams = book.team_filter
    if teams:
        chosen = {t.casefold() for t in teams}
        rows = [r for r in rows if r.team.casefold() in chosen]
    return rows


def _grade_change(change: int | None, finalised: bool) -> str | None:
    if not finalised:
        return "re-audit not finalised yet"
    if change is None:
        return "not comparable"
    if change == 0:
        return "same grade"
    steps = abs(change)
    word = "grade" if steps == 1 else "grades"
    return f"better by {steps} {word}" if change > 0 else f"worse by {steps} {word}"


def _rows(book: ExportBook, rows: list[ActionRow]) -> Iterator[list[Any]]:
    label = book.framework.judgements.label
    for r in rows:
        reaudit: list[Any] = [None] * 6
        if r.reaudit_audit_id is not None:
            # One query per re-audit: few actions ask for one, and the service owns the rule
            # for which grade counts (the moderated one where there is one).
            out = actions.reaudit_outcome(book.ctx, r.action_id)
            done = out.reaudit_status == "finalised"
            reaudit = [
                out.reaudit_audit_id,
                out.reaudit_status,
                None if out.previous_judgement is None else label(out.previous_judgement),
                None if out.reaudit_judgement is None else label(out.reaudit_judgement),
                _grade_change(out.grade_change, done),
                out.percent_change,
            ]
        yield [
            r.action_id,
            r.case_reference,
            r.team,
            r.auditor,
            r.audit_id,
            r.audit_date,
            r.question_id or "(whole audit)",
            r.question_text,
            r.description,
            r.owner,
            r.due_date,
            STATUS_LABELS.get(r.status, r.status),
            OVERDUE if r.overdue else "no",
            r.status_reason,
            r.closed_at,
            r.reaudit_by,
            *reaudit,
        ]


def write_actions(book: ExportBook) -> None:
    rows = in_scope(book)
    today = book.ctx.today()
    overdue = sum(r.overdue for r in rows)
    still_open = sum(r.status == "open" for r in rows)
    teams = f" in {', '.join(book.team_filter)}" if book.team_filter else ""
    intro = [
        f"Actions agreed on {book.framework.id} audits dated in {book.period.label}{teams}: "
        f"{len(rows)} actions, {still_open} open, {overdue} {OVERDUE} (open and due before "
        f"{today.day} {today:%B %Y}; an action due today is not yet overdue).",
    ]
    if not rows:
        intro.append(f"No actions recorded for audits in {book.period.label}{teams}.")
    book.table_sheet("Actions", COLUMNS, _rows(book, rows), intro=intro)
