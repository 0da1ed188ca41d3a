"""`audit-tui export --csv DIR`: the raw Audits and Answers tables as CSV files for analysts,
with every text value a spreadsheet would evaluate guarded (CSV has no quote-prefix style)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from audit_tui.cli import main
from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import parse_period
from audit_tui.export import ExportSpec, write_csv
from audit_tui.export.safety import DANGEROUS_FIRST, csv_guard
from audit_tui.export.sheets.raw import ANSWER_COLUMNS, AUDIT_COLUMNS
from audit_tui.services import profile_rows
from audit_tui.services.context import AppContext
from tests.export.fake_audits import FORMULA_NOTE, seed_audits

NOW = datetime(2026, 11, 20, 14, 30)
EVIL_TEAM = "=cmd|' /C calc'!A0"


@pytest.fixture
def evil(sqlite_ctx: AppContext) -> AppContext:
    seed_audits(
        sqlite_ctx,
        seed=5,
        audits=14,
        start=date(2026, 4, 1),
        end=date(2026, 10, 31),
        teams=(EVIL_TEAM, "@Team", "North"),
        empty_team=None,
        note_rate=1.0,
        prefix="+",
    )
    return sqlite_ctx


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_csv_files_hold_the_raw_tables_with_formula_text_guarded(
    evil: AppContext, tmp_path: Path
) -> None:
    result = write_csv(evil, ExportSpec(period="2026-27"), tmp_path / "csv", now=NOW)
    audits_csv, answers_csv = result.paths
    assert audits_csv.name == "case-file_2026-27_20261120-1430_audits.csv"
    assert answers_csv.name == "case-file_2026-27_20261120-1430_answers.csv"
    assert audits_csv.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 that Excel recognises

    period = parse_period("2026-27")
    for path, columns, rows in (
        (audits_csv, AUDIT_COLUMNS, list(profile_rows.audit_rows(evil, "case-file", period))),
        (answers_csv, ANSWER_COLUMNS, list(profile_rows.answer_rows(evil, "case-file", period))),
    ):
        got = read(path)
        assert got[0] == [c.header for c in columns]
        assert len(got) - 1 == len(rows) > 0
        guarded = 0
        for line, values in zip(got[1:], rows, strict=True):
            for text, value in zip(line, values, strict=True):
                # Nothing a spreadsheet would evaluate reaches it unguarded.
                assert not text.startswith(DANGEROUS_FIRST), (path.name, text)
                if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
                    assert text == "'" + value
                    guarded += 1
                elif isinstance(value, str):
                    assert text == value
        assert guarded > 0
    assert (result.audits, result.answers) == (
        len(read(audits_csv)) - 1,
        len(read(answers_csv)) - 1,
    )
    note = [c.header for c in ANSWER_COLUMNS].index("Note")
    notes = {line[note] for line in read(answers_csv)[1:]}
    assert "'" + FORMULA_NOTE in notes
    assert csv_guard("-2 visits") == "'-2 visits" and csv_guard("seen alone") == "seen alone"


def test_csv_with_a_team_and_what_is_refused(evil: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    result = write_csv(evil, ExportSpec(period="2026-27", teams=["north"]), folder, now=NOW)
    assert [p.name for p in result.paths] == [
        "case-file_2026-27_north_20261120-1430_audits.csv",
        "case-file_2026-27_north_20261120-1430_answers.csv",
    ]
    assert {line[3] for line in read(result.paths[0])[1:]} == {"North"}
    # The same again: new names, never a file replaced.
    again = write_csv(evil, ExportSpec(period="2026-27", teams=["North"]), folder, now=NOW)
    assert [p.name for p in again.paths] == [
        "case-file_2026-27_north_20261120-1430_audits-2.csv",
        "case-file_2026-27_north_20261120-1430_answers-2.csv",
    ]
    before = sorted(folder.iterdir())
    for spec, message in (
        (ExportSpec(period="2026-27", teams=["Nowhere"]), "unknown team 'Nowhere'"),
        (ExportSpec(period="2030-31"), "no finalised case-file audits in 2030-31"),
    ):
        with pytest.raises(UserError, match=message):
            write_csv(evil, spec, folder, now=NOW)
    with pytest.raises(UserError, match="takes a folder"):
        write_csv(evil, ExportSpec(period="2026-27"), folder / "x.csv", now=NOW)
    assert sorted(folder.iterdir()) == before  # nothing half-written


def test_cli_export_csv(
    evil: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(evil.db.engine.url)
    folder = tmp_path / "for-analysts"
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "export", "--period", "2026-27", "--csv", str(folder)])
    out, err = capsys.readouterr()
    assert (info.value.code or 0, err) == (0, "")
    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".csv", ".csv"]
    assert out.splitlines()[0].startswith(f"wrote {folder}")
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "export", "--csv", str(folder), "--out", str(tmp_path / "b.xlsx")])
    out, err = capsys.readouterr()
    assert info.value.code == 2 and "not both" in err and len(err.strip().splitlines()) == 1
    assert sorted(folder.iterdir()) == files
