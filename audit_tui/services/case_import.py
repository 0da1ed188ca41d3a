"""Import the case list exported from the case management system (CSV or XLSX).

The import is all-or-nothing: the whole file is read and checked before anything is written,
and one bad row means nothing is imported. Re-importing a file updates the cases it names
(matched by reference) instead of adding them twice. Columns that look like a child's name or
date of birth make the whole file refused: the tool never stores them, and a file that carries
them should not be passed around at all.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.domain.case_types import plain_words
from audit_tui.domain.errors import UserError
from audit_tui.domain.files import FileProblem, read_regular_file
from audit_tui.domain.framework import Framework
from audit_tui.domain.text import control_character, visible
from audit_tui.services import framework_choice
from audit_tui.services.audit_rules import case_values
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import refuse_real_work_in_demo
from audit_tui.services.directory import get_or_create_worker
from audit_tui.services.eventlog import log_event

# The same rule NewAudit applies, so every imported case can be audited as it is.
from audit_tui.services.schemas import _REF as CASE_REFERENCE_PATTERN
from audit_tui.store.models import Case, Team, Worker, utcnow

REFERENCE_RE = re.compile(CASE_REFERENCE_PATTERN)

# --- columns -------------------------------------------------------------------------------

REQUIRED_FIELDS = ("reference", "case_type", "team", "case_holder")
OPTIONAL_FIELDS = ("legal_status", "age_band", "open_date")
# Optional, about staff rather than the case: the named person manages the row's team.
STAFF_FIELDS = ("team_manager",)

FIELD_LABELS = {
    "reference": "case reference",
    "case_type": "case type",
    "team": "team",
    "case_holder": "case-holder",
    "legal_status": "legal status",
    "age_band": "age band",
    "open_date": "open date",
    "team_manager": "team manager",
}

# Heading -> field, compared after _norm_heading. The first alias of each field is the one
# error messages suggest.
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
_PERSONAL_WORDS = {
    # names
    "name", "names", "forename", "forenames", "surname", "surnames", "firstname", "lastname",
    "givenname", "middlename", "familyname", "maidenname", "fullname", "nickname", "nicknames",
    "alias", "aliases", "aka", "nee", "enw", "cyfenw", "llysenw",
    # birth
    "dob", "birth", "birthday", "birthdate", "born", "bday", "geni", "penblwydd",
}  # fmt: skip
_PERSONAL_PHRASES = ("d o b", "known as", "a k a", "pen blwydd")
# A heading naming a member of staff ("Team manager name") is about staff, not the child.
_STAFF_WORDS = {
    "worker", "team", "manager", "practitioner", "holder", "caseholder", "auditor", "gweithiwr",
}  # fmt: skip

# --- case types ----------------------------------------------------------------------------


def _norm_heading(text: str) -> str:
    return plain_words(text)


# --- results and errors --------------------------------------------------------------------


class ImportReport(BaseModel):
    """What an import did. `notes` are lines fit to show the user as they are."""

    file: str
    rows: int
    created: int
    updated: int
    unchanged: int
    teams_created: list[str]
    workers_created: list[str]
    ignored_columns: list[str]
    notes: list[str]


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


# --- reading the file ----------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or a password-protected workbook
_MAX_BYTES = 50 * 1024 * 1024
# A workbook is a zip: 3 MB can unpack to gigabytes of sheet XML. The sizes the zip declares
# are checked first (Python's zipfile never unpacks more than a member declares).
_MAX_UNPACKED = 200 * 1024 * 1024
# A case list is one row per open case; an authority has thousands, not hundreds of thousands.
_MAX_ROWS = 100_000
# Columns read from a workbook: a stray cell in column XFD would make every row 16,384 wide.
_MAX_COLUMNS = 256
_EXCEL_ROWS = 1_048_576

Cell = Any  # str, int, float, date, datetime, bool or None, as the reader gives it
Rows = Iterator[tuple[int, list[Cell]]]


def _reject(file: str, problem: str) -> ImportRejected:
    return ImportRejected(file, [f"{file}: {problem}"])


def _read_rows(path: Path, file: str) -> Rows:
    """(row number as a spreadsheet shows it, cells) for every row of the file, read as they
    are needed, never more than _MAX_ROWS."""
    try:
        data = read_regular_file(path, _MAX_BYTES)
    except FileProblem as exc:
        raise _reject(file, str(exc)) from None
    if not data.strip():
        raise _reject(file, "the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise _reject(
            file,
            "an old-style .xls or password-protected workbook cannot be read: "
            "save it as .xlsx without a password, or as CSV",
        )
    if data.startswith(_ZIP_MAGIC):
        rows = _xlsx_rows(data, file)
    elif path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        raise _reject(file, "not an Excel workbook (the file's contents are not .xlsx)")
    else:
        rows = _csv_rows(data, file)
    return _capped(rows, file)


def _capped(rows: Rows, file: str) -> Rows:
    with contextlib.closing(rows):
        for n, (number, cells) in enumerate(rows, 1):
            if n > _MAX_ROWS:
                raise _reject(
                    file,
                    f"the file has more than {_MAX_ROWS:,} rows: a case list is one row per "
                    "open case; split it or remove the rows that are not cases",
                )
            yield number, cells


_NOT_XLSX = "not a readable Excel workbook (.xlsx)"


def _xlsx_rows(data: bytes, file: str) -> Rows:
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _reject(file, _NOT_XLSX) from None
    if unpacked > _MAX_UNPACKED:
        raise _reject(
            file,
            f"the workbook unpacks to {unpacked // (1024 * 1024):,} MB, more than a case list "
            f"needs (the limit is {_MAX_UNPACKED // (1024 * 1024)} MB): save the case list "
            "alone as .xlsx or CSV",
        )
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (and ParseError) for a damaged workbook
        raise _reject(file, _NOT_XLSX) from None
    try:
        ws = wb.active if wb.active is not None else wb.worksheets[0]
    except IndexError:
        wb.close()
        raise _reject(file, f"{_NOT_XLSX}: it has no sheets") from None
    if not isinstance(ws, ReadOnlyWorksheet):
        wb.close()
        raise _reject(
            file,
            f"the sheet that opens first ('{ws.title}') is a chart, not a table: open the "
            "case list's sheet, save the workbook and import it again",
        )
    return _sheet_rows(wb, ws, file)


def _sheet_rows(wb: Any, ws: Any, file: str) -> Rows:
    """The sheet's rows that have a value. Empty rows (openpyxl makes one for every row number
    a sheet skips) are passed over here, cheaply: a sheet may number its last row 1,048,576."""
    number = 0
    try:
        # Some exporters write a wrong sheet size; without this read-only mode trusts it.
        ws.reset_dimensions()
        for number, values in enumerate(ws.iter_rows(max_col=_MAX_COLUMNS, values_only=True), 1):
            if number > _EXCEL_ROWS:
                raise _reject(
                    file,
                    f"{_NOT_XLSX}: the sheet is damaged (it has a row past row "
                    f"{_EXCEL_ROWS:,}, the last row Excel has)",
                )
            if values.count(None) == len(values):
                continue
            yield number, list(values)
    except ImportRejected:
        raise
    except Exception:  # a truncated or malformed sheet: ParseError, KeyError, ValueError...
        raise _reject(file, f"{_NOT_XLSX}: the sheet is damaged after row {number}") from None
    finally:
        wb.close()


def _row_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# A UTF-8 encoded character of two to four bytes. Windows-1252 text almost never holds one
# (it would take two or three accented letters in a row forming exactly this pattern), so a
# file that has one and also a byte that is not UTF-8 is UTF-8 with damage, not Windows-1252.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}"
    rb"|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _decode(data: bytes, file: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _reject(file, "not a readable text file (bad UTF-16)") from None
    if b"\x00" in data[:8192]:
        raise _reject(file, "not a CSV or Excel file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    # Excel on Windows saves "CSV" in the Windows-1252 code page: read the file so only when
    # all of it is consistent with that, never when it is UTF-8 with one bad byte (decoding
    # that as Windows-1252 would silently garble every accented name in it).
    if data.startswith(b"\xef\xbb\xbf") or _UTF8_SEQUENCE.search(data):
        raise _reject(
            file,
            f"row {_row_of(data, bad)}: byte {bad + 1:,} of the file (0x{data[bad]:02X}) is not "
            "valid UTF-8, "
            "though the rest of the file is UTF-8: correct that cell, or save the file again "
            "as CSV UTF-8",
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _reject(
            file,
            f"row {_row_of(data, exc.start)}: byte {exc.start + 1:,} of the file "
            f"(0x{data[exc.start]:02X}) "
            "is neither UTF-8 nor Windows-1252 text: save the file as CSV UTF-8",
        ) from None


def _delimiter(text: str) -> str:
    """Comma, semicolon (European Excel) or tab: the most frequent in the first line."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes, file: str) -> Rows:
    text = _decode(data, file)
    if "\x00" in text:
        raise _reject(file, "not a CSV or Excel file (it holds binary data)")
    return _csv_records(text, file)


