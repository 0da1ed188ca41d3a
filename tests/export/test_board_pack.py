"""The workbook as a board pack, read back from the file: how it prints (page set-up, header and
footer, what is left out), row heights for wrapped text, bands in words beside every colour, a
palette that survives greyscale, and charts that read in any client.

The rendering itself - text sizes, overlaps and page counts in a real client - is checked by
tests/export/test_render.py with LibreOffice.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from itertools import combinations
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from audit_tui.config import Settings
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.export import ExportSpec, layout, styles, write_workbook
from audit_tui.export.sheets.charts import trend_axis
from tests.export.fake_audits import open_seeded

NOW = datetime(2026, 11, 20, 14, 30)
BOARD = ["Summary", "Teams", "Trend", "Questions", "Findings", "Actions", "Moderation"]
BOARD += ["Moderations", "Programme"]


@pytest.fixture(scope="module")
def book(
    tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry
) -> Iterator[tuple[Workbook, Path]]:
    class Param:
        param = "sqlite"

    ctx, _ = open_seeded(
        Param(),  # type: ignore[arg-type]
        tmp_path_factory,
        registry,
        seed=11,
        audits=80,
        start=date(2025, 4, 1),
        end=date(2026, 11, 20),
    )
    ctx = dataclasses.replace(ctx, settings=Settings(marking="OFFICIAL-SENSITIVE & PERSONAL"))
    path = write_workbook(ctx, ExportSpec(period="2026-27"), tmp_path_factory.mktemp("b"), now=NOW)
    yield load_workbook(path.path), path.path
    ctx.db.dispose()


def test_every_sheet_has_a_header_and_footer_with_the_marking_from_settings(
    book: tuple[Workbook, Path],
) -> None:
    wb, _ = book
    for ws in wb.worksheets:
        head, foot = ws.oddHeader, ws.oddFooter
        assert head.left.text == "&A", ws.title  # the sheet's name
        # "&" is a header code: the marking's own "&" is doubled.
        assert head.center.text == foot.center.text == "OFFICIAL-SENSITIVE && PERSONAL"
        assert head.right.text.startswith("Children's case-file audit (case-file ")
        assert head.right.text.endswith(", 2026-27 to date (8 months)")
        assert foot.left.text == "Written 20 November 2026 14:30"
        assert foot.right.text == "Page &P of &N"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_the_summary_fits_one_page_and_other_sheets_keep_their_text_size(
    book: tuple[Workbook, Path],
) -> None:
    wb, _ = book
    summary = wb["Summary"]
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert (summary.page_setup.fitToWidth, summary.page_setup.fitToHeight) == (1, 1)
    for title in BOARD[1:]:
        ws = wb[title]
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, title
        scale = ws.page_setup.scale
        assert scale >= styles.MIN_SCALE
        # The smallest text on the sheet, on paper.
        sizes = [c.font.sz or 11 for row in ws.iter_rows() for c in row if c.value is not None]
        assert min(sizes) * scale / 100 >= 8, title
    # Wide sheets split across pages at group boundaries, with titles repeated.
    assert wb["Teams"].print_title_cols == "$A:$A" and wb["Teams"].col_breaks.brk
    questions = wb["Questions"]
    assert questions.print_title_cols == "$B:$C" and questions.print_title_rows
    assert questions.col_breaks.brk
    moderation = wb["Moderation"]
    assert moderation.freeze_panes and moderation.print_title_rows


def test_printing_the_workbook_leaves_the_raw_data_out(book: tuple[Workbook, Path]) -> None:
    wb, _ = book
    for title in ("Audits", "Answers"):
        ws = wb[title]
        area = ws.print_area.split("!")[-1].replace("$", "")
        assert ":" not in area and ws[area].value.startswith("Raw data for filtering")


def test_wrapped_rows_and_headers_have_heights_for_their_lines(
    book: tuple[Workbook, Path],
) -> None:
    """No client measures rows on opening a file: without a height, wrapped text overlaps the
    next row and a wrapped header shows its first line only (Trend's judgement columns all
    read "Requires")."""
    wb, _ = book
    checked = 0
    for title in BOARD:
        ws = wb[title]
        widths = {k: v.width for k, v in ws.column_dimensions.items()}
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or not c.alignment.wrap_text:
                    continue
                span = merged.get((c.row, c.column))
                cols = range(c.column, (span.max_col if span else c.column) + 1)
                if span is not None and span.max_row > span.min_row:
                    continue  # merged down: its rows share the height
                width = sum(widths.get(get_column_letter(i), 8.43) for i in cols)
                size = c.font.sz or 11
                lines = layout.lines_needed(c.value, width, size, bool(c.font.b))
                height = ws.row_dimensions[c.row].height
                assert height is not None, (title, c.coordinate)
                assert height >= layout.row_points(lines, size) - 0.01, (title, c.coordinate)
                checked += 1
    assert checked > 200


def test_every_band_colour_has_its_band_in_words(book: tuple[Workbook, Path]) -> None:
    """Colour never carries meaning alone: every band-filled cell is the band's words, or a
    percent whose row holds those words beside it (Questions and Trend once had 328 coloured
    cells and no band text)."""
    wb, _ = book
    bands = {f"00{c}" for c in styles.BAND_COLOURS} | {f"FF{c}" for c in styles.BAND_COLOURS}
    labels = {
        "Excellent",
        "Good",
        "Requires improvement",
        "Requires significant improvement",
    }
    coloured = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.fill.fgColor.rgb not in bands:
                    continue
                coloured += 1
                if isinstance(c.value, str):
                    assert c.value in labels, (ws.title, c.coordinate)
                    continue
                # A percent: its band follows within the next two cells, in the same fill.
                beside = [ws.cell(c.row, c.column + i) for i in (1, 2)]
                assert any(
                    b.value in labels and b.fill.fgColor.rgb == c.fill.fgColor.rgb for b in beside
                ), (ws.title, c.coordinate)
    assert coloured > 300


def luma(hex_colour: str) -> float:
    """Grey level (0-255) a colour prints at in black and white (ITU-R BT.601)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        def ch(v: int) -> float:
            x = v / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

        r, g, bl = (int(h[i : i + 2], 16) for i in (0, 2, 4))
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(bl)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


