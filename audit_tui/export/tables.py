"""Table sheets: one filterable Excel table a sheet, streamed row by row, carried on in
"<title> (2)", "<title> (3)"... past Excel's row limit. The column headers are written in
the export's language (Column.header is the English, marked for the catalogue)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from audit_tui.export import fastrows, layout, styles
from audit_tui.export.book import (
    _FORMATS,
    PAGE_WIDTH,
    PROGRESS_EVERY,
    RAW_NOTE,
    Column,
    ExportBook,
    Sheet,
    excel_date,
)
from audit_tui.export.safety import clean_text
from audit_tui.i18n import _

EXCEL_MAX_ROWS = 1_048_576


def write_table(
    book: ExportBook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    intro: Sequence[str] = (),
    counted: bool = False,
    raw: bool = False,
) -> int:
    """A sheet holding one filterable table, streamed row by row. Past Excel's row
    limit the table carries on in "<title> (2)", "<title> (3)"... Returns the rows.

    counted: the rows are part of the progress total (the raw Audits and Answers).
    raw: raw data for filtering, left out when the workbook is printed (printing.py)."""
    columns = [replace(c, header=_(c.header)) for c in columns]
    headers = [c.header for c in columns]
    max_rows = EXCEL_MAX_ROWS
    part = 1
    wrapped = [i for i, c in enumerate(columns) if c.kind == "wrap"]
    sheet, header_row = _table_part(book, title, columns, intro, raw)
    converters = [_converter(sheet, c, raw) for c in columns]
    renderers = _renderers(sheet, columns, raw)
    written = 0
    for values in rows:
        if sheet.row >= max_rows:
            sheet.table(title, headers, header_row, sheet.row)
            part += 1
            sheet, header_row = _table_part(book, f"{title} ({part})", columns, intro, raw)
            converters = [_converter(sheet, c, raw) for c in columns]
            renderers = _renderers(sheet, columns, raw)
        height = None if raw else _table_row_height(columns, wrapped, values)
        xml = None
        if renderers is not None:
            xml = fastrows.render_row(renderers, values, sheet.row + 1, height)
        if xml is not None:
            sheet.append_xml(xml)
        else:
            sheet.append(
                [conv(v) for conv, v in zip(converters, values, strict=True)],
                height=height,
                top=False,
            )
        written += 1
        if written % PROGRESS_EVERY == 0:
            book.report(title, PROGRESS_EVERY if counted else 0)
    sheet.table(title, headers, header_row, sheet.row)
    if written == 0 and not raw and intro:
        # Nothing to list: the page prints the lines saying so, not an empty grid.
        sheet.ws.print_area = f"A1:{get_column_letter(sheet.span_to(PAGE_WIDTH))}{len(intro)}"
    book.report(title, written % PROGRESS_EVERY if counted else 0)
    book.counts[title] = written
    return written


def _table_part(
    book: ExportBook, title: str, columns: Sequence[Column], intro: Sequence[str], raw: bool
) -> tuple[Sheet, int]:
    sheet = book.sheet(title)
    header_row = len(intro) + 1
    sheet.setup(
        [c.width for c in columns], freeze=f"A{header_row + 1}", kind="raw" if raw else "board"
    )
    for line in intro:
        sheet.note_row(line)
    after: list[Any] = []
    if raw:
        # Printing the workbook prints the board pack: the print area of a raw sheet is
        # one cell, right of its table, saying so.
        after = [None, sheet.cell(_(RAW_NOTE), sheet.style(font=styles.NOTE_FONT))]
        sheet.ws.print_area = f"{get_column_letter(len(columns) + 2)}{header_row}"
    sheet.header([c.header for c in columns], after=after)
    sheet.print_titles(f"{header_row}:{header_row}")
    return sheet, header_row


def _renderers(
    sheet: Sheet, columns: Sequence[Column], raw: bool
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
            template = sheet.style(
                number_format=_FORMATS[kind], alignment=None if raw else styles.TOP
            )
            if kind == "percent":
                prepare = _hundredth
            elif kind == "datetime":
                prepare = excel_date
        elif not raw:
            template = sheet.style(alignment=styles.TOP)
        out.append(
            fastrows.ColumnRenderer(
                sheet.ws, i, template, prepare, dates=kind in ("date", "datetime")
            )
        )
    return out


def _converter(sheet: Sheet, column: Column, raw: bool) -> Callable[[Any], Any]:
    """How a table column's values become cells (the same styles as `_renderers`): on a
    board sheet every cell is aligned to the top of its row, as wrapped text is."""
    kind = column.kind
    if kind in ("text", "int", "number") and not raw:
        top = sheet.style(alignment=styles.TOP)
        return lambda v: None if v is None else sheet.cell(v, top)
    if kind == "text":
        return lambda v: sheet.cell(v) if isinstance(v, str) else v
    if kind in ("int", "number"):
        return _identity
    if kind == "wrap":
        tpl = sheet.style(alignment=styles.WRAP)
        return lambda v: None if v is None else sheet.cell(v, tpl)
    fmt = _FORMATS[kind]
    tpl = sheet.style(number_format=fmt, alignment=None if raw else styles.TOP)
    if kind == "percent":
        return lambda v: None if v is None else sheet.cell(v / 100, tpl)
    if kind == "datetime":
        return lambda v: None if v is None else sheet.cell(excel_date(v), tpl)
    return lambda v: None if v is None else sheet.cell(v, tpl)


def _table_row_height(columns: Sequence[Column], wrapped: Sequence[int], values: Any) -> float:
    """A table row's height: its wrapped columns' lines at the body size."""
    lines = 1
    for i in wrapped:
        v = values[i]
        if v is not None:
            text = clean_text(v) if isinstance(v, str) else str(v)
            lines = max(lines, layout.lines_needed(text, columns[i].width, styles.BODY_SIZE))
    return layout.row_points(lines, styles.BODY_SIZE)


def _identity(v: Any) -> Any:
    return v


def _hundredth(v: Any) -> Any:
    return v / 100
