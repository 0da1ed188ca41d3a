"""Integrity rules live in the database too (SQLite and PostgreSQL): an impossible row written
with plain SQL, past every service check, is refused by the database itself.

Each case first writes a valid row of the same shape (so the refusal is the rule at work, not
a typo in the test), then the impossible one; both are rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from audit_tui.services import audits
from audit_tui.services.schemas import AnswerIn
from audit_tui.store.database import Database
from tests.reliability.seed import context, draft, finalised

T = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


@dataclass
class Baseline:
    db: Database
    draft_id: int
    final_id: int
    case_id: int
    team_id: int
    worker_id: int
    event_id: int


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def baseline(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Baseline]:
    """One database per backend for the module: a draft with an answer, a finalised audit."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('constraints') / 'audits.db'}"
    else:
        url = request.getfixturevalue("pg_server").create_database()
    ctx = context(url)
    final_id = finalised(ctx, "CK-FINAL")
    draft_id = draft(ctx, "CK-DRAFT")
    audits.record_answer(ctx, draft_id, AnswerIn(question_id="M-01", answer="yes"))
    with ctx.db.read() as s:
        case_id, team_id, worker_id = s.execute(
            text("SELECT case_id, team_id, auditor_id FROM audits WHERE id = :id"),
            {"id": draft_id},
        ).one()
        event_id = s.execute(text("SELECT max(id) FROM events")).scalar_one()
    yield Baseline(ctx.db, draft_id, final_id, case_id, team_id, worker_id, event_id)
    ctx.db.dispose()


def _insert(conn: Connection, table: str, row: dict[str, Any]) -> None:
    cols = ", ".join(row)
    values = ", ".join(f":{c}" for c in row)
    conn.execute(text(f"INSERT INTO {table} ({cols}) VALUES ({values})"), row)


# --- valid rows, one per table, to be spoiled one field at a time ---------------------------


def answer_row(b: Baseline) -> dict[str, Any]:
    return {
        "id": 9001,
        "audit_id": b.draft_id,
        "question_id": "M-03",
        "section_id": "plans",
        "kind": "original",
        "counted": True,
        "answer": "yes",
        "points": 1.0,
        "weight": 1.0,
        "critical": False,
        "answered_at": T,
        "updated_at": T,
    }


def audit_row(b: Baseline) -> dict[str, Any]:
    return {
        "id": 9001,
        "framework_id": "mini",
        "framework_version": "0.1",
        "framework_hash": "0" * 16,
        "case_id": b.case_id,
        "case_type": "child_in_need",
        "team_id": b.team_id,
        "auditor_id": b.worker_id,
        "audit_date": date(2026, 11, 20),
        "status": "finalised",
        "percent_met": 80.0,
        "critical_failures": 0,
        "suggested_judgement": "good",
        "judgement": "good",
        "concern_open": False,
        "is_demo": False,
        "created_at": T,
        "updated_at": T,
        "version": 1,
    }


def case_row(b: Baseline) -> dict[str, Any]:
    return {
        "id": 9001,
        "reference": "CK-NEW-CASE",
        "case_type": "child_in_need",
        "team_id": b.team_id,
        "is_demo": False,
        "created_at": T,
        "updated_at": T,
    }


def action_row(b: Baseline) -> dict[str, Any]:
    return {
        "id": 9001,
        "audit_id": b.final_id,
        "description": "Record the child's views in the plan",
        "owner": "Team manager",
        "due_date": date(2027, 1, 31),
        "status": "open",
        "created_at": T,
    }


def moderation_row(b: Baseline) -> dict[str, Any]:
    return {
        "id": 9001,
        "audit_id": b.final_id,
        "moderator_id": b.worker_id,
        "requested_by": "QA lead",
        "requested_at": T,
        "status": "agreed",
        "moderator_judgement": "good",
        "agreed_judgement": "good",
        "comment": "Agreed at moderation panel",
    }


ROWS = {
    "answers": answer_row,
    "audits": audit_row,
    "cases": case_row,
    "actions": action_row,
    "moderations": moderation_row,
}


@dataclass
class Impossible:
    id: str
    table: str
    change: dict[str, Any] = field(default_factory=dict)
    # Any of these in the database's message (SQLite and PostgreSQL word them differently).
    expect: tuple[str, ...] = ()


