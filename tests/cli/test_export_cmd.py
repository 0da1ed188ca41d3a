"""`audit-tui export` and `audit-tui feedback` through the real entry point."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_tui.cli import main
from audit_tui.domain.loader import FrameworkRegistry
from tests.conftest import make_context
from tests.export.fake_audits import FakeData, seed_audits


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry
) -> tuple[str, FakeData]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'audits.db'}"
    ctx = make_context(url, registry)
    data = seed_audits(ctx, seed=4, audits=30, start=date(2026, 1, 1), end=date(2026, 10, 31))
    ctx.db.dispose()
    return url, data


@pytest.fixture
def url(seeded: tuple[str, FakeData]) -> str:
    return seeded[0]


def run(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "--user", "tester", *args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_export_to_the_exports_folder(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUDIT_TUI_EXPORTS", str(tmp_path / "exports"))
    code, out, err = run(url, "export", "--period", "2026-27", capsys=capsys)
    assert (code, err) == (0, "")
    files = list((tmp_path / "exports").iterdir())
    assert len(files) == 1 and files[0].name.startswith("case-file_2026-27_")
    assert out.startswith(f"wrote {files[0]} (case-file 2026-27, all teams: ")
    assert out.rstrip().endswith(" answers)")
    assert load_workbook(files[0], read_only=True).sheetnames[0] == "Summary"


def test_export_to_a_named_file_needs_force_to_replace(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "board.xlsx"
    args = ["export", "--from", "2026-04-01", "--to", "2026-09-30", "--team", "North"]
    code, out, err = run(url, *args, "--out", str(target), capsys=capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"wrote {target} (case-file 2026-04-01..2026-09-30, North: ")
    before = target.read_bytes()
    code, out, err = run(url, *args, "--out", str(target), capsys=capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"audit-tui: error: {target} already exists: use --force to replace it, or choose "
        "another name"
    ]
    assert target.read_bytes() == before
    code, _, err = run(url, *args, "--out", str(target), "--force", capsys=capsys)
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--team", "Nowhere"], "unknown team 'Nowhere'"),
        (["--period", "2030-31"], "no finalised case-file audits in 2030-31"),
        (["--from", "2026-01-01"], "give both dates"),
        (["--from", "2026-01-01", "--to", "2025-01-01"], "the end is before the start"),
        (["--from", "2026-02-30", "--to", "2026-03-01"], "--from"),
        (["--period", "2026-27", "--from", "2026-01-01", "--to", "2026-02-01"], "not both"),
    ],
)
def test_export_errors_are_one_line_and_leave_nothing(
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run(url, "export", *args, "--out", str(out_dir), capsys=capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err
    assert list(out_dir.iterdir()) == []


def test_export_to_an_unwritable_place(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, out, err = run(
        url, "export", "--period", "2026-27", "--out", str(blocker / "sub"), capsys=capsys
    )
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "cannot create the folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_feedback_to_the_screen_and_a_file(
    seeded: tuple[str, FakeData], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, data = seeded
    done = next(a for a in data.audits if a.status == "finalised")
    draft = next(a for a in data.audits if a.status == "draft")
    code, out, err = run(url, "feedback", str(done.id), "--out", "-", capsys=capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"# Case file audit feedback: {done.case_reference}\n")
    target = tmp_path / "fb.md"
    code, out, err = run(url, "feedback", str(done.id), "--out", str(target), capsys=capsys)
    assert (code, out, err) == (0, f"wrote {target}\n", "")
    code, out, err = run(url, "feedback", str(done.id), "--out", str(target), capsys=capsys)
    assert code == 2 and "already exists" in err and len(err.splitlines()) == 1
    code, out, err = run(url, "feedback", str(draft.id), capsys=capsys)
    assert code == 2 and "is a draft" in err and out == ""
