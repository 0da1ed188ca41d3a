"""click's own words in a Welsh run: "Usage:", "Options:", its help option, its errors.

click writes them through gettext in its own modules; cli/click_words.py points those at
click's Welsh catalogue (audit_tui/locale/cy/LC_MESSAGES/click.po, from click's source).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from audit_tui.cli import cli, main

# Parses Python: no cyclic GC meanwhile (tests/conftest.py, a CPython 3.11 bug).
pytestmark = pytest.mark.usefixtures("no_cyclic_gc")

CLICK_CATALOGUE = Path(__file__).resolve().parents[2] / "audit_tui/locale/cy/LC_MESSAGES/click.po"
# click's English words as they appear in help and errors (none may show in a Welsh run);
# patterns (a type's word is whole: our argument PATHS is ours, not click's).
ENGLISH = (
    "Usage:",
    "Options:",
    "Commands:",
    "Show this message and exit.",
    "Show the version and exit.",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    r" TEXT\b",
    r" INTEGER\b",
    r" FLOAT\b",
    r" PATH\b",
    "required]",
    "default:",
    "No such",
    "Missing",
    "Invalid value",
    "requires an argument",
    "is not a valid",
    "Error",
    "error:",
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def test_every_welsh_help_page_has_no_english_click_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pages = _commands(cli)
    assert len(pages) > 20
    for path in pages:
        code, out, err = run(["--lang", "cy", *path, "--help"], capsys)
        assert code == 0 and err == "", (path, err)
        assert out.startswith("Defnydd: audit-tui") and "Opsiynau:" in out, path
        left = [w for w in ENGLISH if re.search(w if "\\b" in w else re.escape(w), out)]
        assert not left, (path, left, out)
    # and English runs are as click writes them
    code, out, _ = run(["sample", "--help"], capsys)
    assert out.startswith("Usage: audit-tui sample [OPTIONS]")
    assert "--per-team INTEGER RANGE" in out and "required]" in out
    assert "Show this message and exit." in out


@pytest.mark.parametrize(
    ("args", "welsh"),
    [
        (["--nope"], "Does dim opsiwn '--nope'."),
        (["nope"], "Does dim gorchymyn 'nope'."),
        (["actions", "add"], "Ymresymiad ar goll 'AUDIT_ID'."),
        (["export", "--period"], "Mae'r opsiwn '--period' angen ymresymiad."),
        (["sample", "--per-team", "x"], "Gwerth annilys i '--per-team': Nid yw 'x' yn rhif dilys."),
        (["sample"], "Opsiwn ar goll '--per-team'."),
        (["import-cases", "a", "b"], "Cafwyd ymresymiad ychwanegol annisgwyl (b)"),
    ],
)
def test_a_welsh_usage_error_is_one_welsh_line_and_exit_2(
    args: list[str], welsh: str, capsys: pytest.CaptureFixture[str]
) -> None:
    english = run(args, capsys)
    code, out, err = run(["--lang", "cy", *args], capsys)
    assert code == english[0] == 2 and out == ""
    assert err == f"audit-tui: gwall: {welsh}\n"
    assert english[2].startswith("audit-tui: error: ") and english[2].count("\n") == 1


def test_a_welsh_run_leaves_the_next_english_run_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """click keeps --help's option once built: a Welsh run before must not leave it Welsh."""
    run(["--lang", "cy", "frameworks", "--help"], capsys)
    _, out, _ = run(["--lang", "en", "frameworks", "--help"], capsys)
    assert "Show this message and exit." in out and "Dangos" not in out
    assert out.startswith("Usage: audit-tui frameworks [OPTIONS] COMMAND [ARGS]...")


def _click_messages() -> set[str]:
    folder = str(Path(click.__file__).parent)
    return {
        (m[0] if isinstance(m, tuple) else m)
        for _f, _l, m, _c, _x in extract_from_dir(folder, [("**.py", "python")])
    }


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_click_message_has_welsh_that_formats() -> None:
    """Every message of the installed click (`make messages` extracts them) is translated,
    and no translation names a {field} click does not give (a KeyError at run time)."""
    with CLICK_CATALOGUE.open("rb") as f:
        catalogue = read_po(f, locale="cy")
    missing, bad = [], []
    for message in _click_messages():
        entry = catalogue.get(message)
        strings = () if entry is None else entry.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not strings or not all(s.strip() for s in strings):
            missing.append(message)
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        allowed = set().union(*(_fields(i) for i in ids))
        bad += [s for s in strings if not _fields(s) <= allowed]
        bad += [s for s in strings if ("%(" in ids[0]) != ("%(" in s)]
    assert not missing, f"untranslated click messages (run `make messages`): {missing}"
    assert not bad, bad
