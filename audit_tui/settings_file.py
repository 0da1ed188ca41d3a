"""Where the user settings file is, and the interface language read cheaply.

The language is chosen before click reads the command line (so `--help` and click's own
errors are in it). Building `Settings` for that costs pydantic and pydantic-settings, about
four times a bare click group's start-up; so the one field `lang` is read here as Settings
reads it - AUDIT_TUI_LANG (any case, as pydantic-settings matches it), else the TOML file's
`lang` - and Settings itself is built later, by the command that needs it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "audit-tui"
LANG_VARIABLE = "AUDIT_TUI_LANG"


def config_dir() -> Path:
    # platformdirs is imported here: a run with AUDIT_TUI_LANG or --lang never needs it.
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def settings_file() -> Path:
    override = os.environ.get("AUDIT_TUI_SETTINGS", "").strip()
    return Path(override).expanduser() if override else config_dir() / "settings.toml"


def lang_setting(environ: Mapping[str, str] | None = None) -> str:
    """Settings().lang without building Settings: the environment's, else the settings
    file's; empty when neither is set or the file cannot be read (the command that builds
    Settings reports a bad file itself, in the language chosen)."""
    env = os.environ if environ is None else environ
    found = None
    for name, value in env.items():
        if name.upper() == LANG_VARIABLE:  # pydantic-settings ignores case; the last wins
            found = value
    if found is not None:
        return found
    path = settings_file()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    import tomllib  # only when there is a file: most runs have none

    try:
        value = tomllib.loads(text).get("lang", "")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return ""
    return value if isinstance(value, str) else ""
