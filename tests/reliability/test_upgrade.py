"""Upgrading a database made by the first release (schema 0001), full of audits, to the current
schema keeps every audit and every figure identical, on SQLite and PostgreSQL.

The 0001 database is written with plain SQL (the demo generator writes newer columns), with
realistic variety: five teams, 200 case-file audits over three financial years, drafts,
overridden judgements with reasons, N/A answers with reasons, amendments, and a hash-chained
log, so `db verify` must also pass after the upgrade."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.scoring import (
    ScoredAnswer,
    critical_caps,
    percent_met,
    suggested_judgement,
)
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import _append_unkeyed
from audit_tui.services.integrity import verify_database
from audit_tui.services.schemas import Amend
from audit_tui.store.database import Database
from audit_tui.store.migrate import current_revision, head_revision, upgrade

N_AUDITS = 200
TEAMS = [
    "Intake and Assessment",
    "Child Protection East",
    "Child Protection West",
    "Looked After Children",
    "Disabled Children",
]
OVERRIDE_REASONS = [
    "Drift since conference outweighs the score; AP agreed.",
    "Strong direct work not captured by the questions.",
]
NOTES = [None, None, "Seen alone at school - JB.", "Plan lacks contingency.", "Views via advocate."]


def _release1(fw: Framework, points: float | None, weight: float, critical: bool) -> ScoredAnswer:
    """An answer as release 1 scored it: a critical question answered 0 points capped the
    suggestion at the framework's critical_cap."""
    return ScoredAnswer(points, weight, fw.critical_cap if critical and points == 0 else None)


