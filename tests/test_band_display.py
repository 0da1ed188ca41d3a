"""A percent shown beside a band agrees with it, the same in the TUI, the CLI and the workbook.

The rule (domain/scoring.band_places): a whole number, unless rounding to one would put the
figure across a threshold from where it is; then as few decimals as keep it on its side.
87.88 with Excellent from 88 is 87.9%, never 88% beside Good; 74.58 with Good from 75 is
74.6%, never 75% beside Requires improvement; 74.99 is 74.99% (75.0 would cross too).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from audit_tui.cli.profile_cmd import _cell
from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.profile_figures import Sums, percent_met_figure
from audit_tui.domain.scoring import band, band_places, banded_percent, format_percent
from audit_tui.export.book import Sheet
from audit_tui.services.profile_schemas import Grade, PercentMet
from audit_tui.ui.widgets.figures import band_text, percent_text

# An excellent-from-88 table, as the 87.88 example had.
EDGES = [88.0, 75.0, 55.0, 0.0]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (74.5, "74.5%"),
        (74.58, "74.6%"),
        (74.99, "74.99%"),
        (74.999, "74.999%"),
        (87.88, "87.9%"),
        (87.95, "87.95%"),
        (75.0, "75%"),
        (75.4, "75%"),
        (74.4, "74%"),
        (88.0, "88%"),
        (62.5, "63%"),  # no threshold near: whole, rounded half up as before
        (0.0, "0%"),
        (100.0, "100%"),
    ],
)
def test_the_figure_stays_in_its_band(value: float, shown: str) -> None:
    places = band_places(value, EDGES)
    assert format_percent(value, places) == shown
    assert _band_of(float(shown.rstrip("%")), EDGES) == _band_of(value, EDGES)


def _band_of(value: float, edges: list[float]) -> int:
    return next(i for i, t in enumerate(edges) if value >= t)


def _edges_of_shipped(registry: FrameworkRegistry) -> list[tuple[Framework, float]]:
    out = []
    for fw in registry.all():
        for t in fw.thresholds:
            if t.min_percent <= 0:
                continue
            for delta in (-0.5, -0.45, -0.05, -0.01, -0.005, -0.001, -1e-7, 0.0, 0.001, 0.4, 0.5):
                out.append((fw, round(t.min_percent + delta, 9)))
    return out


def test_every_threshold_edge_of_the_shipped_frameworks(registry: FrameworkRegistry) -> None:
    checked = 0
    for fw, value in _edges_of_shipped(registry):
        text = banded_percent(fw, value)
        assert band(fw, float(text.rstrip("%"))) == band(fw, value), (fw.id, value, text)
        checked += 1
    assert checked >= 3 * 3 * 11


# --- one source, three renderers -------------------------------------------------------------

GRADES = [
    Grade(code="excellent", label="Excellent", short="Excellent"),
    Grade(code="good", label="Good", short="Good"),
    Grade(code="requires_improvement", label="Requires improvement", short="RI"),
    Grade(
        code="requires_significant_improvement",
        label="Requires significant improvement",
        short="RSI",
    ),
]


def _figure(case_file: Framework, value: float) -> PercentMet:
    """The profile service's own figure for answers whose percent met is `value`."""
    return percent_met_figure(case_file, Sums(answered=100, scored=100, weight=100.0, points=value))


def _excel_text(cell: openpyxl.cell.cell.Cell) -> str:
    """What Excel shows for a percentage cell: its number format's decimals, rounded half
    away from zero (as round_half_up does for these positive values)."""
    fmt = cell.number_format
    places = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    return format_percent(cell.value * 100, places)


@pytest.mark.parametrize("value", [74.5, 74.58, 74.99, 89.96, 54.5, 75.0, 62.5, 89.951])
def test_tui_cli_and_workbook_show_the_same_figure(
    registry: FrameworkRegistry, tmp_path: Path, value: float
) -> None:
    case_file = registry.get("case-file")  # good from 75, excellent from 90
    fig = _figure(case_file, value)
    expected = banded_percent(case_file, value)
    assert fig.shown == expected
    # The TUI's profile cell and the CLI's table cell.
    assert (
        band_text(fig, GRADES)
        == f"{next(g.short for g in GRADES if g.code == fig.band)} {expected}"
    )
    assert percent_text(fig, GRADES).split()[1] == expected
    assert _cell(SimpleNamespace(grades=GRADES), fig).split()[0] == expected  # type: ignore[arg-type]
    # The workbook: the exact value, shown with the same places.
    wb = openpyxl.Workbook(write_only=True)
    book = SimpleNamespace(wb=wb, band_fill=lambda b: None, band_font=lambda b, s=None: None)
    sheet = Sheet(book, "Figures")  # type: ignore[arg-type]
    sheet.ws.append([sheet.percent(fig)])
    wb.save(tmp_path / "f.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "f.xlsx")["Figures"]["A1"]
    assert cell.value == pytest.approx(value / 100)
    assert _excel_text(cell) == expected
