"""The store's and the settings' messages in Welsh (issue 19, last round): opening a file that
is not a database, another program's SQLite file, a database written by a newer audit-tui, a
hand-edited version table, a malformed URL; a bad setting in the settings file or the
environment. Each goes through the CLI a user runs, in Welsh (--lang cy, AUDIT_TUI_LANG=cy,
or the settings file's own lang), and keeps its English exit status (2) and one line.

Which language a broken settings file's error is in: the file's own `lang` line where it can
still be read (a file that is not TOML), else the next source in the order - the system
locale - when the language setting itself is the bad one."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from audit_tui import i18n
from audit_tui.cli import main
from audit_tui.domain.errors import UserError
from audit_tui.store.migrate import open_database
from audit_tui.store.models import Team


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def one_line(code: int, out: str, err: str) -> str:
    """The error line of a refused run: exit 2, nothing on stdout, one line on stderr."""
    assert code == 2 and out == "", (code, out, err)
    assert err.count("\n") == 1 and err.endswith("\n"), err
    return err.rstrip("\n")


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("AUDIT_TUI_SETTINGS", str(path))
    return path


# --- databases -------------------------------------------------------------------------------


def _not_sqlite(path: Path) -> str:
    path.write_text("minutes of the team meeting\n" * 200, encoding="utf-8")
    return "nid yw'n gronfa ddata audit-tui (nid ffeil SQLite yw hi)"


def _foreign(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    return (
        "nid yw'n gronfa ddata audit-tui (cronfa ddata SQLite rhaglen arall yw hi, gyda'r "
        "tablau contacts); fe'i gadawyd fel yr oedd"
    )


def _versions_edited(path: Path, sql: str) -> None:
    """An up-to-date database whose version table is then changed by `sql`."""
    open_database(f"sqlite:///{path}").dispose()
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


def _newer(path: Path) -> str:
    _versions_edited(path, "UPDATE alembic_version SET version_num = '0999_from_the_future'")
    return (
        "ysgrifennwyd y gronfa ddata gan fersiwn mwy newydd o audit-tui (sgema "
        "0999_from_the_future); uwchraddiwch audit-tui cyn ei hagor"
    )


def _two_versions(path: Path) -> str:
    _versions_edited(path, "INSERT INTO alembic_version VALUES ('0001_initial_schema')")
    return "mae tabl fersiwn y sgema (alembic_version) yn dal 2 rhes ("


@pytest.mark.parametrize("make", [_not_sqlite, _foreign, _newer, _two_versions])
@pytest.mark.parametrize("how", ["--lang", "AUDIT_TUI_LANG"])
def test_a_database_that_cannot_be_opened_is_refused_in_welsh(
    make: object,
    how: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "audits.db"
    welsh = make(path)  # type: ignore[operator]
    before = path.read_bytes()
    english = one_line(*run(["--db", f"sqlite:///{path}", "rounds"], capsys))
    assert english.startswith(f"audit-tui: error: {path}: ")
    if how == "--lang":
        args = ["--lang", "cy", "--db", f"sqlite:///{path}", "rounds"]
    else:
        monkeypatch.setenv("AUDIT_TUI_LANG", "cy")
        args = ["--db", f"sqlite:///{path}", "rounds"]
    line = one_line(*run(args, capsys))
    assert line.startswith(f"audit-tui: gwall: {path}: {welsh}"), line
    assert path.read_bytes() == before  # refused before anything was written


@pytest.mark.parametrize(
    ("url", "welsh"),
    [
        ("audits.db", "nid yw'n URL cronfa ddata (ar gyfer ffeil SQLite: sqlite:///"),
        ("postgresql://qa:s3cret@db:port/x", "nid yw'n URL cronfa ddata (ni ellir darllen y"),
        ("://x", "nid yw'n URL cronfa ddata (nid yw ar y ffurf scheme://user@host/name)"),
    ],
)
def test_a_malformed_database_url_is_refused_in_welsh(
    url: str, welsh: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = one_line(*run(["--lang", "cy", "--db", url, "rounds"], capsys))
    assert line.startswith("audit-tui: gwall: --db '") and welsh in line, line
    assert "s3cret" not in line


def test_a_name_with_a_control_character_is_refused_with_its_field_in_welsh(
    tmp_path: Path,
) -> None:
    """The store's last line of defence names the field in the interface language."""
    db = open_database(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with i18n.language("cy"), pytest.raises(UserError) as info:
            Team(name="Intake\x1b[2J")
        assert str(info.value).startswith("mae enw'r tîm 'Intake")
        with pytest.raises(UserError, match=r"^team name 'Intake"):
            Team(name="Intake\x1b[2J")
    finally:
        db.dispose()


# --- settings ---------------------------------------------------------------------------------


def test_a_bad_setting_in_a_welsh_settings_file_is_one_welsh_line_naming_it_and_the_file(
    settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file.write_text('lang = "cy"\nuser = "Ceri\\u001b[2J"\n', encoding="utf-8")
    line = one_line(*run(["rounds"], capsys))
    assert line.startswith(
        f"audit-tui: gwall: gosodiad user (--user, AUDIT_TUI_USER neu {settings_file}): "
        "yn cynnwys nod rheoli (U+001B"
    ), line


def test_a_settings_file_that_is_not_toml_is_reported_in_the_language_it_names(
    settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: the file could not be read, so its lang was not either: the error was English.
    settings_file.write_text('lang = "cy"\nsmall_sample = [\n', encoding="utf-8")
    line = one_line(*run(["rounds"], capsys))
    assert line.startswith(
        f"audit-tui: gwall: {settings_file}: nid yw'n ffeil gosodiadau ddarllenadwy ("
    ), line
    # A lang line under a [table] is not the top-level setting: the system locale decides.
    settings_file.write_text('[other]\nlang = "cy"\nx = [\n', encoding="utf-8")
    line = one_line(*run(["rounds"], capsys))
    assert line.startswith(f"audit-tui: error: {settings_file}: not a readable settings file")


@pytest.mark.parametrize("system", ["en", "cy"])
def test_an_unknown_language_setting_names_where_it_is_in_the_system_locales_language(
    system: str,
    settings_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The language setting itself is bad: the next source, the system locale, decides."""
    monkeypatch.setenv("LANGUAGE", system)
    settings_file.write_text('lang = "fr"\n', encoding="utf-8")
    from_file = one_line(*run(["rounds"], capsys))
    monkeypatch.setenv("AUDIT_TUI_LANG", "klingon")
    from_env = one_line(*run(["rounds"], capsys))
    if system == "cy":
        assert from_file == (
            f"audit-tui: gwall: gosodiad lang ({settings_file}): iaith anhysbys 'fr': "
            "dewiswch en neu cy"
        )
        assert from_env.startswith("audit-tui: gwall: gosodiad lang (AUDIT_TUI_LANG): ")
    else:
        assert from_file == (
            f"audit-tui: error: setting lang ({settings_file}): unknown language 'fr': "
            "choose en or cy"
        )
        assert from_env == (
            "audit-tui: error: setting lang (AUDIT_TUI_LANG): unknown language 'klingon': "
            "choose en or cy"
        )
    # --lang still wins over a bad setting, as over a good one.
    monkeypatch.delenv("AUDIT_TUI_LANG")
    code, out, err = run(["--lang", "cy", "frameworks", "list"], capsys)
    assert code == 0 and err == "" and out


def test_the_installed_command_reports_a_bad_settings_file_in_welsh(
    tmp_path: Path,
) -> None:
    """The same through the program a user runs (a new process, the environment's choice)."""
    settings = tmp_path / "settings.toml"
    settings.write_text("small_sample = 0\n", encoding="utf-8")
    env = {**os.environ, "AUDIT_TUI_SETTINGS": str(settings), "AUDIT_TUI_LANG": "cy"}
    done = subprocess.run(
        [sys.executable, "-m", "audit_tui", "rounds"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr == (
        f"audit-tui: gwall: gosodiad small_sample (AUDIT_TUI_SMALL_SAMPLE neu {settings}): "
        "rhaid iddo fod yn 1 o leiaf\n"
    ), done.stderr