def _sqlite_value(value: Any) -> Any:
    """Dates and times as SQLAlchemy stores them in SQLite (naive UTC text)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _insert(session: Session, table: str, rows: list[dict[str, Any]]) -> None:
    cols = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"
    if session.get_bind().dialect.name == "sqlite":
        rows = [{k: _sqlite_value(v) for k, v in row.items()} for row in rows]
    session.execute(text(sql), rows)


def _pick(rng: random.Random, fw: Framework, q: Any, team_skill: float) -> Any:
    options = [o for o in fw.scale(q.scale).options if q.na_allowed or not o.is_na]
    na = [o for o in options if o.is_na]
    if na and rng.random() < 0.08:
        return na[0]
    scored = sorted((o for o in options if not o.is_na), key=lambda o: -(o.points or 0))
    # A stronger team answers "yes" more often; weak questions are weak everywhere.
    roll = rng.random() * (1.3 if q.critical else 1.0)
    index = 0 if roll < team_skill else (1 if roll < team_skill + 0.2 else len(scored) - 1)
    return scored[min(index, len(scored) - 1)]


def populate_release_1(db: Database, fw: Framework, seed: int = 5) -> None:
    """Teams, staff, cases, audits, answers and their log as release 1 would have written."""
    rng = random.Random(seed)
    t0 = datetime(2023, 4, 3, 9, 0, tzinfo=UTC)
    teams = [
        {"id": i + 1, "name": n, "is_demo": False, "created_at": t0} for i, n in enumerate(TEAMS)
    ]
    workers = []
    for i in range(15):
        workers.append(
            {
                "id": i + 1,
                "name": f"Worker {chr(65 + i)}. Evans-{i}",
                "team_id": i % len(TEAMS) + 1,
                "is_manager": i < 5,
                "is_demo": False,
                "created_at": t0,
            }
        )
    cases, audit_rows, answers, events = [], [], [], []
    answer_id = 0
    for n in range(1, N_AUDITS + 1):
        team_id = rng.randint(1, len(TEAMS))
        case_type = rng.choice(fw.case_types)
        holder = rng.choice([w for w in workers if w["team_id"] == team_id])["id"]
        auditor = rng.randint(1, 5)
        audit_date = date(2023, 4, 1) + timedelta(days=rng.randint(0, 3 * 365 + 150))
        at = datetime.combine(audit_date, datetime.min.time(), UTC) + timedelta(hours=10)
        cases.append(
            {
                "id": n,
                "reference": f"CMS-{100000 + n * 7}",
                "case_type": case_type,
                "team_id": team_id,
                "worker_id": holder,
                "legal_status": rng.choice([None, "CP plan", "S31 care order", "S20"]),
                "age_band": rng.choice(["0-4", "5-9", "10-15", "16-17"]),
                "open_date": audit_date - timedelta(days=rng.randint(30, 900)),
                "is_demo": False,
                "created_at": at,
                "updated_at": at,
            }
        )
        draft = rng.random() < 0.12
        skill = 0.45 + 0.1 * team_id + (0.05 if audit_date.year >= 2025 else 0)
        questions = fw.applicable_questions(case_type)
        if draft:
            questions = questions[: rng.randint(0, len(questions) - 1)]
        scored, given = [], {}
        for q in questions:
            option = _pick(rng, fw, q, skill)
            answer_id += 1
            given[q.id] = option.code
            scored.append(_release1(fw, option.points, q.weight, q.critical))
            answers.append(
                {
                    "id": answer_id,
                    "audit_id": n,
                    "question_id": q.id,
                    "section_id": fw.section_of(q.id).id,
                    "kind": "original",
                    "counted": True,
                    "answer": option.code,
                    "points": option.points,
                    "weight": q.weight,
                    "critical": q.critical,
                    "note": rng.choice(NOTES),
                    "na_reason": "No conference held in the period." if option.is_na else None,
                    "answered_at": at,
                    "updated_at": at,
                }
            )
        row: dict[str, Any] = {
            "id": n,
            "framework_id": fw.id,
            "framework_version": fw.version,
            "framework_hash": fw.content_hash,
            "case_id": n,
            "case_type": case_type,
            "team_id": team_id,
            "worker_id": holder,
            "auditor_id": auditor,
            "audit_date": audit_date,
            "status": "draft",
            "percent_met": None,
            "critical_failures": 0,
            "suggested_judgement": None,
            "judgement": None,
            "judgement_reason": None,
            "strengths": None,
            "areas_for_development": None,
            "is_demo": False,
            "created_at": at,
            "updated_at": at,
            "finalised_at": None,
            "version": 1 + len(questions),
        }
        auditor_name = workers[auditor - 1]["name"]
        events.append(_event(at, auditor_name, "start", n, new={"case": cases[-1]["reference"]}))
        if not draft:
            pct = percent_met(scored)
            suggested = suggested_judgement(fw, pct, critical_caps(scored))
            judgement, reason = suggested, None
            grades = fw.judgements.codes
            if suggested is not None and rng.random() < 0.1:
                judgement = grades[max(0, grades.index(suggested) - 1)]
                reason = rng.choice(OVERRIDE_REASONS) if judgement != suggested else None
            done = at + timedelta(hours=2)
            row.update(
                status="finalised",
                percent_met=pct,
                critical_failures=len(critical_caps(scored)),
                suggested_judgement=suggested,
                judgement=judgement,
                judgement_reason=reason,
                strengths="Child's voice clear throughout." if (pct or 0) > 70 else None,
                areas_for_development="Contingency planning." if (pct or 0) < 60 else None,
                finalised_at=done,
                updated_at=done,
            )
            new = {"judgement": judgement, "suggested": suggested, "percent_met": pct}
            events.append(
                _event(done, auditor_name, "finalise", n, new={**new, "answers": dict(given)},
                       old="draft", reason=reason)
            )  # fmt: skip
            if rng.random() < 0.05:  # amended later, with a reason, as release 1 allowed
                q = rng.choice(questions)
                option = _pick(rng, fw, q, 1.0)
                answers[-len(questions) + questions.index(q)]["answer"] = option.code
                answers[-len(questions) + questions.index(q)]["points"] = option.points
                # Release 1's amend re-scored the audit, as amend does now.
                scored[questions.index(q)] = _release1(fw, option.points, q.weight, q.critical)
                pct = percent_met(scored)
                suggested = suggested_judgement(fw, pct, critical_caps(scored))
                row.update(
                    percent_met=pct,
                    critical_failures=len(critical_caps(scored)),
                    suggested_judgement=suggested,
                )
                if suggested is not None and judgement != suggested and not reason:
                    row["judgement_reason"] = "Evidence found on file later."
                events.append(
                    _event(done + timedelta(days=3), "QA Lead", "amend", n, entity="answer",
                           field=q.id, old=given[q.id], new=option.code,
                           reason="Evidence found on file later.")
                )  # fmt: skip
                row["version"] += 1
        audit_rows.append(row)

    with db.write() as s:
        _insert(s, "teams", teams)
        _insert(s, "workers", workers)
        _insert(s, "cases", cases)
        _insert(s, "audits", audit_rows)
        _insert(s, "answers", answers)
        events.sort(key=lambda e: e["at"])
        _append_unkeyed(s, events)  # release 1 had no key
        if not db.is_sqlite:
            for table in ("teams", "workers", "cases", "audits", "answers"):
                s.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )


def _event(
    at: datetime,
    actor: str,
    action: str,
    audit_id: int,
    *,
    new: Any,
    entity: str = "audit",
    field: str | None = None,
    old: Any = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": audit_id,
        "audit_id": audit_id,
        "field": field,
        "old_value": old,
        "new_value": new,
        "reason": reason,
    }


# --- figures computed with plain SQL, before and after -------------------------------------

AUDIT_COLUMNS_0001 = (
    "id, framework_id, framework_version, framework_hash, case_id, case_type, team_id, "
    "worker_id, auditor_id, audit_date, status, percent_met, critical_failures, "
    "suggested_judgement, judgement, judgement_reason, strengths, areas_for_development, "
    "is_demo, created_at, updated_at, finalised_at, version"
)
FY = (
    "CASE WHEN a.audit_date < '2024-04-01' THEN '2023-24' "
    "WHEN a.audit_date < '2025-04-01' THEN '2024-25' "
    "WHEN a.audit_date < '2026-04-01' THEN '2025-26' ELSE '2026-27' END"
)
FIGURES = {
    "audits": f"SELECT {AUDIT_COLUMNS_0001} FROM audits ORDER BY id",
    "answers": "SELECT * FROM answers ORDER BY id",
    # The columns release 1 had: later releases add columns, never change these.
    "events": (
        "SELECT id, at, actor, action, entity, entity_id, audit_id, field, old_value, "
        "new_value, reason, prev_hash, hash FROM events ORDER BY id"
    ),
    "cases": "SELECT * FROM cases ORDER BY id",
    "workers": "SELECT id, name, team_id, is_manager, is_demo, created_at FROM workers ORDER BY id",
    "teams": "SELECT * FROM teams ORDER BY id",
    "audit_scores": (
        "SELECT audit_id, SUM(weight * points), SUM(weight), COUNT(*) FROM answers "
        "WHERE points IS NOT NULL AND counted GROUP BY audit_id ORDER BY audit_id"
    ),
    "team_year": (
        f"SELECT t.name, {FY} AS fy, a.judgement, COUNT(*), AVG(a.percent_met), "
        "SUM(a.critical_failures) FROM audits a JOIN teams t ON t.id = a.team_id "
        f"WHERE a.status = 'finalised' GROUP BY t.name, {FY}, a.judgement ORDER BY 1, 2, 3"
    ),
    "team_question": (
        "SELECT t.name, an.question_id, SUM(an.weight * an.points), SUM(an.weight), COUNT(*) "
        "FROM answers an JOIN audits a ON a.id = an.audit_id JOIN teams t ON t.id = a.team_id "
        "WHERE a.status = 'finalised' AND an.counted AND an.points IS NOT NULL "
        "GROUP BY t.name, an.question_id ORDER BY 1, 2"
    ),
}


def _norm(value: Any) -> Any:
    return round(value, 9) if isinstance(value, float) else value


def figures(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.read() as s:
        return {
            name: [tuple(_norm(v) for v in row) for row in s.execute(text(sql))]
            for name, sql in FIGURES.items()
        }


def test_release_1_database_upgrades_with_every_audit_and_figure_identical(
    db_url: str, registry: FrameworkRegistry
) -> None:
    db = Database(db_url)
    upgrade(db, "0001")
    fw = registry.get("case-file")
    populate_release_1(db, fw)
    before = figures(db)
    assert len(before["audits"]) == N_AUDITS
    assert len(before["team_year"]) > 20 and len(before["answers"]) > 4000

    upgrade(db)
    assert current_revision(db) == head_revision()
    after = figures(db)
    for name in FIGURES:
        assert after[name] == before[name], f"{name} changed in the upgrade"
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM audits WHERE concern_open")).scalar() == 0

    ctx = AppContext(db=db, frameworks=registry, actor="QA Lead")
    assert verify_database(ctx).problems == []
    # The upgraded database is in use at once: read an old audit, amend it, log stays sound.
    finalised_id = next(row[0] for row in before["audits"] if row[10] == "finalised")
    old = audits.get_audit(ctx, finalised_id)
    assert old.percent_met == next(r[11] for r in before["audits"] if r[0] == finalised_id)
    question = next(iter(old.answers))
    other = "no" if old.answers[question].answer != "no" else "yes"
    audits.amend(
        ctx,
        finalised_id,
        Amend(reason="checked after the upgrade", question_id=question, answer=other,
              expected_version=old.version),
    )  # fmt: skip
    assert verify_database(ctx).problems == []
    db.dispose()
