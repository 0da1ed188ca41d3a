"""Demo data never mixes with real data (issue 15): `audit-tui demo` fills a demo database of
its own, `--demo` opens it, demo data is refused in a database holding any real row (one line,
exit 2, nothing written), real work in a demo database needs the user's word, and a real audit
is never filed under a demo team or case."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from audit_tui.cli import main
from audit_tui.demo import generate_demo
from audit_tui.domain.errors import UserError
from audit_tui.services import audits, escalation
from audit_tui.services.case_import import import_cases
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import DemoDatabaseRefused, database_kind
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import NewAudit
from audit_tui.store.models import Team
from tests.conftest import FIXED_TODAY

TABLES = ("teams", "workers", "cases", "audits", "answers", "events", "database_info")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def new_audit(team: str, ref: str = "CMS-1") -> NewAudit:
    return NewAudit(
        framework_id="case-file",
        case_reference=ref,
        case_type="child_protection",
        team=team,
        auditor="Alex Morgan",
        audit_date=FIXED_TODAY,
    )


@pytest.mark.parametrize("real_row", ["team", "case"])
def test_demo_data_is_refused_in_a_database_with_any_real_row(
    sqlite_ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str], real_row: str
) -> None:
    """Before issue 15 only real audits were noticed: a database holding a real team or case
    list (say, just after `import-cases`) took the demo data in."""
    if real_row == "team":
        add_team(sqlite_ctx, "North")
    else:
        cases = tmp_path / "cases.csv"
        cases.write_text("Case reference,Case type,Team,Worker\nN-1,CP,North,Ann\n")
        import_cases(sqlite_ctx, cases)
    path = sqlite_ctx.db.path
    assert path is not None
    before = counts(path)
    code, out, err = run(capsys, "--db", f"sqlite:///{path}", "demo", "--audits", "30")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"audit-tui: error: {path}: holds 1 real team")
    assert "demo data only goes into a database of its own" in err
    assert counts(path) == before  # nothing written, not even a log entry


def test_demo_command_fills_the_demo_database_and_demo_opens_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    live, demo = tmp_path / "audits.db", tmp_path / "demo.db"
    monkeypatch.setenv("AUDIT_TUI_DB", f"sqlite:///{live}")
    monkeypatch.setenv("AUDIT_TUI_DEMO_DB", f"sqlite:///{demo}")
    code, out, err = run(capsys, "demo", "--audits", "40")
    assert (code, err) == (0, "")
    assert out.startswith(f"{demo}: demo data (seed 1)")
    assert out.splitlines()[-1] == "open it with: audit-tui --demo"
    assert not live.exists() or counts(live)["teams"] == 0  # the live database untouched

    code, out, _ = run(capsys, "--demo", "staff", "list", "--current")
    assert code == 0 and len(out.splitlines()) > 10  # the demo staff directory
    code, out, _ = run(capsys, "staff", "list")
    assert code == 0 and out.startswith("nobody in the staff directory yet")

    # Real work in the demo database needs the user's word for it.
    cases = tmp_path / "cases.csv"
    cases.write_text("Case reference,Case type,Team,Worker\nN-1,CP,North,Ann\n")
    before = counts(demo)
    code, out, err = run(capsys, "--demo", "import-cases", str(cases))
    assert code == 2 and err.count("\n") == 1 and "is the demo database" in err
    assert counts(demo) == before
    code, _, err = run(capsys, "--demo", "import-cases", str(cases), "--into-demo")
    assert (code, err) == (0, "")
    with sqlite3.connect(demo) as conn:  # and what it wrote is demo data too
        assert conn.execute("SELECT is_demo FROM cases WHERE reference = 'N-1'").fetchone() == (1,)


def test_real_work_in_a_demo_database_needs_confirming(sqlite_ctx: AppContext) -> None:
    generate_demo(sqlite_ctx, audits=30, seed=2)
    assert database_kind(sqlite_ctx) == "demo"
    team = "North"
    add_team(sqlite_ctx, team)
    with pytest.raises(DemoDatabaseRefused, match="is the demo database: starting an audit"):
        audits.start_audit(sqlite_ctx, new_audit(team))
    sqlite_ctx.demo_confirmed = True
    detail = audits.start_audit(sqlite_ctx, new_audit(team))
    with sqlite_ctx.db.read() as s:
        from audit_tui.store.models import Audit

        audit = s.get(Audit, detail.id)
        assert audit is not None and audit.is_demo
        assert s.query(Team).filter_by(name="North").one().is_demo


def test_a_real_audit_is_never_filed_under_a_demo_team(sqlite_ctx: AppContext) -> None:
    """A database mixed before issue 15 (demo rows, then real work): New audit must not put a
    real audit under a demo team or on a demo case."""
    generate_demo(sqlite_ctx, audits=30, seed=2)
    demo_team = "Child Protection (demo)"
    add_team(sqlite_ctx, "North")
    with sqlite_ctx.db.write() as s:  # the mixed state an old version could leave
        from audit_tui.store.models import DatabaseInfo

        s.delete(s.get(DatabaseInfo, "kind"))
        s.query(Team).filter_by(name="North").update({"is_demo": False})
    sqlite_ctx.kind_cache = None
    assert database_kind(sqlite_ctx) == "live"
    with pytest.raises(UserError, match=r"team 'Child Protection \(demo\)' is demo data"):
        audits.start_audit(sqlite_ctx, new_audit(demo_team))
    with pytest.raises(UserError, match="case DEMO-000001 is demo data"):
        audits.start_audit(sqlite_ctx, new_audit("North", "DEMO-000001"))
    assert audits.start_audit(sqlite_ctx, new_audit("North")).team == "North"


def test_the_demo_never_has_the_lead_acknowledge_an_escalation_of_their_own(
    sqlite_ctx: AppContext,
) -> None:
    """`make bench` from scratch failed: with seed 1 at 2,000 audits (and seed 22 at 60) the
    newest finalised audits but one was the QA lead's own, so the lead escalated and was then
    asked to acknowledge it - which separation of duties refuses."""
    generate_demo(sqlite_ctx, audits=60, seed=22, drafts=0)
    states = [
        escalation.escalation_status(sqlite_ctx, a.id)
        for a in audits.list_finalised(sqlite_ctx, limit=None)
    ]
    # Here the only audit before the newest is the lead's own: no acknowledged one then.
    assert all(s.acknowledged_by != s.escalated_by for s in states if s.state == "acknowledged")
    assert sum(1 for s in states if s.state == "awaiting_acknowledgement") == 1


def _counts_with_work(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        extra = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WORK}
    return {**counts(path), **extra}


WORK = ("rounds", "round_cases", "actions")


@pytest.mark.parametrize(
    "command",
    [
        ["sample", "--per-team", "1", "--exclude-audited-within", "0"],
        ["actions", "add", "{audit}", "--description", "Record the plan", "--owner", "AB"],
    ],
    ids=["sample", "actions add"],
)
def test_sample_and_actions_add_in_a_demo_database_need_confirming(
    sqlite_ctx: AppContext, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Issue 15's leftovers: `sample` and `actions add` wrote into the demo database without
    a word, where import-cases, import-staff and starting an audit are refused unless the
    user confirms (--into-demo)."""
    generate_demo(sqlite_ctx, audits=30, seed=2)
    path = sqlite_ctx.db.path
    assert path is not None
    with sqlite3.connect(path) as conn:
        audit = conn.execute("SELECT min(id) FROM audits").fetchone()[0]
    args = [a.format(audit=audit) for a in command]
    if args[0] == "actions":
        args += ["--due", FIXED_TODAY.isoformat()]
    db = ["--db", f"sqlite:///{path}"]
    before = _counts_with_work(path)
    code, out, err = run(capsys, *db, *args)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    what = "drawing a sample" if args[0] == "sample" else "adding an action"
    assert f"is the demo database: {what} here" in err
    assert _counts_with_work(path) == before  # nothing written, not even a log entry
    code, out, err = run(capsys, *db, *args, "--into-demo")
    assert (code, err) == (0, "") and out
    table = "rounds" if args[0] == "sample" else "actions"
    assert _counts_with_work(path)[table] == before[table] + 1


def test_a_dry_run_sample_in_a_demo_database_writes_nothing_and_is_not_refused(
    sqlite_ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    generate_demo(sqlite_ctx, audits=30, seed=2)
    path = sqlite_ctx.db.path
    assert path is not None
    before = _counts_with_work(path)
    code, out, err = run(
        capsys,
        *["--db", f"sqlite:///{path}", "sample", "--per-team", "1"],
        *["--exclude-audited-within", "0", "--dry-run"],
    )
    assert (code, err) == (0, "") and out
    assert _counts_with_work(path) == before
