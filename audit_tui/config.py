"""Settings read from the environment (AUDIT_TUI_*) and the command line.

Nothing here is created at import time: the CLI builds a Settings and hands it down.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "audit-tui"


def default_db_url() -> str:
    data_dir = user_data_path(APP_NAME, appauthor=False)
    return f"sqlite:///{data_dir / 'audits.db'}"


def builtin_frameworks_dir() -> Path:
    return Path(__file__).resolve().parent / "frameworks"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_TUI_", extra="ignore")

    db: str = Field(default_factory=default_db_url, description="SQLAlchemy database URL")
    frameworks: str = Field(default="", description="extra framework folders, separated by ':'")
    exports: Path = Field(default=Path("exports"), description="default folder for workbooks")
    user: str = Field(default="", description="who is working (for the event log)")
    small_sample: int = Field(default=5, ge=1, description="fewer audits than this are flagged")

    def framework_dirs(self) -> list[Path]:
        extra = [Path(p) for p in self.frameworks.split(":") if p.strip()]
        return [builtin_frameworks_dir(), *extra]
