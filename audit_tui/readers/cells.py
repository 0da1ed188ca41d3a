"""A cell as the readers compare it: its text, a date in it, a heading in plain words."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from audit_tui.domain.case_types import plain_words

Cell = Any  # str, int, float, date, datetime, bool or None, as the file's reader gives it


def norm_heading(text: str) -> str:
    return plain_words(text)


def cell_text(cell: Cell) -> str:
    """The cell as one line of text: a reference typed as a number reads as that number, a
    date without a time as YYYY-MM-DD."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a reference typed as a number comes back as 12345.0
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return " ".join(str(cell).split())


def clean(name: str | None) -> str:
    """Text with its runs of spaces made one."""
    return " ".join((name or "").split())


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y")
_TIME_PART = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def parse_date(cell: Cell) -> date | None:
    """The date in a cell (a workbook's date, or text in one of the usual UK forms), or None."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    # A time part (from "2025-04-01 00:00:00") says nothing about the day.
    text = _TIME_PART.sub("", cell_text(cell))
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2200:
            return parsed
    return None
