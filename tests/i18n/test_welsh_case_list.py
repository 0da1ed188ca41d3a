"""A case list's row problem in Welsh names the framework's case types in its Welsh words
(they were listed in English inside the Welsh line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_demo_cmd import run


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("cy", "mae gan fframwaith case-file: Plentyn mewn angen, Amddiffyn plant,"),
        ("en", "framework case-file has: Child in need, Child protection,"),
    ],
)
def test_an_unknown_case_type_lists_the_known_ones_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text("reference,case_type,team,case_holder\nAB-1,martian,Team X,Sam\n")
    db = f"sqlite:///{tmp_path / 'a.db'}"
    code, out, err = run(capsys, "--lang", lang, "--db", db, "import-cases", str(cases))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "'martian'" in err and words in err
