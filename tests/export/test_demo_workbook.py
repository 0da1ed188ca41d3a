"""On `audit-tui demo` data every sheet of the workbook has content (issue 15: the demo had no
round, moderation, actions or escalation, so those sheets came out empty), and a workbook from
a demo database says it is demo in its file name and on its Summary."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from audit_tui.cli import main
from audit_tui.demo import generate_demo
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.export import ExportSpec, write_workbook
from tests.conftest import make_context

EMPTY = ("No actions recorded", "No moderations recorded", "No audit round", "No moderation has")


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry) -> Path:
    folder = tmp_path_factory.mktemp("demo-book")
    ctx = make_context(f"sqlite:///{folder / 'demo.db'}", registry)
    generate_demo(ctx, audits=400, seed=1)
    result = write_workbook(ctx, ExportSpec(period="2026-27"), folder)
    ctx.db.dispose()
    return result.path


def test_every_sheet_has_content_on_demo_data(demo_book: Path) -> None:
    wb = openpyxl.load_workbook(demo_book, read_only=True)
    try:
        assert {"Actions", "Moderation", "Programme"} <= set(wb.sheetnames)
        for ws in wb.worksheets:
            rows = [
                [c for c in row if c not in (None, "")] for row in ws.iter_rows(values_only=True)
            ]
            text = " ".join(str(c) for row in rows for c in row)
            for empty in EMPTY:
                assert empty not in text, (ws.title, empty)
            # Beyond the title and notes: rows of at least three values (a table's rows).
            assert sum(1 for row in rows if len(row) >= 3) >= 3, ws.title
    finally:
        wb.close()


def test_a_demo_workbook_says_demo_in_its_name_and_summary(demo_book: Path) -> None:
    assert demo_book.name.startswith("DEMO_case-file_2026-27_")
    wb = openpyxl.load_workbook(demo_book, read_only=True)
    try:
        title = next(wb["Summary"].iter_rows(values_only=True))[0]
    finally:
        wb.close()
    assert str(title).startswith("DEMO DATA, MADE UP - ")


def test_feedback_from_a_demo_database_says_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], registry: FrameworkRegistry
) -> None:
    db = tmp_path / "demo.db"
    ctx = make_context(f"sqlite:///{db}", registry)
    generate_demo(ctx, audits=40, seed=1)
    from audit_tui.services import audits

    audit_id = audits.list_finalised(ctx, limit=1)[0].id
    ctx.db.dispose()
    with pytest.raises(SystemExit):
        main(["--db", f"sqlite:///{db}", "feedback", str(audit_id), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    written = Path(out.strip().removeprefix("wrote "))
    assert written.name.startswith("DEMO_feedback_")
    assert written.read_text(encoding="utf-8").startswith("# DEMO DATA, MADE UP - ")
