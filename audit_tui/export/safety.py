"""Text from users goes into a workbook as text, never as a formula.

openpyxl stores any string starting with "=" as a formula and "#N/A"-like strings as errors.
Spreadsheet programs also evaluate text starting with +, -, @, a tab or a carriage return when
such a cell is edited, or when the text reaches them through a CSV file ("formula injection").
In the workbook such text is written as an explicit string cell with the quote-prefix style -
what Excel itself does when you type '=... - so it shows exactly as written and is not
evaluated while it stays in the workbook.

What this does NOT protect: a CSV saved from the workbook by a spreadsheet program. CSV has
no styles, so the quote prefix is lost and the text is evaluated when that CSV is opened
again. For CSV files use `audit-tui export --csv`, which guards the text itself (csv_guard).
"""

from __future__ import annotations

import re
from copy import copy
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
_ERRORS = frozenset(ERROR_CODES)
_ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern)


def clean_text(value: str) -> str:
    """Drop control characters a workbook cannot hold; keep within Excel's cell limit."""
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - 1] + "…"
    return value


def needs_guard(value: str) -> bool:
    return value.startswith(DANGEROUS_FIRST) or value in _ERRORS


def csv_guard(value: str) -> str:
    """Text for a CSV file that no spreadsheet evaluates: text that would be read as a
    formula is prefixed with an apostrophe (the OWASP advice). The apostrophe then shows;
    nothing else is changed."""
    return "'" + value if value.startswith(DANGEROUS_FIRST) else value


def text_cell(ws: Any, value: str, template: Cell | None = None) -> Cell:
    """A cell that holds `value` as text whatever it starts with. `template` lends its style."""
    cell = WriteOnlyCell(ws)
    if template is not None:
        cell._style = copy(template._style)
    # Bypass openpyxl's guessing: set the string and its type directly.
    cell._value = value
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def user_text(ws: Any, value: str | None, template: Cell | None = None) -> Any:
    """A value for a row: None, a plain string, or a guarded text cell when it needs one."""
    if value is None:
        return None
    value = clean_text(value)
    if needs_guard(value):
        return text_cell(ws, value, template)
    if template is not None:
        cell = WriteOnlyCell(ws, value)
        cell._style = copy(template._style)
        return cell
    return value
