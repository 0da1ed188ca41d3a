"""The moderation and actions commands, run through cli.main as a user would (exit codes,
one-line errors), on a SQLite file prepared with the services."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from audit_tui.cli import main
from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import audits, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit
from tests.conftest import make_context

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TEAM = "Intake"
_LOADED: dict[tuple[Path, ...], FrameworkRegistry] = {}
_from_dirs = FrameworkRegistry.from_dirs


def _cached_from_dirs(dirs: Iterable[Path]) -> FrameworkRegistry:
    key = tuple(dirs)
    if key not in _LOADED:
        _LOADED[key] = _from_dirs(key)
    return _LOADED[key]


@pytest.fixture
def prepared(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[AppContext, list[int]]]:
    """Three finalised mini audits by Ceri Jones (yes, no, partly: 50%)."""
    monkeypatch.setenv("AUDIT_TUI_FRAMEWORKS", str(FIXTURES))
    # Each command loads the frameworks afresh (about a second of YAML parsing); the loader
    # has its own tests, so parse them once here and keep this suite fast.
    monkeypatch.setattr(FrameworkRegistry, "from_dirs", staticmethod(_cached_from_dirs))
    monkeypatch.setenv("AUDIT_TUI_USER", "qa lead")
    registry = FrameworkRegistry.from_dirs([builtin_frameworks_dir(), FIXTURES])
    ctx = make_context(sqlite_url, registry)
    add_team(ctx, TEAM)
    ids = []
    for i in range(3):
        audit = audits.start_audit(
            ctx,
            NewAudit(
                framework_id="mini",
                case_reference=f"CMS-{i}",
                case_type="child_in_need",
                team=TEAM,
                auditor="Ceri Jones",
                audit_date=date(2026, 10, 1),
            ),
        )
        for qid, code in {"M-01": "yes", "M-02": "no", "M-03": "partly"}.items():
            audits.record_answer(ctx, audit.id, AnswerIn(question_id=qid, answer=code))
        audits.finalise(ctx, audit.id, Finalise(judgement="requires_improvement"))
        ids.append(audit.id)
    yield ctx, ids
    ctx.db.dispose()


def run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", url, *args])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_moderation_select_list_and_agreement(
    prepared: tuple[AppContext, list[int]], sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, ids = prepared
    code, out, _ = run(
        sqlite_url,
        capsys,
        "moderation",
        "select",
        "--audit",
        str(ids[0]),
        "--moderator",
        "Dana Moss",
    )
    assert code == 0 and "1 audit selected for moderation by Dana Moss" in out

    code, out, _ = run(
        sqlite_url, capsys, "moderation", "select", "--share", "0.5", "--seed", "3",
        "--moderator", "Dana Moss",
    )  # fmt: skip
    # ceil(0.5 x 2 remaining) = 1, reproducible from the seed shown
    assert code == 0 and "1 audit selected" in out and "(seed 3)" in out

    code, out, _ = run(sqlite_url, capsys, "moderation", "list")
    assert code == 0 and out.count("requested") == 2 and "Dana Moss" in out

    # Moderate the first blind and submit, so agreement has one pair.
    mid = next(m.id for m in moderation.list_moderations(ctx) if m.audit_id == ids[0])
    for qid, ans in {"M-01": "yes", "M-02": "partly", "M-03": "partly"}.items():
        moderation.record_moderation_answer(ctx, mid, AnswerIn(question_id=qid, answer=ans))
    moderation.submit_moderation(ctx, mid, "good")

    code, out, _ = run(sqlite_url, capsys, "moderation", "agreement", "--framework", "mini")
    assert code == 0
    assert "1 judgement pairs" in out
    ceri = next(line for line in out.splitlines() if line.startswith("Ceri Jones"))
    # RI vs good: not exact, within one; answers 2 of 3 alike = 67%
    assert ceri.split()[2:5] == ["1", "0%", "100%"] and "67%" in ceri
    # One pair: no kappa or AC1, the table says why.
    assert ceri.split()[5:7] == ["n<10", "n<10"]

    code, out, _ = run(
        sqlite_url, capsys, "moderation", "agreement", "--period", "2026-27", "--json"
    )
    data = json.loads(out)
    assert data["overall"]["n"] == 1 and data["period"] == "2026-27"
    assert data["overall"]["kappa"] is None and data["overall"]["ac1"] is None
    assert data["overall"]["min_pairs"] == 10

    code, out, _ = run(sqlite_url, capsys, "moderation", "list", "--status", "submitted", "--json")
    assert [m["id"] for m in json.loads(out)] == [mid]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--moderator", "Dana Moss"], "give --audit ID"),
        (["--audit", "1", "--share", "0.5", "--moderator", "Dana Moss"], "not both"),
        (["--share", "2", "--moderator", "Dana Moss"], "--share: must be at most 1"),
        (["--audit", "99", "--moderator", "Dana Moss"], "no audit 99"),
        (["--audit", "1", "--moderator", "Ceri Jones"], "nobody moderates their own audit"),
        (["--share", "0.5", "--period", "2026", "--moderator", "D"], "period '2026'"),
    ],
)
def test_moderation_select_errors(
    prepared: tuple[AppContext, list[int]],
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    code, _, err = run(sqlite_url, capsys, "moderation", "select", *args)
    assert code == 2 and message in err
    assert len(err.strip().splitlines()) == 1
    assert moderation.list_moderations(prepared[0]) == []


def test_actions_add_list_done_not_needed(
    prepared: tuple[AppContext, list[int]], sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, ids = prepared
    # The command line's today is the real one: due dates either side of it.
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    today = date.today().isoformat()
    code, out, _ = run(
        sqlite_url, capsys, "actions", "add", str(ids[0]), "--description", "Record risk analysis",
        "--owner", "TM", "--due", yesterday, "--question", "M-02", "--reaudit-by", "2027-02-01",
    )  # fmt: skip
    assert code == 0 and "action 1 (M-02 on audit" in out and f"due {yesterday}" in out
    code, out, _ = run(
        sqlite_url, capsys, "actions", "add", str(ids[1]), "--description", "Update the plan",
        "--owner", "TM", "--due", today,
    )  # fmt: skip
    assert code == 0

    code, out, _ = run(sqlite_url, capsys, "actions", "list")
    assert code == 0 and "Record risk analysis" in out and "Update the plan" in out
    assert "OVERDUE" in out.splitlines()[1] and "OVERDUE" not in out.splitlines()[2]
    code, out, _ = run(sqlite_url, capsys, "actions", "list", "--overdue", "--json")
    assert [a["id"] for a in json.loads(out)] == [1]  # due today is not overdue

    code, out, _ = run(sqlite_url, capsys, "actions", "done", "1")
    assert code == 0 and out.strip().endswith(": done")
    code, out, err = run(sqlite_url, capsys, "actions", "done", "1")
    assert code == 2 and "action 1 is already done" in err
    code, out, err = run(sqlite_url, capsys, "actions", "not-needed", "2", "--reason", " ")
    assert code == 2 and "give a reason" in err
    code, out, _ = run(sqlite_url, capsys, "actions", "not-needed", "2", "--reason", "case closed")
    assert code == 0 and out.strip().endswith(": not needed")
    code, out, _ = run(sqlite_url, capsys, "actions", "list", "--status", "open")
    assert out.strip() == "no actions"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--description", "x", "--owner", "TM", "--due", "20/11/2026"], "--due '20/11/2026'"),
        (["--description", " ", "--owner", "TM", "--due", "2026-12-01"], "--description:"),
        (
            ["--description", "x", "--owner", "TM", "--due", "2026-12-01", "--question", "M-01"],
            "is answered 'yes'",
        ),
        (["--owner", "TM", "--due", "2026-12-01"], "Missing option '--description'"),
    ],
)
def test_actions_add_errors(
    prepared: tuple[AppContext, list[int]],
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    code, _, err = run(sqlite_url, capsys, "actions", "add", str(prepared[1][0]), *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    code, out, _ = run(sqlite_url, capsys, "actions", "list")
    assert out.strip() == "no actions"
