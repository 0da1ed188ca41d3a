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
    return lang


def translate_help(command: click.Command) -> None:
    """Put `command`'s help, its options' and its subcommands' in the current language.

    Help texts are written at import time in English (marked with N_, or docstrings, which
    babel.cfg's extractor collects); the English is kept so a later run can translate again.
    """
    _translate(command, "help", clean=True)
    for param in command.params:
        _translate(param, "help", clean=False)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            translate_help(sub)


def _translate(obj: object, attr: str, *, clean: bool) -> None:
    key = f"_english_{attr}"
    english = obj.__dict__.setdefault(key, getattr(obj, attr, None))
    if english:
        msgid = inspect.cleandoc(english) if clean else english
        setattr(obj, attr, i18n._(msgid))
