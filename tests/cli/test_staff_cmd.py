"""The staff directory (issue 15): `audit-tui staff ...`, `import-staff`, the team manager column
of `import-cases`, and what a newcomer needs for `sample` to work on a real case list."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from audit_tui.cli import main
from audit_tui.config import Settings
from audit_tui.services import audits, staff
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.moderation import ModerationSelection, select_for_moderation
from audit_tui.services.sampling import SampleRequest, draw_sample
from audit_tui.services.schemas import NewAudit
from tests.conftest import FIXED_TODAY


def run(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "--user", "QA Lead", *args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def rows(url: str, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(sql).fetchall()


def case_list(path: Path, teams: dict[str, list[str]], per_team: int = 8) -> Path:
    """A real-looking case list: `per_team` cases per team, held in turn by its workers."""
    lines = ["Case reference,Case type,Team,Worker"]
    for team, holders in teams.items():
        for i in range(per_team):
            lines.append(f"{team[0]}-{i + 1},CP,{team},{holders[i % len(holders)]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sample_after_importing_cases_and_a_staff_list_assigns_managers(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The newcomer's dead end: a case list imported, `sample` then had nobody to assign to.
    With a staff list marking managers, every sampled case goes to a manager of its team who
    does not hold it (Mo Khan manages North and holds some of its cases)."""
    cases = case_list(
        tmp_path / "cases.csv",
        {"North": ["Ann Jones", "Mo Khan"], "South": ["Cy Ray", "Di Fox"]},
    )
    code, _, err = run(sqlite_url, "import-cases", str(cases), capsys=capsys)
    assert (code, err) == (0, "")
    code, _, err = run(sqlite_url, "sample", "--per-team", "5", "--dry-run", capsys=capsys)
    assert code == 2 and "no auditor for teams North, South" in err

    people = tmp_path / "staff.csv"
    people.write_text(
        "Name,Team,Manager,Auditor\n"
        "Mo Khan,North,yes,\n"
        "Pat Lo,North,yes,yes\n"
        "Ed Hill,South,yes,\n"
        "Rae Boyd,,no,yes\n",
        encoding="utf-8",
    )
    code, out, err = run(sqlite_url, "import-staff", str(people), capsys=capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "staff.csv: 4 people read: 3 added, 1 updated, 0 unchanged"

    code, out, err = run(sqlite_url, "sample", "--per-team", "5", "--seed", "3", capsys=capsys)
    assert (code, err) == (0, ""), err
    assigned = rows(
        sqlite_url,
        "SELECT c.reference, t.name, holder.name, a.name, a.is_manager, a.team_id = c.team_id "
        "FROM round_cases rc JOIN cases c ON c.id = rc.case_id JOIN teams t ON t.id = c.team_id "
        "LEFT JOIN workers holder ON holder.id = c.worker_id "
        "JOIN workers a ON a.id = rc.auditor_id",
    )
    assert len(assigned) == 10
    for ref, team, holder, auditor, is_manager, same_team in assigned:
        assert is_manager and same_team, (ref, team, auditor)
        assert auditor != holder, ref
    assert {a for *_, a, _m, _s in assigned if _s} >= {"Mo Khan", "Pat Lo", "Ed Hill"}


def test_team_manager_column_of_the_case_list(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "Case reference,Case type,Team,Worker,Team manager\n"
        "N-1,CP,North,Ann Jones,Mo Khan\n"
        "N-2,CIN,North,Bo Li,Mo Khan\n"
        "S-1,LAC,South,Cy Ray,Ed Hill\n",
        encoding="utf-8",
    )
    code, out, err = run(sqlite_url, "import-cases", str(path), capsys=capsys)
    assert (code, err) == (0, "")
    assert "  note: Mo Khan marked as a manager of North" in out.splitlines()
    managers = rows(
        sqlite_url,
        "SELECT w.name, t.name FROM workers w JOIN teams t ON t.id = w.team_id "
        "WHERE w.is_manager ORDER BY w.name",
    )
    assert managers == [("Ed Hill", "South"), ("Mo Khan", "North")]

    # A manager named for another team is an error naming them; nothing imported.
    path.write_text(
        "Case reference,Case type,Team,Worker,Team manager\nS-9,LAC,South,Cy Ray,Mo Khan\n",
        encoding="utf-8",
    )
    code, out, err = run(sqlite_url, "import-cases", str(path), capsys=capsys)
    assert code == 2 and out == ""
    assert err == (
        "audit-tui: error: cases.csv: row 2: team manager Mo Khan is in team North, not South "
        "(move them with `audit-tui staff set-team` first)\n"
    )
    assert rows(sqlite_url, "SELECT count(*) FROM cases WHERE reference = 'S-9'") == [(0,)]


def test_staff_commands(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    def ok(*args: str) -> str:
        code, out, err = run(sqlite_url, *args, capsys=capsys)
        assert (code, err) == (0, ""), err
        return out

    def refused(*args: str) -> str:
        code, out, err = run(sqlite_url, *args, capsys=capsys)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        return err.removeprefix("audit-tui: error: ").strip()

    assert refused("staff", "add", "Ann Jones", "--team", "North") == (
        "unknown team 'North' (known: none yet)"
    )
    admin = AppContext.from_settings(Settings(db=sqlite_url))
    add_team(admin, "North")
    admin.db.dispose()
    assert ok("staff", "add", "Ann Jones", "--team", "North") == "added Ann Jones (staff, North)\n"
    assert ok("staff", "add", "Mo Khan", "--team", "North", "--manager").startswith("added Mo Khan")
    assert refused("staff", "add", "ann  jones") == "Ann Jones is already in the staff directory"
    assert refused("staff", "manager", "Nobody") == (
        "'Nobody' is not in the staff directory (see `audit-tui staff list`)"
    )
    assert refused("staff", "add", "Rae Boyd", "--manager") == (
        "Rae Boyd: a manager manages a team; give the team"
    )
    ok("staff", "add", "Rae Boyd", "--auditor")
    assert refused("staff", "manager", "Rae Boyd") == (
        "Rae Boyd has no team: give them one first (`audit-tui staff set-team`)"
    )
    assert ok("staff", "set-team", "Rae Boyd", "North") == "Rae Boyd: team North\n"
    assert ok("staff", "manager", "Rae Boyd") == "Rae Boyd: manager of North\n"
    assert (
        ok("staff", "leaver", "Rae Boyd", "--on", "2026-01-31") == "Rae Boyd: left on 2026-01-31\n"
    )
    assert refused("staff", "leaver", "Rae Boyd") == "Rae Boyd already left on 2026-01-31"
    listing = ok("staff", "list").splitlines()
    assert listing[0].split() == ["NAME", "TEAM", "MANAGER", "AUDITOR", "LOGIN", "LEFT"]
    rae = next(line for line in listing if line.startswith("Rae Boyd"))
    assert rae.split() == ["Rae", "Boyd", "North", "yes", "2026-01-31"]  # not a manager now
    assert [line.split()[0] for line in ok("staff", "list", "--current").splitlines()[1:]] == [
        "Ann",
        "Mo",
    ]
    ok("staff", "login", "Mo Khan", "mkhan")
    assert refused("staff", "login", "Ann Jones", "MKHAN") == (
        "Ann Jones: the login 'MKHAN' is already Mo Khan's"
    )


def test_import_staff_is_all_or_nothing_and_names_each_person(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "Name,Team,Manager,Login,Left\n"
        "Ann Jones,North,yes,ajones,\n"
        "Bo Li,,yes,,\n"
        "Cy Ray,South,perhaps,,\n"
        "Di Fox,South,no,AJONES,\n"
        "Ed Hill,South,no,,last week\n"
        "Ann Jones,South,no,,\n"
        ",South,no,,\n",
        encoding="utf-8",
    )
    code, out, err = run(sqlite_url, "import-staff", str(path), capsys=capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "staff.csv: row 3 (Bo Li): a manager needs a team",
        "staff.csv: row 4 (Cy Ray): manager 'perhaps' should be yes or no",
        "staff.csv: row 5 (Di Fox): login 'AJONES' is also Ann Jones's (row 2)",
        "staff.csv: row 6 (Ed Hill): leaving date 'last week' is not a date (write 2026-04-01)",
        "staff.csv: row 7 (Ann Jones): listed twice (also on row 2)",
        "staff.csv: row 8: no name",
        "audit-tui: error: staff.csv: nothing imported: 6 problems in rows 3, 4, 5, 6, 7, 8",
    ]
    assert rows(sqlite_url, "SELECT count(*) FROM workers") == [(0,)]
    assert rows(sqlite_url, "SELECT count(*) FROM teams") == [(0,)]


def test_a_leaver_keeps_their_history_but_gets_no_new_work(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx
    add_team(ctx, "North")
    staff.add_person(ctx, "Mo Khan", "North", manager=True)
    staff.add_person(ctx, "Pat Lo", "North", manager=True)
    staff.add_person(ctx, "Ann Jones", "North")

    def start(ref: str, auditor: str) -> int:
        return audits.start_audit(
            ctx,
            NewAudit(
                framework_id="case-file",
                case_reference=ref,
                case_type="child_protection",
                team="North",
                case_holder="Ann Jones",
                auditor=auditor,
                audit_date=FIXED_TODAY,
            ),
        ).id

    done = start("N-1", "Mo Khan")
    staff.mark_leaver(ctx, "Mo Khan", date(2026, 11, 1))
    assert audits.get_audit(ctx, done).auditor == "Mo Khan"  # history kept
    with pytest.raises(Exception, match="Mo Khan left on 2026-11-01"):
        start("N-2", "Mo Khan")
    with pytest.raises(Exception, match="Mo Khan left on 2026-11-01"):
        select_for_moderation(ctx, ModerationSelection(moderator="Mo Khan", audit_ids=[done]))
    with pytest.raises(Exception, match="left on 2026-11-01"):
        draw_sample(
            ctx, SampleRequest(per_team=1, auditors=["Mo Khan"], exclude_audited_within_days=0)
        )
    report = draw_sample(ctx, SampleRequest(per_team=1, exclude_audited_within_days=0, seed=1))
    assert {c.auditor for c in report.cases} == {"Pat Lo"}  # the leaver is no longer drawn


def test_control_characters_in_staff_names_are_refused(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    from audit_tui.domain.errors import UserError
    from audit_tui.services.case_import import ImportRejected

    with pytest.raises(UserError, match=r"the name 'Ann\?\[2J' contains a control character"):
        staff.add_person(sqlite_ctx, "Ann\x1b[2J")
    path = tmp_path / "staff.csv"
    path.write_text("Name,Team\nAnn\x1b[2J,North\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        staff.import_staff(sqlite_ctx, path)
    assert info.value.errors == [
        "staff.csv: row 2 (Ann?[2J): the name contains a control character "
        "(U+001B, ESC, which starts a terminal escape sequence)"
    ]
    assert staff.list_staff(sqlite_ctx) == []
