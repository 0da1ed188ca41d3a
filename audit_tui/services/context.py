"""What every service function needs: the database, the frameworks, who is acting, today,
and the run's settings (one Settings object, built once by the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from audit_tui.config import Settings
from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.store.database import Database
from audit_tui.store.migrate import open_database

if TYPE_CHECKING:
    from audit_tui.services.identity import Identity


def open_settings_database(settings: Settings) -> Database:
    """The settings' database, opened with their PostgreSQL timeouts."""
    return open_database(
        settings.db,
        connect_timeout=settings.pg_connect_timeout,
        statement_timeout=settings.pg_statement_timeout,
    )


@dataclass
class AppContext:
    db: Database
    frameworks: FrameworkRegistry
    # What the event log records as "who": the person's name, with their database login when
    # that login proves who they are (services.identity).
    actor: str = "unknown"
    today: Callable[[], date] = field(default=date.today)
    small_sample: int = 5
    settings: Settings = field(default_factory=Settings)
    # Who is working, when resolved from the settings (None: `actor` says it all, as in tests).
    identity: Identity | None = None
    # The user confirmed real work in a demo database (services.database_info).
    demo_confirmed: bool = False
    kind_cache: Literal["demo", "live", "empty"] | None = field(default=None, repr=False)

    @property
    def me(self) -> str:
        """The person using the tool, as the staff directory names them: whose drafts are
        "mine", who is the moderator "for me", the Auditor a new audit starts with."""
        return self.identity.name if self.identity is not None else self.actor

    def __post_init__(self) -> None:
        # The event log's key is found through the database (a write transaction has only
        # its session): attach where this session's settings say it is.
        if self.db is not None and getattr(self.db, "keyring", None) is None:
            from audit_tui.services.eventlog import begin_write
            from audit_tui.services.logkey import KeyRing

            self.db.keyring = KeyRing(self.settings)
            self.db.on_write = begin_write

    @classmethod
    def from_settings(cls, settings: Settings) -> AppContext:
        frameworks = FrameworkRegistry.from_dirs(settings.framework_dirs())
        from audit_tui.services.framework_choice import settings_problem

        problem = settings_problem(settings, frameworks)  # one line, before anything opens
        if problem:
            raise UserError(problem)
        return cls.opened(open_settings_database(settings), frameworks, settings)

    @classmethod
    def opened(
        cls,
        db: Database,
        frameworks: FrameworkRegistry,
        settings: Settings,
        today: Callable[[], date] = date.today,
    ) -> AppContext:
        """A context on an open database, with the session's identity resolved there."""
        from audit_tui.services.identity import resolve_identity

        try:
            identity = resolve_identity(db, settings)
        except BaseException:
            db.dispose()
            raise
        return cls(
            db=db,
            frameworks=frameworks,
            actor=identity.actor,
            today=today,
            small_sample=settings.small_sample,
            settings=settings,
            identity=identity,
        )

    def for_database(self, url: str) -> AppContext:
        """The same session (settings, frameworks, clock) on another database."""
        settings = self.settings.model_copy(update={"db": url})
        return AppContext.opened(
            open_settings_database(settings), self.frameworks, settings, self.today
        )
