"""The base of every full screen: typed access to the app and its service context, workers
that report back with messages (ui/workers.py), and drawing a screen again in another
language (`redraw_in_language`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, TextArea
from textual.widgets.select import InvalidSelectValueError

from audit_tui.ui.workers import ReportsWork

if TYPE_CHECKING:
    from audit_tui.services.context import AppContext
    from audit_tui.ui.app import AuditApp

ResultType = TypeVar("ResultType")


class InApp(DOMNode):
    """Typed access to the running AuditApp and its service context, for screens and dialogs
    (Textual's `self.app` is any App)."""

    @property
    def audit_app(self) -> AuditApp:
        return cast("AuditApp", self.app)

    @property
    def ctx(self) -> AppContext:
        return self.audit_app.ctx


class AuditScreen(InApp, ReportsWork, Screen[ResultType]):
    # Actions the command palette leaves out (by prefix): the screen offers them its own way
    # (`palette_commands`).
    PALETTE_HIDE: tuple[str, ...] = ()

    def refresh_data(self) -> None:
        """Show again what the database holds now (the app calls it when something the screen
        listed has gone meanwhile). Screens that list records override it."""

    def palette_commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """Commands of the screen's own for the palette, beside its key bindings: (title,
        help, callback)."""
        return []

    def language_changed(self) -> None:
        """Fill the screen again after it was composed again in a new language. By default
        its on_mount handlers run again (titles, tables); a screen whose on_mount does more
        than draw (opens a dialog, resets a choice) overrides this."""
        run_mount_handlers(self)

    def save_typing(self) -> None:
        """Save what is being typed: the app is quitting. Screens whose text fields save as
        they go override it."""


def run_mount_handlers(screen: Screen[Any]) -> None:
    """Call the project's on_mount handlers of `screen` again, as Textual calls them: each
    class's own, the most derived first."""
    for cls in type(screen).__mro__:
        handler = cls.__dict__.get("on_mount")
        if handler is None or not cls.__module__.startswith("audit_tui."):
            continue
        result = handler(screen)
        if inspect.isawaitable(result):
            screen.call_later(lambda r=result: r)


async def redraw_in_language(screen: Screen[Any]) -> None:
    """Compose `screen` again so every word it shows comes out in the language just chosen,
    keeping what is being done on it: the text typed in each field and the cursor in it, the
    choices made in drop-downs, the row of each table and which widget has the focus.

    Screens translate their words when they draw them (compose, on_mount, refresh methods):
    nothing translated outlives a redraw."""
    typed = {f.id: (f.value, f.selection) for f in screen.query(Input) if f.id}
    areas = {a.id: (a.text, a.cursor_location) for a in screen.query(TextArea) if a.id}
    chosen = {s.id: s.value for s in screen.query(Select) if s.id}
    rows = {t.id: t.cursor_coordinate for t in screen.query(DataTable) if t.id}
    focused = screen.focused.id if screen.focused is not None else None
    # A form's record of its fields' starting values (GuardTyped): the typing put back below
    # is still unsaved typing, so Esc still asks before throwing it away.
    typed_start = getattr(screen, "_typed_start", None)
    await screen.recompose()
    changed = getattr(screen, "language_changed", None)
    if callable(changed):
        changed()
    else:
        run_mount_handlers(screen)
    for field in screen.query(Input):
        if field.id in typed:
            value, selection = typed[field.id]
            field.value, field.selection = value, selection
    for area in screen.query(TextArea):
        if area.id in areas:
            area.text, area.cursor_location = areas[area.id]
    for select in screen.query(Select):
        if select.id in chosen and chosen[select.id] is not Select.BLANK:
            with suppress(InvalidSelectValueError):  # no longer offered: the new default
                select.value = chosen[select.id]
    for table in screen.query(DataTable):
        if table.id in rows and rows[table.id].row < table.row_count:
            table.cursor_coordinate = rows[table.id]
    if focused is not None:
        with suppress(NoMatches):
            widget = screen.query_one(f"#{focused}")
            if isinstance(widget, Input):
                # Focused, an Input selects all its text: not this time, the cursor stays.
                # (set_focus posts the Focus event now; focus() would post it later.)
                before, widget.select_on_focus = widget.select_on_focus, False
                screen.set_focus(widget)
                widget.call_later(setattr, widget, "select_on_focus", before)
            else:
                widget.focus()
    if typed_start is not None:
        # After the screen's own remember_typed (run again by its on_mount, perhaps later).
        screen.call_after_refresh(setattr, screen, "_typed_start", typed_start)
