"""The case list exported from the case management system, read and checked: the header
(found among the first rows, its headings matched to fields by their documented names) and
every row, without touching the database. Columns that look like a child's name or date of
birth make the whole file refused: the tool never stores them, and a file that carries them
should not be passed around at all."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from audit_tui.domain.case_rows import FIELD_LABELS, REQUIRED_FIELDS, CaseRow, check_case_row
from audit_tui.domain.framework import Framework
from audit_tui.i18n import _
from audit_tui.readers.cells import Cell, cell_text, norm_heading, parse_date
from audit_tui.readers.rejected import ImportRejected, all_or_nothing, reject
from audit_tui.readers.table import Rows, read_rows

# Heading -> field, compared after norm_heading. The first alias of each field is the one
# error messages suggest.
# not translated: headings matched in the user's own file (docs list them)
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "reference": (
        "case reference",
        "reference",
        "case ref",
        "ref",
        "case id",
        "case number",
        "case no",
        "client id",
        "client reference",
        "client ref",
        "child id",
        "person id",
        "wccis id",
    ),
    "case_type": (
        "case type",
        "type",
        "category",
        "case category",
        "client category",
        "service type",
        "type of case",
    ),
    "team": ("team", "team name", "allocated team", "service team"),
    "case_holder": (
        "case holder",
        "caseholder",
        "worker",
        "worker name",
        "social worker",
        "allocated worker",
        "allocated social worker",
        "social worker name",
        "allocated worker name",
        "case holder name",
        "key worker",
        "practitioner",
    ),
    "legal_status": ("legal status", "legal basis", "legal order"),
    "age_band": ("age band", "age group", "age range"),
    "open_date": (
        "open date",
        "opened",
        "date opened",
        "case open date",
        "start date",
        "allocation date",
        "episode start date",
    ),
    "team_manager": ("team manager", "manager", "team manager name", "line manager"),
}

_ALIAS_TO_FIELD = {alias: f for f, aliases in COLUMN_ALIASES.items() for alias in aliases}

# Headings that would carry a child's name (under any of its guises: a nickname, the name a
# child is known by, an alias) or date of birth. A heading with one of these words, or these
# phrases, is refused unless it is a known alias such as "worker name" or is about staff.
# docs/import-and-sampling.md lists them; keep the two in step.
# not translated: words a heading naming a child is refused for
_PERSONAL_WORDS = {
    # names
    "name", "names", "forename", "forenames", "surname", "surnames", "firstname", "lastname",
    "givenname", "middlename", "familyname", "maidenname", "fullname", "nickname", "nicknames",
    "alias", "aliases", "aka", "nee", "enw", "cyfenw", "llysenw",
    # birth
    "dob", "birth", "birthday", "birthdate", "born", "bday", "geni", "penblwydd",
}  # fmt: skip
# not translated: as above
_PERSONAL_PHRASES = ("d o b", "known as", "a k a", "pen blwydd")
# A heading naming a member of staff ("Team manager name") is about staff, not the child.
# not translated: words of a heading naming staff
_STAFF_WORDS = {
    "worker", "team", "manager", "practitioner", "holder", "caseholder", "auditor", "gweithiwr",
}  # fmt: skip


@dataclass
class Columns:
    index: dict[str, int]  # field -> column position
    ignored: list[str]


def _personal(heading: str) -> bool:
    norm = norm_heading(heading)
    if norm in _ALIAS_TO_FIELD:
        return False
    words = set(norm.split())
    if _STAFF_WORDS & words:
        return False
    padded = f" {norm} "
    return bool(_PERSONAL_WORDS & words) or any(f" {p} " in padded for p in _PERSONAL_PHRASES)


def _heading_problem(heading: str, field: str | None, first: str | None, number: int) -> str:
    if field is None:  # no field: the heading is refused as personal
        return _(
            "column '{heading}' looks like a child's name or date of birth: remove the column "
            "and import again (audit-tui never stores them)"
        ).format(heading=heading)
    return _("row {row}: columns '{first}' and '{heading}' both give the {field}: keep one").format(
        row=number, first=first, heading=heading, field=_(FIELD_LABELS[field])
    )


def match_columns(header: list[Cell], number: int, file: str) -> Columns:
    """Which column gives which field; refused when a required one is missing, a field is
    given twice or a heading looks personal."""
    errors: list[str] = []
    index: dict[str, int] = {}
    ignored: list[str] = []
    for pos, cell in enumerate(header):
        heading = cell_text(cell)
        if not heading:
            continue
        if _personal(heading):
            errors.append(f"{file}: {_heading_problem(heading, None, None, number)}")
            continue
        field = _ALIAS_TO_FIELD.get(norm_heading(heading))
        if field is None:
            ignored.append(heading)
        elif field in index:
            first = cell_text(header[index[field]])
            errors.append(f"{file}: {_heading_problem(heading, field, first, number)}")
        else:
            index[field] = pos
    for field in REQUIRED_FIELDS:
        if field not in index:
            names = ", ".join(f"'{a}'" for a in COLUMN_ALIASES[field][:4])
            errors.append(
                _(
                    "{file}: row {row}: no {field} column (name it {names} or another "
                    "documented heading)"
                ).format(file=file, row=number, field=_(FIELD_LABELS[field]), names=names)
            )
    if errors:
        raise ImportRejected(file, errors)
    return Columns(index=index, ignored=ignored)


_HEADER_SEARCH = 10


def _known_headings(cells: list[Cell]) -> int:
    return sum(1 for c in cells if norm_heading(cell_text(c)) in _ALIAS_TO_FIELD)


def _find_header(rows: Rows, file: str) -> tuple[int, list[Cell], list[tuple[int, list[Cell]]]]:
    """(row number, cells) of the header and the rows read after it while looking.

    Reports often open with a title row or two: the header is the first of the first few
    non-empty rows that has at least two known headings, else simply the first non-empty row.
    Only those few rows are read before the header is checked.
    """
    looked: list[tuple[int, list[Cell]]] = []
    filled: list[int] = []  # positions in `looked`
    for number, cells in rows:
        looked.append((number, cells))
        if not any(cell_text(c) for c in cells):
            continue
        filled.append(len(looked) - 1)
        if _known_headings(cells) >= 2:
            at = filled[-1]
            break
        if len(filled) == _HEADER_SEARCH:
            at = filled[0]
            break
    else:
        if not filled:
            raise reject(file, _("the file is empty"))
        at = filled[0]
    number, cells = looked[at]
    return number, cells, looked[at + 1 :]


def read_case_file(path: Path, fw: Framework) -> tuple[list[CaseRow], Columns]:
    """Read and check the whole file without touching the database: the header first, then
    the rows one at a time. Case types are read against `fw`'s."""
    file = path.name
    with contextlib.closing(read_rows(path, file)) as all_rows:
        number, header, after = _find_header(all_rows, file)
        cols = match_columns(header, number, file)
        return _check_rows(itertools.chain(after, all_rows), cols, file, fw), cols


