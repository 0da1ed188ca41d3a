"""The error an import raises when a file cannot be taken: nothing is imported."""

from __future__ import annotations

import re
from typing import TypeVar

from audit_tui.domain.errors import UserError

_R = TypeVar("_R")

# "file: row 7: ..." or, naming a person (the staff import), "file: row 7 (Ann Jones): ..."
_ROW_IN_ERROR = re.compile(r": row (\d+)(?: \([^)]*\))?: ")


class ImportRejected(UserError):
    """Nothing was imported. `errors` has one line per problem, each naming the file and,
    for a row, its number as a spreadsheet shows it (the header is row 1)."""

    def __init__(self, file: str, errors: list[str]) -> None:
        self.file = file
        self.errors = errors
        if len(errors) == 1:
            message = errors[0]
        else:
            rows = sorted({int(m.group(1)) for e in errors if (m := _ROW_IN_ERROR.search(e))})
            shown = ", ".join(map(str, rows[:10])) + (", ..." if len(rows) > 10 else "")
            where = f" in row{'s' if len(rows) != 1 else ''} {shown}" if rows else ""
            message = f"{file}: nothing imported: {len(errors)} problems{where}"
        super().__init__(message)


def reject(file: str, problem: str) -> ImportRejected:
    """One problem with the whole file."""
    return ImportRejected(file, [f"{file}: {problem}"])


def all_or_nothing(file: str, errors: list[str], rows: list[_R], what: str) -> list[_R]:
    """The rows of a file read whole: refused with every error, or when it has no `what`
    (cases, people) below its header."""
    if errors:
        raise ImportRejected(file, errors)
    if not rows:
        raise reject(file, f"the file has a header row but no {what}")
    return rows