def _csv_records(text: str, file: str) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    n = 0
    try:
        for n, record in enumerate(reader, 1):
            yield n, list(record)
    except csv.Error as exc:
        raise _reject(file, f"row {n + 1}: cannot read the CSV ({exc})") from None


# --- checking ------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
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


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y")


def _parse_date(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    # A time part (from "2025-04-01 00:00:00") says nothing about the day.
    text = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2200:
            return parsed
    return None


@dataclass
class _Row:
    number: int
    reference: str
    case_type: str
    team: str
    case_holder: str | None
    optional: dict[str, Any]  # only the optional columns the file has
    team_manager: str | None = None


@dataclass
class _Columns:
    index: dict[str, int]  # field -> column position
    ignored: list[str]


def _personal(heading: str) -> bool:
    norm = _norm_heading(heading)
    if norm in _ALIAS_TO_FIELD:
        return False
    words = set(norm.split())
    if _STAFF_WORDS & words:
        return False
    padded = f" {norm} "
    return bool(_PERSONAL_WORDS & words) or any(f" {p} " in padded for p in _PERSONAL_PHRASES)


def _match_columns(header: list[Cell], number: int, file: str) -> _Columns:
    errors: list[str] = []
    index: dict[str, int] = {}
    ignored: list[str] = []
    for pos, cell in enumerate(header):
        heading = _text(cell)
        if not heading:
            continue
        if _personal(heading):
            errors.append(
                f"{file}: column '{heading}' looks like a child's name or date of birth: "
                "remove the column and import again (audit-tui never stores them)"
            )
            continue
        field = _ALIAS_TO_FIELD.get(_norm_heading(heading))
        if field is None:
            ignored.append(heading)
        elif field in index:
            first = _text(header[index[field]])
            errors.append(
                f"{file}: row {number}: columns '{first}' and '{heading}' both give the "
                f"{FIELD_LABELS[field]}: keep one"
            )
        else:
            index[field] = pos
    for field in REQUIRED_FIELDS:
        if field not in index:
            names = ", ".join(f"'{a}'" for a in COLUMN_ALIASES[field][:4])
            errors.append(
                f"{file}: row {number}: no {FIELD_LABELS[field]} column "
                f"(name it {names} or another documented heading)"
            )
    if errors:
        raise ImportRejected(file, errors)
    return _Columns(index=index, ignored=ignored)


_LIMITS = {
    "team": 120,
    "case_holder": 120,
    "legal_status": 80,
    "age_band": 20,
    "team_manager": 120,
}


def _unknown_case_type(value: str, fw: Framework) -> str:
    named = ", ".join(fw.case_type_label(c) for c in fw.case_type_codes)
    return f"unknown case type '{value[:60]}' (framework {fw.id} has: {named})"


def _check_row(
    number: int, cells: list[Cell], cols: _Columns, file: str, errors: list[str], fw: Framework
) -> _Row | None:
    def cell(field: str) -> Cell:
        pos = cols.index.get(field)
        return cells[pos] if pos is not None and pos < len(cells) else None

    problems: list[str] = []
    values = {f: _text(cell(f)) for f in cols.index}
    for field in ("reference", "case_type", "team"):
        if not values[field]:
            problems.append(f"missing {FIELD_LABELS[field]}")
    ref = values["reference"]
    if ref and not REFERENCE_RE.match(ref):
        problems.append(
            f"case reference '{ref[:70]}' is not a case management system id "
            "(letters, digits and / _ . - only, at most 64 characters)"
        )
    code = fw.case_type_code(values["case_type"]) if values["case_type"] else None
    if values["case_type"] and code is None:
        problems.append(_unknown_case_type(values["case_type"], fw))
    for field, limit in _LIMITS.items():
        if field in values and len(values[field]) > limit:
            problems.append(f"{FIELD_LABELS[field]} is longer than {limit} characters")
        elif field in values and (bad := control_character(values[field])):
            # An escape sequence in a name would reach every terminal that lists it.
            problems.append(
                f"{FIELD_LABELS[field]} '{visible(values[field])}' contains a control "
                f"character ({bad})"
            )
    optional: dict[str, Any] = {}
    for field in OPTIONAL_FIELDS:
        if field not in cols.index:
            continue
        if field == "open_date":
            raw = cell(field)
            parsed = _parse_date(raw) if values[field] else None
            if values[field] and parsed is None:
                problems.append(
                    f"open date '{values[field][:30]}' is not a date (write it like 2025-04-01 "
                    "or 01/04/2025)"
                )
            optional[field] = parsed
        else:
            optional[field] = values[field] or None
    if problems:
        errors.extend(f"{file}: row {number}: {p}" for p in problems)
        return None
    return _Row(
        number=number,
        reference=ref,
        case_type=code or "",
        team=values["team"],
        case_holder=values["case_holder"] or None,
        optional=optional,
        team_manager=values.get("team_manager") or None,
    )


_HEADER_SEARCH = 10


def _known_headings(cells: list[Cell]) -> int:
    return sum(1 for c in cells if _norm_heading(_text(c)) in _ALIAS_TO_FIELD)


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
        if not any(_text(c) for c in cells):
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
            raise _reject(file, "the file is empty")
        at = filled[0]
    number, cells = looked[at]
    return number, cells, looked[at + 1 :]


def read_case_file(path: Path, fw: Framework) -> tuple[list[_Row], _Columns]:
    """Read and check the whole file without touching the database: the header first, then
    the rows one at a time. Case types are read against `fw`'s."""
    file = path.name
    with contextlib.closing(_read_rows(path, file)) as all_rows:
        number, header, after = _find_header(all_rows, file)
        cols = _match_columns(header, number, file)
        return _check_rows(itertools.chain(after, all_rows), cols, file, fw), cols


def _check_rows(
    rows_iter: Iterable[tuple[int, list[Cell]]], cols: _Columns, file: str, fw: Framework
) -> list[_Row]:
    errors: list[str] = []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in rows_iter:
        if not any(_text(c) for c in cells):
            continue  # blank lines between blocks of a list are harmless
        ref_pos = cols.index["reference"]
        ref = _text(cells[ref_pos]) if ref_pos < len(cells) else ""
        row = _check_row(number, cells, cols, file, errors, fw)
        # A repeated reference is reported even when the first row had other problems.
        if ref and ref in seen:
            errors.append(
                f"{file}: row {number}: duplicate case reference '{ref[:70]}' "
                f"(also on row {seen[ref]})"
            )
            continue
        if ref:
            seen[ref] = number
        if row is not None:
            rows.append(row)
    if errors:
        raise ImportRejected(file, errors)
    if not rows:
        raise _reject(file, "the file has a header row but no cases")
    return rows


# --- writing -------------------------------------------------------------------------------


def _mark_manager(
    ctx: AppContext, s: Session, row: _Row, team: Team, file: str, notes: list[str]
) -> None:
    """The row's team manager column: that person manages the row's team (added to the staff
    directory if new). Someone in another team, or a leaver, is an error naming them."""
    name = " ".join(row.team_manager.split()) if row.team_manager else ""
    known = s.execute(select(Worker).where(func.lower(Worker.name) == name.lower())).scalar()
    if known is not None and known.team_id not in (None, team.id):
        raise ImportRejected(
            file,
            [
                f"{file}: row {row.number}: team manager {known.name} is in team "
                f"{known.team.name if known.team else '?'}, not {team.name} (move them with "
                "`audit-tui staff set-team` first)"
            ],
        )
    if known is not None and known.left_on is not None:
        raise ImportRejected(
            file,
            [
                f"{file}: row {row.number}: team manager {known.name} left on "
                f"{known.left_on.isoformat()}"
            ],
        )
    if known is not None and known.is_manager and known.team_id == team.id:
        return
    worker = get_or_create_worker(ctx, s, name, team, manager=True)
    if worker.team_id is None:
        log_event(
            s,
            ctx.actor,
            "edit",
            "worker",
            worker.id,
            field="team_id",
            new={"id": team.id, "name": team.name},
        )
        worker.team_id = team.id
    notes.append(f"{worker.name} marked as a manager of {team.name}")


def _existing_cases(session: Session, refs: list[str]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    for start in range(0, len(refs), 500):  # stay well under any bound-parameter limit
        chunk = refs[start : start + 500]
        for case in session.execute(select(Case).where(Case.reference.in_(chunk))).scalars():
            found[case.reference] = case
    return found


def import_cases(ctx: AppContext, path: Path, framework_id: str | None = None) -> ImportReport:
    """Create or update the cases listed in a CSV or XLSX file, all or nothing. The case
    types are those of the framework in use (`framework_id`, default the settings').

    Raises ImportRejected (a UserError) listing every problem when anything is wrong.
    Each created or changed case gets one event (old and new values); unchanged cases none;
    one summary event records the import itself.
    """
    path = Path(path)
    fw = framework_choice.in_use(ctx, framework_id)
    rows, cols = read_case_file(path, fw)
    file = path.name
    teams_created: list[str] = []
    workers_created: list[str] = []
    fresh: list[Case] = []
    updates: list[tuple[Case, dict[str, Any], dict[str, Any]]] = []
    unchanged = 0
    with ctx.db.write() as s:
        demo = refuse_real_work_in_demo(ctx, s, "importing a case list")
        teams = {t.name.lower(): t for t in s.execute(select(Team)).scalars()}
        known_workers = {n.lower() for n in s.execute(select(func.lower(Worker.name))).scalars()}
        workers: dict[str, Worker] = {}
        managers_marked: list[str] = []
        existing = _existing_cases(s, [r.reference for r in rows])
        for row in rows:
            team_name = " ".join(row.team.split())
            team = teams.get(team_name.lower())
            if team is None:
                team = Team(name=team_name, is_demo=demo)
                s.add(team)
                s.flush()
                log_event(
                    s, ctx.actor, "create", "team", team.id, new={"name": team_name}, reason=file
                )
                teams[team_name.lower()] = team
                teams_created.append(team_name)
            if row.team_manager:
                _mark_manager(ctx, s, row, team, file, managers_marked)
            holder: Worker | None = None
            if row.case_holder:
                key = row.case_holder.lower()
                holder = workers.get(key)
                if holder is None:
                    if key not in known_workers:
                        workers_created.append(row.case_holder)
                        known_workers.add(key)
                    holder = get_or_create_worker(ctx, s, row.case_holder, team)
                    workers[key] = holder
            new: dict[str, Any] = {
                "case_type": row.case_type,
                "team_id": team.id,
                "worker_id": holder.id if holder else None,
                **row.optional,
            }
            case = existing.get(row.reference)
            if case is None:
                fresh.append(Case(reference=row.reference, is_demo=demo, **new))
                continue
            changed = {k: v for k, v in new.items() if getattr(case, k) != v}
            if not changed and case.is_demo == demo:
                unchanged += 1
                continue
            if case.is_demo != demo:
                changed["is_demo"] = demo  # a case in a real import is real, whatever made it
            old = {k: getattr(case, k) for k in changed}
            for k, v in changed.items():
                setattr(case, k, v)
            case.updated_at = utcnow()
            updates.append((case, old, changed))
        # One flush for all new cases; then one event per created or changed case.
        s.add_all(fresh)
        s.flush()
        team_names = {t.id: t.name for t in teams.values()}
        worker_names = {wid: wname for wid, wname in s.execute(select(Worker.id, Worker.name))}

        def readable(values: dict[str, Any]) -> dict[str, Any]:
            """The columns (ids for `db verify`) and the team and case-holder by name."""
            out = dict(values)
            if "team_id" in values:
                out["team"] = team_names.get(values["team_id"])
            if "worker_id" in values:
                out["case_holder"] = worker_names.get(values["worker_id"])
            return out

        for case in fresh:
            log_event(
                s,
                ctx.actor,
                "import",
                "case",
                case.id,
                new=readable(case_values(case)),
                reason=file,
            )
        for case, old, changed in updates:
            log_event(
                s,
                ctx.actor,
                "import",
                "case",
                case.id,
                old=readable(old),
                new=readable(changed),
                reason=file,
            )
        created, updated = len(fresh), len(updates)
        log_event(
            s,
            ctx.actor,
            "import_cases",
            "case_list",
            None,
            new={"file": file, "rows": len(rows), "created": created, "updated": updated},
        )
    notes = [f"column '{c}' ignored (not a known column)" for c in cols.ignored]
    notes += [f"created team '{t}'" for t in teams_created]
    notes += managers_marked
    if workers_created:
        notes.append(
            f"added {len(workers_created)} case-holder{'s' if len(workers_created) != 1 else ''}"
        )
    return ImportReport(
        file=file,
        rows=len(rows),
        created=created,
        updated=updated,
        unchanged=unchanged,
        teams_created=teams_created,
        workers_created=workers_created,
        ignored_columns=cols.ignored,
        notes=notes,
    )
