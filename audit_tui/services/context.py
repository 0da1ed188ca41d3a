"""What every service function needs: the database, the frameworks, who is acting, today,
and the run's settings (one Settings object, built once by the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from audit_tui.config import Settings
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.store.database import Database
from audit_tui.store.migrate import open_database


@dataclass
class AppContext:
    db: Database
    frameworks: FrameworkRegistry
    actor: str = "unknown"
    today: Callable[[], date] = field(default=date.today)
    small_sample: int = 5
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> AppContext:
        import getpass

        frameworks = FrameworkRegistry.from_dirs(settings.framework_dirs())
        db = open_database(
            settings.db,
            connect_timeout=settings.pg_connect_timeout,
            statement_timeout=settings.pg_statement_timeout,
        )
        actor = settings.user or getpass.getuser()
        return cls(
            db=db,
            frameworks=frameworks,
            actor=actor,
            small_sample=settings.small_sample,
            settings=settings,
        )
