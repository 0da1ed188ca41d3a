"""`audit-tui demo`: completes, is reproducible from its seed, is clearly marked as demo, passes
`db verify`, and never mixes with real audits."""

from __future__ import annotations

import contextlib
import io
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from audit_tui.cli import main
from audit_tui.demo import FIRST_NAMES, generate_demo
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.periods import fy_start_year
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.integrity import verify_database
from audit_tui.services.schemas import AnswerIn, NewAudit
from tests.conftest import FIXED_TODAY, make_context


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The real entry point, in process: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def demo_db(capsys: pytest.CaptureFixture[str], path: Path, n: int, seed: int) -> tuple[Path, str]:
    code, out, err = run(
        capsys, "--db", f"sqlite:///{path}", "demo", "--audits", str(n), "--seed", str(seed)
    )
    assert (code, err) == (0, ""), err
    return path, out


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def scalar(path: Path, sql: str) -> Any:
    return query(path, sql)[0][0]


# The figures a report would show, and the content behind them.
FIGURES = {
    "audits": "SELECT * FROM audits ORDER BY id",
    "answers": "SELECT * FROM answers ORDER BY id",
    "cases": "SELECT id, reference, case_type, team_id, worker_id, legal_status, age_band, "
    "open_date FROM cases ORDER BY id",
    "staff": "SELECT id, name, team_id, is_manager FROM workers ORDER BY id",
    "teams": "SELECT id, name FROM teams ORDER BY id",
    # The log's content; not its hashes: each database has a key of its own, whose entry
    # (with the database's own id) comes first and so is in every later entry's hash.
    "log": "SELECT id, at, actor, action, entity, entity_id, audit_id, field, old_value, "
    "new_value, reason FROM events WHERE action NOT IN ('demo', 'key') ORDER BY id",
    "percent_met": "SELECT CAST(percent_met / 10 AS INTEGER) AS decile, count(*) FROM audits "
    "WHERE status = 'finalised' GROUP BY decile ORDER BY decile",
    "judgements": "SELECT team_id, judgement, count(*), round(avg(percent_met), 6) FROM audits "
    "GROUP BY team_id, judgement ORDER BY team_id, judgement",
}


