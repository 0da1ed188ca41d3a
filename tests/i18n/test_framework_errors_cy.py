"""`frameworks check` in Welsh (issue 19): a broken framework file's problems - the YAML, the
schema's plain words for pydantic's errors, the cross-checks - and the untranslated-text
listing are said in Welsh in a Welsh run, one line each naming the file, line and place, exit
status 2 and no traceback; an English run says exactly what it always has.

Through the entry points a user takes: a real process with `--lang cy` before the command,
and the command line with AUDIT_TUI_LANG=cy."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_tui import i18n
from audit_tui.cli import main
from audit_tui.domain.errors import FrameworkError
from audit_tui.domain.loader import load_framework_text
from audit_tui.domain.wording import or_list
from tests.cli.test_frameworks_cmd import run_process

REPO = Path(__file__).resolve().parents[2]
MINI = (REPO / "tests" / "fixtures" / "mini.yaml").read_text("utf-8")


def _mini_with(*changes: tuple[str, str]) -> str:
    text = MINI
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


# One broken file per kind of problem, and what each says in English and in Welsh.
BROKEN = {
    "syntax": "id: [mini\ntitle: Mini\n",
    "missing": _mini_with(('version: "0.1"\n', "")),
    "type": _mini_with(("        weight: 2\n", "        weight: heavy\n")),
    "cross": _mini_with(
        ("      - id: M-02\n", "      - id: M-01\n"),
        ("{judgement: good, min_percent: 75}", "{judgement: great, min_percent: 75}"),
    ),
    "keys": _mini_with(
        ("title: Mini framework for tests\n", "title: Mini framework for tests\ntitel: x\n"),
        ("        na_allowed: false\n", "        na_allowed: false\n        na_allowed: true\n"),
    ),
}

ENGLISH = [
    "cross.yaml:10: thresholds[1].judgement: 'great' is not a grade of ofsted "
    "(outstanding, good, requires_improvement, inadequate)",
    "cross.yaml:31: sections[0].questions[1].id: duplicate question id 'M-01'",
    "keys.yaml:4: top level: unknown key 'titel' (did you mean 'title'?)",
    "keys.yaml:30: sections[0].questions[0]: duplicate key 'na_allowed' (first given on line 29)",
    "missing.yaml:2: top level: missing required key 'version'",
    "syntax.yaml:2: not valid YAML: expected ',' or ']', but got ':'",
    "type.yaml:49: sections[1].questions[1].weight: should be a number",
]

WELSH = [
    "cross.yaml:10: thresholds[1].judgement: nid yw 'great' yn un o raddau ofsted "
    "(outstanding, good, requires_improvement, inadequate)",
    "cross.yaml:31: sections[0].questions[1].id: id cwestiwn dyblyg 'M-01'",
    "keys.yaml:4: y lefel uchaf: allwedd anhysbys 'titel' (a oeddech chi'n golygu 'title'?)",
    "keys.yaml:30: sections[0].questions[0]: allwedd ddyblyg 'na_allowed' "
    "(a roddwyd gyntaf ar linell 29)",
    "missing.yaml:2: y lefel uchaf: allwedd ofynnol ar goll 'version'",
    # PyYAML's own description of the fault has no Welsh: it follows our words, as written.
    "syntax.yaml:2: YAML annilys: expected ',' or ']', but got ':'",
    "type.yaml:49: sections[1].questions[1].weight: dylai fod yn rhif",
]


@pytest.fixture()
def broken(tmp_path: Path) -> list[str]:
    for name, text in BROKEN.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return sorted(f"{name}.yaml" for name in BROKEN)


@pytest.mark.parametrize(("lang", "expected"), [("cy", WELSH), ("en", ENGLISH)])
def test_check_says_each_problem_in_the_run_language_one_line_each_exit_2(
    tmp_path: Path, broken: list[str], lang: str, expected: list[str]
) -> None:
    result = run_process(tmp_path, "--lang", lang, "frameworks", "check", *broken)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == expected


def test_audit_tui_lang_cy_says_the_problems_in_welsh(
    tmp_path: Path,
    broken: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AUDIT_TUI_DB", f"sqlite:///{tmp_path / 'unused.db'}")
    monkeypatch.setenv("AUDIT_TUI_LANG", "cy")
    with pytest.raises(SystemExit) as info:
        main(["frameworks", "check", *broken])
    out, err = capsys.readouterr()
    assert info.value.code == 2
    assert (out, err.splitlines()) == ("", WELSH)
    assert i18n.current() == "en"  # the run's language went with the run


def test_check_lang_cy_lists_what_is_untranslated_in_welsh(tmp_path: Path) -> None:
    """Advice on stdout, exit 0: each line and the summary in Welsh in a Welsh run."""
    fixture = REPO / "tests" / "fixtures" / "own-words.yaml"
    (tmp_path / "own-words.yaml").write_text(fixture.read_text("utf-8"), encoding="utf-8")
    result = run_process(
        tmp_path, "--lang", "cy", "frameworks", "check", "--lang", "cy", "own-words.yaml"
    )
    assert (result.returncode, result.stderr) == (0, "")
    printed = result.stdout.splitlines()
    assert (
        "own-words.yaml:96: sections[0].questions[1].text: cwestiwn LL-V-02: ei eiriad: "
        "dim Cymraeg (cy)"
    ) in printed
    assert printed[-1].startswith("own-words.yaml: iawn (own-words 2026.1, 4 cwestiwn); 13 ")
    assert not [line for line in printed if "has no" in line or "question " in line]


def test_an_option_key_taken_by_a_walkthrough_command_names_the_command_in_welsh() -> None:
    """keys.py's command names are said (translated) only here: the screens bind their own."""
    text = _mini_with(
        ("judgement_scale: ofsted\n", _own_scale_taking("j") + "judgement_scale: ofsted\n"),
        ("        text: Is the plan outcome-focused?\n", "        text: Is the plan x?\n"),
        ("      - id: M-03\n", "      - id: M-03\n        scale: mine\n"),
    )
    with i18n.language("cy"), pytest.raises(FrameworkError) as info:
        load_framework_text(text, "own.yaml")
    assert info.value.lines == [
        "own.yaml:10: answer_scales.mine.options[0].key: mae bysell 'j' yn perthyn i orchymyn "
        "y cerdded drwodd 'y cwestiwn nesaf': dewiswch fysell arall ar gyfer Jawn"
    ]


def _own_scale_taking(key: str) -> str:
    return (
        "answer_scales:\n"
        "  mine:\n"
        "    options:\n"
        f"      - {{code: ok, label: {{en: Fine, cy: Jawn}}, key: {key}, points: 1}}\n"
        "      - {code: bad, label: Bad, key: b, points: 0}\n"
    )


def test_words_around_the_answers_are_in_one_language_in_a_bilingual_export() -> None:
    """A bilingual export pairs whole sentences: the "or" inside one is not paired again."""
    with i18n.language("cy+en"):
        assert or_list(["Yn rhannol", "Na"]) == "Yn rhannol neu Na"
    with i18n.language("en"):
        assert or_list(["Partly", "No"]) == "Partly or No"
