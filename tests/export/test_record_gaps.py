"""Gaps found by mutating the code (issue 13), in the workbook: a note that reads like an Excel
error is written as text; text starting with a tab or a carriage return is guarded as text
starting with "=" is; an audit dated on the last day of a quarter and of a financial year is
in that period's sheets. On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.export import ExportSpec, fastrows, write_workbook
from audit_tui.export.safety import user_text
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from tests.builders import finalised_mini, registry_with

GUARDED = ["=1+1", "\tTab first", "\rReturn first", "#N/A", "#REF!"]


def mini_ctx(ctx: AppContext, registry: FrameworkRegistry) -> AppContext:
    c = dataclasses.replace(ctx, frameworks=registry_with(registry))
    add_team(c, "Intake")
    return c


def finalised(ctx: AppContext, ref: str, when: date, notes: dict[str, str]) -> int:
    answers = {q: "no" if q in notes else "yes" for q in ("M-01", "M-02", "M-03")}
    return finalised_mini(ctx, ref, answers, when, "Intake", notes=notes)


def test_notes_like_excel_errors_are_written_as_text(
    ctx: AppContext, registry: FrameworkRegistry, tmp_path: Path
) -> None:
    c = mini_ctx(ctx, registry)
    finalised(c, "CMS-1", date(2026, 8, 3), {"M-02": "#N/A", "M-03": "#REF!"})
    result = write_workbook(c, ExportSpec(framework_id="mini", period="2026-27 Q2"), tmp_path)
    ws = load_workbook(result.path)["Answers"]
    found = {c.value: c for row in ws.iter_rows() for c in row if c.value in ("#N/A", "#REF!")}
    assert set(found) == {"#N/A", "#REF!"}
    for cell in found.values():
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate


@pytest.mark.parametrize("value", GUARDED)
def test_text_starting_with_a_tab_or_return_is_guarded_like_equals(
    value: str, tmp_path: Path
) -> None:
    """Both ways a table row is written - the fast row writer and openpyxl's cells - give such
    text the quote-prefix style, exactly as they give it to "=..."."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    renderer = fastrows.ColumnRenderer(ws, 1, None)
    equals_style = renderer.text("=1+1").split(" t=")[0]
    assert renderer.text(value).split(" t=")[0] == equals_style != ""
    cell = user_text(ws, value)
    ws.append([cell])
    wb.save(tmp_path / "x.xlsx")
    back = load_workbook(tmp_path / "x.xlsx")["x"]["A1"]
    # (XML reads a carriage return back as a line feed.)
    assert (back.value, back.data_type, back.quotePrefix) == (
        value.replace("\r", "\n"),
        "s",
        True,
    )


@pytest.mark.parametrize(
    ("when", "period"),
    [
        (date(2026, 6, 30), "2026-27 Q1"),
        (date(2027, 3, 31), "2026-27"),
        (date(2027, 3, 31), "2026-27 Q4"),
    ],
)
def test_an_audit_on_the_last_day_of_a_period_is_in_its_workbook(
    ctx: AppContext, registry: FrameworkRegistry, tmp_path: Path, when: date, period: str
) -> None:
    c = mini_ctx(ctx, registry)
    audit_id = finalised(c, "CMS-EDGE", when, {"M-02": "gap"})
    result = write_workbook(c, ExportSpec(framework_id="mini", period=period), tmp_path)
    assert result.audits == 1
    rows = list(load_workbook(result.path, read_only=True)["Audits"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [audit_id]