MIN_GREY_STEP = 40  # of 255: bands must print as clearly different greys


def test_band_fills_differ_in_greyscale_and_keep_their_text_readable() -> None:
    # Once Excellent and Requires significant improvement printed as the same grey (159 vs
    # 165), as did Good and Requires improvement (215 vs 216).
    greys = [*styles.BAND_COLOURS, "FFFFFF"]  # an unfilled cell ("no data") too
    for a, b in combinations(greys, 2):
        assert abs(luma(a) - luma(b)) >= MIN_GREY_STEP, (a, b, luma(a), luma(b))
    # Lightest band for the best grade, darkest for the weakest: the order reads in grey too.
    assert [luma(c) for c in styles.BAND_COLOURS] == sorted(
        (luma(c) for c in styles.BAND_COLOURS), reverse=True
    )
    for fill, text in zip(styles.BAND_COLOURS, styles.BAND_TEXT, strict=True):
        assert contrast(fill, text) >= 4.5, fill  # WCAG AA for body text


def test_charts_label_values_only_and_spread_the_trend(book: tuple[Workbook, Path]) -> None:
    _, path = book
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    labelled = [c for c in charts if "<c:dLbls>" in c or "<dLbls>" in c]
    assert labelled
    for xml in labelled:
        # LibreOffice shows category and series names unless told not to.
        for part in ("showCatName", "showSerName", "showLegendKey", "showPercent"):
            assert f'<{part} val="0"' in xml or f'<c:{part} val="0"' in xml, part
        assert 'showVal val="1"' in xml
    # The trend's value axis spans the figures, not 0-100% (eight lines once sat squeezed in
    # 67-86% of a 0-100% axis), and its title says where it starts.
    line = next(c for c in charts if "lineChart>" in c)
    low = float(re.search(r'<(?:c:)?min val="([\d.]+)"', line)[1])  # type: ignore[index]
    high = float(re.search(r'<(?:c:)?max val="([\d.]+)"', line)[1])  # type: ignore[index]
    assert 0 < low < high < 1
    assert f"axis {low:.0%} to {high:.0%}" in line
    assert trend_axis([67.0, 86.0]) == (0.6, 0.9, 0.05)
    assert trend_axis([2.0, 97.0]) == (0.0, 1.0, 0.1)
    assert trend_axis([None]) == (0.0, 1.0, 0.2)
    assert trend_axis([50.0, 51.0])[1] - trend_axis([50.0, 51.0])[0] >= 0.1
