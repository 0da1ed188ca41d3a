"""`audit-tui profile` through the real entry point: the table, the JSON (checked against the
shape documented in the README) and one-line errors."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit_tui.cli import main
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.periods import parse_period
from audit_tui.services import profiles
from tests.conftest import make_context
from tests.export.fake_audits import seed_audits

DOC = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'audits.db'}"
    ctx = make_context(db, registry)
    seed_audits(ctx, seed=3, audits=40, start=date(2025, 4, 1), end=date(2026, 11, 20))
    ctx.db.dispose()
    return db


def run(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "--user", "tester", *args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_table_shows_each_team_with_n(
    url: str, registry: FrameworkRegistry, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(url, "profile", "--period", "2026-27", capsys=capsys)
    assert (code, err) == (0, "")
    ctx = make_context(url, registry)
    p = profiles.profile(ctx, "case-file", parse_period("2026-27"))
    ctx.db.dispose()
    lines = out.splitlines()
    version = registry.get("case-file").version
    assert lines[0].startswith(f"Children's case-file audit (case-file {version}): 2026-27")
    auth = next(ln for ln in lines if ln.startswith("Whole authority"))
    pm = p.authority.percent_met
    assert f"{pm.percent:.0f}% [{pm.low:.0f}-{pm.high:.0f}] n={pm.n}" in auth
    assert f" {p.authority.audits} " in auth
    empty = next(ln for ln in lines if ln.startswith("West (no audits) *"))
    assert "no data" in empty
    section = next(ln for ln in lines if ln.startswith("Assessment"))
    fig = p.authority.section("assessment").percent_met
    assert f"{fig.percent:.0f}% n={fig.n}" in section
    assert any(ln.startswith("Weakest questions: Whole authority") for ln in lines)


def _blocks() -> tuple[dict[str, Any], dict[str, Any]]:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    top, group = (json.loads(b) for b in blocks[:2])
    return top, group


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float):
        return "number"
    return type(v).__name__


def _check(doc: Any, real: Any, group: dict[str, Any], path: str) -> int:
    """Compare the documented example with real output; returns the values checked."""
    if doc == "GROUP":
        return _check(group, real, group, path)
    if isinstance(doc, dict):
        assert isinstance(real, dict), path
        assert set(real) == set(doc), f"{path}: {sorted(set(real) ^ set(doc))}"
        return sum(_check(doc[k], real[k], group, f"{path}.{k}") for k in doc)
    if isinstance(doc, list):
        assert isinstance(real, list), path
        return sum(_check(doc[0], item, group, f"{path}[]") for item in real) if doc else 0
    if real is not None:
        assert _kind(real) == _kind(doc), f"{path}: {real!r} is not like {doc!r}"
    return 1


def test_json_has_the_documented_shape(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        url, "profile", "--period", "2026-27", "--team", "North", "--json", capsys=capsys
    )
    assert (code, err) == (0, "")
    real = json.loads(out)
    top, group = _blocks()
    assert real["teams"] and real["authority"]["weakest"] and real["authority"]["trend"]
    assert real["authority"]["weakest"][0]["notes"], "the example data has notes"
    assert _check(top, real, group, "$") > 1000
    assert real["teams_selected"] == ["North"]
    assert [t["period"]["label"] for t in real["authority"]["trend"]] == [
        "2023-24",
        "2024-25",
        "2025-26",
        "2026-27",
    ]


def test_the_shape_check_can_fail() -> None:
    top, group = _blocks()
    broken = json.loads(json.dumps(top).replace('"small_sample"', '"smallSample"'))
    with pytest.raises(AssertionError):
        _check(top, broken, group, "$")


def test_errors_are_one_line(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    for args, message in [
        (["--team", "Nowhere"], "unknown team 'Nowhere'"),
        (["--period", "2025-27"], "period '2025-27'"),
        (["--framework", "nope"], "unknown framework 'nope'"),
        (["--trend", "0"], "--trend"),
    ]:
        code, out, err = run(url, "profile", *args, capsys=capsys)
        assert code == 2, args
        assert out == ""
        assert len(err.splitlines()) == 1 and message in err, err
