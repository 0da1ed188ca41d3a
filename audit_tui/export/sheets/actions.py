"""Actions: every action agreed on the export's audits, with OVERDUE written out and, where a
re-audit was asked for, the change in grade once the re-audit is finalised."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit_tui.export.book import Column, ExportBook
from audit_tui.i18n import N_, NP_, _, format_date, ngettext, translate
from audit_tui.services import actions
from audit_tui.services.actions import ActionRow

OVERDUE = N_("OVERDUE")
# "Open" here is a state ("is open"), not the key that opens something: the context says so.
STATUS_LABELS = {
    "open": NP_("action status", "Open"),
    "done": NP_("action status", "Done"),
    "not_needed": NP_("action status", "Not needed"),
}

COLUMNS = [
    Column(N_("Action id"), 9, "int"),
    Column(N_("Case reference"), 16),
    Column(N_("Team"), 22),
    Column(N_("Auditor"), 20),
    Column(N_("Audit id"), 9, "int"),
    Column(N_("Audit date"), 12, "date"),
    Column(N_("Question id"), 11),
    Column(N_("Question"), 40, "wrap"),
    Column(N_("Action"), 50, "wrap"),
    Column(N_("Owner"), 20),
    Column(N_("Due date"), 12, "date"),
    Column(N_("Status"), 11),
    Column(N_("Overdue"), 10),
    Column(N_("Reason (not needed)"), 30, "wrap"),
    Column(N_("Closed at"), 17, "datetime"),
    Column(N_("Re-audit by"), 12, "date"),
    Column(N_("Re-audit id"), 10, "int"),
    Column(N_("Re-audit status"), 14),
    Column(N_("Grade before"), 20),
    Column(N_("Grade after re-audit"), 20),
    Column(N_("Change in grade"), 20),
    Column(N_("Change in percent met"), 12, "points"),
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
        return _("re-audit not finalised yet")
    if change is None:
        return _("not comparable")
    if change == 0:
        return _("same grade")
    steps = abs(change)
    if change > 0:
        return ngettext("better by {n} grade", "better by {n} grades", steps).format(n=steps)
    return ngettext("worse by {n} grade", "worse by {n} grades", steps).format(n=steps)


def _rows(book: ExportBook, rows: list[ActionRow]) -> Iterator[list[Any]]:
    label = book.words.grade
    overdue, no = _(OVERDUE), _("no")
    for r in rows:
        reaudit: list[Any] = [None] * 6
        if r.reaudit_audit_id is not None:
            # One query per re-audit: few actions ask for one, and the service owns the rule
            # for which grade counts (the moderated one where there is one).
            out = actions.reaudit_outcome(book.ctx, r.action_id)
            done = out.reaudit_status == "finalised"
            reaudit = [
                out.reaudit_audit_id,
                _status(out.reaudit_status),
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
            r.question_id or _("(whole audit)"),
            book.words.question(r.question_id, r.question_text or "")
            if r.question_id
            else r.question_text,
            r.description,
            r.owner,
            r.due_date,
            translate(STATUS_LABELS[r.status]) if r.status in STATUS_LABELS else r.status,
            overdue if r.overdue else no,
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
    scope = scope_words(book)
    intro = [
        _(
            "Actions agreed on {framework} audits dated in {scope}: {actions}, {open} open, "
            "{overdue} {OVERDUE} (open and due before {date}; an action due today is not yet "
            "overdue)."
        ).format(
            framework=book.framework.id,
            scope=scope,
            actions=ngettext("{n} action", "{n} actions", len(rows)).format(n=len(rows)),
            open=still_open,
            overdue=overdue,
            OVERDUE=_(OVERDUE),
            date=format_date(today),
        ),
    ]
    if not rows:
        intro.append(_("No actions recorded for audits in {scope}.").format(scope=scope))
    book.table_sheet(_("Actions"), COLUMNS, _rows(book, rows), intro=intro)


def scope_words(book: ExportBook) -> str:
    """'2026-27' or '2026-27 in North, South': the period and the chosen teams."""
    if not book.team_filter:
        return book.period.label
    return _("{period} in {teams}").format(
        period=book.period.label, teams=", ".join(book.team_filter)
    )


AUDIT_STATUS = {"draft": N_("draft"), "finalised": N_("finalised")}


def _status(status: str | None) -> str | None:
    """An audit's status in the export's language."""
    return _(AUDIT_STATUS[status]) if status in AUDIT_STATUS else status
