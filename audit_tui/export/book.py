"""Writing helpers over openpyxl's write-only workbook: sheets set up for reading and printing,
typed columns, Excel tables with filters, and long tables split at Excel's row limit.

Every sheet is write-only (openpyxl cannot mix modes), so rows stream to disk as they are
appended and memory stays flat however large the export. Anything that belongs above the
rows in the file (column widths, frozen panes, fit-to-page) is set before the first row.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from pydantic import BaseModel

from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import Period
from audit_tui.export import fastrows, layout, printing, styles
from audit_tui.export.files import discard_write_only
from audit_tui.export.safety import clean_text, needs_guard, text_cell
from audit_tui.export.words import Words
from audit_tui.i18n import N_, SEPARATOR, _
from audit_tui.services.context import AppContext
from audit_tui.services.profile_schemas import PercentMet, Profile

RAW_NOTE = N_(
    "Raw data for filtering: not printed with the board pack. To print it, clear the print "
    "area (Excel: Page Layout > Print Area > Clear Print Area; LibreOffice: Format > Print "
    "Ranges > Clear)."
)
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
    """One write-only worksheet and the number of the last row written.

    Every row written through `append` on a board sheet gets an explicit height from its text
    (export/layout.py): no client measures rows when it opens a file, so without one wrapped
    text overlaps the next row and a wrapped header shows only its first line."""

    def __init__(self, book: ExportBook, title: str) -> None:
        self.book = book
        self.ws = book.wb.create_sheet(title)
        self.title = title
        self.row = 0
        self.widths: list[float] = []
        self.kind = "board"
        self._templates: dict[tuple[Any, ...], Cell] = {}
        # Long tables are written as text where the installed openpyxl allows (fastrows).
        self.stream = fastrows.RowStream(self.ws) if fastrows.available(self.ws) else None

    # -- set-up (before the first row) --------------------------------------------------

    def setup(
        self,
        widths: Sequence[float],
        *,
        freeze: str | None = None,
        kind: str = "board",
        scale: int | None = None,
    ) -> None:
        """Column widths, frozen panes and how the sheet prints (printing.setup_page):
        kind is summary, board or raw; `scale` a board sheet's print scale."""
        ws = self.ws
        self.widths = list(widths)
        self.kind = kind
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        if freeze:
            ws.freeze_panes = freeze
        printing.setup_page(ws, kind, self.book.page, scale)

    def print_titles(self, rows: str, columns: str | None = None) -> None:
        self.ws.print_title_rows = rows
        if columns:
            self.ws.print_title_cols = columns

    def width(self, column: int, span: int = 1) -> float:
        """The width (characters) of `span` columns from `column` (1-based)."""
        ws = self.widths
        return sum(ws[i - 1] if i <= len(ws) else 8.43 for i in range(column, column + span))

    def span_to(self, limit: float, first: int = 1) -> int:
        """How many columns from `first` fit within `limit` characters (at least one)."""
        n, total = 0, 0.0
        while first + n <= len(self.widths) and total + self.widths[first + n - 1] <= limit:
            total += self.widths[first + n - 1]
            n += 1
        return max(n, 1)

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
        """A template cell with these styles; copying its style array is cheap. On a board
        sheet a cell without an alignment is aligned to the top of its row, as wrapped text
        is, so a row of several lines reads across."""
        if alignment is None and self.kind != "raw":
            alignment = styles.TOP
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
            # The style objects are module constants or cached, so ids stay unique.
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

    def append(
        self,
        values: Iterable[Any],
        *,
        spans: dict[int, int] | None = None,
        height: float | None = None,
        top: bool = True,
    ) -> int:
        """Write the next row. `spans`: {column: columns} merged from that column (1-based);
        the row's height is worked out from its text unless given. On a board sheet plain
        values are aligned to the top of the row (`top`), as wrapped text is."""
        values = list(values)
        if top and self.kind != "raw":
            values = [self._top(v) for v in values]
        row = self.row + 1
        if spans:
            for col, n in spans.items():
                if n > 1:
                    self.ws.merged_cells.add(
                        f"{get_column_letter(col)}{row}:{get_column_letter(col + n - 1)}{row}"
                    )
        if self.kind != "raw":
            h = height if height is not None else self.row_height(values, spans or {})
            self.ws.row_dimensions[row].height = h
        if self.stream is not None:
            self.stream.append(values)
        else:
            self.ws.append(values)
        self.row = row
        return self.row

    def _top(self, v: Any) -> Any:
        if isinstance(v, str):
            return self.cell(v, self.style(alignment=styles.TOP))
        if isinstance(v, int | float) and not isinstance(v, bool):
            return self.cell(v, self.style(alignment=styles.TOP))
        return v

    def row_height(self, values: Sequence[Any], spans: dict[int, int]) -> float:
        """The height (points) a row of these values needs: its tallest cell."""
        best = layout.row_points(1, styles.BODY_SIZE)
        for col, v in enumerate(values, 1):
            font, wrap = None, False
            if isinstance(v, Cell):
                font, wrap = v.font, bool(v.alignment.wrap_text)
                v = v.value
            if v is None:
                continue
            size = float(font.sz) if font is not None and font.sz else styles.BODY_SIZE
            lines = 1
            if wrap:
                text = v if isinstance(v, str) else str(v)
                width = self.width(col, spans.get(col, 1))
                lines = layout.lines_needed(text, width, size, bool(font is not None and font.b))
            best = max(best, layout.row_points(lines, size))
        return best

    def append_xml(self, row_xml: str) -> int:
        """A row rendered by fastrows.render_row (only when `stream` is set)."""
        assert self.stream is not None
        self.stream.append_xml(row_xml)
        self.row += 1
        return self.row

    def page_break(self) -> None:
        """Start a new printed page after the last row written (so a chart below is never
        cut across two pages)."""
        self.ws.row_breaks.append(Break(id=self.row))

    def column_breaks(
        self, starts: Sequence[int], end: int, limit: float, repeated: float
    ) -> list[int]:
        """Break the printed pages across at group starts (1-based columns; the last group
        ends at column `end`), as late as the page allows: `limit` characters of width a
        page, `repeated` of them taken by the title columns printed again on later pages."""
        used, page_start = 0.0, 1
        breaks = []
        for col in [*starts, end + 1]:
            width = self.width(page_start, col - page_start)
            if used + width > limit and page_start > 1:
                self.ws.col_breaks.append(Break(id=page_start - 1))
                breaks.append(page_start - 1)
                used = repeated
            used += width
            page_start = col
        return breaks  # the last column of each page but the last

    def blank(self, n: int = 1) -> None:
        for _blank in range(n):
            self.append([])

    def title_row(self, text: str, font: Font = styles.TITLE_FONT) -> int:
        return self.append([self.cell(text, self.style(font=font))])

    def note_row(self, text: str, *, span: int | None = None, font: Font = styles.NOTE_FONT) -> int:
        """A line of explanation, wrapped across `span` merged columns (default: as many as
        fit on a printed page)."""
        if span is None:
            span = self.span_to(PAGE_WIDTH)
        wrap = self.style(font=font, alignment=styles.WRAP)
        return self.append([self.cell(text, wrap)], spans={1: span})

    def header(
        self,
        names: Sequence[str],
        *,
        first: int = 1,
        font: Font | None = None,
        after: Sequence[Any] = (),
        unique: bool = True,
        spans: dict[int, int] | None = None,
    ) -> int:
        """A styled header row from column `first`; names as `table()` will name them
        (made unique, as an Excel table needs, unless `unique` is False: a header under a
        row naming groups of columns). `after`: cells written after the header's."""
        tpl = self.style(
            font=font or styles.HEADER_FONT, fill=styles.HEADER_FILL, alignment=styles.HEADER_ALIGN
        )
        names = unique_headers(names) if unique else list(names)
        cells = [None] * (first - 1) + [self.cell(n, tpl) for n in names] + list(after)
        for col, n in (spans or {}).items():  # the merged columns keep the header's fill
            cells[col:col] = [self.cell(None, tpl) for _ in range(n - 1)]
        return self.append(cells, spans=spans)

    def group_header(
        self, groups: Sequence[tuple[str, int]], *, first: int, font: Font | None = None
    ) -> int:
        """A header row naming groups of columns: each (title, columns) merged over its
        columns, from column `first`."""
        tpl = self.style(
            font=font or styles.HEADER_FONT, fill=styles.HEADER_FILL, alignment=styles.HEADER_ALIGN
        )
        values: list[Any] = [None] * (first - 1)
        spans: dict[int, int] = {}
        col = first
        for title, n in groups:
            spans[col] = n
            values.append(self.cell(title, tpl))
            values += [self.cell(None, tpl) for _ in range(n - 1)]
            col += n
        return self.append(values, spans=spans)

    def percent(
        self, fig: PercentMet | float | None, *, banded: bool = True, font: Font | None = None
    ) -> Any:
        """A percent (0-100 in, a percentage cell out) filled with its band's colour: put
        `band()` beside it, so the band is in words too. `font`: other than the default.
        A percent met shows the decimal places that keep it in its band (PercentMet.places:
        74.58 is 74.6%, never 75% beside a band that starts at 75%)."""
        size = float(font.sz) if font is not None and font.sz else None
        number_format = styles.PERCENT
        if isinstance(fig, PercentMet):
            value = fig.percent
            fill = self.book.band_fill(fig.band) if banded else None
            band_font = self.book.band_font(fig.band, size) if banded else None
            number_format = styles.percent_format(fig.places)
        else:
            value, fill, band_font = fig, None, None
        tpl = self.style(
            number_format=number_format, fill=fill, font=band_font or font, alignment=styles.TOP
        )
        return self.cell(None if value is None else value / 100, tpl)

    def band(self, fig: PercentMet, *, font: Font | None = None, wrap: bool = True) -> Any:
        """The band in words, on its colour."""
        size = float(font.sz) if font is not None and font.sz else None
        tpl = self.style(
            fill=self.book.band_fill(fig.band),
            font=self.book.band_font(fig.band, size) or font,
            alignment=styles.WRAP if wrap else None,
        )
        return self.cell(self.book.words.band(fig), tpl)

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


