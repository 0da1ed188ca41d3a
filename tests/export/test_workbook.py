"""The workbook, re-opened: its figures equal the profile service's, its raw sheets hold exactly
the counted answers in scope, user text is never a formula, and failures leave no file."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.periods import parse_period
from audit_tui.export import ExportProgress, ExportSpec, book, default_file_name, write_workbook
from audit_tui.services import profiles
from audit_tui.services.context import AppContext
from audit_tui.services.profile_schemas import PercentMet
from tests.export.fake_audits import (
    DB_PARAMS,
    FORMULA_NOTE,
    FakeData,
    open_seeded,
    seed_audits,
)

START, END = date(2025, 4, 1), date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 14, 30)
PERIOD = "2026-27"


@pytest.fixture(scope="module", params=DB_PARAMS)
def seeded(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    registry: FrameworkRegistry,
) -> Iterator[tuple[AppContext, FakeData]]:
    c, data = open_seeded(
        request, tmp_path_factory, registry, seed=11, audits=60, start=START, end=END
    )
    yield c, data
    c.db.dispose()


@pytest.fixture
def sctx(seeded: tuple[AppContext, FakeData]) -> AppContext:
    return seeded[0]


@pytest.fixture
def data(seeded: tuple[AppContext, FakeData]) -> FakeData:
    return seeded[1]


def header_index(ws: Worksheet, row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value is not None}


def find_header_row(ws: Worksheet, first: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"{ws.title}: no header row starting {first!r}")


def same_percent(cell_value: Any, fig: PercentMet) -> bool:
    if fig.percent is None:
        return cell_value is None
    return cell_value == pytest.approx(fig.percent / 100, abs=1e-12)


def export(ctx: AppContext, tmp_path: Path, **spec: Any) -> Path:
    spec.setdefault("period", PERIOD)
    result = write_workbook(ctx, ExportSpec(**spec), tmp_path, now=NOW)
    return result.path


def test_teams_and_questions_equal_the_profile(
    sctx: AppContext, data: FakeData, tmp_path: Path
) -> None:
    path = export(sctx, tmp_path)
    prof = profiles.profile(sctx, "case-file", parse_period(PERIOD), weakest=10)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Summary",
        "Teams",
        "Trend",
        "Questions",
        "Findings",
        "Actions",
        "Moderation",
        "Programme",
        "Audits",
        "Answers",
    ]

    ws = wb["Teams"]
    hr = find_header_row(ws, "Team")
    col = header_index(ws, hr)
    rows = {ws.cell(r, 1).value: r for r in range(hr + 1, ws.max_row + 1)}
    assert list(rows) == [g.name for g in prof.groups]
    for g in prof.groups:
        r = rows[g.name]
        assert ws.cell(r, col["Audits"]).value == g.audits
        assert same_percent(ws.cell(r, col["Percent met"]).value, g.percent_met)
        assert ws.cell(r, col["n (answers)"]).value == g.percent_met.n
        assert ws.cell(r, col["Band"]).value == g.percent_met.band_label
        assert (ws.cell(r, col["Too few audits"]).value or "") == (
            "too few audits" if g.too_few else ""
        )
        for s in g.sections:
            assert same_percent(ws.cell(r, col[f"{s.title} %"]).value, s.percent_met)
            assert ws.cell(r, col[f"{s.title} n"]).value == s.percent_met.n
            assert ws.cell(r, col[f"{s.title} band"]).value == s.percent_met.band_label
    assert ws.freeze_panes == f"B{hr + 1}"
    assert list(ws.tables) == ["Teams"]
    assert ws.tables["Teams"].ref == f"A{hr}:{ws.cell(hr, ws.max_column).column_letter}{ws.max_row}"
    assert ws.cell(rows[prof.authority.name], col["Percent met"]).number_format == "0%"

    ws = wb["Questions"]
    hr = find_header_row(ws, "Section")
    col = header_index(ws, hr)
    qrow = {ws.cell(r, col["Question id"]).value: r for r in range(hr + 1, ws.max_row + 1)}
    assert list(qrow) == [q.id for q in prof.questions]
    for g in prof.groups:
        for q in g.questions:
            r = qrow[q.question_id]
            assert same_percent(ws.cell(r, col[f"{g.name} %"]).value, q.percent_met)
            assert ws.cell(r, col[f"{g.name} n"]).value == q.percent_met.n
    first = prof.questions[0]
    assert ws.cell(qrow[first.id], col["Question"]).value == first.text
    assert ws.cell(qrow[first.id], col["Report citation"]).value == first.citation

    ws = wb["Trend"]
    hr = find_header_row(ws, "Period")
    col = header_index(ws, hr)
    for i, period in enumerate(prof.trend_periods):
        assert ws.cell(hr + 1 + i, 1).value == period.label
        for g in prof.groups:
            assert same_percent(ws.cell(hr + 1 + i, col[g.name]).value, g.trend[i].percent_met)
    assert len(ws._charts) == 1 and len(wb["Summary"]._charts) == 1


def test_raw_sheets_hold_exactly_the_counted_answers_in_scope(
    sctx: AppContext, data: FakeData, tmp_path: Path
) -> None:
    period = parse_period(PERIOD)
    path = export(sctx, tmp_path)
    wb = load_workbook(path)
    scope = data.finalised(period.start, period.end)

    ws = wb["Answers"]
    col = header_index(ws, 1)
    got = sorted(
        (r[col["Audit id"] - 1], r[col["Question id"] - 1], r[col["Answer from"] - 1])
        for r in ws.iter_rows(min_row=2, values_only=True)
    )
    expected = sorted(
        (a.id, ans.question_id, ans.kind) for a in scope for ans in a.answers if ans.counted
    )
    assert got == expected
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1

    ws = wb["Audits"]
    col = header_index(ws, 1)
    ids = [r[col["Audit id"] - 1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(a.id for a in scope)
    dates = [r[col["Audit date"] - 1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert dates == sorted(dates)
    assert ws.cell(2, col["Audit date"]).number_format == "yyyy-mm-dd"


def test_summary_states_the_scope(sctx: AppContext, data: FakeData, tmp_path: Path) -> None:
    path = export(sctx, tmp_path, teams=["north", "South"])
    ws = load_workbook(path)["Summary"]
    facts = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] and r[1]}
    fw = sctx.frameworks.get("case-file")
    assert facts["Framework"] == f"{fw.title} (case-file, version {fw.version})"
    assert facts["Period"] == "2026-27 (1 April 2026 to 31 March 2027)"
    assert facts["Teams"] == "North, South"
    period = parse_period(PERIOD)
    n = len(data.finalised(period.start, period.end, "North")) + len(
        data.finalised(period.start, period.end, "South")
    )
    assert facts["Audits counted"] == f"{n} finalised audits"
    assert facts["Generated"].startswith("20 November 2026 14:30")
    assert path.name == "case-file_2026-27_2-teams_20261120-1430.xlsx"

    wb = load_workbook(path)
    teams = wb["Teams"]
    names = [r[0] for r in teams.iter_rows(min_row=4, values_only=True)]
    assert names == ["Whole authority", "North", "South"]
    answers = wb["Answers"]
    col = header_index(answers, 1)
    assert {r[col["Team"] - 1] for r in answers.iter_rows(min_row=2, values_only=True)} == {
        "North",
        "South",
    }


def test_workbook_xml_has_charts_tables_and_no_formulas(
    sctx: AppContext, data: FakeData, tmp_path: Path
) -> None:
    path = export(sctx, tmp_path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        charts = [n for n in names if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        kinds = {n: z.read(n).decode() for n in charts}
        assert any("<barChart>" in x for x in kinds.values())
        assert any("<lineChart>" in x for x in kinds.values())
        for n in names:
            if n.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(n).decode(), n
        assert "Print_Titles" in z.read("xl/workbook.xml").decode()


def test_formula_like_user_text_is_stored_as_text(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    evil_team = "=cmd|' /C calc'!A0"
    seed_audits(
        sqlite_ctx,
        seed=5,
        audits=12,
        start=date(2026, 4, 1),
        end=date(2026, 10, 31),
        teams=(evil_team, "@Team"),
        empty_team=None,
        note_rate=1.0,
        prefix="+",
    )
    path = export(sqlite_ctx, tmp_path)
    wb = load_workbook(path)
    ws = wb["Answers"]
    col = header_index(ws, 1)
    notes = [
        r[col["Note"] - 1] for r in ws.iter_rows(min_row=2, max_col=col["Note"], values_only=True)
    ]
    assert FORMULA_NOTE in notes
    checked = 0
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, str) and c.value[:1] in "=+-@":
                assert c.data_type == "s", (c.coordinate, c.value)
                assert c.quotePrefix, c.coordinate
                checked += 1
    assert checked > 0
    hyperlink = next(c for row in ws.iter_rows(min_row=2) for c in row if c.value == FORMULA_NOTE)
    assert hyperlink.data_type == "s" and hyperlink.value == FORMULA_NOTE
    assert wb["Audits"].cell(2, 4).value in (evil_team, "@Team")
    teams = wb["Teams"]
    assert any(
        c.value == evil_team and c.data_type == "s" for row in teams.iter_rows() for c in row
    )
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                xml = z.read(n).decode()
                assert "<f>" not in xml and "<f " not in xml, n


def test_progress_reports_until_done(sctx: AppContext, tmp_path: Path) -> None:
    seen: list[ExportProgress] = []
    result = write_workbook(sctx, ExportSpec(period=PERIOD), tmp_path, seen.append, now=NOW)
    assert seen[-1].stage == "done" and seen[-1].fraction == 1.0
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert {p.stage for p in seen} >= set(result.sheets)
    assert seen[-1].total == result.audits + result.answers


def test_cancelling_from_progress_leaves_no_file(sctx: AppContext, tmp_path: Path) -> None:
    def cancel(p: ExportProgress) -> None:
        if p.stage == "Answers":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_workbook(sctx, ExportSpec(period=PERIOD), tmp_path, cancel, now=NOW)
    assert list(tmp_path.iterdir()) == []


def test_errors_leave_nothing_behind(sctx: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    cases: list[tuple[dict[str, Any], Path, str]] = [
        ({"teams": ["Nowhere"]}, out, "unknown team 'Nowhere'"),
        ({"period": "2030-31"}, out, "no finalised case-file audits in 2030-31"),
        ({"teams": ["West (no audits)"]}, out, "for West \\(no audits\\)"),
        ({"framework_id": "nope"}, out, "unknown framework"),
        ({}, tmp_path / "file.txt" / "x.xlsx", "does not exist"),
        ({}, out / "book.csv", "must end in .xlsx"),
        ({"period": "2026-27", "date_from": date(2026, 1, 1)}, out, "not both"),
        ({"period": None, "date_from": date(2026, 1, 1)}, out, "give both"),
    ]
    (tmp_path / "file.txt").write_text("a file, not a folder")
    for spec, target, message in cases:
        spec.setdefault("period", PERIOD)
        with pytest.raises(UserError, match=message):
            write_workbook(sctx, ExportSpec(**spec), target, now=NOW)
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "out"]


def test_an_existing_file_is_never_replaced_silently(sctx: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "board.xlsx"
    target.write_bytes(b"keep me")
    with pytest.raises(UserError, match="already exists: use --force"):
        write_workbook(sctx, ExportSpec(period=PERIOD), target, now=NOW)
    assert target.read_bytes() == b"keep me"
    write_workbook(sctx, ExportSpec(period=PERIOD, overwrite=True), target, now=NOW)
    assert load_workbook(target).sheetnames[0] == "Summary"
    # A name the tool chose gets a suffix instead.
    first = write_workbook(sctx, ExportSpec(period=PERIOD), tmp_path, now=NOW).path
    second = write_workbook(sctx, ExportSpec(period=PERIOD), tmp_path, now=NOW).path
    assert first.name == "case-file_2026-27_20261120-1430.xlsx"
    assert second.name == "case-file_2026-27_20261120-1430-2.xlsx"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_date_range_export(sctx: AppContext, data: FakeData, tmp_path: Path) -> None:
    spec = ExportSpec(date_from=date(2026, 4, 1), date_to=date(2026, 9, 30), trend=2)
    result = write_workbook(sctx, spec, tmp_path, now=NOW)
    assert result.period == "2026-04-01..2026-09-30"
    assert result.path.name == "case-file_2026-04-01_to_2026-09-30_20261120-1430.xlsx"
    assert result.audits == len(data.finalised(date(2026, 4, 1), date(2026, 9, 30)))


def test_long_tables_continue_on_a_second_sheet(
    sctx: AppContext, data: FakeData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(book, "EXCEL_MAX_ROWS", 500)
    result = write_workbook(sctx, ExportSpec(period=PERIOD), tmp_path, now=NOW)
    wb = load_workbook(result.path)
    parts = [n for n in wb.sheetnames if n.startswith("Answers")]
    assert parts[:2] == ["Answers", "Answers (2)"]
    rows = sum(wb[n].max_row - 1 for n in parts)
    assert rows == result.answers
    assert all(wb[n].max_row <= 500 for n in parts)
    assert len({t for n in parts for t in wb[n].tables}) == len(parts)


def test_default_file_name() -> None:
    when = datetime(2026, 11, 20, 14, 30)
    assert (
        default_file_name("case-file", parse_period("2025-26 Q1"), when)
        == "case-file_2025-26-Q1_20261120-1430.xlsx"
    )
    assert (
        default_file_name("case-file", parse_period("2025-07"), when, ["Intake & Assessment"])
        == "case-file_2025-07_intake-assessment_20261120-1430.xlsx"
    )
