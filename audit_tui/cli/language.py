"""The interface language of a run, chosen before click reads the command line (so `--help`
and click's errors are in it), and click's help texts translated into it.

Where the choice comes from, strongest first: `--lang` before the command, AUDIT_TUI_LANG,
the settings file's `lang` (both read as Settings reads them, without building it:
settings_file.py), then the system locale.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import click

from audit_tui import i18n
from audit_tui.cli.click_words import click_gettext, speak_click_in_the_run_language
from audit_tui.i18n import N_
from audit_tui.settings_file import lang_setting

# The group's options that take a value: a token after one of them is not the command.
_VALUED = ("--db", "--user", "--lang")


def lang_argument(argv: Sequence[str]) -> str | None:
    """The value of `--lang` given before the command (the export's own --lang is its
    output's language, not the interface's)."""
    args = list(argv)
    for i, token in enumerate(args):
        if token == "--":
            return None
        if token.startswith("--lang="):
            return token.partition("=")[2]
        if token == "--lang":
            return args[i + 1] if i + 1 < len(args) else None
        if not token.startswith("-") and (i == 0 or args[i - 1] not in _VALUED):
            return None  # the command: what follows is its own
    return None


def choose_language(argv: Sequence[str]) -> str:
    """Set this run's language and return it; i18n.UnknownLanguage for one it has not."""
    given = lang_argument(argv)
    lang = i18n.choose(given if given is not None else lang_setting())
    i18n.set_language(lang)
    speak_click_in_the_run_language()
    return lang


def translate_help(command: click.Command) -> None:
    """Put `command`'s help, its options' and its subcommands' in the current language.

    Help texts are written at import time in English (marked with N_, or docstrings, which
    babel.cfg's extractor collects); the English is kept so a later run can translate again.
    """
    _translate(command, "help", clean=True)
    _translate(command, "options_metavar", clean=False)
    if isinstance(command, click.Group):
        _translate(command, "subcommand_metavar", clean=False)
    for param in command.params:
        _translate(param, "help", clean=False)
        _type_metavar(param)
    # click builds --help's own option once per command and keeps it, its help in the
    # language of the run that built it: built afresh, it speaks this run's.
    if getattr(command, "_help_option", None) is not None:
        command._help_option = None
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            translate_help(sub)


# click's usage line writes these itself, without gettext (Command.options_metavar and
# Group.subcommand_metavar): marked here so the catalogue has them for _translate.
USAGE_WORDS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."), N_("[COMMAND] [ARGS]..."))

# click's words for a value's type in usage lines ("--db TEXT"): ours to translate, since
# click writes them from the type's name without gettext. A type that writes its own
# (a choice's [a|b], a date's formats) is left to do so.
TYPE_WORDS = {
    "text": N_("TEXT"),
    "integer": N_("INTEGER"),
    "integer range": N_("INTEGER"),  # not translated: click's type name, the key
    "float": N_("FLOAT"),
    "float range": N_("FLOAT"),  # not translated: click's type name, the key
    "path": N_("PATH"),
    "file": N_("FILE"),
    "directory": N_("DIRECTORY"),
}


def _type_metavar(param: click.Parameter) -> None:
    if not isinstance(param, click.Option) or param.is_flag:
        return
    english = param.__dict__.setdefault("_english_metavar", param.metavar)
    word = TYPE_WORDS.get(param.type.name)
    if english is not None or word is None:
        return
    # None in English: click then writes the type's name itself, as it always did.
    param.metavar = None if i18n.current() == i18n.DEFAULT else i18n._(word)


def _translate(obj: object, attr: str, *, clean: bool) -> None:
    key = f"_english_{attr}"
    english = obj.__dict__.setdefault(key, getattr(obj, attr, None))
    if english:
        msgid = inspect.cleandoc(english) if clean else english
        # Ours, or one of click's (--version's "Show the version and exit.").
        text = i18n._(msgid)
        setattr(obj, attr, text if text != msgid else click_gettext(msgid))
