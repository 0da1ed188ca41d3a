"""Filling a DataTable whose cells are styled Content: columns sized to their widest cell (the
table sizes plain strings itself but not Content), optionally capped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.widgets import DataTable


@dataclass(frozen=True)
class Col:
    label: str
    key: str
    max_width: int | None = None  # longer cells are cut (the full text is shown elsewhere)


def cell_width(cell: object) -> int:
    if isinstance(cell, Content):
        return cell.cell_length
    return Content(str(cell)).cell_length


def fill_table(
    table: DataTable[object],
    columns: Sequence[Col],
    rows: Sequence[tuple[Sequence[object], str]],
) -> None:
    """Replace the table's columns and rows; each row is (cells, row key)."""
    table.clear(columns=True)
    for i, col in enumerate(columns):
        width = max([cell_width(col.label), *(cell_width(cells[i]) for cells, _ in rows)])
        if col.max_width is not None:
            width = min(width, col.max_width)
        table.add_column(col.label, key=col.key, width=width)
    for cells, key in rows:
        table.add_row(*cells, key=key)
