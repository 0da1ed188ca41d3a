"""UI test helpers: a fixed clock, deterministic seed data made through the services."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime
from pathlib import Path

from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit
from audit_tui.ui.app import AuditApp, create_app

FIXED_NOW = datetime(2026, 11, 20, 10, 30, 0)
FRAMEWORK = "case-file"


def table_counts(path: Path) -> dict[str, int]:
    """Rows in every table of a SQLite file (to show a database gained nothing)."""
    with sqlite3.connect(path) as conn:
        tables = [
            t
            for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not t.startswith("sqlite_")
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def app_for(ctx: AppContext) -> AuditApp:
    return create_app(ctx, clock=lambda: FIXED_NOW)


def start(
    ctx: AppContext, ref: str, case_type: str, team: str, when: date, auditor: str = "tester"
):  # type: ignore[no-untyped-def]
    return audits.start_audit(
        ctx,
        NewAudit(
            framework_id=FRAMEWORK,
            case_reference=ref,
            case_type=case_type,
            team=team,
            case_holder="Sam Worker",
            auditor=auditor,
            audit_date=when,
        ),
    )


def answer_all(
    ctx: AppContext, audit_id: int, case_type: str, rng: random.Random, skip: int = 0
) -> None:
    """Answer every applicable question but the last `skip`, with N/A reasons where needed."""
    fw = ctx.frameworks.get(FRAMEWORK)
    questions = fw.applicable_questions(case_type)
    for q in questions[: len(questions) - skip]:
        codes = ["yes"] * 6 + ["partly"] * 2 + ["no"] + (["na"] if q.na_allowed else [])
        code = rng.choice(codes)
        audits.record_answer(
            ctx,
            audit_id,
            AnswerIn(
                question_id=q.id,
                answer=code,
                na_reason="no such record in the period" if code == "na" else None,
            ),
        )


def seed(ctx: AppContext) -> None:
    """Three teams, eight finalised audits this quarter and four drafts: fixed by the seed."""
    rng = random.Random(20261120)
    for team in ("Safeguarding North", "Looked After Children", "Disabled Children Team"):
        directory.add_team(ctx, team)
    types = ["child_protection", "looked_after", "child_in_need", "disabled_children"]
    teams = ["Safeguarding North", "Looked After Children", "Disabled Children Team"]
    for i in range(8):
        ct = types[i % len(types)]
        detail = start(ctx, f"CF-{1001 + i}", ct, teams[i % 3], date(2026, 10, 1 + 3 * i))
        answer_all(ctx, detail.id, ct, rng)
        rv = audits.review(ctx, detail.id)
        audits.finalise(
            ctx,
            detail.id,
            Finalise(judgement=rv.suggested_judgement or "good", judgement_reason="seeded"),
        )
    fw = ctx.frameworks.get(FRAMEWORK)
    for i, ct in enumerate(["child_protection", "looked_after", "care_leaver"]):
        detail = start(ctx, f"CF-{2001 + i}", ct, teams[i], date(2026, 11, 17 + i))
        questions = fw.applicable_questions(ct)
        answered = questions[: 5 + 4 * i]
        answer_all(ctx, detail.id, ct, rng, skip=len(questions) - len(answered))
        # A critical "No" in every draft, so the sidebar's "!" mark shows.
        critical = next(q for q in answered if q.critical)
        audits.record_answer(ctx, detail.id, AnswerIn(question_id=critical.id, answer="no"))
    # The newest draft is complete, ready for review: mostly Yes, one critical No, one N/A
    # with its reason, notes in initials.
    ct = "child_protection"
    detail = start(ctx, "CF-2004", ct, teams[0], date(2026, 11, 20))
    questions = fw.applicable_questions(ct)
    critical = next(q for q in questions if q.critical)
    not_applicable = next(q for q in questions if q.na_allowed and q.na_reason_required)
    for i, q in enumerate(questions):
        code = (
            "no"
            if q is critical
            else "na"
            if q is not_applicable
            else "partly"
            if i % 5 == 4
            else "yes"
        )
        audits.record_answer(
            ctx,
            detail.id,
            AnswerIn(
                question_id=q.id,
                answer=code,
                note="Seen by JT, AB present" if i % 7 == 0 else None,
                na_reason="no strategy discussion was needed" if code == "na" else None,
            ),
        )


STABLE_WHERE = "/home/qa/.local/share/audit-tui/audits.db"


def stable_where(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Snapshots: the header names the database by its full path where there is room, and a
    test's temporary folder differs each run - show one fixed path instead."""
    from audit_tui.services import database_info

    monkeypatch.setattr(database_info, "where", lambda db: STABLE_WHERE)
