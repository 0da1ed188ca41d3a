"""Home's drafts panel: its title and its table, from the drafts as read - by the services
once the database is open, or by the start-up's early read before that (the same fields;
store/early_drafts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from audit_tui.i18n import _
from audit_tui.ui.widgets.tables import Col, fill_table, table_room


class DraftRow(Protocol):
    """What the panel shows of a draft (services' AuditSummary, or the early read's)."""

    @property
    def id(self) -> int: ...
    @property
    def case_reference(self) -> str: ...
    @property
    def answered(self) -> int: ...
    @property
    def applicable(self) -> int: ...
    @property
    def audit_date(self) -> date: ...
    @property
    def case_type_label(self) -> str: ...
    @property
    def team(self) -> str: ...
    @property
    def auditor(self) -> str: ...


def drafts_title(n: int, everyone: bool, asked_for_all: bool) -> str:
    """ "My drafts (n)", "All drafts (n)" (asked for with a), or "Drafts (n; none yours)"."""
    if not everyone:
        return _("My drafts ({n})").format(n=n)
    if asked_for_all:
        return _("All drafts ({n})").format(n=n)
    return _("Drafts ({n}; none yours)").format(n=n)


def show_drafts(
    screen: Screen[Any], drafts: Sequence[DraftRow], title: str, everyone: bool
) -> int:
    """Fill the panel; returns the width the table was laid out for."""
    hint = "  " + (_("Enter resumes · a all/mine") if drafts else _("n starts an audit"))
    screen.query_one("#home-drafts-title", Static).update(
        Content.assemble((title, "bold"), (hint, "$text-muted"))
    )
    table = screen.query_one("#drafts-table", DataTable)
    room = table_room(table)
    fill_table(
        table,
        [
            Col(_("Case"), "case"),
            Col(_("Answered"), "answered"),
            Col(_("Audit date"), "date", priority=2),
            Col(_("Type"), "type", priority=3),
            Col(_("Team"), "team", priority=1),
            Col(_("Auditor"), "auditor", priority=1 if everyone else 4),
        ],
        [
            (
                (
                    d.case_reference,
                    f"{d.answered}/{d.applicable}",
                    d.audit_date.isoformat(),
                    d.case_type_label,
                    d.team,
                    d.auditor,
                ),
                str(d.id),
            )
            for d in drafts
        ],
        width=room,
    )
    return room
