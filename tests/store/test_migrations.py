"""Migrations: an old database with data upgrades to head with nothing lost, the models match the
migrations, and databases the code cannot handle are refused with one clear line."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from audit_tui.domain.errors import UserError
from audit_tui.store.database import Database
from audit_tui.store.migrate import current_revision, head_revision, open_database, upgrade
from audit_tui.store.models import Base

T0 = "2024-05-01 09:30:00.000000"
T1 = "2024-05-02 14:05:07.123456"

TEAM = {"id": 7, "name": "Intake & Assessment", "is_demo": 0, "created_at": T0}
WORKERS = [
    {"id": 3, "name": "Ceri Jones", "team_id": 7, "is_manager": 1, "is_demo": 0, "created_at": T0},
    {"id": 4, "name": "Alun Price", "team_id": 7, "is_manager": 0, "is_demo": 0, "created_at": T0},
]
CASE = {
    "id": 11,
    "reference": "CMS-204811",
    "case_type": "child_protection",
    "team_id": 7,
    "worker_id": 4,
    "legal_status": "CP plan",
    "age_band": "5-9",
    "open_date": "2023-11-14",
    "is_demo": 0,
    "created_at": T0,
    "updated_at": T0,
}
AUDIT = {
    "id": 21,
    "framework_id": "case-file",
    "framework_version": "1.0.0",
    "framework_hash": "0123456789abcdef",
    "case_id": 11,
    "case_type": "child_protection",
    "team_id": 7,
    "worker_id": 4,
    "auditor_id": 3,
    "audit_date": "2024-05-02",
    "status": "finalised",
    "percent_met": 62.5,
    "critical_failures": 1,
    "suggested_judgement": "requires_improvement",
    "judgement": "requires_significant_improvement",
    "judgement_reason": "Drift since the conference; AP agreed.",
    "strengths": "Child's views recorded well.",
    "areas_for_development": "Contingency plan missing.",
    "is_demo": 0,
    "created_at": T0,
    "updated_at": T1,
    "finalised_at": T1,
    "version": 3,
}
ANSWERS = [
    {
        "id": 100 + i,
        "audit_id": 21,
        "question_id": qid,
        "section_id": sid,
        "kind": "original",
        "counted": 1,
        "answer": ans,
        "points": pts,
        "weight": w,
        "critical": crit,
        "note": note,
        "na_reason": na,
        "answered_at": T0,
        "updated_at": T1,
    }
    for i, (qid, sid, ans, pts, w, crit, note, na) in enumerate(
        [
            ("CF-AS-02", "assessment", "no", 0.0, 1.0, 1, "Not seen alone - AP.", None),
            ("CF-AS-04", "assessment", "yes", 1.0, 1.0, 1, None, None),
            ("CF-PL-04", "plans", "partly", 0.5, 2.0, 0, "Contingency vague.", None),
            ("CF-VR-04", "visits-review", "na", None, 1.0, 0, None, "No conference yet."),
        ]
    )
]


def _event(prev: str, n: int, action: str, new: Any, at: str) -> dict[str, Any]:
    """An event row hashed exactly as services.eventlog does, so the chain can be verified."""
    row = {
        "id": n,
        "at": at,
        "actor": "cjones",
        "action": action,
        "entity": "audit",
        "entity_id": 21,
        "audit_id": 21,
        "field": None,
        "old_value": None,
        "new_value": json.dumps(new, sort_keys=True),
        "reason": None,
        "prev_hash": prev,
    }
    fields = {
        "at": datetime.fromisoformat(at).isoformat(timespec="microseconds"),
        "actor": row["actor"],
        "action": action,
        "entity": "audit",
        "entity_id": 21,
        "audit_id": 21,
        "field": None,
        "old": None,
        "new": row["new_value"],
        "reason": None,
    }
    payload = json.dumps(fields, sort_keys=True, default=str)
    row["hash"] = hashlib.sha256((prev + payload).encode()).hexdigest()
    return row


def _events() -> list[dict[str, Any]]:
    first = _event("0" * 64, 1, "start", {"case": "CMS-204811"}, T0)
    final = {
        "judgement": AUDIT["judgement"],
        "answers": {a["question_id"]: a["answer"] for a in ANSWERS},
    }
    return [first, _event(first["hash"], 2, "finalise", final, T1)]


def _insert(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    cols = list(rows[0])
    conn.execute(
        text(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"
        ),
        rows,
    )


def _rows(conn: Any, table: str, columns: list[str]) -> list[dict[str, Any]]:
    result = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"))
    return [dict(r._mapping) for r in result]


@pytest.fixture
def old_db(tmp_path: Path) -> Database:
    """A SQLite database at the first revision, holding one finalised audit and its log."""
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(db, "0001")
    assert current_revision(db) == "0001"
    with db.write_engine.begin() as conn:
        _insert(conn, "teams", [TEAM])
        _insert(conn, "workers", WORKERS)
        _insert(conn, "cases", [CASE])
        _insert(conn, "audits", [AUDIT])
        _insert(conn, "answers", ANSWERS)
        _insert(conn, "events", _events())
    return db


def test_upgrade_from_first_revision_keeps_every_row(old_db: Database) -> None:
    upgrade(old_db)
    assert current_revision(old_db) == head_revision()
    with old_db.engine.connect() as conn:
        assert _rows(conn, "teams", list(TEAM)) == [TEAM]
        assert _rows(conn, "workers", list(WORKERS[0])) == WORKERS
        assert _rows(conn, "cases", list(CASE)) == [CASE]
        assert _rows(conn, "audits", list(AUDIT)) == [AUDIT]
        assert _rows(conn, "answers", list(ANSWERS[0])) == ANSWERS
        assert _rows(conn, "events", list(_events()[0])) == _events()
        new_cols = conn.execute(
            text(
                "SELECT concern_open, moderated_judgement, previous_audit_id, escalated_to, "
                "practitioner_response FROM audits"
            )
        ).one()
        assert tuple(new_cols) == (0, None, None, None, None)
        for table in ("moderations", "moderation_answers", "actions", "rounds", "round_cases"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        assert conn.execute(text("PRAGMA foreign_key_check")).first() is None
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_upgraded_database_still_enforces_its_rules(old_db: Database) -> None:
    upgrade(old_db)
    with old_db.write_engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with pytest.raises(UserError, match="append-only"), old_db.write() as s:
        s.execute(text("UPDATE events SET actor = 'someone else' WHERE id = 1"))
    with pytest.raises(UserError, match="FOREIGN KEY"), old_db.write() as s:
        s.execute(text("UPDATE answers SET audit_id = 999 WHERE id = 100"))


def test_upgraded_log_still_verifies(old_db: Database, registry: Any) -> None:
    from audit_tui.services.context import AppContext
    from audit_tui.services.integrity import verify_database

    upgrade(old_db)
    report = verify_database(AppContext(db=old_db, frameworks=registry))
    assert report.problems == []
    assert (report.events, report.finalised_audits) == (2, 1)


def test_models_match_migrations(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            mc = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(mc, Base.metadata) == []
    finally:
        db.dispose()


def test_newer_schema_is_refused(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    with db.write_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    db.dispose()
    with pytest.raises(UserError, match=r"newer audit-tui.*9999_from_the_future") as info:
        open_database(sqlite_url)
    assert "\n" not in str(info.value)
    # Refused, not "upgraded": the stamp is untouched.
    assert current_revision(Database(sqlite_url)) == "9999_from_the_future"


@pytest.mark.parametrize(
    "content",
    [b"Team,Case\nIntake,CMS-1\n" * 50, bytes(range(256)) * 64],
    ids=["csv", "binary"],
)
def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "audits.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match="not an audit-tui database") as info:
        open_database(f"sqlite:///{path}")
    assert str(path) in str(info.value)
    assert path.read_bytes() == content


def test_a_url_that_is_not_a_url_is_refused() -> None:
    with pytest.raises(UserError, match="not a database URL"):
        open_database("this is not :// a url")
