"""The board pack in a real spreadsheet client: LibreOffice Calc prints the workbook to PDF and
every word on every page is measured (tests/export/render.py).

- the Summary is one page; no two words on it overlap;
- the smallest body text is 9 pt on the Summary and 8 pt on every other board sheet;
- nothing prints over anything else on the board sheets (wrapped text, headers);
- printing the whole workbook for the demo year gives the board pack: under 60 pages;
- a CSV from `export --csv`, opened in LibreOffice, holds no formula.

LibreOffice is slow to start, so the workbooks are rendered once per module and the tests
read the same PDFs. Without LibreOffice and poppler these tests are skipped with the reason;
CI installs both and sets AUDIT_TUI_REQUIRE_RENDER=1, which turns a skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_tui.config import builtin_frameworks_dir
from audit_tui.demo import generate_demo
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.export import ExportSpec, write_csv, write_workbook
from audit_tui.services.context import AppContext
from tests.conftest import make_context
from tests.export import render
from tests.export.fake_audits import FORMULA_NOTE, seed_audits

pytestmark = [pytest.mark.render, pytest.mark.xdist_group("render")]

NOW = datetime(2026, 11, 20, 14, 30)
DEMO_AUDITS = 3000
DEMO_YEAR = "2025-26"  # the demo's last whole financial year
BOARD = {"Summary", "Teams", "Trend", "Questions", "Findings", "Actions", "Moderation"}
BOARD |= {"Moderations", "Programme"}


def require_renderer() -> None:
    reason = render.missing()
    if reason is None:
        return
    if os.environ.get(render.REQUIRE_ENV):
        pytest.fail(f"rendering is required here ({render.REQUIRE_ENV}) but {reason}")
    pytest.skip(
        f"render tests skipped: {reason} (apt-get install libreoffice-calc-nogui poppler-utils)"
    )


def demo_context(folder: Path) -> AppContext:
    """A database of `audit-tui demo` data (today fixed at the tests' date)."""
    registry = FrameworkRegistry.from_dirs([builtin_frameworks_dir()])
    ctx = make_context(f"sqlite:///{folder / 'demo.db'}", registry)
    generate_demo(ctx, audits=DEMO_AUDITS, seed=1)
    return ctx


def demo_workbook(
    ctx: AppContext, folder: Path, teams: list[str] | None = None, period: str = DEMO_YEAR
) -> Path:
    """The demo database's workbook, as a user would export it."""
    spec = ExportSpec(period=period, teams=teams or [])
    return write_workbook(ctx, spec, folder, now=NOW).path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[render.Page]]]:
    """The demo year's board pack for every team, and a team's board pack for the year in
    progress, each printed once by LibreOffice."""
    require_renderer()
    folder = tmp_path_factory.mktemp("render")
    ctx = demo_context(folder)
    out = {}
    try:
        for key, teams, period in (
            ("all", None, DEMO_YEAR),
            ("team", ["Child Protection (demo)"], "2026-27"),
        ):
            book = demo_workbook(ctx, folder, teams, period)
            out[key] = render.pages(render.to_pdf(book, folder))
    finally:
        ctx.db.dispose()
    yield out


def by_sheet(pages: list[render.Page]) -> dict[str, list[render.Page]]:
    out: dict[str, list[render.Page]] = {}
    for p in pages:
        out.setdefault(p.sheet, []).append(p)
    return out


@pytest.mark.parametrize("key", ["all", "team"])
def test_the_summary_prints_on_one_page_with_nothing_overlapping(
    rendered: dict[str, list[render.Page]], key: str
) -> None:
    sheets = by_sheet(rendered[key])
    assert len(sheets["Summary"]) == 1
    page = sheets["Summary"][0]
    assert page.number == 1
    words = page.body()
    assert len(words) > 300  # the page has its content, not just a title
    assert render.overlapping(words) == []
    assert min(w.size for w in words) >= 9.0


@pytest.mark.parametrize("key", ["all", "team"])
def test_board_sheets_print_at_8_pt_or_more_without_overprinting(
    rendered: dict[str, list[render.Page]], key: str
) -> None:
    sheets = by_sheet(rendered[key])
    assert set(sheets) >= BOARD, sorted(sheets)
    for name in BOARD - {"Summary"}:
        for page in sheets[name]:
            words = page.body()
            assert words, (name, page.number)
            small = [w.text for w in words if w.size < 8.0]
            assert not small, (name, page.number, small[:5])
            clash = [(a.text, b.text) for a, b in render.overlapping(words)]
            assert not clash, (name, page.number, clash[:5])


def test_the_demo_year_board_pack_is_tens_of_pages_not_hundreds(
    rendered: dict[str, list[render.Page]],
) -> None:
    pages = rendered["all"]
    sheets = by_sheet(pages)
    assert len(pages) < 60, {name: len(p) for name, p in sheets.items()}
    # The raw data prints one page each: the note saying how to print it if wanted.
    for name in ("Audits", "Answers"):
        assert len(sheets[name]) == 1
        assert "Raw data for filtering" in " ".join(w.text for w in sheets[name][0].body())
    # Every page carries the marking and "page X of Y".
    for page in pages:
        text = " ".join(w.text for w in page.words)
        assert text.count("OFFICIAL-SENSITIVE") == 2, page.number
        assert f"Page {page.number} of {len(pages)}" in text


def test_a_csv_export_opens_without_formulas(tmp_path: Path, registry: FrameworkRegistry) -> None:
    require_renderer()
    ctx = make_context(f"sqlite:///{tmp_path / 'a.db'}", registry)
    seed_audits(
        ctx,
        seed=5,
        audits=10,
        start=date(2026, 4, 1),
        end=date(2026, 9, 30),
        teams=("=cmd|' /C calc'!A0", "North"),
        empty_team=None,
        note_rate=1.0,
    )
    done = write_csv(ctx, ExportSpec(period="2026-27"), tmp_path / "csv", now=NOW)
    ctx.db.dispose()
    answers = done.paths[1]
    # Comma-separated, double quotes, UTF-8 (76), from line 1: as a user opens it.
    opened = render.convert(answers, tmp_path, "xlsx", infilter="CSV:44,34,76,1")
    ws = load_workbook(opened).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert len(cells) > 100
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + FORMULA_NOTE in {c.value for c in cells}


def test_the_docs_show_the_rendered_summary() -> None:
    """docs/board-pack-summary.png comes from `python -m tests.export.render` (the same
    workbook and LibreOffice print as the tests above)."""
    repo = Path(__file__).resolve().parents[2]
    png = repo / "docs" / "board-pack-summary.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "docs/board-pack-summary.png" in (repo / "README.md").read_text(encoding="utf-8")
    assert "board-pack-summary.png" in (repo / "docs" / "profiles-and-export.md").read_text(
        encoding="utf-8"
    )
