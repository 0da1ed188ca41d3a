"""Import the case list exported from the case management system (CSV or XLSX).

The import is all-or-nothing: the whole file is read and checked before anything is written,
and one bad row means nothing is imported. Re-importing a file updates the cases it names
(matched by reference) instead of adding them twice. Columns that look like a child's name or
date of birth make the whole file refused: the tool never stores them, and a file that carries
them should not be passed around at all.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.domain.case_types import CASE_TYPES
from audit_tui.domain.errors import UserError
from audit_tui.services.context import AppContext
from audit_tui.services.directory import get_or_create_worker
from audit_tui.services.eventlog import log_event

# The same rule NewAudit applies, so every imported case can be audited as it is.
from audit_tui.services.schemas import _REF as CASE_REFERENCE_PATTERN
from audit_tui.store.models import Case, Team, Worker, utcnow

REFERENCE_RE = re.compile(CASE_REFERENCE_PATTERN)

# --- columns -------------------------------------------------------------------------------

REQUIRED_FIELDS = ("reference", "case_type", "team", "case_holder")
OPTIONAL_FIELDS = ("legal_status", "age_band", "open_date")

FIELD_LABELS = {
    "reference": "case reference",
    "case_type": "case type",
    "team": "team",
    "case_holder": "case-holder",
    "legal_status": "legal status",
    "age_band": "age band",
    "open_date": "open date",
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
}

_ALIAS_TO_FIELD = {alias: f for f, aliases in COLUMN_ALIASES.items() for alias in aliases}

# Headings that would carry a child's name or date of birth. Any other heading containing
# one of these words is refused too, unless it is a known alias such as "worker name".
_PERSONAL_WORDS = {"name", "names", "forename", "forenames", "surname", "firstname", "lastname"}
_PERSONAL_HEADINGS = {"dob", "d o b", "date of birth", "birth date", "birthdate", "born"}
# A heading naming a member of staff ("Team manager name") is about staff, not the child.
_STAFF_WORDS = {"worker", "team", "manager", "practitioner", "holder", "caseholder", "auditor"}

# --- case types ----------------------------------------------------------------------------

CASE_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "child_in_need": ("cin", "children in need", "care and support", "care and support plan"),
    "child_protection": ("cp", "cpp", "child protection plan", "child protection register"),
    "looked_after": (
        "lac",
        "cla",
        "looked after child",
        "looked after children",
        "child looked after",
        "children looked after",
    ),
    "care_leaver": ("care leavers", "leaving care", "cl"),
    "disabled_children": (
        "cwd",
        "disabled child",
        "children with disabilities",
        "child with disabilities",
        "disability",
    ),
    "contact": ("contact",),
    "referral": ("referral",),
    "supervision_record": ("supervision",),
}

# Characters kept in case-type and heading comparisons; everything else becomes a space.
_NON_WORD = re.compile(r"[^0-9a-z']+")


def _norm_heading(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.lower().replace("'", "")).split())


def _case_type_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in CASE_TYPES.items():
        lookup[_norm_heading(code)] = code
        lookup[_norm_heading(label)] = code
        # "Contact (front door)" is also written plain "Contact".
        lookup[_norm_heading(label.split("(")[0])] = code
        for alias in CASE_TYPE_ALIASES.get(code, ()):
            lookup[_norm_heading(alias)] = code
    return lookup


_CASE_TYPE_LOOKUP = _case_type_lookup()


def case_type_code(value: str) -> str | None:
    """The stored code for a case-type label, code or common abbreviation; None if unknown."""
    return _CASE_TYPE_LOOKUP.get(_norm_heading(value))


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


_ROW_IN_ERROR = re.compile(r": row (\d+): ")


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

Cell = Any  # str, int, float, date, datetime, bool or None, as the reader gives it


def _reject(file: str, problem: str) -> ImportRejected:
    return ImportRejected(file, [f"{file}: {problem}"])


def _read_rows(path: Path, file: str) -> Iterator[tuple[int, list[Cell]]]:
    """(row number as a spreadsheet shows it, cells) for every row of the file."""
    if not path.exists():
        raise _reject(file, "no such file")
    if not path.is_file():
        raise _reject(file, "not a file")
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise _reject(file, f"the file is too large ({size // 1_000_000} MB; the limit is 50)")
        data = path.read_bytes()
    except OSError as exc:
        raise _reject(file, f"cannot read the file ({exc.strerror or exc})") from None
    if not data.strip():
        raise _reject(file, "the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise _reject(
            file,
            "an old-style .xls or password-protected workbook cannot be read: "
            "save it as .xlsx without a password, or as CSV",
        )
    if data.startswith(_ZIP_MAGIC):
        return _xlsx_rows(data, file)
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        raise _reject(file, "not an Excel workbook (the file's contents are not .xlsx)")
    return _csv_rows(data, file)


def _xlsx_rows(data: bytes, file: str) -> Iterator[tuple[int, list[Cell]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a zip that is not a workbook
        raise _reject(file, "not a readable Excel workbook (.xlsx)") from None
    try:
        ws = wb.active if wb.active is not None else wb.worksheets[0]
        # Some exporters write a wrong sheet size; without this read-only mode trusts it.
        ws.reset_dimensions()  # type: ignore[union-attr]
        cells = ws.iter_rows(values_only=True)  # type: ignore[union-attr]
        rows = [(n, list(values)) for n, values in enumerate(cells, 1)]
    except (IndexError, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise _reject(file, "not a readable Excel workbook (.xlsx)") from None
    finally:
        wb.close()
    return iter(rows)


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
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in the Windows-1252 code page.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _reject(
            file, "not a CSV file in UTF-8 or Windows-1252 text (save it as CSV UTF-8)"
        ) from None


def _delimiter(text: str) -> str:
    """Comma, semicolon (European Excel) or tab: the most frequent in the first line."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes, file: str) -> Iterator[tuple[int, list[Cell]]]:
    text = _decode(data, file)
    if "\x00" in text:
        raise _reject(file, "not a CSV or Excel file (it holds binary data)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    rows: list[tuple[int, list[Cell]]] = []
    n = 0
    try:
        for n, record in enumerate(reader, 1):
            rows.append((n, list(record)))
    except csv.Error as exc:
        raise _reject(file, f"row {n + 1}: cannot read the CSV ({exc})") from None
    return iter(rows)


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


@dataclass
class _Columns:
    index: dict[str, int]  # field -> column position
    ignored: list[str]


def _personal(heading: str) -> bool:
    norm = _norm_heading(heading)
    if norm in _ALIAS_TO_FIELD:
        return False
    words = set(norm.split())
    if norm in _PERSONAL_HEADINGS:
        return True
    return bool(_PERSONAL_WORDS & words) and not (_STAFF_WORDS & words)


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


_LIMITS = {"team": 120, "case_holder": 120, "legal_status": 80, "age_band": 20}


def _check_row(
    number: int, cells: list[Cell], cols: _Columns, file: str, errors: list[str]
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
    code = case_type_code(values["case_type"]) if values["case_type"] else None
    if values["case_type"] and code is None:
        problems.append(
            f"unknown case type '{values['case_type'][:60]}' "
            f"(use one of: {', '.join(CASE_TYPES.values())})"
        )
    for field, limit in _LIMITS.items():
        if field in values and len(values[field]) > limit:
            problems.append(f"{FIELD_LABELS[field]} is longer than {limit} characters")
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
    )


_HEADER_SEARCH = 10


def _known_headings(cells: list[Cell]) -> int:
    return sum(1 for c in cells if _norm_heading(_text(c)) in _ALIAS_TO_FIELD)


def read_case_file(path: Path) -> tuple[list[_Row], _Columns]:
    """Read and check the whole file without touching the database."""
    file = path.name
    all_rows = list(_read_rows(path, file))
    filled = [i for i, (_, cells) in enumerate(all_rows) if any(_text(c) for c in cells)]
    if not filled:
        raise _reject(file, "the file is empty")
    # Reports often open with a title row or two: the header is the first of the first few
    # rows that has at least two known headings, else simply the first non-empty row.
    start = next(
        (i for i in filled[:_HEADER_SEARCH] if _known_headings(all_rows[i][1]) >= 2), filled[0]
    )
    cols = _match_columns(all_rows[start][1], all_rows[start][0], file)
    rows_iter = iter(all_rows[start + 1 :])
    errors: list[str] = []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in rows_iter:
        if not any(_text(c) for c in cells):
            continue  # blank lines between blocks of a list are harmless
        ref_pos = cols.index["reference"]
        ref = _text(cells[ref_pos]) if ref_pos < len(cells) else ""
        row = _check_row(number, cells, cols, file, errors)
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
    return rows, cols


# --- writing -------------------------------------------------------------------------------


def _existing_cases(session: Session, refs: list[str]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    for start in range(0, len(refs), 500):  # stay well under any bound-parameter limit
        chunk = refs[start : start + 500]
        for case in session.execute(select(Case).where(Case.reference.in_(chunk))).scalars():
            found[case.reference] = case
    return found


def import_cases(ctx: AppContext, path: Path) -> ImportReport:
    """Create or update the cases listed in a CSV or XLSX file, all or nothing.

    Raises ImportRejected (a UserError) listing every problem when anything is wrong.
    Each created or changed case gets one event (old and new values); unchanged cases none;
    one summary event records the import itself.
    """
    path = Path(path)
    rows, cols = read_case_file(path)
    file = path.name
    teams_created: list[str] = []
    workers_created: list[str] = []
    fresh: list[Case] = []
    updates: list[tuple[Case, dict[str, Any], dict[str, Any]]] = []
    unchanged = 0
    with ctx.db.write() as s:
        teams = {t.name.lower(): t for t in s.execute(select(Team)).scalars()}
        known_workers = {n.lower() for n in s.execute(select(func.lower(Worker.name))).scalars()}
        workers: dict[str, Worker] = {}
        existing = _existing_cases(s, [r.reference for r in rows])
        for row in rows:
            team_name = " ".join(row.team.split())
            team = teams.get(team_name.lower())
            if team is None:
                team = Team(name=team_name)
                s.add(team)
                s.flush()
                log_event(s, ctx.actor, "create", "team", team.id, new=team_name, reason=file)
                teams[team_name.lower()] = team
                teams_created.append(team_name)
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
                fresh.append(Case(reference=row.reference, **new))
                continue
            changed = {k: v for k, v in new.items() if getattr(case, k) != v}
            if not changed and not case.is_demo:
                unchanged += 1
                continue
            old = {k: getattr(case, k) for k in changed}
            for k, v in changed.items():
                setattr(case, k, v)
            case.is_demo = False  # a case in a real import is real, whatever made it first
            case.updated_at = utcnow()
            updates.append((case, old, changed))
        # One flush for all new cases; then one event per created or changed case.
        s.add_all(fresh)
        s.flush()
        team_names = {t.id: t.name for t in teams.values()}
        worker_names = {wid: wname for wid, wname in s.execute(select(Worker.id, Worker.name))}

        def readable(values: dict[str, Any]) -> dict[str, Any]:
            out = {k: v for k, v in values.items() if k not in {"team_id", "worker_id"}}
            if "team_id" in values:
                out["team"] = team_names.get(values["team_id"])
            if "worker_id" in values:
                out["case_holder"] = worker_names.get(values["worker_id"])
            return out

        for case in fresh:
            fields = {k: getattr(case, k) for k in ("case_type", "team_id", "worker_id")}
            fields |= {k: getattr(case, k) for k in cols.index if k in OPTIONAL_FIELDS}
            log_event(s, ctx.actor, "import", "case", case.id, new=readable(fields), reason=file)
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