CHECK_CASES = [
    Impossible("points-2", "answers", {"points": 2.0}, ("ck_answers_points_in_range",)),
    Impossible("points-minus-1", "answers", {"points": -1.0}, ("ck_answers_points_in_range",)),
    Impossible("empty-answer", "answers", {"answer": ""}, ("ck_answers_answer_not_empty",)),
    Impossible("weight-negative", "answers", {"weight": -1.0}, ("ck_answers_weight_not_negative",)),
    Impossible("unknown-kind", "answers", {"kind": "draft"}, ("ck_answers_kind_known",)),
    Impossible(
        "answer-without-audit",
        "answers",
        {"audit_id": 424242},
        ("FOREIGN KEY constraint failed", "fk_answers_audit_id_audits"),
    ),
    Impossible(
        "answer-question-null",
        "answers",
        {"question_id": None},
        ("NOT NULL constraint failed: answers.question_id", 'column "question_id"'),
    ),
    Impossible(
        "answer-value-null",
        "answers",
        {"answer": None},
        ("NOT NULL constraint failed: answers.answer", 'column "answer"'),
    ),
    Impossible(
        "duplicate-audit-question-kind",
        "answers",
        {"question_id": "M-01"},  # the draft already has an original answer to M-01
        ("UNIQUE constraint failed", "uq_answers_audit_question_kind"),
    ),
    Impossible("unknown-status", "audits", {"status": "archived"}, ("ck_audits_status_known",)),
    Impossible(
        "finalised-without-judgement",
        "audits",
        {"judgement": None},
        ("ck_audits_finalised_has_judgement",),
    ),
    Impossible(
        "override-without-reason",
        "audits",
        {"judgement": "inadequate"},
        ("ck_audits_override_has_reason",),
    ),
    Impossible(
        "override-with-empty-reason",
        "audits",
        {"judgement": "inadequate", "judgement_reason": ""},
        ("ck_audits_override_has_reason",),
    ),
    Impossible(
        "finalised-with-open-concern-not-escalated",
        "audits",
        {"concern_open": True},
        ("ck_audits_concern_escalated_before_final",),
    ),
    Impossible(
        "percent-over-100", "audits", {"percent_met": 100.5}, ("ck_audits_percent_in_range",)
    ),
    Impossible(
        "unknown-practitioner-response",
        "audits",
        {"practitioner_response": "maybe"},
        ("ck_audits_response_known",),
    ),
    Impossible(
        "audit-without-case",
        "audits",
        {"case_id": 424242},
        ("FOREIGN KEY constraint failed", "fk_audits_case_id_cases"),
    ),
    Impossible(
        "audit-case-null",
        "audits",
        {"case_id": None},
        ("NOT NULL constraint failed: audits.case_id", 'column "case_id"'),
    ),
    Impossible(
        "audit-status-null",
        "audits",
        {"status": None},
        ("NOT NULL constraint failed: audits.status", 'column "status"'),
    ),
    Impossible(
        "empty-case-reference", "cases", {"reference": ""}, ("ck_cases_reference_not_empty",)
    ),
    Impossible(
        "duplicate-case-reference",
        "cases",
        {"reference": "CK-DRAFT"},
        ("UNIQUE constraint failed", "uq_cases_reference"),
    ),
    Impossible(
        "not-needed-without-reason",
        "actions",
        {"status": "not_needed"},
        ("ck_actions_not_needed_has_reason",),
    ),
    Impossible(
        "not-needed-with-empty-reason",
        "actions",
        {"status": "not_needed", "status_reason": ""},
        ("ck_actions_not_needed_has_reason",),
    ),
    Impossible(
        "empty-action", "actions", {"description": ""}, ("ck_actions_description_not_empty",)
    ),
    Impossible(
        "agreed-without-comment",
        "moderations",
        {"comment": None},
        ("ck_moderations_agreed_has_judgement_and_comment",),
    ),
    Impossible(
        "submitted-without-judgement",
        "moderations",
        {"status": "submitted", "moderator_judgement": None},
        ("ck_moderations_submitted_has_judgement",),
    ),
]


def _refused(conn: Connection, statement: str, params: dict[str, Any]) -> str:
    with pytest.raises(DBAPIError) as info, conn.begin_nested():
        conn.execute(text(statement), params)
    return str(info.value.orig)


@pytest.mark.parametrize("case", CHECK_CASES, ids=[c.id for c in CHECK_CASES])
def test_impossible_row_is_refused(baseline: Baseline, case: Impossible) -> None:
    valid = ROWS[case.table](baseline)
    with baseline.db.write_engine.connect() as conn, conn.begin() as tx:
        with conn.begin_nested():
            _insert(conn, case.table, valid)  # the same row, unspoiled, is accepted
        bad = {**valid, "id": 9002, **case.change}
        cols = ", ".join(bad)
        values = ", ".join(f":{c}" for c in bad)
        message = _refused(conn, f"INSERT INTO {case.table} ({cols}) VALUES ({values})", bad)
        tx.rollback()
    assert any(e in message for e in case.expect), message


def test_finalising_a_draft_without_judgement_by_update_is_refused(baseline: Baseline) -> None:
    with baseline.db.write_engine.connect() as conn, conn.begin() as tx:
        message = _refused(
            conn,
            "UPDATE audits SET status = 'finalised' WHERE id = :id",
            {"id": baseline.draft_id},
        )
        tx.rollback()
    assert "ck_audits_finalised_has_judgement" in message


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET new_value = 'no' WHERE id = :id",
        "UPDATE events SET actor = 'someone else' WHERE id = :id",
        "DELETE FROM events WHERE id = :id",
        "DELETE FROM events",
    ],
    ids=["change-value", "change-actor", "delete-one", "delete-all"],
)
def test_event_log_is_append_only(baseline: Baseline, statement: str) -> None:
    with baseline.db.write_engine.connect() as conn, conn.begin() as tx:
        message = _refused(conn, statement, {"id": baseline.event_id})
        tx.rollback()
    assert "append-only" in message
    with baseline.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM events")).scalar_one() >= baseline.event_id


def test_foreign_keys_are_on_for_every_sqlite_connection(tmp_path: Path) -> None:
    """SQLite leaves foreign keys off unless each connection turns them on."""
    ctx = context(f"sqlite:///{tmp_path / 'audits.db'}")
    for engine in (ctx.db.engine, ctx.db.write_engine):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    ctx.db.dispose()
