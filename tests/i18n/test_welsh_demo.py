"""`audit-tui demo` in Welsh: what it made, and its refusals, in Welsh with the English run's
exit status and one line (the demo package's messages were English in a Welsh run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.test_demo_cmd import run, scalar


def test_the_demo_says_what_it_made_in_welsh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "d.db"
    code, out, err = run(
        capsys, "--lang", "cy", "--db", f"sqlite:///{path}", "demo", "--audits", "40"
    )
    assert (code, err) == (0, "")
    assert "data demo (hedyn 1): 40 archwiliad (" in out
    assert "y tymor hwn: cylch archwilio o " in out and "rhowch gynnig arni fel " in out
    # The same figures as the English line, in the same order.
    english = tmp_path / "e.db"
    _, out_en, _ = run(capsys, "--db", f"sqlite:///{english}", "demo", "--audits", "40")
    assert re.findall(r"\d[\d,.]*", out.split(":", 1)[1]) == re.findall(
        r"\d[\d,.]*", out_en.split(":", 1)[1]
    )
    assert "audits" not in out and "this term" not in out


def test_a_second_demo_is_refused_in_welsh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "d.db"
    run(capsys, "--db", f"sqlite:///{path}", "demo", "--audits", "20")
    before = scalar(path, "SELECT count(*) FROM audits")
    code, out, err = run(capsys, "--lang", "cy", "--db", f"sqlite:///{path}", "demo")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "mae data demo ynddi eisoes" in err
    assert scalar(path, "SELECT count(*) FROM audits") == before


def test_a_bad_count_is_refused_in_welsh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "d.db"
    code, _, err = run(
        capsys,
        "--lang",
        "cy",
        "--db",
        f"sqlite:///{path}",
        "demo",
        "--audits",
        "5",
        "--drafts",
        "9",
    )
    assert code == 2 and err.count("\n") == 1
    assert "--drafts 9: rhaid iddo fod rhwng 0 a nifer yr archwiliadau" in err
