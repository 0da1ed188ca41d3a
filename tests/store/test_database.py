"""The database itself refuses impossible rows, whatever a buggy layer above tries; a write is all
or nothing; SQLite connections are set up for safety."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from audit_tui.domain.errors import UserError
from audit_tui.store.database import Database
from audit_tui.store.migrate import open_database
from audit_tui.store.models import Answer, Audit, Case, Team, Worker


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    with database.write() as s:
        s.execute(insert(Team), [{"id": 1, "name": "Child Protection"}])
        s.execute(insert(Worker), [{"id": 1, "name": "Ceri Jones", "team_id": 1}])
        s.execute(
            insert(Case),
            [{"id": 1, "reference": "CMS-1", "case_type": "looked_after", "team_id": 1}],
        )
    yield database
    database.dispose()


def audit_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": 1,
        "framework_id": "case-file",
        "framework_version": "1.0.0",
        "framework_hash": "abc",
        "case_id": 1,
        "case_type": "looked_after",
        "team_id": 1,
        "auditor_id": 1,
        "audit_date": date(2026, 10, 1),
        "status": "draft",
    }
    row.update(overrides)
    return row


def answer_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "audit_id": 1,
        "question_id": "CF-AS-02",
        "section_id": "assessment",
        "answer": "yes",
        "points": 1.0,
    }
    row.update(overrides)
    return row


def count(db: Database, model: Any) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize(
    "row",
    [
        audit_row(status="archived"),
        audit_row(status="finalised"),  # no judgement
        audit_row(status="finalised", judgement="good", suggested_judgement="requires_improvement"),
        audit_row(status="finalised", judgement="good", concern_open=True),
        audit_row(percent_met=101.0),
        audit_row(practitioner_response="maybe"),
        audit_row(case_id=999),  # no such case
    ],
    ids=[
        "unknown-status",
        "final-no-judgement",
        "override-no-reason",
        "concern-not-escalated",
        "percent>100",
        "unknown-response",
        "missing-case",
    ],
)
def test_impossible_audits_are_refused(db: Database, row: dict[str, Any]) -> None:
    with pytest.raises(UserError, match="refused the change"), db.write() as s:
        s.execute(insert(Audit), [row])
    assert count(db, Audit) == 0


@pytest.mark.parametrize(
    "row",
    [
        answer_row(points=2.0),
        answer_row(points=-0.5),
        answer_row(kind="second-opinion"),
        answer_row(answer=""),
        answer_row(weight=-1.0),
        answer_row(audit_id=999),
    ],
    ids=[
        "points-2",
        "points-negative",
        "unknown-kind",
        "empty-answer",
        "negative-weight",
        "orphan",
    ],
)
def test_impossible_answers_are_refused(db: Database, row: dict[str, Any]) -> None:
    with db.write() as s:
        s.execute(insert(Audit), [audit_row()])
    with pytest.raises(UserError, match="refused the change"), db.write() as s:
        s.execute(insert(Answer), [row])
    assert count(db, Answer) == 0


def test_one_answer_per_question_and_kind(db: Database) -> None:
    with db.write() as s:
        s.execute(insert(Audit), [audit_row()])
        s.execute(insert(Answer), [answer_row()])
    with pytest.raises(UserError, match="refused the change"), db.write() as s:
        s.execute(insert(Answer), [answer_row(answer="no", points=0.0)])
    with db.write() as s:  # the moderated copy of the same question is a different kind
        s.execute(insert(Answer), [answer_row(kind="agreed")])
    assert count(db, Answer) == 2


def test_possible_rows_are_accepted(db: Database) -> None:
    """The constraints are not simply refusing everything."""
    with db.write() as s:
        s.execute(
            insert(Audit),
            [
                audit_row(
                    status="finalised",
                    judgement="good",
                    suggested_judgement="requires_improvement",
                    judgement_reason="Moderated up: strong direct work.",
                    concern_open=True,
                    escalated_to="Team manager",
                    percent_met=100.0,
                )
            ],
        )
        s.execute(insert(Answer), [answer_row(answer="na", points=None)])
    assert (count(db, Audit), count(db, Answer)) == (1, 1)


def test_a_failed_write_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(UserError), db.write() as s:
        s.execute(insert(Team), [{"name": "Care Leavers 16+"}])
        s.execute(insert(Audit), [audit_row(status="archived")])
    with pytest.raises(RuntimeError), db.write() as s:
        s.execute(insert(Team), [{"name": "Early Help"}])
        raise RuntimeError("the caller failed half-way")
    with db.read() as s:
        assert list(s.execute(select(Team.name)).scalars()) == ["Child Protection"]


def test_the_event_log_is_append_only(db: Database) -> None:
    from audit_tui.services.eventlog import log_event

    with db.write() as s:
        log_event(s, "tester", "create", "team", 1, new="Child Protection")
    for statement in ("UPDATE events SET actor = 'x'", "DELETE FROM events"):
        with pytest.raises(UserError, match="append-only"), db.write() as s:
            s.execute(text(statement))
    with db.read() as s:
        # The log's first entry records its key being made; then the team.
        assert s.execute(text("SELECT action, actor FROM events ORDER BY id")).all() == [
            ("key", "tester"),
            ("create", "tester"),
        ]


def test_sqlite_connections_are_set_up_for_safety(sqlite_url: str) -> None:
    database = open_database(sqlite_url)
    try:
        for engine in (database.engine, database.write_engine):
            with engine.connect() as conn:
                pragma = {
                    name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                    for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
                }
                assert pragma == {
                    "journal_mode": "wal",
                    "foreign_keys": 1,
                    "busy_timeout": 10_000,
                    "synchronous": 2,  # FULL
                }
    finally:
        database.dispose()


def test_a_missing_folder_is_created_for_a_new_sqlite_file(tmp_path: Any) -> None:
    path = tmp_path / "new" / "deeper" / "audits.db"
    database = open_database(f"sqlite:///{path}")
    try:
        assert path.exists()
        with database.read() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        database.dispose()


def test_closing_a_sqlite_database_gathers_planner_statistics(sqlite_url: str) -> None:
    """Issue 16: SQLite never got planner statistics (no ANALYZE ever ran). Each connection
    now runs PRAGMA optimize as it closes, which analyses the tables its queries used."""
    database = open_database(sqlite_url)
    with database.write() as s:
        s.execute(insert(Team), [{"id": i, "name": f"Team {i}"} for i in range(1, 21)])
        s.execute(
            insert(Case),
            [
                {"id": i, "reference": f"C-{i}", "case_type": "looked_after", "team_id": i % 20 + 1}
                for i in range(1, 401)
            ],
        )
    with database.read() as s:  # a lookup on a non-unique index: statistics would help
        s.execute(select(Case.id).where(Case.team_id == 3)).all()
    database.dispose()
    with sqlite3.connect(database.path) as conn:
        analysed = {t for (t,) in conn.execute("SELECT tbl FROM sqlite_stat1")}
    assert "cases" in analysed
