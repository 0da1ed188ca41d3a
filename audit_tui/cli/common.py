"""Shared pieces of the command line: the lazily built application context, error output."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

import click

from audit_tui.domain.defaults import DEFAULT_FRAMEWORK

if TYPE_CHECKING:
    # Imported when a command needs them: `audit-tui --help` must not pay for SQLAlchemy.
    from audit_tui.config import Settings
    from audit_tui.services.context import AppContext


@dataclass
class Obj:
    db_url: str | None = None
    user: str | None = None
    _ctx: AppContext | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        from audit_tui.config import Settings

        overrides: dict[str, str] = {}
        if self.db_url:
            overrides["db"] = self.db_url
        if self.user:
            overrides["user"] = self.user
        return Settings(**overrides)  # type: ignore[arg-type]

    def context(self) -> AppContext:
        if self._ctx is None:
            from audit_tui.services.context import AppContext

            self._ctx = AppContext.from_settings(self.settings())
        return self._ctx


def app_context() -> AppContext:
    return click.get_current_context().find_object(Obj).context()  # type: ignore[union-attr]


def settings() -> Settings:
    return click.get_current_context().find_object(Obj).settings()  # type: ignore[union-attr]


DATE = click.DateTime(formats=["%Y-%m-%d"])

framework_option = click.option(
    "--framework",
    "framework_id",
    default=DEFAULT_FRAMEWORK,
    show_default=True,
    help="Framework id (see `audit-tui frameworks list`).",
)
period_option = click.option(
    "--period",
    help="2025-26, 2025-26 Q1, 2025-07 or 2025-04-01..2025-09-30 (default: this financial year).",
)
teams_option = click.option(
    "--team", "teams", multiple=True, help="Only this team (repeat for more)."
)


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2."""
    line = " ".join(str(message).split())
    print(f"audit-tui: error: {line}", file=sys.stderr)
    sys.exit(2)