def figures(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {name: query(path, sql) for name, sql in FIGURES.items()}


@pytest.fixture(scope="module")
def seed1(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`audit-tui demo --audits 2000 --seed 1` on a fresh database, made once for the module
    (module scope has no capsys, so output is captured by hand)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.raises(SystemExit) as info,
    ):
        main(["--db", f"sqlite:///{path}", "demo", "--audits", "2000", "--seed", "1"])
    assert info.value.code in (0, None), err.getvalue()
    return path, out.getvalue()


def test_demo_2000_completes_with_a_one_line_summary(seed1: tuple[Path, str]) -> None:
    path, out = seed1
    assert out.count("\n") == 1
    assert "2,000 audits" in out and "(seed 1)" in out
    # The history, then this term's work made through the services (round, re-audit).
    assert 2000 < scalar(path, "SELECT count(*) FROM audits") <= 2030
    assert "this term: an audit round of" in out
    drafts = scalar(path, "SELECT count(*) FROM audits WHERE status = 'draft'")
    assert 0 < drafts <= 40  # nearly all finalised, a few drafts
    assert scalar(path, "SELECT count(*) FROM audits WHERE framework_id <> 'case-file'") == 0
    assert scalar(path, "SELECT count(*) FROM answers") > 2000 * 30
    assert scalar(path, "PRAGMA integrity_check") == "ok"


def test_demo_data_is_clearly_marked(seed1: tuple[Path, str]) -> None:
    path, _ = seed1
    for table in ("teams", "workers", "cases", "audits"):
        assert scalar(path, f"SELECT count(*) FROM {table} WHERE NOT is_demo") == 0, table
    teams = [name for (name,) in query(path, "SELECT name FROM teams")]
    assert 6 <= len(teams) <= 8
    assert all(name.endswith(" (demo)") for name in teams)
    assert any(name.startswith("Intake") for name in teams)
    assert any(name.startswith("Child Protection") for name in teams)
    refs = [r for (r,) in query(path, "SELECT reference FROM cases")]
    assert all(re.fullmatch(r"DEMO-\d{6}", r) for r in refs)


def test_demo_has_teams_of_different_sizes_and_staff(seed1: tuple[Path, str]) -> None:
    path, _ = seed1
    sizes = [n for (n,) in query(path, "SELECT count(*) FROM audits GROUP BY team_id")]
    assert max(sizes) > 1.8 * min(sizes)
    per_team = query(
        path,
        "SELECT team_id, sum(is_manager), sum(NOT is_manager) FROM workers "
        "WHERE team_id IS NOT NULL GROUP BY team_id",
    )
    assert len(per_team) == len(sizes)
    assert all(managers >= 1 and workers >= 2 for _, managers, workers in per_team)
    # An auditor never audits their own case.
    assert scalar(path, "SELECT count(*) FROM audits WHERE auditor_id = worker_id") == 0


def test_demo_spans_about_three_financial_years(seed1: tuple[Path, str]) -> None:
    path, _ = seed1
    today = date.today()
    first, last = query(path, "SELECT min(audit_date), max(audit_date) FROM audits")[0]
    assert date.fromisoformat(first) >= date(fy_start_year(today) - 2, 4, 1)
    assert date.fromisoformat(first) < date(fy_start_year(today) - 2, 5, 1)
    assert today - timedelta(days=7) <= date.fromisoformat(last) <= today
    weekend = query(path, "SELECT audit_date FROM audits")
    assert all(date.fromisoformat(d).weekday() < 5 for (d,) in weekend)


def test_demo_patterns_are_believable(seed1: tuple[Path, str]) -> None:
    path, _ = seed1

    def trend(team: str) -> tuple[float, float]:
        rows = query(
            path,
            "SELECT a.audit_date < (SELECT date(min(audit_date), '+365 days') FROM audits), "
            "avg(percent_met) FROM audits a JOIN teams t ON t.id = a.team_id "
            f"WHERE a.status = 'finalised' AND t.name LIKE '{team}%' GROUP BY 1 ORDER BY 1 DESC",
        )
        return rows[0][1], rows[1][1]  # first year, later years

    early, late = trend("Child Protection")
    assert late > early + 5  # improving
    early, late = trend("Disabled Children")
    assert late < early - 5  # declining

    by_question = dict(
        query(
            path,
            "SELECT question_id, 100.0 * sum(points) / count(points) FROM answers "
            "GROUP BY question_id",
        )
    )
    weakest = sorted(by_question, key=by_question.__getitem__)[:6]
    assert set(weakest) == {"CF-AS-02", "CF-AS-04", "CF-PL-02", "CF-PL-04", "CF-MO-01", "CF-MO-02"}
    na_share = scalar(path, "SELECT avg(answer = 'na') FROM answers")
    assert 0.01 < na_share < 0.15
    judgements = dict(query(path, "SELECT judgement, count(*) FROM audits GROUP BY judgement"))
    assert {"excellent", "good", "requires_improvement", "requires_significant_improvement"} <= set(
        judgements
    )
    overrides = scalar(
        path,
        "SELECT count(*) FROM audits WHERE status = 'finalised' "
        "AND judgement <> suggested_judgement AND length(judgement_reason) > 0",
    )
    assert 0 < overrides < 300


def test_demo_notes_use_initials_never_names(seed1: tuple[Path, str]) -> None:
    path, _ = seed1
    texts = [
        t
        for (t,) in query(
            path,
            "SELECT note FROM answers WHERE note IS NOT NULL UNION ALL "
            "SELECT judgement_reason FROM audits WHERE judgement_reason IS NOT NULL UNION ALL "
            "SELECT strengths FROM audits WHERE strengths IS NOT NULL",
        )
    ]
    assert len(texts) > 200
    assert any(re.search(r"\b[A-Z]{2}\b", t) for t in texts)  # initials, auditor style
    words = {w.strip(".,;:'()") for t in texts for w in t.split()}
    assert not words & set(FIRST_NAMES)
    noted = dict(
        query(path, "SELECT answer, count(*) FROM answers WHERE note IS NOT NULL GROUP BY 1")
    )
    assert set(noted) <= {"no", "partly"}
    na_reasons = scalar(
        path, "SELECT count(*) FROM answers WHERE answer = 'na' AND na_reason IS NULL"
    )
    assert na_reasons == 0


def test_db_verify_passes_on_demo_data(
    seed1: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = seed1
    code, out, err = run(capsys, "--db", f"sqlite:///{path}", "db", "verify")
    assert (code, err) == (0, "")
    assert out.startswith("OK: ")
    finalised = scalar(path, "SELECT count(*) FROM audits WHERE status = 'finalised'")
    assert f"{finalised} finalised audits compared" in out


def test_same_seed_gives_the_same_figures(
    seed1: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, out = seed1
    again, out_again = demo_db(capsys, tmp_path / "again.db", 2000, 1)
    assert out_again.split(": ", 1)[1] == out.split(": ", 1)[1]
    first, second = figures(path), figures(again)
    for name in FIGURES:
        assert first[name] == second[name], name


def test_different_seeds_differ(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one, _ = demo_db(capsys, tmp_path / "one.db", 300, 1)
    two, _ = demo_db(capsys, tmp_path / "two.db", 300, 2)
    a, b = figures(one), figures(two)
    assert a["answers"] != b["answers"]
    assert a["percent_met"] != b["percent_met"]
    assert a["audits"] != b["audits"]


def test_demo_refuses_a_database_with_real_audits(
    sqlite_ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    add_team(sqlite_ctx, "Real Team")
    audits.start_audit(
        sqlite_ctx,
        NewAudit(
            framework_id="case-file",
            case_reference="CMS-1",
            case_type="looked_after",
            team="Real Team",
            auditor="A Manager",
            audit_date=FIXED_TODAY,
        ),
    )
    assert sqlite_ctx.db.path is not None
    before = {
        t: scalar(sqlite_ctx.db.path, f"SELECT count(*) FROM {t}") for t in ("teams", "events")
    }
    code, out, err = run(capsys, "--db", f"sqlite:///{sqlite_ctx.db.path}", "demo", "--audits", "5")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "holds 1 real audit" in err
    after = {t: scalar(sqlite_ctx.db.path, f"SELECT count(*) FROM {t}") for t in before}
    assert after == before


def test_demo_twice_on_one_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo_db(capsys, tmp_path / "d.db", 20, 1)
    before = scalar(path, "SELECT count(*) FROM audits")
    code, _, err = run(capsys, "--db", f"sqlite:///{path}", "demo", "--audits", "20")
    assert code == 2 and "already holds demo data" in err
    assert scalar(path, "SELECT count(*) FROM audits") == before


@pytest.mark.parametrize("args", [["--audits", "-1"], ["--audits", "ten"], ["--drafts", "-2"]])
def test_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'x.db'}", "demo", *args)
    assert code == 2 and out == "" and err.startswith("audit-tui: error: ")


def test_more_drafts_than_audits_is_refused(sqlite_ctx: AppContext) -> None:
    from audit_tui.domain.errors import UserError

    with pytest.raises(UserError, match="--drafts 9"):
        generate_demo(sqlite_ctx, audits=5, drafts=9)


# --- the service on both backends ------------------------------------------------------------


def test_demo_service_on_sqlite_and_postgresql(
    ctx: AppContext, registry: FrameworkRegistry, tmp_path: Path
) -> None:
    """Same figures on either backend; the log verifies; the app carries on normally after."""
    summary = generate_demo(ctx, audits=120, seed=7, drafts=4)
    assert (summary.audits, summary.finalised, summary.drafts) == (120, 116, 4)
    assert summary.last_date is not None and summary.last_date <= FIXED_TODAY
    report = verify_database(ctx)
    assert report.problems == [] and report.finalised_audits == 116

    drafts = audits.list_drafts(ctx)
    # 4 from the history, the rest this term's (the round's started cases, a re-audit).
    assert summary.story is not None
    assert len(drafts) >= 4 + summary.story.round_started - 1
    assert all(0 <= d.answered < d.applicable for d in drafts)
    done = audits.list_finalised(ctx, limit=1)[0]
    detail = audits.get_audit(ctx, done.id)
    assert detail.answered == detail.applicable
    assert all(a.answered_at.date() == detail.audit_date for a in detail.answers.values())
    rv = audits.review(ctx, done.id)
    assert rv.percent_met == pytest.approx(detail.percent_met)
    assert rv.suggested_judgement == detail.suggested_judgement

    # Ids given explicitly by the bulk insert must not collide with the next ordinary ones.
    # (Work in a demo database needs the user's word that it is practice: issue 15.)
    add_team(ctx, "Real Team")
    ctx.demo_confirmed = True
    audit = audits.start_audit(
        ctx,
        NewAudit(
            framework_id="case-file",
            case_reference="CMS-9",
            case_type="care_leaver",
            team="Real Team",
            auditor="New Auditor",
            audit_date=FIXED_TODAY,
        ),
    )
    audits.record_answer(ctx, audit.id, AnswerIn(question_id="CF-AS-02", answer="yes"))
    assert verify_database(ctx).problems == []

    other = make_context(f"sqlite:///{tmp_path / 'twin.db'}", registry)
    try:
        twin = generate_demo(other, audits=120, seed=7, drafts=4)
    finally:
        other.db.dispose()
    assert twin.model_dump(exclude={"events"}) == summary.model_dump(exclude={"events"})
