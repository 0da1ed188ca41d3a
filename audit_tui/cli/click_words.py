"""click's own words - "Usage:", "Options:", "Show this message and exit.", "No such option" -
in the run's language.

click marks its messages with gettext in the global "messages" domain and binds `_` and
`ngettext` in each of its modules at import; the language GNU gettext would choose there is
the system locale's, not this run's (--lang, AUDIT_TUI_LANG, the settings file). So each of
click's modules is given functions that look the message up in click's Welsh catalogue
(audit_tui/locale/cy/LC_MESSAGES/click.po, from click's own source: `make messages`) when the
run speaks Welsh, and return click's English otherwise - English runs are unchanged.
"""

from __future__ import annotations

import gettext
import importlib
from functools import cache

from audit_tui import i18n
from audit_tui.i18n import N_

DOMAIN = "click"
# click's modules that translate (each `from gettext import gettext as _`).
MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == i18n.DEFAULT or lang not in i18n.LANGUAGES:
        return gettext.NullTranslations()
    return i18n.catalogue(lang, DOMAIN)


# click translates this one through a variable (`_(extra["required"])`), so its extractor
# cannot find it in click's source: it is in our catalogue, which click_gettext also reads.
DYNAMIC = (N_("required"),)


def click_gettext(message: str) -> str:
    text = _catalogue(_interface()).gettext(message)
    return text if text != message else i18n.gettext_(message)


def click_ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue(_interface()).ngettext(singular, plural, n)


def _interface() -> str:
    # A bilingual export's language ("cy+en") is never the interface's; Welsh if it were.
    return i18n.current().split("+")[0]


def speak_click_in_the_run_language() -> None:
    """Give click's modules our lookups (idempotent; cheap: no catalogue is read until a
    Welsh run asks for a message)."""
    for name in MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]