def _row_values(cells: list[Cell], cols: Columns) -> tuple[dict[str, str], Cell]:
    """The text of each field the file has, and the open date's cell as it is."""

    def cell(field: str) -> Cell:
        pos = cols.index.get(field)
        return cells[pos] if pos is not None and pos < len(cells) else None

    return {f: cell_text(cell(f)) for f in cols.index}, cell("open_date")


def _check_rows(
    rows_iter: Iterable[tuple[int, list[Cell]]], cols: Columns, file: str, fw: Framework
) -> list[CaseRow]:
    errors: list[str] = []
    rows: list[CaseRow] = []
    seen: dict[str, int] = {}
    for number, cells in rows_iter:
        if not any(cell_text(c) for c in cells):
            continue  # blank lines between blocks of a list are harmless
        values, raw_date = _row_values(cells, cols)
        opened = parse_date(raw_date) if values.get("open_date") else None
        checked = check_case_row(number, values, opened, fw)
        if isinstance(checked, list):
            errors.extend(
                _("{file}: row {row}: {problem}").format(file=file, row=number, problem=p)
                for p in checked
            )
        ref = values["reference"]
        # A repeated reference is reported even when the first row had other problems.
        if ref and ref in seen:
            errors.append(
                _(
                    "{file}: row {row}: duplicate case reference '{ref}' (also on row {first})"
                ).format(file=file, row=number, ref=ref[:70], first=seen[ref])
            )
            continue
        if ref:
            seen[ref] = number
        if isinstance(checked, CaseRow):
            rows.append(checked)
    return all_or_nothing(file, errors, rows, _("cases"))
