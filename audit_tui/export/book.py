"""Writing helpers over openpyxl's write-only workbook: sheets set up for reading and printing,
typed columns, Excel tables with filters, and long tables split at Excel's row limit.

Every sheet is write-only (openpyxl cannot mix modes), so rows stream to disk as they are
appended and memory stays flat however large the export. Anything that belongs above the
rows in the file (column widths, frozen panes, fit-to-page) is set before the first row.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import Period
from audit_tui.export import fastrows, styles
from audit_tui.export.safety import clean_text, needs_guard, text_cell
from audit_tui.services.context import AppContext
from audit_tui.services.profile_schemas import PercentMet, Profile

EXCEL_MAX_ROWS = 1_048_576
PROGRESS_EVERY = 2_000


class ExportProgress(BaseModel):
    """Where an export is: `stage` is the sheet being written (or "saving")."""

    stage: str
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


ProgressCallback = Callable[[ExportProgress], None]


@dataclass(frozen=True)
class Column:
    """A column of a table sheet. kind: text | wrap | int | number | percent | date | datetime.

    `percent` takes 0-100 (as the services give it) and shows a percentage."""

    header: str
    width: float = 12
    kind: str = "text"


_FORMATS = {
    "percent": styles.PERCENT,
    "date": styles.DATE,
    "datetime": styles.DATETIME,
    "points": styles.POINTS,
}


class Sheet:
    """One write-only worksheet and the number of the last row written."""

    def __init__(self, book: ExportBook, title: str) -> None:
        self.book = book
        self.ws = book.wb.create_sheet(title)
        self.title = title
        self.row = 0
        self._templates: dict[tuple[Any, ...], Cell] = {}
        # Long tables are written as text where the installed openpyxl allows (fastrows).
        self.stream = fastrows.RowStream(self.ws) if fastrows.available(self.ws) else None

    # -- set-up (before the first row) --------------------------------------------------

    def setup(self, widths: Sequence[float], *, freeze: str | None = None) -> None:
        ws = self.ws
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        if freeze:
            ws.freeze_panes = freeze
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as needed
        ws.print_options.gridLines = False

    def print_titles(self, rows: str) -> None:
        self.ws.print_title_rows = rows

    # -- cells --------------------------------------------------------------------------

    def style(
        self,
        *,
        number_format: str | None = None,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        border: bool = False,
    ) -> Cell:
        """A template cell with these styles; copying its style array is cheap."""
        key = (number_format, id(font), id(fill), id(alignment), border)
        tpl = self._templates.get(key)
        if tpl is None:
            tpl = WriteOnlyCell(self.ws)
            if number_format:
                tpl.number_format = number_format
            if font is not None:
                tpl.font = font
            if fill is not None:
                tpl.fill = fill
            if alignment is not None:
                tpl.alignment = alignment
            if border:
                tpl.border = styles.BOX
            # The style objects are module constants or cached fills, so ids stay unique.
            self._templates[key] = tpl
        return tpl

    def cell(self, value: Any, template: Cell | None = None) -> Any:
        """A value ready to append: strings guarded against formula injection, styles applied."""
        if isinstance(value, str):
            value = clean_text(value)
            if needs_guard(value):
                return text_cell(self.ws, value, template)
        if template is None:
            return value
        c = WriteOnlyCell(self.ws)
        c._style = copy(template._style)
        c.value = value
        return c

    def append(self, values: Iterable[Any]) -> int:
        if self.stream is not None:
            self.stream.append(list(values))
        else:
            self.ws.append(list(values))
        self.row += 1
        return self.row

    def append_xml(self, row_xml: str) -> int:
        """A row rendered by fastrows.render_row (only when `stream` is set)."""
        assert self.stream is not None
        self.stream.append_xml(row_xml)
        self.row += 1
        return self.row

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.append([])

    def title_row(self, text: str, font: Font = styles.TITLE_FONT) -> int:
        return self.append([self.cell(text, self.style(font=font))])

    def note_row(self, text: str) -> int:
        return self.append([self.cell(text, self.style(font=styles.NOTE_FONT))])

    def header(self, names: Sequence[str]) -> int:
        """A styled header row; names as `table()` will name the columns."""
        tpl = self.style(
            font=styles.HEADER_FONT, fill=styles.HEADER_FILL, alignment=styles.HEADER_ALIGN
        )
        return self.append([self.cell(n, tpl) for n in unique_headers(names)])

    def percent(self, fig: PercentMet | float | None, *, banded: bool = True) -> Any:
        """A percent (0-100 in, a percentage cell out) filled with its band's colour."""
        if isinstance(fig, PercentMet):
            value = fig.percent
            fill = self.book.band_fill(fig.band) if banded else None
        else:
            value, fill = fig, None
        tpl = self.style(number_format=styles.PERCENT, fill=fill)
        return self.cell(None if value is None else value / 100, tpl)

    def band(self, fig: PercentMet) -> Any:
        return self.cell(fig.band_label, self.style(fill=self.book.band_fill(fig.band)))

    # -- tables -------------------------------------------------------------------------

    def table(self, name: str, headers: Sequence[str], first_row: int, last_row: int) -> None:
        """An Excel table (banded, with filter buttons) over rows already written."""
        if last_row <= first_row:
            return  # a header with no rows: Excel refuses an empty table
        ref = f"A{first_row}:{get_column_letter(len(headers))}{last_row}"
        table = Table(displayName=self.book.table_name(name), ref=ref)
        # Write-only sheets cannot be read back, so name the columns here; the names must
        # equal the header cells, and Excel wants them unique (ignoring case).
        table.tableColumns = [
            TableColumn(id=i, name=n) for i, n in enumerate(unique_headers(headers), 1)
        ]
        table.autoFilter = AutoFilter(ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        with warnings.catch_warnings():
            # openpyxl warns on every write-only table; the columns are named above.
            warnings.simplefilter("ignore", UserWarning)
            self.ws.add_table(table)


def unique_headers(headers: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for h in headers:
        name = " ".join(clean_text(h).split())[:255] or "Column"
        base, n = name, 2
        while name.lower() in seen:
            name = f"{base} ({n})"
            n += 1
        seen.add(name.lower())
        out.append(name)
    return out


@dataclass
class ExportBook:
    """Everything a sheet writer needs. Later sheets (Actions, Moderation, Programme) are
    functions `(book: ExportBook) -> None` added to `workbook.SHEETS`."""

    ctx: AppContext
    framework: Framework
    period: Period
    profile: Profile
    generated_at: datetime
    progress: ProgressCallback | None
    total: int
    wb: Workbook = field(default_factory=lambda: Workbook(write_only=True))
    done: int = 0
    sheets: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    _table_names: set[str] = field(default_factory=set)

    def discard(self) -> None:
        """After a failure or a cancel: close the sheets' streams and delete their temporary
        files (openpyxl would otherwise leave them until the program exits)."""
        for ws in self.wb._sheets:
            rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
            with contextlib.suppress(Exception):
                if rows is not None:
                    rows.close()
            with contextlib.suppress(Exception):
                if writer is not None:
                    writer.close()
                    os.remove(writer.out)

    @property
    def team_filter(self) -> list[str] | None:
        """The chosen teams, or None for every team."""
        return self.profile.teams_selected or None

    def sheet(self, title: str) -> Sheet:
        self.sheets.append(title)
        self.report(title)
        return Sheet(self, title)

    def report(self, stage: str, rows: int = 0) -> None:
        self.done += rows
        if self.progress is not None:
            self.progress(ExportProgress(stage=stage, done=self.done, total=self.total))

    def table_name(self, name: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if not base[:1].isalpha():
            base = "T_" + base
        candidate, n = base, 2
        while candidate.lower() in self._table_names:
            candidate = f"{base}_{n}"
            n += 1
        self._table_names.add(candidate.lower())
        return candidate

    def band_fill(self, band: str | None) -> PatternFill:
        scale = self.framework.judgements
        rank = scale.rank(band) if band in scale.codes else None
        return _fill(rank, len(scale.codes))

    def table_sheet(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        intro: Sequence[str] = (),
        counted: bool = False,
    ) -> int:
        """A sheet holding one filterable table, streamed row by row. Past Excel's row
        limit the table carries on in "<title> (2)", "<title> (3)"... Returns the rows.

        counted: the rows are part of the progress total (the raw Audits and Answers)."""
        headers = [c.header for c in columns]
        max_rows = EXCEL_MAX_ROWS
        part = 1
        sheet, header_row = self._table_part(title, columns, intro)
        converters = [self._converter(sheet, c) for c in columns]
        renderers = self._renderers(sheet, columns)
        written = 0
        for values in rows:
            if sheet.row >= max_rows:
                sheet.table(title, headers, header_row, sheet.row)
                part += 1
                sheet, header_row = self._table_part(f"{title} ({part})", columns, intro)
                converters = [self._converter(sheet, c) for c in columns]
                renderers = self._renderers(sheet, columns)
            xml = None
            if renderers is not None:
                xml = fastrows.render_row(renderers, values, sheet.row + 1)
            if xml is not None:
                sheet.append_xml(xml)
            else:
                sheet.append([conv(v) for conv, v in zip(converters, values, strict=True)])
            written += 1
            if written % PROGRESS_EVERY == 0:
                self.report(title, PROGRESS_EVERY if counted else 0)
        sheet.table(title, headers, header_row, sheet.row)
        self.report(title, written % PROGRESS_EVERY if counted else 0)
        self.counts[title] = written
        return written

    def _table_part(
        self, title: str, columns: Sequence[Column], intro: Sequence[str]
    ) -> tuple[Sheet, int]:
        sheet = self.sheet(title)
        header_row = len(intro) + 1
        sheet.setup([c.width for c in columns], freeze=f"A{header_row + 1}")
        for line in intro:
            sheet.note_row(line)
        sheet.header([c.header for c in columns])
        sheet.print_titles(f"{header_row}:{header_row}")
        return sheet, header_row

    def _renderers(
        self, sheet: Sheet, columns: Sequence[Column]
    ) -> list[fastrows.ColumnRenderer] | None:
        """The text renderers of a table's columns: the same styles as `_converter`."""
        if sheet.stream is None:
            return None
        out = []
        for i, column in enumerate(columns, 1):
            kind = column.kind
            template: Cell | None = None
            prepare: Callable[[Any], Any] | None = None
            if kind == "wrap":
                template = sheet.style(alignment=styles.WRAP)
            elif kind in _FORMATS:
                template = sheet.style(number_format=_FORMATS[kind])
                if kind == "percent":
                    prepare = _hundredth
                elif kind == "datetime":
                    prepare = excel_date
            out.append(
                fastrows.ColumnRenderer(
                    sheet.ws, i, template, prepare, dates=kind in ("date", "datetime")
                )
            )
        return out

    def _converter(self, sheet: Sheet, column: Column) -> Callable[[Any], Any]:
        kind = column.kind
        if kind == "text":
            return lambda v: sheet.cell(v) if isinstance(v, str) else v
        if kind in ("int", "number"):
            return _identity
        if kind == "wrap":
            tpl = sheet.style(alignment=styles.WRAP)
            return lambda v: None if v is None else sheet.cell(v, tpl)
        fmt = _FORMATS[kind]
        tpl = sheet.style(number_format=fmt)
        if kind == "percent":
            return lambda v: None if v is None else sheet.cell(v / 100, tpl)
        if kind == "datetime":
            return lambda v: None if v is None else sheet.cell(excel_date(v), tpl)
        return lambda v: None if v is None else sheet.cell(v, tpl)


def _identity(v: Any) -> Any:
    return v


def _hundredth(v: Any) -> Any:
    return v / 100


_FILLS: dict[tuple[int | None, int], PatternFill] = {}


def _fill(rank: int | None, grades: int) -> PatternFill:
    key = (rank, grades)
    if key not in _FILLS:
        _FILLS[key] = styles.band_fill(rank, grades)
    return _FILLS[key]


def excel_date(d: date | datetime | None) -> date | datetime | None:
    """Excel has no time zones: times are stored in UTC (SQLite gives them back without a
    zone), shown in local time without one."""
    if isinstance(d, datetime):
        aware = d if d.tzinfo is not None else d.replace(tzinfo=UTC)
        return aware.astimezone().replace(tzinfo=None)
    return d
