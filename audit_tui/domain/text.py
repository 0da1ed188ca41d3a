"""Text hygiene: control characters in names and references, and in what reaches a terminal.

A control character (C0 0x00-0x1F, DEL, C1 0x80-0x9F: Unicode category Cc) has no place in a
team, a worker's name or a case reference. Worse, ESC starts a terminal escape sequence: a
name carrying one could recolour, hide or rewrite what the next person's terminal shows. They
are refused where names are typed or imported, and stripped from anything printed.
"""

from __future__ import annotations

import re

from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What is printed keeps line breaks and tabs; every other control character goes. A table for
# str.translate (the UI hands it to Textual and Rich too).
CONTROL_STRIP: dict[int, None] = {
    cp: None for cp in (*range(0x20), *range(0x7F, 0xA0)) if cp not in (9, 10)
}

_NAMES = {0x1B: N_("ESC, which starts a terminal escape sequence"), 0x00: "NUL", 0x7F: "DEL"}


def control_character(text: str) -> str | None:
    """The first control character in `text`, described for a message (None if there is none)."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    cp = ord(found.group())
    name = _NAMES.get(cp)
    return f"U+{cp:04X}" + (f", {_(name)}" if name else "")


def visible(text: str) -> str:
    """`text` with each control character shown as '?', fit to quote in a message."""
    return _CONTROL.sub("?", text)


def check_plain(value: str, what: str) -> str:
    """`value` unchanged, or a UserError saying which control character `what` holds."""
    problem = control_character(value)
    if problem is not None:
        raise UserError(
            _(
                "{what} '{value}' contains a control character ({problem}): type it again "
                "without it"
            ).format(what=what, value=visible(value)[:70], problem=problem)
        )
    return value


def printable(text: str) -> str:
    """`text` without control characters other than line breaks and tabs: safe to print."""
    return text.translate(CONTROL_STRIP)
