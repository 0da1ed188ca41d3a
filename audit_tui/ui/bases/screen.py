"""The base of every full screen: typed access to the app and its service context, workers
that report back with messages (ui/workers.py), and drawing a screen again in another
language (`redraw_in_language`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual._context import NoActiveAppError
from textual.coordinate import Coordinate
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable

from audit_tui.ui.workers import ReportsWork

if TYPE_CHECKING:
    from textual.widgets.input import Selection

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_breakpoints()

    def _set_breakpoints(self) -> None:
        """Set the app's size classes (-narrow/-wide, -short/-tall) as they will be. Textual
        sets them at the screen's first resize, after its widgets have been styled, and then
        styles every widget again: a third of Home's first frame went on that."""
        with suppress(NoActiveAppError):  # a screen made outside a running app
            app = self.app
            width, height = app.size
            for dimension, breakpoints in (
                (width, self.HORIZONTAL_BREAKPOINTS or app.HORIZONTAL_BREAKPOINTS),
                (height, self.VERTICAL_BREAKPOINTS or app.VERTICAL_BREAKPOINTS),
            ):
                chosen = self._get_breakpoint_classes(dimension, breakpoints or [])
                for _, name in breakpoints or []:
                    self.set_class(name in chosen, name, update=False)

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


@dataclass
class Place:
    """What a user is doing on a screen, by widget id: kept across a redraw."""

    typed: dict[str, tuple[str, Selection]] = field(default_factory=dict)
    areas: dict[str, tuple[str, tuple[int, int]]] = field(default_factory=dict)
    chosen: dict[str, object] = field(default_factory=dict)
    rows: dict[str, Coordinate] = field(default_factory=dict)
    focused: str | None = None
    # A form's record of its fields' starting values (GuardTyped): the typing put back is
    # still unsaved typing, so Esc still asks before throwing it away.
    typed_start: object = None

    @classmethod
    def of(cls, screen: Screen[Any]) -> Place:
        from textual.widgets import Input, Select, TextArea  # not on the first frame's path

        return cls(
            typed={f.id: (f.value, f.selection) for f in screen.query(Input) if f.id},
            areas={a.id: (a.text, a.cursor_location) for a in screen.query(TextArea) if a.id},
            chosen={s.id: s.value for s in screen.query(Select) if s.id},
            rows={t.id: t.cursor_coordinate for t in screen.query(DataTable) if t.id},
            focused=screen.focused.id if screen.focused is not None else None,
            typed_start=getattr(screen, "_typed_start", None),
        )

    def put_back(self, screen: Screen[Any]) -> None:
        from textual.widgets import Input, Select, TextArea
        from textual.widgets.select import InvalidSelectValueError

        for f in screen.query(Input):
            if f.id in self.typed:
                f.value, f.selection = self.typed[f.id]
        for a in screen.query(TextArea):
            if a.id in self.areas:
                a.text, a.cursor_location = self.areas[a.id]
        for s in screen.query(Select):
            if self.chosen.get(s.id or "", Select.BLANK) is not Select.BLANK:
                with suppress(InvalidSelectValueError):  # no longer offered: the new default
                    s.value = self.chosen[s.id or ""]
        for t in screen.query(DataTable):
            if t.id in self.rows and self.rows[t.id].row < t.row_count:
                t.cursor_coordinate = self.rows[t.id]
        if self.typed_start is not None:
            # After the screen's own remember_typed (run again by its on_mount, perhaps later).
            screen.call_after_refresh(setattr, screen, "_typed_start", self.typed_start)

    def focus(self, screen: Screen[Any]) -> None:
        if self.focused is None:
            return
        from textual.widgets import Input

        widget = next(iter(screen.query(f"#{self.focused}")), None)
        if isinstance(widget, Input):
            # Focused, an Input selects all its text: not this time, the cursor stays.
            # (set_focus posts the Focus event now; focus() would post it later.)
            before, widget.select_on_focus = widget.select_on_focus, False
            screen.set_focus(widget)
            widget.call_later(setattr, widget, "select_on_focus", before)
        elif widget is not None:
            widget.focus()


async def redraw_in_language(screen: Screen[Any]) -> None:
    """Compose `screen` again so every word it shows comes out in the language just chosen,
    keeping what is being done on it (`Place`): the text typed in each field and the cursor
    in it, the choices made in drop-downs, the row of each table and which widget has the
    focus.

    Screens translate their words when they draw them (compose, on_mount, refresh methods):
    nothing translated outlives a redraw."""
    place = Place.of(screen)
    await screen.recompose()
    changed = getattr(screen, "language_changed", None)
    if callable(changed):
        changed()
    else:
        run_mount_handlers(screen)
    place.put_back(screen)
    place.focus(screen)
