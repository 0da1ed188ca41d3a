"""The interface language: gettext catalogues managed with Babel (see docs/welsh.md).

    from audit_tui.i18n import _, N_, ngettext

    raise UserError(_("no finalised audits in {period}").format(period=label))

`_` translates into the language chosen for this run (`set_language`, done once by the CLI
from --lang, AUDIT_TUI_LANG, the settings file or the system locale). `N_` only marks a
string for extraction: for text built at import time (click's help, module constants), which
is translated where it is shown.

The catalogues are `audit_tui/locale/<lang>/LC_MESSAGES/audit_tui.po`. `make` compiles them
to .mo files; where a .mo is missing or older than its .po (a fresh clone, an install from
source), the .po is compiled in memory with Babel, so the tool never shows English for want
of a build step.

"cy+en" is the bilingual export's language: every text reads "Cymraeg / English".
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

DOMAIN = "audit_tui"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# Interface languages, in the order a choice lists them.
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"
# An export may also be written in both, Welsh first (the Welsh Language Standards ask that
# Welsh is not treated less favourably: where both are shown, Welsh comes first).
BILINGUAL = "cy+en"
EXPORT_LANGUAGES = (*LANGUAGES, BILINGUAL)
SEPARATOR = " / "
# The variables of the system locale, strongest first (as GNU gettext reads them).
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class UnknownLanguage(ValueError):
    """A language the tool has no catalogue for."""

    def __init__(self, value: str, allowed: tuple[str, ...] = tuple(LANGUAGES)) -> None:
        self.value = value
        shown = format_or(allowed)
        super().__init__(
            gettext_(N_("unknown language '{lang}': choose {allowed}")).format(
                lang=value, allowed=shown
            )
        )


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it here."""
    return message


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of `lang`; English is the source text itself."""
    if lang == DEFAULT:
        return gettext.NullTranslations()
    if lang == BILINGUAL:
        return _Bilingual(translations("cy"), translations(DEFAULT))
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    return catalogue(lang, DOMAIN)


def catalogue(lang: str, domain: str) -> gettext.GNUTranslations:
    """The compiled catalogue of `domain` (ours, or click's) in `lang`: the .mo where it is
    up to date, else the .po compiled in memory."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """A .po catalogue as .mo bytes (Babel), leaving out fuzzy entries as msgfmt does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


class _Bilingual(gettext.NullTranslations):
    """Each message as "Cymraeg / English" (once where both read the same)."""

    def __init__(self, first: gettext.NullTranslations, second: gettext.NullTranslations):
        super().__init__()
        self.first, self.second = first, second

    def gettext(self, message: str) -> str:
        return pair(self.first.gettext(message), self.second.gettext(message))

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pair(self.first.ngettext(msgid1, msgid2, n), self.second.ngettext(msgid1, msgid2, n))

    def pgettext(self, context: str, message: str) -> str:
        return pair(self.first.pgettext(context, message), self.second.pgettext(context, message))

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pair(
            self.first.npgettext(context, msgid1, msgid2, n),
            self.second.npgettext(context, msgid1, msgid2, n),
        )


def pair(first: str, second: str) -> str:
    return first if first == second else f"{first}{SEPARATOR}{second}"


# The interface language is the process's (set once by the CLI, and by the TUI's language
# switch); `language()` overrides it for one block in one thread or task only (a context
# variable), so an export written in Welsh by a worker thread never turns the screen Welsh.
_base = {"lang": DEFAULT}
_override: ContextVar[str | None] = ContextVar("audit_tui_language", default=None)


def current() -> str:
    """The language text is being written in now (en, cy or cy+en)."""
    return _override.get() or _base["lang"]


def interface() -> str:
    """The interface language, whatever block of another language the caller is in."""
    return _base["lang"]


def shown_language() -> str:
    """The language a framework is shown in now (en or cy: both languages' text reads
    Welsh first)."""
    lang = current()
    return lang if lang in LANGUAGES else "cy"


def check(value: str, allowed: tuple[str, ...] = tuple(LANGUAGES)) -> str:
    """`value` as a language code (case and spaces ignored), or UnknownLanguage."""
    code = value.strip().lower()
    if code not in allowed:
        raise UnknownLanguage(value.strip(), allowed)
    return code


def set_language(lang: str) -> None:
    """Set the interface language: every thread and task that is not inside `language()`."""
    _base["lang"] = check(lang, EXPORT_LANGUAGES)


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Write in `lang` for the block (an export in another language than the interface's),
    in this thread or task only."""
    token = _override.set(check(lang, EXPORT_LANGUAGES))
    try:
        yield
    finally:
        _override.reset(token)


def gettext_(message: str) -> str:
    # Text marked with its context (NP_) keeps it here too: `_(NP_("verb", "Open"))` must not
    # fall back to the context-free "Open", whose Welsh means "is open".
    if isinstance(message, InContext):
        return pgettext(message.context, message)
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


_ = gettext_


# -- message context: one English word, two meanings ----------------------------------------
# "Open" is a key that opens something (Welsh "Agor") and an action's status (Welsh "Ar
# agor"): one msgid could have only one translation. The context (gettext's msgctxt) tells
# them apart; babel.cfg's extraction and `make messages` collect pgettext, npgettext and NP_
# with it.


def pgettext(context: str, message: str) -> str:
    """`message` as meant in `context`, translated."""
    return str(translations(current()).pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return str(translations(current()).npgettext(context, singular, plural, n))


class InContext(str):
    """English text marked at import time with its context (NP_): a plain string wherever
    it is used as one, carrying the context `translate` looks it up in."""

    context: str

    def __new__(cls, context: str, message: str) -> InContext:
        text = super().__new__(cls, message)
        text.context = context
        return text


def NP_(context: str, message: str) -> InContext:
    """Mark `message`, meant in `context`, for the catalogue without translating it here
    (a binding's description, a table of labels); `translate` translates it where shown."""
    return InContext(context, message)


def translate(text: str) -> str:
    """Text marked at import time (N_, or NP_ with its context) in the current language
    (`_` does the same; this name says at the call that the text was marked earlier)."""
    return gettext_(text)


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The first interface language named by the system locale (LANGUAGE may list several,
    colon-separated: cy:en), or English. `cy_GB.UTF-8` is Welsh."""
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if not value:
            continue
        for part in value.split(":"):
            code = part.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        if name != "LANGUAGE":
            # The first variable set decides (LANGUAGE only adds to it, as in gettext).
            return DEFAULT
    return DEFAULT


def choose(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """The interface language: `setting` (from --lang, AUDIT_TUI_LANG or the settings file,
    already in that order), else the system locale. An unknown setting is UnknownLanguage."""
    if setting.strip():
        return check(setting)
    return system_language(environ)


# -- formatting for the locale (Babel) ---------------------------------------------------


# The locale each language formats in: British English (20 November 2026), Welsh.
LOCALES = {"en": "en_GB", "cy": "cy_GB", BILINGUAL: "cy_GB"}


def _locale() -> str:
    return LOCALES[current()]


def format_or(items: Iterable[str]) -> str:
    """Choices as the language lists them: "en or cy", "en, cy neu cy+en" (CLDR's lists)."""
    from babel.lists import format_list

    return format_list(list(items), style="or", locale=_locale())


def format_number(value: float | int, places: int | None = None) -> str:
    from babel.numbers import format_decimal

    fmt = None if places is None else "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=fmt, locale=_locale())


def format_percent(percent: float | None, places: int = 0) -> str:
    """A percentage given as 0-100, e.g. 74.6%; '-' for no figure."""
    from babel.numbers import format_percent as babel_percent

    if percent is None:
        return "-"
    fmt = "#,##0" + ("." + "0" * places if places else "") + "%"
    return babel_percent(percent / 100, format=fmt, locale=_locale())


def format_date(value: date | datetime, form: str = "long") -> str:
    """A date as the locale writes it: 29 November 2026 / 29 Tachwedd 2026."""
    from babel.dates import format_date as babel_date

    day = value.date() if isinstance(value, datetime) else value
    return babel_date(day, format=form, locale=_locale())


def format_datetime(value: datetime, form: str = "medium") -> str:
    from babel.dates import format_datetime as babel_datetime

    return babel_datetime(value, format=form, locale=_locale())


def compile_catalogues(folder: Path = LOCALE_DIR) -> list[Path]:
    """Compile every .po under `folder` to its .mo (`make catalogues`). Not `pybabel compile`:
    its %-format check takes "95% low" for a placeholder; the text is formatted with
    str.format, whose {fields} tests/i18n checks."""
    written = []
    # Every domain: ours, and click's own messages (cli/click_words.py).
    for po in sorted(folder.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"compiled {path}")
