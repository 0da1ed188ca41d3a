"""A staff list (CSV or XLSX), read and checked without touching the database: a name
column and, optionally, team, manager, auditor, login and leaving date."""

from __future__ import annotations

from pathlib import Path

from audit_tui.domain.staff_rows import StaffRow, check_staff_row
from audit_tui.domain.text import visible
from audit_tui.i18n import _
from audit_tui.readers.cells import Cell, cell_text, clean, norm_heading, parse_date
from audit_tui.readers.rejected import all_or_nothing, reject
from audit_tui.readers.table import read_rows

# not translated: headings matched in the user's own file (docs/staff.md lists them)
STAFF_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "staff name", "worker", "worker name", "person", "full name", "employee"),
    "team": ("team", "team name", "service team"),
    "manager": ("manager", "team manager", "is manager", "manages team"),
    "auditor": ("auditor", "audits", "is auditor"),
    "login": ("login", "database login", "username", "user name"),
    "left_on": ("left", "left on", "leaving date", "date left", "end date"),
}
_STAFF_ALIAS = {alias: f for f, aliases in STAFF_COLUMNS.items() for alias in aliases}


def _columns(header: list[Cell], number: int, file: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for pos, cell in enumerate(header):
        field = _STAFF_ALIAS.get(norm_heading(cell_text(cell)))
        if field is not None and field not in index:
            index[field] = pos
    if "name" not in index:
        raise reject(
            file, _("row {row}: no name column (name it 'name' or 'staff name')").format(row=number)
        )
    return index


class _Seen:
    """What earlier rows held, for the checks across rows: a name listed twice, a login
    given to two people."""

    def __init__(self) -> None:
        self.names: dict[str, int] = {}
        self.logins: dict[str, tuple[int, str]] = {}

    def problems(self, row: StaffRow) -> list[str]:
        out: list[str] = []
        key = row.name.lower()
        if key in self.names:
            out.append(_("listed twice (also on row {row})").format(row=self.names[key]))
        self.names.setdefault(key, row.number)
        if row.login is not None:
            first = self.logins.get(row.login.lower())
            if first is not None:
                out.append(
                    _("login '{login}' is also {name}'s (row {row})").format(
                        login=row.login, name=first[1], row=first[0]
                    )
                )
            self.logins.setdefault(row.login.lower(), (row.number, row.name))
        return out


def read_staff_file(path: Path) -> list[StaffRow]:
    """Read and check the whole staff list without touching the database."""
    file = path.name
    rows = [(n, cells) for n, cells in read_rows(path, file) if any(cell_text(c) for c in cells)]
    if not rows:
        raise reject(file, _("the file is empty"))
    header_number, header = rows[0]
    index = _columns(header, header_number, file)
    errors: list[str] = []
    out: list[StaffRow] = []
    seen = _Seen()
    for number, cells in rows[1:]:
        raw = {f: (cells[pos] if pos < len(cells) else None) for f, pos in index.items()}
        values = {f: clean(cell_text(c)) for f, c in raw.items()}
        if not values["name"]:
            errors.append(_("{file}: row {row}: no name").format(file=file, row=number))
            continue
        left_on = parse_date(raw["left_on"]) if values.get("left_on") else None
        row, problems = check_staff_row(number, values, left_on)
        problems += seen.problems(row)
        who = {"file": file, "row": number, "name": visible(row.name)[:60]}
        errors.extend(
            _("{file}: row {row} ({name}): {problem}").format(problem=p, **who) for p in problems
        )
        out.append(row)
    return all_or_nothing(file, errors, out, _("people"))
