"""The base of every full screen: typed access to the app and its service context."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen

from audit_tui.services.context import AppContext

if TYPE_CHECKING:
    from audit_tui.ui.app import AuditApp

ResultType = TypeVar("ResultType")


class AuditScreen(Screen[ResultType]):
    @property
    def audit_app(self) -> AuditApp:
        return cast("AuditApp", self.app)

    @property
    def ctx(self) -> AppContext:
        return self.audit_app.ctx
