"""The workbook, re-opened: its figures equal the profile service's, its raw sheets hold exactly
the counted answers in scope, user text is never a formula, and failures leave no file."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import parse_period
from audit_tui.export import (
    ExportProgress,
    ExportSpec,
    book,
    default_file_name,
    tables,
    write_workbook,
)
from audit_tui.export.sheets import raw
from audit_tui.export.sheets import summary as summary_sheet
from audit_tui.export.sheets import teams as teams_sheet
from audit_tui.export.words import Words
from audit_tui.services import profiles
from audit_tui.services.context import AppContext
from audit_tui.services.profile_schemas import PercentMet
from tests.export.fake_audits import (
    FORMULA_NOTE,
    FakeData,
    seed_audits,
)

START, END = date(2025, 4, 1), date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 14, 30)
PERIOD = "2026-27"


# The fake audits of the shared `seeded` database (tests/conftest.py), read by `sctx`, `data`.
SEEDED = {"seed": 11, "audits": 60, "start": START, "end": END}


def header_index(ws: Worksheet, row: int) -> dict[str, int]:
    """Header -> column; a header repeated under column groups maps to its first column."""
    out: dict[str, int] = {}
    for c in ws[row]:
        if c.value is not None:
            out.setdefault(c.value, c.column)
    return out


def find_header_row(ws: Worksheet, first: str, after: int = 0) -> int:
    for row in ws.iter_rows(min_row=after + 1, min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"{ws.title}: no header row starting {first!r}")


def approx(x: float | None) -> Any:
    return None if x is None else pytest.approx(x, abs=1e-9)


def same_percent(cell_value: Any, fig: PercentMet) -> bool:
    if fig.percent is None:
        return cell_value is None
    return cell_value == pytest.approx(fig.percent / 100, abs=1e-12)


def export(ctx: AppContext, tmp_path: Path, **spec: Any) -> Path:
    spec.setdefault("period", PERIOD)
    result = write_workbook(ctx, ExportSpec(**spec), tmp_path, now=NOW)
    return result.path


def grouped_columns(ws: Worksheet, group_row: int) -> dict[str, int]:
    """Groups of columns named in a merged header row: name -> first column."""
    return {
        ws.cell(group_row, r.min_col).value: r.min_col
        for r in ws.merged_cells.ranges
        if r.min_row == group_row == r.max_row
    }


def test_teams_and_questions_equal_the_profile(
    sctx: AppContext, data: FakeData, tmp_path: Path
) -> None:
    path = export(sctx, tmp_path)
    prof = profiles.profile(sctx, "case-file", parse_period(PERIOD), weakest=5)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Summary",
        "Teams",
        "Trend",
        "Questions",
        "Findings",
        "Actions",
        "Moderation",
        "Moderations",
        "Programme",
        "Audits",
        "Answers",
    ]

    ws = wb["Teams"]
    hr = find_header_row(ws, "Team")
    col = header_index(ws, hr)
    sections = grouped_columns(ws, hr - 1)
    rows = {ws.cell(r, 1).value: r for r in range(hr + 1, hr + 1 + len(prof.groups))}
    assert list(rows) == [g.name for g in prof.groups]
    assert ws.cell(hr + 1 + len(prof.groups), 1).value == "Judgements by team (audits)"
    for g in prof.groups:
        r = rows[g.name]
        assert ws.cell(r, col["Audits"]).value == g.audits
        assert same_percent(ws.cell(r, col["Percent met"]).value, g.percent_met)
        assert ws.cell(r, col["n (answers)"]).value == g.percent_met.n
        assert ws.cell(r, col["Band"]).value == g.percent_met.band_label
        low, high = ws.cell(r, col["95% low"]).value, ws.cell(r, col["95% high"]).value
        if g.percent_met.low is None:
            assert low is None
        else:
            assert low == pytest.approx(g.percent_met.low / 100)
            assert high == pytest.approx(g.percent_met.high / 100)  # type: ignore[operator]
        assert (ws.cell(r, col["Too few audits"]).value or "") == (
            "too few audits" if g.too_few else ""
        )
        assert ws.cell(r, col["Is the change clear?"]).value == teams_sheet.change_note(g.change)
        for s in g.sections:
            c = sections[s.title]
            assert [ws.cell(hr, c + i).value for i in range(3)] == ["%", "n", "Band"]
            assert same_percent(ws.cell(r, c).value, s.percent_met)
            assert ws.cell(r, c + 1).value == s.percent_met.n
            assert ws.cell(r, c + 2).value == s.percent_met.band_label
    assert ws.freeze_panes == f"B{hr + 1}"
    assert ws.cell(rows[prof.authority.name], col["Percent met"]).number_format == "0%"

    # Each team's judgement distribution (n and %), one column per team.
    jr = find_header_row(ws, "Team", after=hr)
    jcol = header_index(ws, jr)
    measures = {ws.cell(r, 1).value: r for r in range(jr + 1, jr + 40) if ws.cell(r, 1).value}
    for g in prof.groups:
        c = jcol[g.name]
        assert ws.cell(measures["Audits"], c).value == g.audits
        for j in g.judgements:
            assert ws.cell(measures[f"{j.label}: n"], c).value == j.n
            got = ws.cell(measures[f"{j.label}: %"], c).value
            assert got == (None if j.percent is None else pytest.approx(j.percent / 100))
        gob = g.good_or_better
        got = ws.cell(measures["Good or better"], c).value
        assert got == (None if gob.percent is None else pytest.approx(gob.percent / 100))
        # The change in good or better beside the change in percent met, each said clear or not.
        gch, pch = g.good_or_better_change, g.change
        assert ws.cell(measures["Change in good or better (points)"], c).value == approx(gch.points)
        assert ws.cell(measures["Change in percent met (points)"], c).value == approx(pch.points)
        assert ws.cell(measures["Good or better: clear change?"], c).value == (
            teams_sheet.change_note(gch)
        )

    ws = wb["Questions"]
    hr = find_header_row(ws, "Section")
    col = header_index(ws, hr)
    groups = grouped_columns(ws, hr - 1)
    qrow = {ws.cell(r, col["Question id"]).value: r for r in range(hr + 1, ws.max_row + 1)}
    assert list(qrow) == [q.id for q in prof.questions]
    for g in prof.groups:
        c = groups[g.name]
        for q in g.questions:
            r = qrow[q.question_id]
            assert same_percent(ws.cell(r, c).value, q.percent_met)
            assert ws.cell(r, c + 1).value == q.percent_met.n
            assert ws.cell(r, c + 2).value == q.percent_met.band_label
    first = prof.questions[0]
    assert ws.cell(qrow[first.id], col["Question"]).value == first.text
    assert ws.cell(qrow[first.id], col["Source"]).value == first.citation

    ws = wb["Trend"]
    hr = find_header_row(ws, "Period")
    col = header_index(ws, hr)
    for i, period in enumerate(prof.trend_periods):
        assert ws.cell(hr + 1 + i, 1).value == period.caption
        for g in prof.groups:
            assert same_percent(ws.cell(hr + 1 + i, col[g.name]).value, g.trend[i].percent_met)
    # The year in progress is labelled as such.
    assert ws.cell(hr + len(prof.trend_periods), 1).value == "2026-27 to date (8 months)"
    assert [len(wb[n]._charts) for n in ("Summary", "Teams", "Trend")] == [1, 1, 1]


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
    # Raw data is for filtering: printing the workbook prints one cell saying so.
    note = ws.print_area.split("!")[-1].replace("$", "")
    assert note == f"{get_column_letter(len(raw.ANSWER_COLUMNS) + 2)}1"
    assert ws[note].value == book.RAW_NOTE and "clear the print area" in book.RAW_NOTE

    ws = wb["Audits"]
    col = header_index(ws, 1)
    ids = [r[col["Audit id"] - 1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(a.id for a in scope)
    dates = [r[col["Audit date"] - 1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert dates == sorted(dates)
    assert ws.cell(2, col["Audit date"]).number_format == "yyyy-mm-dd"


def summary_text(ws: Worksheet) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_summary_states_the_scope(sctx: AppContext, data: FakeData, tmp_path: Path) -> None:
    path = export(sctx, tmp_path, teams=["north", "South"])
    ws = load_workbook(path)["Summary"]
    text = summary_text(ws)
    assert (
        text[0]
        == "Children's case-file audit: board summary - North, South, 2026-27 to date (8 months)"
    )
    scope = text[1]
    fw = sctx.frameworks.get("case-file")
    assert scope.startswith(
        "1 April 2026 to date (8 months so far), compared with 2025-26, first 8 months"
    )
    period = parse_period(PERIOD)
    n = len(data.finalised(period.start, period.end, "North")) + len(
        data.finalised(period.start, period.end, "South")
    )
    assert f"{n} finalised audits, North, South with the whole authority beside" in scope
    assert f"Framework case-file version {fw.version}" in scope
    assert "Written 20 November 2026 14:30" in scope
    assert path.name == "case-file_2026-27_2-teams_20261120-1430.xlsx"

    wb = load_workbook(path)
    teams = wb["Teams"]
    hr = find_header_row(teams, "Team")
    names = [teams.cell(r, 1).value for r in range(hr + 1, hr + 4)]
    assert names == ["Whole authority", "North", "South"]
    answers = wb["Answers"]
    col = header_index(answers, 1)
    assert {r[col["Team"] - 1] for r in answers.iter_rows(min_row=2, values_only=True)} == {
        "North",
        "South",
    }


def test_a_team_export_summary_is_about_the_team(
    sctx: AppContext, data: FakeData, tmp_path: Path
) -> None:
    """With --team the Summary's headline, sections, chart and weakest questions are the
    team's, with the whole authority beside them; its figures equal the team's profile."""
    path = export(sctx, tmp_path, teams=["North"])
    prof = profiles.profile(sctx, "case-file", parse_period(PERIOD), ["North"], weakest=5)
    team, whole = prof.team("North"), prof.authority
    words = Words(profiles.versions_in(sctx, "case-file", parse_period(PERIOD)).newest, "en")
    ws = load_workbook(path)["Summary"]
    text = summary_text(ws)
    assert summary_sheet.headline(prof, team, words) in text
    assert summary_sheet.headline(prof, whole, words) in text
    assert text.index(summary_sheet.headline(prof, team, words)) < text.index(
        summary_sheet.headline(prof, whole, words)
    )
    head = find_header_row(ws, "Section")
    assert [ws.cell(head, c).value for c in range(1, 6)] == [
        "Section",
        "Percent met",
        "n (answers)",
        "Band",
        "Whole authority",
    ]
    for i, s in enumerate(team.sections):
        r = head + 1 + i
        assert ws.cell(r, 1).value == s.title
        assert same_percent(ws.cell(r, 2).value, s.percent_met)
        assert ws.cell(r, 3).value == s.percent_met.n
        assert ws.cell(r, 4).value == s.percent_met.band_label
        assert same_percent(ws.cell(r, 5).value, whole.sections[i].percent_met)
    chart = ws._charts[0]
    assert [sr.tx.v for sr in chart.series] == ["North", "Whole authority"]
    weak = find_header_row(ws, "Question")
    listed = [ws.cell(r, 1).value for r in range(weak + 1, weak + 1 + len(team.weakest))]
    assert listed == [f"{f.question_id} {f.text}" for f in team.weakest]
    assert team.weakest != whole.weakest[: len(team.weakest)], "the data tells them apart"
    fig = team.weakest[0].percent_met
    last = len(summary_sheet._columns(1, True).widths)
    assert same_percent(ws.cell(weak + 1, last - 2).value, fig)
    assert ws.cell(weak + 1, last - 1).value == fig.n
    assert ws.cell(weak + 1, last).value == fig.band_label


def test_the_summary_defines_its_terms(sctx: AppContext, data: FakeData, tmp_path: Path) -> None:
    ws = load_workbook(export(sctx, tmp_path))["Summary"]
    words = " ".join(summary_text(ws))
    assert "Good or better: audits judged Excellent or Good" in words
    assert "Percent met: 100 x (Yes + half of Partly" in words
    assert "Bands: Excellent from 90%, Good from 75%, Requires improvement from 55%" in words
    assert "Too few audits: fewer than 5 in a period" in words
    assert "answers on one case file being alike" in words
    assert (
        "2026-27 is still in progress (8 months so far): it is compared with the same months of 2025-26"
        in words
    )
    # A change is said to be clear or maybe chance, in words.
    assert "(may be chance)" in words or "(clear rise)" in words or "(clear fall)" in words


def test_workbook_xml_has_charts_tables_and_no_formulas(
    sctx: AppContext, data: FakeData, tmp_path: Path
) -> None:
    path = export(sctx, tmp_path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        charts = [n for n in names if n.startswith("xl/charts/chart")]
        assert len(charts) == 3
        kinds = {n: z.read(n).decode() for n in charts}
        assert sum("<barChart>" in x for x in kinds.values()) == 2
        assert any("<lineChart>" in x for x in kinds.values())
        assert any('<grouping val="percentStacked"' in x for x in kinds.values())
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
    monkeypatch.setattr(tables, "EXCEL_MAX_ROWS", 500)
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
