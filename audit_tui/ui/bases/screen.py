"""The base of every full screen: typed access to the app and its service context, and workers
that report back with messages (ui/workers.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from textual.dom import DOMNode
from textual.screen import Screen

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

    def save_typing(self) -> None:
        """Save what is being typed: the app is quitting. Screens whose text fields save as
        they go override it."""
