"""`audit-tui import-cases`, `sample`, `programme` and `rounds` through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from audit_tui.cli import main
from audit_tui.store.migrate import open_database
from audit_tui.store.models import Case, Worker


def run(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "--user", "tester", *args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def case_count(url: str) -> int:
    db = open_database(url)
    try:
        with db.read() as s:
            return s.execute(select(func.count()).select_from(Case)).scalar_one()
    finally:
        db.dispose()


CASES = """\
Case reference,Case type,Team,Worker,Notes
N-1,CP,North,Ann Jones,x
N-2,CIN,North,Ann Jones,
N-3,LAC,North,Bo Li,
S-1,Care leaver,South,Cy Ray,
"""


def test_import_prints_the_report(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CASES, encoding="utf-8")
    code, out, err = run(sqlite_url, "import-cases", str(path), capsys=capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "cases.csv: 4 cases read: 4 created, 0 updated, 0 unchanged",
        "  note: column 'Notes' ignored (not a known column)",
        "  note: created team 'North'",
        "  note: created team 'South'",
        "  note: added 3 case-holders",
    ]
    code, out, _ = run(sqlite_url, "import-cases", str(path), capsys=capsys)
    assert out.splitlines()[0] == "cases.csv: 4 cases read: 0 created, 0 updated, 4 unchanged"
    assert case_count(sqlite_url) == 4


def test_rejected_import_lists_each_problem_on_stderr(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Ref,Type,Team,Worker\nA1,XX,T,\nA1,CP,T,\n", encoding="utf-8")
    code, out, err = run(sqlite_url, "import-cases", str(path), capsys=capsys)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith("bad.csv: row 2: unknown case type 'XX' (framework case-file has: ")
    assert lines[1:] == [
        "bad.csv: row 3: duplicate case reference 'A1' (also on row 2)",
        "audit-tui: error: bad.csv: nothing imported: 2 problems in rows 2, 3",
    ]
    assert case_count(sqlite_url) == 0


def test_not_a_spreadsheet_is_one_line(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    code, out, err = run(sqlite_url, "import-cases", str(path), capsys=capsys)
    assert (code, out) == (2, "")
    assert (
        err == "audit-tui: error: photo.xlsx: not an Excel workbook "
        "(the file's contents are not .xlsx)\n"
    )


def test_sample_then_programme(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CASES, encoding="utf-8")
    run(sqlite_url, "import-cases", str(path), capsys=capsys)

    code, out, err = run(sqlite_url, "sample", "--per-team", "2", capsys=capsys)
    assert code == 2
    assert err == (
        "audit-tui: error: --auditor: no auditor for teams North, South: mark a manager in "
        "the team (a team manager column in the case list, or the staff list), or name the "
        "auditors to assign\n"
    )

    code, out, err = run(
        sqlite_url,
        "sample",
        "--per-team",
        "2",
        "--seed",
        "42",
        "--due",
        "2031-01-31",
        "--auditor",
        "Mo Manager",
        "--auditor",
        "Ann Jones",
        "--exclude-audited-within",
        "6m",
        "--name",
        "Test round",
        capsys=capsys,
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Round 1: Test round: 3 cases, due 2031-01-31, seed 42"
    assert lines[1].split() == ["TEAM", "ELIGIBLE", "SAMPLED", "NOTE"]
    assert lines[2].split() == ["North", "3", "2"]
    assert lines[3].split()[:3] == ["South", "1", "1"]
    assert "only 1 eligible case: took all" in lines[3]
    assert "  note: added Mo Manager as an auditor" in lines
    # Ann Jones holds North's cases: she is never given one of them.
    north = [ln.split() for ln in lines if ln.startswith("N-")]
    assert north and all(row[-2:] == ["Mo", "Manager"] for row in north)

    code, out, err = run(sqlite_url, "programme", capsys=capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Round 1: Test round, due 2031-01-31"
    assert lines[-1].split() == ["all", "all", "3", "3", "0", "0", "0"]

    code, out, _ = run(sqlite_url, "programme", "--auditor", "ann jones", capsys=capsys)
    assert [ln.split()[0] for ln in out.splitlines()[2:]] == ["S-1"]

    code, out, _ = run(sqlite_url, "rounds", capsys=capsys)
    assert out.splitlines()[1].split()[:2] == ["1", "Test"]

    code, _, err = run(sqlite_url, "programme", "--round", "7", capsys=capsys)
    assert (code, err) == (2, "audit-tui: error: no audit round 7\n")


def test_sample_dry_run_saves_nothing(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CASES, encoding="utf-8")
    run(sqlite_url, "import-cases", str(path), capsys=capsys)
    code, out, _ = run(
        sqlite_url, "sample", "--per-team", "1", "--auditor", "New Person", "--dry-run",
        capsys=capsys,
    )  # fmt: skip
    assert code == 0
    assert out.startswith("Dry run, nothing saved: ")
    code, out, _ = run(sqlite_url, "rounds", capsys=capsys)
    assert out == "no audit rounds yet: draw one with `audit-tui sample`\n"
    db = open_database(sqlite_url)
    with db.read() as s:
        assert s.execute(select(Worker).where(Worker.name == "New Person")).scalar() is None
    db.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--exclude-audited-within", "a year"],
            "--exclude-audited-within: the exclusion window 'a year' is not a number of days, "
            "weeks, months or years: write it like 90d, 12w, 12m or 1y",
        ),
        (["--due", "31/01/2031"], "--due '31/01/2031': write the date as YYYY-MM-DD"),
        (
            ["--case-type", "contact"],
            "--case-type: 'contact' is not a case type of framework case-file (it covers: "
            "child_in_need (Child in need), child_protection (Child protection), looked_after "
            "(Looked after), care_leaver (Care leaver), disabled_children (Disabled children))",
        ),
        (["--due", "2020-01-01"], "--due: the due date 2020-01-01 is in the past"),
    ],
)
def test_sample_option_errors(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(sqlite_url, "sample", "--per-team", "1", *args, capsys=capsys)
    assert (code, err) == (2, f"audit-tui: error: {message}\n")
