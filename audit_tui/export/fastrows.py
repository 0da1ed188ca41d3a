"""Long table sheets written as text, not as one openpyxl object per cell.

openpyxl's write-only mode streams rows to disk, but without lxml it still builds an
ElementTree element for every cell and serialises it in pure Python: about 8 µs a cell, so a
year of a national collection (~3 million answers x 15 columns) took many minutes. A table
row here is rendered once as the XML openpyxl would write (same cell types, styles and
escaping) and written to the sheet's stream in one piece; it is ~5x faster.

The stream is openpyxl's own: sheet set-up, the tail (tables, print settings), styles and
saving stay openpyxl's. Any row holding a value this module does not render (a bool, a
Decimal, a time) is handed to openpyxl unchanged, and where the installed openpyxl does not
have the expected write-only internals (or lxml is installed, whose writer is already fast)
every row goes through openpyxl as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import LXML
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

try:  # a private module: if a later openpyxl moves it, every row goes through openpyxl
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
except ImportError:  # pragma: no cover
    WriteOnlyWorksheet = None

from audit_tui.export.safety import clean_text, needs_guard, text_cell

_CACHE_LIMIT = 20_000  # rendered strings kept per column: names, sections, question texts


def available(ws: Any) -> bool:
    """Whether rows of `ws` can be written as text (see the module note)."""
    return (
        not LXML
        and WriteOnlyWorksheet is not None
        and isinstance(ws, WriteOnlyWorksheet)
        and ws._rows is None
        and hasattr(ws, "_get_writer")
        and hasattr(ws, "_values_to_row")
    )


class RowStream:
    """Owns a write-only sheet's row stream from its first row: `append(values)` goes through
    openpyxl exactly as `ws.append` would; `append_xml(row_xml)` writes a rendered row."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self._gen: Generator[None, Any, None] | None = None

    def _start(self) -> Generator[None, Any, None]:
        # Started at the first row, after the sheet's set-up (widths, panes), as openpyxl does.
        ws = self.ws
        if ws._rows is not None:
            # not translated: a programming error, never a user's
            raise RuntimeError(f"sheet {ws.title}: rows were appended around its RowStream")
        ws._get_writer()
        gen = self._rows()
        next(gen)
        ws._rows = gen  # ws.close() closes it: the same hand-over as openpyxl's own stream
        return gen

    def _rows(self) -> Generator[None, Any, None]:
        writer = self.ws._writer
        xf = writer.xf.send(True)
        raw: Callable[[str], Any] = xf._file
        row = 0
        with xf.element("sheetData"):
            try:
                while True:
                    item = yield
                    row += 1
                    if isinstance(item, str):
                        # A row numbered wrongly would make a file Excel refuses to open.
                        if not item.startswith((f'<row r="{row}">', f'<row r="{row}" ')):
                            # not translated: a programming error, never a user's
                            raise RuntimeError(f"sheet {self.ws.title}: row {row} out of order")
                        raw(item)
                    else:
                        writer.write_row(xf, self.ws._values_to_row(item, row), row)
            except GeneratorExit:
                pass
        writer.xf.send(None)

    def append(self, values: Sequence[Any]) -> None:
        self._gen = self._gen or self._start()
        self._gen.send(list(values))

    def append_xml(self, row_xml: str) -> None:
        self._gen = self._gen or self._start()
        self._gen.send(row_xml)


def _escape(text: str) -> str:
    # What ElementTree writes for element text.
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _number(value: float | int) -> str:
    # openpyxl's safe_string for numbers: NaN and infinity become an empty value.
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    return f"{value:.16g}"


class _Fallback(Exception):
    """A value this module does not render: the row goes through openpyxl."""


class ColumnRenderer:
    """Renders one column's cells as openpyxl would write them. `template` is the styled cell
    the column's values are copied into (None: unstyled); `prepare` turns a value into what
    is written (e.g. a percent 0-100 into 0-1)."""

    def __init__(
        self,
        ws: WriteOnlyWorksheet,
        index: int,
        template: Cell | None,
        prepare: Callable[[Any], Any] | None = None,
        *,
        dates: bool = False,
    ) -> None:
        self.letter = get_column_letter(index)
        self.prepare = prepare
        self.epoch = ws.parent.epoch
        styled = template is not None and template.has_style
        self.style = f' s="{template.style_id}"' if styled and template is not None else ""
        # Text that could be read as a formula gets the quote-prefix style (safety.text_cell).
        guard = text_cell(ws, "x", template)
        self.guard_style = f' s="{guard.style_id}"'
        # A date needs a date format: without a template openpyxl would pick one itself.
        self.dates = dates and styled
        self.cache: dict[str, str] = {}

    def text(self, value: str) -> str:
        """The part of a string cell after its reference."""
        out = self.cache.get(value)
        if out is not None:
            return out
        clean = clean_text(value)
        style = self.guard_style if needs_guard(clean) else self.style
        stripped = clean.strip()
        space = ' xml:space="preserve"' if stripped and clean != stripped else ""
        out = f'{style} t="inlineStr"><is><t{space}>{_escape(clean)}</t></is></c>'
        if len(self.cache) < _CACHE_LIMIT:
            self.cache[value] = out
        return out

    def render(self, value: Any, row: int) -> str:
        if self.prepare is not None and value is not None:
            value = self.prepare(value)
        if value is None:
            return ""
        kind = type(value)
        if kind is str:
            return f'<c r="{self.letter}{row}"{self.text(value)}'
        if kind is int or kind is float:
            return f'<c r="{self.letter}{row}"{self.style} t="n"><v>{_number(value)}</v></c>'
        if self.dates and (kind is date or kind is datetime):
            if kind is datetime and value.tzinfo is not None:
                raise _Fallback  # openpyxl refuses these with its own message
            serial = to_excel(value, self.epoch)
            return f'<c r="{self.letter}{row}"{self.style} t="n"><v>{_number(serial)}</v></c>'
        raise _Fallback


def render_row(
    columns: Sequence[ColumnRenderer], values: Sequence[Any], row: int, height: float | None = None
) -> str | None:
    """The <row> element for `values` (with its height, as openpyxl writes a row dimension),
    or None when a value needs openpyxl."""
    if len(values) != len(columns):
        # not translated: a programming error, never a user's
        raise ValueError(f"{len(values)} values for {len(columns)} columns")
    try:
        cells = "".join([c.render(v, row) for c, v in zip(columns, values, strict=True)])
    except _Fallback:
        return None
    if height is None:
        return f'<row r="{row}">{cells}</row>'
    return f'<row r="{row}" ht="{height:.16g}" customHeight="1">{cells}</row>'
