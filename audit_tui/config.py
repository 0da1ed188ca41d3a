"""Settings: one object per run, built by the CLI and carried by the app context.

Where a setting comes from, strongest first: the command line, the environment (AUDIT_TUI_*),
the user settings file (TOML; `AUDIT_TUI_SETTINGS` names another), then the defaults below.
Each variable is read in this one place. Nothing here is created at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from platformdirs import user_documents_path
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from audit_tui.domain.text import control_character
from audit_tui.i18n import _
from audit_tui.settings_file import (
    APP_NAME,
    config_dir,
    data_dir,
    default_db_url,
    default_demo_db_url,
    settings_file,
)

__all__ = ["APP_NAME", "Settings", "config_dir", "data_dir", "settings_file"]


def default_exports_dir() -> Path:
    """Workbooks and feedback go where a user looks for documents, not where the tool ran."""
    return user_documents_path() / APP_NAME


def builtin_frameworks_dir() -> Path:
    return Path(__file__).resolve().parent / "frameworks"


def _path_list(value: Any) -> Any:
    """Folders from the environment are separated like PATH (os.pathsep: ':' on Linux and
    macOS, ';' on Windows, so a drive letter is never split); the settings file gives a list."""
    if isinstance(value, str):
        return [p.strip() for p in value.split(os.pathsep) if p.strip()]
    return value


def _word_list(value: Any) -> Any:
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_TUI_", extra="ignore")

    # What each setting is, for developers: nothing shows a user these words (an error names
    # the setting and the file), so they are comments, not descriptions to translate.
    # the SQLAlchemy database URL
    db: str = Field(default_factory=default_db_url)
    # the demo database's URL
    demo_db: str = Field(default_factory=default_demo_db_url)
    # extra framework folders (in the environment separated by os.pathsep)
    frameworks: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    # the framework used when none is named
    default_framework: str = "case-file"
    # shipped framework ids not to offer
    hidden_frameworks: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # the default folder for workbooks
    exports: Path = Field(default_factory=default_exports_dir)
    # who is working (default: the login name)
    user: str = ""
    # the interface language (en or cy)
    lang: str = ""
    # a Textual theme name
    theme: str = ""
    # the protective marking printed on exports
    marking: str = "OFFICIAL-SENSITIVE"
    # fewer audits than this are flagged
    small_sample: int = Field(default=5, ge=1)
    # the event log's key file (default: keys/<database id>.key in the user config folder)
    key_file: Path | None = None
    # the event log's key itself, 64 hexadecimal characters (a shared server's secret;
    # overrides key_file)
    log_key: SecretStr | None = None
    # seconds to wait for a PostgreSQL server to answer
    pg_connect_timeout: float = Field(default=10, gt=0)
    # seconds one PostgreSQL statement may take
    pg_statement_timeout: float = Field(default=120, gt=0)

    _paths = field_validator("frameworks", mode="before")(_path_list)
    _words = field_validator("hidden_frameworks", mode="before")(_word_list)

    @field_validator("user")
    @classmethod
    def _plain_user(cls, value: str) -> str:
        # The name goes into every event and onto screens: no escape sequences in it.
        problem = control_character(value)
        if problem is not None:
            raise ValueError(_("contains a control character ({problem})").format(problem=problem))
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=settings_file()),
        )

    def framework_dirs(self) -> list[Path]:
        return [builtin_frameworks_dir(), *(p.expanduser() for p in self.frameworks)]


def remember(name: str, value: str) -> Path:
    """Write the top-level setting `name = "value"` into the user settings file (the TUI's
    language switch remembers the choice), keeping every other line and comment as it is.

    A top-level key must come before the first [table], so an existing `name = ...` line
    there is replaced, and otherwise the key goes on the first line. The file is replaced
    whole (written beside it, then renamed), so a crash leaves the old file or the new one,
    never half of one; a file that would not read back as TOML is not written (ValueError).
    """
    import json
    import re
    import tomllib

    path = settings_file()
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    # A JSON string of plain text is a valid TOML basic string.
    line = f"{name} = {json.dumps(value)}"
    key = re.compile(rf"^\s*{re.escape(name)}\s*=")
    for i, text in enumerate(lines):
        if text.lstrip().startswith("["):
            lines.insert(0, line)
            break
        if key.match(text):
            lines[i] = line
            break
    else:
        lines.insert(0, line)
    out = "\n".join(lines) + "\n"
    if tomllib.loads(out).get(name) != value:
        raise ValueError(
            _("{file}: could not write the setting {name}").format(file=path, name=name)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(out, encoding="utf-8")
    os.replace(part, path)
    return path
