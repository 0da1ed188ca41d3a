"""Checks that the text-rendered rows (audit_tui/export/fastrows.py) give the same workbook as
openpyxl's own cell writer: every sheet, every cell's value, type and style."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from unittest import mock

from openpyxl import load_workbook

from audit_tui.export import fastrows
from audit_tui.export.workbook import ExportSpec, write_workbook
from audit_tui.services.context import AppContext


def _cells(path: Path) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                rows.append(
                    (
                        c.coordinate,
                        c.value,
                        c.data_type,
                        c.number_format,
                        c.quotePrefix,
                        c.alignment.wrap_text,
                        c.font.b,
                        c.fill.fgColor.rgb,
                    )
                )
        # Row heights too: a board table's rows carry the height of their wrapped text.
        rows += [("height", r, d.height) for r, d in sorted(ws.row_dimensions.items()) if d.height]
        out[ws.title] = rows
    return out


def check(ctx: AppContext, period: str, folder: Path) -> str:
    """Export `period` both ways and compare; returns a one-line verdict, raises on a mismatch."""
    # One "now" for both: the Summary says when it was written, to the minute, and the two
    # writes may fall either side of a minute's turn.
    now = datetime.now()
    spec = ExportSpec(period=period, overwrite=True)
    fast = write_workbook(ctx, spec, folder / "fast.xlsx", now=now)
    with mock.patch.object(fastrows, "available", lambda ws: False):
        slow = write_workbook(ctx, spec, folder / "slow.xlsx", now=now)
    a, b = _cells(fast.path), _cells(slow.path)
    if a.keys() != b.keys():
        raise AssertionError(f"sheets differ: {list(a)} vs {list(b)}")
    cells = 0
    for title in a:
        if a[title] != b[title]:
            diff = (
                next((x, y) for x, y in zip(a[title], b[title], strict=False) if x != y)
                if len(a[title]) == len(b[title])
                else (len(a[title]), len(b[title]))
            )
            raise AssertionError(f"sheet {title} differs: {diff}")
        cells += len(a[title])
    return (
        f"identical: {len(a)} sheets, {cells:,} cells (value, type, number format, "
        f"quote prefix, wrap, bold, fill) and row heights; {slow.seconds:.1f} s openpyxl cells vs "
        f"{fast.seconds:.1f} s text rows"
    )
