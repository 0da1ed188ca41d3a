"""The default framework and hidden shipped frameworks come from the settings (issue 17):
`profile`, `export`, `import-cases` and `sample` use the default framework when none is
named; wrong settings stop the tool with one line; the case types are the framework's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from audit_tui.cli import main
from audit_tui.config import Settings
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import framework_choice
from audit_tui.store.migrate import open_database
from audit_tui.store.models import Case

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def own_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """An authority's folder with its own framework, made the default; shipped ones hidden."""
    monkeypatch.setenv("AUDIT_TUI_FRAMEWORKS", str(FIXTURES))  # own-words.yaml among others
    monkeypatch.setenv("AUDIT_TUI_DEFAULT_FRAMEWORK", "own-words")
    monkeypatch.setenv("AUDIT_TUI_HIDDEN_FRAMEWORKS", "case-file,front-door,supervision")


def run(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "--user", "tester", *args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_profile_without_framework_uses_the_default_setting(
    sqlite_url: str, own_settings: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(sqlite_url, "profile", "--json", "--period", "2026-27", capsys=capsys)
    assert (code, err) == (0, "")
    profile = json.loads(out)
    assert profile["framework_id"] == "own-words"
    assert profile["good_or_better_name"] == "Secure or better"
    assert [g["label"] for g in profile["grades"]] == [
        "Strong",
        "Secure",
        "Still developing practice",
        "Weak",
    ]
    # Naming a hidden framework on purpose still works.
    code, out, err = run(sqlite_url, "profile", "--json", "--framework", "case-file", capsys=capsys)
    assert (code, json.loads(out)["framework_id"]) == (0, "case-file")


def test_export_without_framework_uses_the_default_setting(
    sqlite_url: str, own_settings: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An empty database: the refusal names the framework the export would have used.
    for args in (["--csv", str(tmp_path)], ["--out", str(tmp_path)]):
        code, _, err = run(sqlite_url, "export", "--period", "2026-27", *args, capsys=capsys)
        assert (code, err) == (
            2,
            "audit-tui: error: no finalised own-words audits in 2026-27: nothing to export\n",
        )


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"AUDIT_TUI_DEFAULT_FRAMEWORK": "case-flie"},
            "audit-tui: error: setting default_framework: unknown framework 'case-flie' (known: "
            "case-file, front-door, supervision)",
        ),
        (
            {"AUDIT_TUI_HIDDEN_FRAMEWORKS": "case-file"},
            "audit-tui: error: setting default_framework is 'case-file', which "
            "hidden_frameworks hides: set default_framework to a framework you use",
        ),
        (
            {"AUDIT_TUI_HIDDEN_FRAMEWORKS": "supervison"},
            "audit-tui: error: setting hidden_frameworks: unknown framework 'supervison' "
            "(known: case-file, front-door, supervision)",
        ),
    ],
    ids=["unknown-default", "hidden-default", "unknown-hidden"],
)
def test_wrong_settings_stop_with_one_line(
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    line: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, err = run(sqlite_url, "profile", capsys=capsys)
    assert (code, out, err.splitlines()) == (2, "", [line])


OWN_CASES = """\
Case reference,Case type,Team,Worker
LL-1,CiC,North,Ann Jones
LL-2,Plant mewn gofal,North,Ann Jones
LL-3,early help,South,Bo Li
LL-4,Care experienced,South,Cy Ray
"""


def test_import_and_sample_read_the_default_frameworks_own_case_types(
    sqlite_url: str, own_settings: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(OWN_CASES, encoding="utf-8")
    code, out, err = run(sqlite_url, "import-cases", str(path), capsys=capsys)
    assert (code, err) == (0, "")
    db = open_database(sqlite_url)
    with db.read() as s:
        types = dict(s.execute(select(Case.reference, Case.case_type)).all())
    db.dispose()
    assert types == {
        "LL-1": "children_in_care",
        "LL-2": "children_in_care",
        "LL-3": "early_help",
        "LL-4": "care_experienced",
    }
    code, out, err = run(
        sqlite_url, "sample", "--per-team", "5", "--case-type", "CiC", "--dry-run",
        "--auditor", "Di Moss", capsys=capsys,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "Children in care" in out and "own-words" in out
    # A built-in type the framework in use does not have is refused, naming its own types.
    path.write_text(OWN_CASES + "LL-5,Child in need,North,Ann Jones\n", encoding="utf-8")
    code, out, err = run(sqlite_url, "import-cases", str(path), capsys=capsys)
    assert code == 2
    assert (
        "cases.csv: row 6: unknown case type 'Child in need' (framework own-words has: Early "
        "help support, Children in care, Care experienced young person)"
    ) in err


def test_offered_frameworks_leave_the_hidden_out(registry: FrameworkRegistry) -> None:
    from audit_tui.services.context import AppContext

    settings = Settings(default_framework="front-door", hidden_frameworks=["case-file"])
    ctx = AppContext(db=None, frameworks=registry, settings=settings)  # type: ignore[arg-type]
    assert [fw.id for fw in framework_choice.offered(ctx)] == ["front-door", "supervision"]
    assert [fw.id for fw in framework_choice.offered(ctx, also="case-file")] == [
        "case-file",
        "front-door",
        "supervision",
    ]
    assert framework_choice.preferred(ctx) == "front-door"
    assert framework_choice.in_use(ctx).id == "front-door"
    assert framework_choice.in_use(ctx, "case-file").id == "case-file"
    assert framework_choice.title_bar(ctx) == str(registry.get("front-door").title)
