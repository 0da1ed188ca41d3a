"""Filling a DataTable whose cells are styled Content: columns sized to their widest cell (the
table sizes plain strings itself but not Content), optionally capped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable


@dataclass(frozen=True)
class Col:
    label: str
    key: str
    max_width: int | None = None  # longer cells are cut (the full text is shown elsewhere)
    # For `width=` in fill_table: columns are taken in this order (0 first) while they fit;
    # the rest are left out whole rather than cut. Shown in their own order.
    priority: int = 0


def cell_width(cell: object) -> int:
    if isinstance(cell, Content):
        return cell.cell_length
    return Content(str(cell)).cell_length


def fill_table(
    table: DataTable[object],
    columns: Sequence[Col],
    rows: Sequence[tuple[Sequence[object], str]],
    width: int | None = None,
) -> list[Col]:
    """Replace the table's columns and rows; each row is (cells, row key). Given the `width`
    the table has, columns that would not fit are left out (by priority) instead of running
    off the screen. Returns the columns shown."""
    table.clear(columns=True)
    natural = [
        max([cell_width(col.label), *(cell_width(cells[i]) for cells, _ in rows)])
        for i, col in enumerate(columns)
    ]
    widths = [
        min(w, col.max_width) if col.max_width is not None else w
        for w, col in zip(natural, columns, strict=True)
    ]
    keep = set(range(len(columns)))
    if width is not None:
        pad = 2 * table.cell_padding
        keep, used = set(), 0
        for i in sorted(range(len(columns)), key=lambda i: (columns[i].priority, i)):
            if used + widths[i] + pad <= width or not keep:
                keep.add(i)
                used += widths[i] + pad
    shown = [i for i in range(len(columns)) if i in keep]
    for i in shown:
        # As Text: a str label is read as markup (a heading's "[" taken for a tag), and the
        # markup reader loads rich's emoji table (~14 ms on Home's first frame).
        table.add_column(Text(columns[i].label), key=columns[i].key, width=widths[i])
    for cells, key in rows:
        # Plain text as Text too: DataTable reads a str cell as markup ("[b]" in a team name).
        table.add_row(
            *(Text(c) if isinstance(c, str) else c for c in (cells[i] for i in shown)), key=key
        )
    return [columns[i] for i in shown]


def table_room(table: DataTable[object]) -> int:
    """Columns a table can show without scrolling sideways: its width less the scrollbar, or
    the screen's when it is not laid out yet."""
    width = table.size.width or table.app.size.width
    return max(width - table.styles.scrollbar_size_vertical - 1, 20)