# A printed page (A4 landscape at the board scale) holds about this many characters of
# column width: intro notes wrap within it.
PAGE_WIDTH = 150


def unique_headers(headers: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for h in headers:
        name = " ".join(clean_text(h).split())[:255] or _("Column")
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
    page: printing.PageText
    lang: str = "en"  # the export's: en, cy or cy+en
    wb: Workbook = field(default_factory=lambda: Workbook(write_only=True))
    done: int = 0
    sheets: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    _table_names: set[str] = field(default_factory=set)

    def discard(self) -> None:
        """After a failure or a cancel: close the sheets' streams and delete their temporary
        files (openpyxl would otherwise leave them until the program exits)."""
        discard_write_only(self.wb)

    @property
    def team_filter(self) -> list[str] | None:
        """The chosen teams, or None for every team."""
        return self.profile.teams_selected or None

    @cached_property
    def words(self) -> Words:
        """The framework's words (grades, bands, sections, questions) in the export's language."""
        return Words(self.framework, self.lang)

    def sheet(self, title: str) -> Sheet:
        # A sheet name may not hold "/" and has at most 31 characters (Excel's rules): a
        # bilingual "Crynodeb / Summary" is written "Crynodeb - Summary".
        title = title.replace(SEPARATOR, " - ").replace("/", "-")[:31]
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

    def _rank(self, band: str | None) -> int | None:
        scale = self.framework.judgements
        return scale.rank(band) if band in scale.codes else None

    def band_fill(self, band: str | None) -> PatternFill | None:
        return _fill(self._rank(band), len(self.framework.judgements.codes))

    def band_font(self, band: str | None, size: float | None = None) -> Font | None:
        return _band_font(self._rank(band), len(self.framework.judgements.codes), size)

    def table_sheet(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        intro: Sequence[str] = (),
        counted: bool = False,
        raw: bool = False,
    ) -> int:
        """A sheet holding one filterable table, streamed row by row (tables.py)."""
        from audit_tui.export.tables import write_table

        return write_table(self, title, columns, rows, intro=intro, counted=counted, raw=raw)


# Cached so the same object is used each time (Sheet.style keys its templates on ids).
_FILLS: dict[tuple[int | None, int], PatternFill | None] = {}
_BAND_FONTS: dict[tuple[int | None, int, float | None], Font | None] = {}


def _fill(rank: int | None, grades: int) -> PatternFill | None:
    key = (rank, grades)
    if key not in _FILLS:
        _FILLS[key] = styles.band_fill(rank, grades)
    return _FILLS[key]


def _band_font(rank: int | None, grades: int, size: float | None) -> Font | None:
    key = (rank, grades, size)
    if key not in _BAND_FONTS:
        _BAND_FONTS[key] = styles.band_font(rank, grades, size)
    return _BAND_FONTS[key]


def excel_date(d: date | datetime | None) -> date | datetime | None:
    """Excel has no time zones: times are stored in UTC (SQLite gives them back without a
    zone), shown in local time without one."""
    if isinstance(d, datetime):
        aware = d if d.tzinfo is not None else d.replace(tzinfo=UTC)
        return aware.astimezone().replace(tzinfo=None)
    return d
