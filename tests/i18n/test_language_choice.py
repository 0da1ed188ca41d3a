"""Which language a run speaks: --lang, AUDIT_TUI_LANG, the settings file, then the system
locale; an unknown one is one line and exit status 2, and CLI errors in Welsh keep their
exit status and one-line form."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_tui import i18n
from audit_tui.cli import main
from audit_tui.cli.language import lang_argument


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("AUDIT_TUI_SETTINGS", str(path))
    return path


def test_the_system_locale_decides_when_nothing_is_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in i18n.LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "cy_GB.UTF-8")
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "Iaith y rhyngwyneb" in out
    monkeypatch.setenv("LANGUAGE", "fr:en")  # the first of LANGUAGE's that the tool has
    code, out, _ = run(["--help"], capsys)
    assert "Language of the interface" in out


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "cy_GB.UTF-8"}, "cy"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "cy:en", "LANG": "en_GB.UTF-8"}, "cy"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "cy_GB.UTF-8"}, "en"),
        ({"LC_MESSAGES": "cy_GB@euro"}, "cy"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_system_language(environ: dict[str, str], expected: str) -> None:
    assert i18n.system_language(environ) == expected


def test_lang_option_beats_environment_beats_settings_file_beats_locale(
    monkeypatch: pytest.MonkeyPatch, settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANGUAGE", "cy")
    settings_file.write_text('lang = "en"\n', encoding="utf-8")
    assert "Language of the interface" in run(["--help"], capsys)[1]  # file over locale
    monkeypatch.setenv("AUDIT_TUI_LANG", "cy")
    assert "Iaith y rhyngwyneb" in run(["--help"], capsys)[1]  # environment over file
    assert "Language of the interface" in run(["--lang", "en", "--help"], capsys)[1]
    assert "Language of the interface" in run(["--lang=EN", "--help"], capsys)[1]


def test_the_export_lang_is_not_the_interface_lang() -> None:
    assert lang_argument(["--db", "x", "export", "--lang", "cy"]) is None
    assert lang_argument(["--db", "sqlite:///a", "--lang", "cy", "export"]) == "cy"
    assert lang_argument(["--user", "export", "--lang=cy", "export"]) == "cy"


@pytest.mark.parametrize(
    "args_env",
    [
        (["--lang", "fr", "frameworks", "list"], {}),
        (["frameworks", "list"], {"AUDIT_TUI_LANG": "klingon"}),
    ],
)
def test_an_unknown_language_is_one_line_and_exit_2(
    args_env: tuple[list[str], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args, env = args_env
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    # --lang names itself; a setting says where it is (the variable or the file).
    where = "" if "--lang" in args else "setting lang (AUDIT_TUI_LANG): "
    assert err.startswith(f"audit-tui: error: {where}unknown language '"), err
    assert "choose en or cy" in err


def test_an_unknown_language_in_the_settings_file_is_one_line(
    settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file.write_text('lang = "de"\n', encoding="utf-8")
    code, _, err = run(["frameworks", "list"], capsys)
    assert code == 2 and err == (
        f"audit-tui: error: setting lang ({settings_file}): unknown language 'de': "
        "choose en or cy\n"
    )


@pytest.mark.parametrize(
    ("args", "welsh"),
    [
        (["--demo", "--db", "sqlite:///x.db", "frameworks", "list"], "rhowch --demo neu --db"),
        (
            ["export", "--period", "2026-27", "--from", "2026-04-01", "--to", "2026-05-01"],
            "rhowch naill ai cyfnod neu ddyddiadau --from/--to",
        ),
        (["export", "--from", "2026-04-01"], "mae --from a --to yn mynd gyda'i gilydd"),
        (["export", "--period", "soon"], "cyfnod 'soon' heb ei ddeall"),
        (["export", "--period", "2026-27", "--team", "Nowhere"], "tîm anhysbys 'Nowhere'"),
        (["export", "--period", "2026-27"], "dim archwiliadau case-file terfynol yn 2026-27"),
    ],
)
def test_cli_errors_in_welsh_keep_exit_status_and_one_line(
    args: list[str], welsh: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'a.db'}"] if "--db" not in args else []
    english = run([*db, *args], capsys)
    cymraeg = run(["--lang", "cy", *db, *args], capsys)
    assert english[0] == cymraeg[0] == 2
    assert english[1] == cymraeg[1] == ""
    for err in (english[2], cymraeg[2]):
        assert err.count("\n") == 1 and err.endswith("\n"), err
    assert cymraeg[2].startswith("audit-tui: gwall: ") and welsh in cymraeg[2], cymraeg[2]
    assert english[2].startswith("audit-tui: error: ")


@pytest.mark.parametrize(
    ("env", "file_text"),
    [
        ({}, None),
        ({}, 'lang = "cy"\n'),
        ({"AUDIT_TUI_LANG": "en"}, 'lang = "cy"\n'),
        ({"audit_tui_lang": "cy"}, None),
        ({"AUDIT_TUI_LANG": ""}, 'lang = "cy"\n'),
        ({}, 'theme = "x"\n'),
        ({}, "lang = 3\n"),
        ({}, "not toml at all [\n"),
    ],
)
def test_the_cheap_language_read_agrees_with_settings(
    env: dict[str, str],
    file_text: str | None,
    settings_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`--help` reads the language without building Settings (start-up: bench/RESULTS.md);
    what it reads is what Settings would say, or empty where Settings cannot be built."""
    from audit_tui.config import Settings
    from audit_tui.settings_file import lang_setting

    monkeypatch.delenv("AUDIT_TUI_LANG", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    if file_text is not None:
        settings_file.write_text(file_text, encoding="utf-8")
    try:
        expected = Settings().lang
    except Exception:
        expected = ""
    assert lang_setting() == expected


def test_help_builds_no_settings_and_imports_no_babel() -> None:
    """The start-up of `audit-tui --help` (English and Welsh) stays near a bare click
    group's: no pydantic, no Babel (the Welsh catalogue is the compiled .mo)."""
    import subprocess
    import sys

    for args in (["--help"], ["--lang", "cy", "--help"]):
        code = (
            "import sys; from audit_tui.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', "
            "'pydantic_settings', 'babel', 'sqlalchemy'))\n"
            "print(heavy, file=sys.stderr)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stderr.strip().splitlines()[-1] == "[]", (args, out.stderr[-500:])


def test_service_and_reader_errors_in_welsh_keep_exit_status_and_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The services' and readers' refusals were English in a Welsh run (issue 19's
    leftovers): now they are Welsh, one line, exit status 2, as the CLI's own are."""
    empty = tmp_path / "cases.csv"
    empty.write_text("", encoding="utf-8")
    bad_row = tmp_path / "list.csv"
    bad_row.write_text("Case reference,Case type,Team,Worker\n,CP,North,Ann\n", encoding="utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'a.db'}"]
    cases = [
        (
            ["import-cases", str(bad_row)],
            "list.csv: rhes 2: cyfeirnod achos ar goll",
            "list.csv: row 2: missing case reference",
        ),
        (
            ["actions", "add", "999", "--description", "x", "--owner", "AB", "--due", "2026-12-01"],
            "does dim archwiliad 999",
            "no audit 999",
        ),
        (
            ["import-cases", str(empty)],
            "cases.csv: mae'r ffeil yn wag",
            "cases.csv: the file is empty",
        ),
        (
            ["sample", "--per-team", "1"],
            "does dim achosion y mae case-file yn eu cwmpasu",
            "there are no cases case-file covers",
        ),
        (
            ["staff", "leaver", "Nobody"],
            "nid yw 'Nobody' yn y cyfeiriadur staff",
            "'Nobody' is not in the staff directory",
        ),
    ]
    for args, welsh, english in cases:
        en = run([*db, *args], capsys)
        cy = run(["--lang", "cy", *db, *args], capsys)
        assert en[0] == cy[0] == 2 and en[1] == cy[1] == ""
        assert en[2].count("\n") == cy[2].count("\n") == 1, (en, cy)
        assert english in en[2], en[2]
        assert cy[2].startswith("audit-tui: gwall: ") and welsh in cy[2], cy[2]
