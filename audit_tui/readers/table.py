"""A table file (CSV or XLSX) as numbered rows of cells, read as they are needed.

Whatever the file holds, reading it is bounded: its size, the size a workbook unpacks to,
the number of rows and columns. A file that cannot be read is refused in one plain line
naming it (and the row, where there is one)."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Generator
from pathlib import Path
from typing import Any

from audit_tui.domain.files import FileProblem, read_regular_file
from audit_tui.i18n import N_, _
from audit_tui.readers.cells import Cell
from audit_tui.readers.rejected import ImportRejected, reject

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

# A generator, so a reader stopped early (a bad header) closes the workbook it opened.
Rows = Generator[tuple[int, list[Cell]], None, None]


def read_rows(path: Path, file: str) -> Rows:
    """(row number as a spreadsheet shows it, cells) for every row of the file, read as they
    are needed, never more than _MAX_ROWS."""
    try:
        data = read_regular_file(path, _MAX_BYTES)
    except FileProblem as exc:
        raise reject(file, str(exc)) from None
    if not data.strip():
        raise reject(file, _("the file is empty"))
    if data.startswith(_OLE_MAGIC):
        raise reject(
            file,
            _(
                "an old-style .xls or password-protected workbook cannot be read: "
                "save it as .xlsx without a password, or as CSV"
            ),
        )
    if data.startswith(_ZIP_MAGIC):
        rows = _xlsx_rows(data, file)
    elif path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        raise reject(file, _("not an Excel workbook (the file's contents are not .xlsx)"))
    else:
        rows = _csv_rows(data, file)
    return _capped(rows, file)


def _capped(rows: Rows, file: str) -> Rows:
    with contextlib.closing(rows):
        for n, (number, cells) in enumerate(rows, 1):
            if n > _MAX_ROWS:
                raise reject(
                    file,
                    _(
                        "the file has more than {n} rows: a case list is one row per open case; "
                        "split it or remove the rows that are not cases"
                    ).format(n=f"{_MAX_ROWS:,}"),
                )
            yield number, cells


_NOT_XLSX = N_("not a readable Excel workbook (.xlsx)")


def _xlsx_rows(data: bytes, file: str) -> Rows:
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise reject(file, _(_NOT_XLSX)) from None
    if unpacked > _MAX_UNPACKED:
        raise reject(
            file,
            _(
                "the workbook unpacks to {size} MB, more than a case list needs (the limit is "
                "{limit} MB): save the case list alone as .xlsx or CSV"
            ).format(size=f"{unpacked // (1024 * 1024):,}", limit=_MAX_UNPACKED // (1024 * 1024)),
        )
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (and ParseError) for a damaged workbook
        raise reject(file, _(_NOT_XLSX)) from None
    try:
        ws = wb.active if wb.active is not None else wb.worksheets[0]
    except IndexError:
        wb.close()
        raise reject(file, _("{problem}: it has no sheets").format(problem=_(_NOT_XLSX))) from None
    if not isinstance(ws, ReadOnlyWorksheet):
        wb.close()
        raise reject(
            file,
            _(
                "the sheet that opens first ('{sheet}') is a chart, not a table: open the "
                "case list's sheet, save the workbook and import it again"
            ).format(sheet=ws.title),
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
                raise reject(
                    file,
                    _(
                        "{problem}: the sheet is damaged (it has a row past row {last}, the "
                        "last row Excel has)"
                    ).format(problem=_(_NOT_XLSX), last=f"{_EXCEL_ROWS:,}"),
                )
            if values.count(None) == len(values):
                continue
            yield number, list(values)
    except ImportRejected:
        raise
    except Exception:  # a truncated or malformed sheet: ParseError, KeyError, ValueError...
        raise reject(
            file,
            _("{problem}: the sheet is damaged after row {row}").format(
                problem=_(_NOT_XLSX), row=number
            ),
        ) from None
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
            raise reject(file, _("not a readable text file (bad UTF-16)")) from None
    if b"\x00" in data[:8192]:
        raise reject(file, _("not a CSV or Excel file (it holds binary data)"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    # Excel on Windows saves "CSV" in the Windows-1252 code page: read the file so only when
    # all of it is consistent with that, never when it is UTF-8 with one bad byte (decoding
    # that as Windows-1252 would silently garble every accented name in it).
    if data.startswith(b"\xef\xbb\xbf") or _UTF8_SEQUENCE.search(data):
        raise reject(
            file,
            _(
                "row {row}: byte {byte} of the file ({hex}) is not valid UTF-8, though the rest "
                "of the file is UTF-8: correct that cell, or save the file again as CSV UTF-8"
            ).format(row=_row_of(data, bad), byte=f"{bad + 1:,}", hex=f"0x{data[bad]:02X}"),
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise reject(
            file,
            _(
                "row {row}: byte {byte} of the file ({hex}) is neither UTF-8 nor Windows-1252 "
                "text: save the file as CSV UTF-8"
            ).format(
                row=_row_of(data, exc.start),
                byte=f"{exc.start + 1:,}",
                hex=f"0x{data[exc.start]:02X}",
            ),
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
        raise reject(file, _("not a CSV or Excel file (it holds binary data)"))
    return _csv_records(text, file)


def _csv_records(text: str, file: str) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    n = 0
    try:
        for n, record in enumerate(reader, 1):
            yield n, list(record)
    except csv.Error as exc:
        raise reject(
            file, _("row {row}: cannot read the CSV ({problem})").format(row=n + 1, problem=exc)
        ) from None
