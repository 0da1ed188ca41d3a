"""The error an import raises when a file cannot be taken: nothing is imported."""

from __future__ import annotations

import re
from typing import TypeVar

from audit_tui.domain.errors import UserError
from audit_tui.i18n import _, ngettext

_R = TypeVar("_R")

# "file: row 7: ..." or, naming a person (the staff import), "file: row 7 (Ann Jones): ..."
# The row word in either language ("row", "rhes": the catalogue's words for it).
_ROW_IN_ERROR = re.compile(r": (?:row|rhes) (\d+)(?: \([^)]*\))?: ")


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
            if rows:
                message = ngettext(
                    "{file}: nothing imported: {n} problems in row {rows}",
                    "{file}: nothing imported: {n} problems in rows {rows}",
                    len(rows),
                ).format(file=file, n=len(errors), rows=shown)
            else:
                message = _("{file}: nothing imported: {n} problems").format(
                    file=file, n=len(errors)
                )
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
        raise reject(file, _("the file has a header row but no {what}").format(what=what))
    return rows
