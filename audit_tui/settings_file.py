"""Where the user settings file is, and the interface language (and the few settings the
start-up's early drafts read needs: `text_settings`) read cheaply.

The language is chosen before click reads the command line (so `--help` and click's own
errors are in it). Building `Settings` for that costs pydantic and pydantic-settings, about
four times a bare click group's start-up; so the one field `lang` is read here as Settings
reads it - AUDIT_TUI_LANG (any case, as pydantic-settings matches it), else the TOML file's
`lang` - and Settings itself is built later, by the command that needs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from audit_tui import i18n
from audit_tui.i18n import _

APP_NAME = "audit-tui"
LANG_VARIABLE = "AUDIT_TUI_LANG"


def config_dir() -> Path:
    # platformdirs is imported here: a run with AUDIT_TUI_LANG or --lang never needs it.
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def settings_file() -> Path:
    override = os.environ.get("AUDIT_TUI_SETTINGS", "").strip()
    return Path(override).expanduser() if override else config_dir() / "settings.toml"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'audits.db'}"


def default_demo_db_url() -> str:
    """The demo database lives beside the default one and never mixes with real data."""
    return f"sqlite:///{data_dir() / 'demo.db'}"


def _file_values(path: Path) -> dict[str, object] | None:
    """The settings file's top-level values: {} when there is none, None when it cannot be
    read as TOML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError:
        return None
    import tomllib  # only when there is a file: most runs have none

    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


def text_settings(
    names: tuple[str, ...], environ: Mapping[str, str] | None = None
) -> dict[str, str] | None:
    """Settings().<name> for text settings without building Settings, read as Settings reads
    them: AUDIT_TUI_<NAME> (any case, as pydantic-settings matches it; the last wins), else
    the settings file's top-level value. A name set in neither is left out (its default
    applies). None when the answer cannot be trusted - the file is not readable TOML, or gives
    a value that is not text - so the caller takes the slow road, where Settings says why."""
    env = os.environ if environ is None else environ
    found: dict[str, str] = {}
    for variable, value in env.items():
        upper = variable.upper()
        for name in names:
            if upper == f"AUDIT_TUI_{name.upper()}":
                found[name] = value
    if len(found) == len(names):
        return found
    values = _file_values(settings_file())
    if values is None:
        return None
    for name in names:
        if name not in found and name in values:
            given = values[name]
            if not isinstance(given, str):
                return None
            found[name] = given
    return found


def lang_setting(environ: Mapping[str, str] | None = None) -> str:
    """Settings().lang without building Settings: the environment's, else the settings
    file's; empty when neither is set or the file cannot be read.

    Which language an error in the settings themselves is reported in:
    - a file that is not TOML: its own top-level `lang = "cy"` line where that line can
      still be read (the rest of the file's trouble does not unsay it), else the system
      locale's; the command that builds Settings then reports the file in that language;
    - an unknown language (AUDIT_TUI_LANG=fr, or `lang = "fr"` in the file): the run falls
      back to the next source, the system locale, and UnknownLanguage names the setting and
      where it came from, in that language.
    """
    env = os.environ if environ is None else environ
    found = None
    for name, value in env.items():
        if name.upper() == LANG_VARIABLE:  # pydantic-settings ignores case; the last wins
            found = value
    value = _from_file() if found is None else found
    if value.strip() and value.strip().lower() not in i18n.LANGUAGES:
        i18n.set_language(i18n.system_language(env))
        where = LANG_VARIABLE if found is not None else str(settings_file())
        raise UnknownLanguageSetting(value.strip(), where)
    return value


class UnknownLanguageSetting(i18n.UnknownLanguage):
    """An unknown language in AUDIT_TUI_LANG or the settings file, naming which."""

    def __init__(self, value: str, where: str) -> None:
        super().__init__(value)
        Exception.__init__(
            self,
            _("setting {name} ({where}): {problem}").format(
                name="lang", where=where, problem=self.args[0]
            ),
        )


def _from_file() -> str:
    path = settings_file()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    import tomllib  # only when there is a file: most runs have none

    try:
        value = tomllib.loads(text).get("lang", "")
    except tomllib.TOMLDecodeError:
        return _lang_line(text)
    return value if isinstance(value, str) else ""


# not translated: a TOML key read by pattern
_LANG_LINE = re.compile(r"""^\s*lang\s*=\s*(["'])([A-Za-z]{2})\1\s*(?:#.*)?$""")


def _lang_line(text: str) -> str:
    """The language a broken settings file names on a top-level line of its own (before
    its first [table]), if it names one the tool has; else empty."""
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            break
        match = _LANG_LINE.match(line)
        if match and match.group(2).lower() in i18n.LANGUAGES:
            return match.group(2)
    return ""
