"""Tamper evidence: someone with write access to the database (the SQLite file, or the
PostgreSQL owner role) changes the record behind the application's back. `audit-tui db
verify` exits 1 with a line naming the audit (or row) and what differs; legitimate changes
made through the tool keep it clean.

The template database is built through the services only: finalised audits with notes, an
N/A reason, a summary, an overridden judgement, an amendment, a safeguarding escalation and a
practitioner's response; a moderated audit with agreed answers; actions; a draft; imported
cases; an audit round. Each attack first drops the append-only trigger, as anyone with file
(or owner) access can, then makes one edit."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, select, text

from audit_tui.services import actions, audits, escalation, moderation
from audit_tui.services.actions import NewAction
from audit_tui.services.case_import import import_cases
from audit_tui.services.directory import add_team
from audit_tui.services.eventlog import _digest, _fields, _row_fields, log_event
from audit_tui.services.history import audit_history
from audit_tui.services.integrity import verify_database
from audit_tui.services.logkey import entry_mac, keyring_of
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.services.sampling import SampleRequest, draw_sample
from audit_tui.services.schemas import Amend, AnswerIn, Finalise, NoteIn, SummaryIn
from audit_tui.store.database import Database
from audit_tui.store.models import Event
from tests.pg_server import PgServer
from tests.reliability.procs import ForkServer
from tests.reliability.seed import TEAM, context, draft

OTHER_TEAM = "Other Team"
TODAY = date(2026, 11, 20)


@dataclass
class Ids:
    final: int  # notes, N/A reason, summary, override, amendment, escalation, response
    moderated: int  # moderated and agreed: M-02 agreed 'no' (with the moderator's note)
    moderation: int
    actioned: int  # actions: one done, one open
    action_done: int
    action_open: int
    draft: int  # M-01 'no' with a note, M-02 'yes'
    draft_event: int  # an answer entry of the draft, in the middle of the log
    case: int  # the final audit's case
    imported_case: int  # a case from the case list, with its legal status
    round_case: int
    other_team: int
    other_worker: int
    auditor: int  # Ann Auditor's staff id
    team: int


@dataclass
class Template:
    backend: str
    ids: Ids
    sqlite_bytes: bytes = b""
    pg: PgServer | None = None
    pg_name: str = ""


def _build(url: str, folder: Path) -> Ids:
    ctx = context(url, actor="Ann Auditor")
    other_team = add_team(ctx, OTHER_TEAM).id
    # The final audit: every kind of text on an audit, each written through the services.
    final = draft(ctx, "TAMPER-1")
    escalation.raise_concern(ctx, final, "Risk at home - see AB's visit")
    escalation.record_escalation(ctx, final, "Duty Team Manager", TODAY, note="Phoned at 10:00")
    received = context(url, actor="Dee Tee")  # who received it acknowledges it
    escalation.acknowledge_escalation(received, final)
    received.db.dispose()
    audits.record_answer(
        ctx, final, AnswerIn(question_id="M-01", answer="yes", note="Seen alone at school - AB")
    )
    audits.record_answer(
        ctx,
        final,
        AnswerIn(question_id="M-02", answer="na", na_reason="No assessment in the period"),
    )
    audits.record_answer(ctx, final, AnswerIn(question_id="M-03", answer="partly"))
    audits.update_summary(
        ctx,
        final,
        SummaryIn(strengths="Child's voice clear", areas_for_development="Contingency plan"),
    )
    audits.finalise(
        ctx,
        final,
        Finalise(judgement="requires_improvement", judgement_reason="Drift since review"),
    )
    audits.amend(
        ctx, final, Amend(reason="visit note found later", question_id="M-03", answer="no")
    )
    escalation.record_practitioner_response(ctx, final, "disagree", "Visits were on paper")

    # A moderated audit, agreed.
    moderated = draft(ctx, "TAMPER-2")
    for qid in ("M-01", "M-02", "M-03"):
        audits.record_answer(ctx, moderated, AnswerIn(question_id=qid, answer="yes"))
    audits.finalise(ctx, moderated, Finalise(judgement="outstanding"))
    sel = ModerationSelection(moderator="Dana Moss", audit_ids=[moderated])
    mid = moderation.select_for_moderation(ctx, sel).moderations[0].id
    moderator = context(url, actor="Dana Moss")
    for qid, code, note in (("M-01", "yes", None), ("M-02", "no", "No analysis - DM"),
                            ("M-03", "partly", None)):  # fmt: skip
        moderation.record_moderation_answer(
            moderator, mid, AnswerIn(question_id=qid, answer=code, note=note)
        )
    moderation.submit_moderation(moderator, mid, "requires_improvement")
    # The moderator records the agreement (never the audit's own auditor).
    moderation.agree(
        moderator,
        mid,
        AgreeIn(answers={"M-02": "no", "M-03": "yes"}, judgement="good", comment="Agreed at panel"),
    )
    moderator.db.dispose()

    # Actions on a finalised audit.
    actioned = draft(ctx, "TAMPER-3")
    for qid, code in (("M-01", "yes"), ("M-02", "partly"), ("M-03", "no")):
        audits.record_answer(ctx, actioned, AnswerIn(question_id=qid, answer=code))
    audits.finalise(ctx, actioned, Finalise(judgement="requires_improvement"))
    done = actions.create_action(
        ctx, NewAction(audit_id=actioned, question_id="M-03", description="Write the plan's "
                       "outcomes", owner="Sam Owner", due_date=date(2026, 12, 1))
    ).id  # fmt: skip
    actions.complete_action(ctx, done)
    still_open = actions.create_action(
        ctx, NewAction(audit_id=actioned, question_id="M-02", description="Analyse the risk",
                       owner="Sam Owner", due_date=date(2026, 12, 15))
    ).id  # fmt: skip

    # Cases from the case list, and an audit round over them.
    case_list = folder / "cases.csv"
    case_list.write_text(
        "reference,case type,team,case holder,legal status\n"
        "IMP-1,child_in_need,Reliability Team,Cara Holder,Care and support plan\n"
        "IMP-2,child_in_need,Reliability Team,Cara Holder,Section 47\n",
        encoding="utf-8",
    )
    import_cases(ctx, case_list, "mini")
    draw_sample(
        ctx, SampleRequest(per_team=2, seed=3, framework_id="mini", auditors=["Ann Auditor"])
    )

    # A draft, last: its note is the last change in the log.
    draft_id = draft(ctx, "TAMPER-4")
    audits.record_answer(ctx, draft_id, AnswerIn(question_id="M-01", answer="no"))
    audits.record_answer(ctx, draft_id, AnswerIn(question_id="M-02", answer="yes"))
    audits.record_note(ctx, draft_id, NoteIn(question_id="M-01", note="Not seen alone - EF"))

    report = verify_database(ctx)
    assert report.problems == [] and report.notes == [], report
    with ctx.db.read() as s:

        def one(sql: str) -> int:
            return int(s.execute(text(sql)).scalar_one())

        ids = Ids(
            final=final,
            moderated=moderated,
            moderation=mid,
            actioned=actioned,
            action_done=done,
            action_open=still_open,
            draft=draft_id,
            draft_event=one(
                f"SELECT min(id) FROM events WHERE audit_id = {draft_id} AND action = 'answer'"
            ),
            case=one(f"SELECT case_id FROM audits WHERE id = {final}"),
            imported_case=one("SELECT id FROM cases WHERE reference = 'IMP-1'"),
            round_case=one("SELECT min(id) FROM round_cases"),
            other_team=other_team,
            other_worker=one("SELECT id FROM workers WHERE name = 'Dana Moss'"),
            auditor=one("SELECT id FROM workers WHERE name = 'Ann Auditor'"),
            team=one(f"SELECT id FROM teams WHERE name = '{TEAM}'"),
        )
    ctx.db.dispose()
    return ids


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Template:
    """The database above, built once per backend (on PostgreSQL as the owner: the test
    server's superuser stands for it)."""
    folder = tmp_path_factory.mktemp("tamper")
    if request.param == "sqlite":
        path = folder / "template.db"
        ids = _build(f"sqlite:///{path}", folder)
        return Template("sqlite", ids, sqlite_bytes=path.read_bytes())
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.create_database()
    ids = _build(url, folder)
    return Template("postgres", ids, pg=server, pg_name=make_url(url).database or "")


@pytest.fixture
def victim(template: Template, tmp_path: Path) -> Iterator[tuple[str, Database]]:
    """A fresh copy of the template (the same database id, so the same key): its URL, and
    the attacker's raw access to it."""
    if template.backend == "sqlite":
        path = tmp_path / "audits.db"
        path.write_bytes(template.sqlite_bytes)
        url = f"sqlite:///{path}"
    else:
        assert template.pg is not None
        server = template.pg
        name = f"v_{uuid.uuid4().hex[:12]}"
        dsn = f"host=127.0.0.1 port={server.port} user={server.user} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.pg_name}"')
        url = server.url(name)
    db = Database(url)
    yield url, db
    db.dispose()


def drop_guard(db: Database) -> list[str]:
    if db.is_sqlite:
        return [
            "DROP TRIGGER IF EXISTS events_no_update",
            "DROP TRIGGER IF EXISTS events_no_delete",
        ]
    return ["DROP TRIGGER IF EXISTS events_append_only ON events"]


def attack(db: Database, *statements: str, **params: object) -> None:
    with db.write_engine.begin() as conn:
        for statement in [*drop_guard(db), *statements]:
            conn.execute(text(statement), params)


def last_event(db: Database) -> tuple[int, str]:
    with db.write_engine.begin() as conn:
        row = conn.execute(text("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1")).one()
    return int(row[0]), str(row[1])


def append_forged(db: Database, ids: Ids, key: bytes | None) -> int:
    """An entry claiming an amendment nobody made, chained and hashed exactly as the tool
    does - keyed with `key` (None: no key at all)."""
    event_id, tip = last_event(db)
    row = {
        "id": event_id + 1,
        "at": datetime(2026, 11, 21, 9, 0),
        "actor": "Ann Auditor",
        "action": "amend",
        "entity": "answer",
        "entity_id": None,
        "audit_id": ids.final,
        "field": "M-01",
        "old_value": "yes",
        "new_value": "no",
        "reason": "typo",
    }
    digest = _digest(tip, _row_fields(row))
    mac = entry_mac(key, digest) if key is not None else None
    with db.write_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO events (id, at, actor, action, entity, entity_id, audit_id, field, "
                "old_value, new_value, reason, prev_hash, hash, mac) VALUES (:id, :at, :actor, "
                ":action, :entity, :entity_id, :audit_id, :field, :old_value, :new_value, "
                ":reason, :prev, :hash, :mac)"
            ),
            {**row, "prev": tip, "hash": digest, "mac": mac},
        )
    return event_id + 1


# --- the attacks: each makes one edit and returns the line(s) `db verify` must print ---------

Attack = Callable[[Database, Ids], list[str]]


def answer_points(db: Database, ids: Ids) -> list[str]:
    """A 'No' scored as if it were a 'Yes': the figures in every profile move."""
    attack(
        db, f"UPDATE answers SET points = 1 WHERE audit_id = {ids.final} AND question_id = 'M-03'"
    )
    return [f"audit {ids.final}: question M-03: points is 1 but its answer 'no' in framework mini"]


def answer_weight(db: Database, ids: Ids) -> list[str]:
    attack(
        db, f"UPDATE answers SET weight = 5 WHERE audit_id = {ids.final} AND question_id = 'M-01'"
    )
    return [f"audit {ids.final}: question M-01: weight is 5 but its answer 'yes'"]


def answer_critical_flag(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE answers SET critical = false WHERE audit_id = {ids.final} AND question_id = 'M-01'",
    )
    return [f"audit {ids.final}: question M-01: critical is no but its answer 'yes'"]


def agreed_answer(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        "UPDATE answers SET answer = 'yes', points = 1 WHERE kind = 'agreed' "
        f"AND audit_id = {ids.moderated} AND question_id = 'M-02'",
    )
    return [f"audit {ids.moderated}: question M-02 (agreed answer) is 'yes' but the log says 'no'"]


def moderated_judgement(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET moderated_judgement = 'outstanding' WHERE id = {ids.moderated}")
    return [f"audit {ids.moderated}: moderated judgement is 'outstanding' but the log says 'good'"]


def agreed_answers_deleted(db: Database, ids: Ids) -> list[str]:
    """Deleting the agreed answers so the originals count again."""
    attack(
        db,
        f"DELETE FROM answers WHERE kind = 'agreed' AND audit_id = {ids.moderated}",
        f"UPDATE answers SET counted = true WHERE audit_id = {ids.moderated}",
    )
    return [
        f"audit {ids.moderated}: question M-02 (agreed answer) is 'None' but the log says 'no'",
        f"audit {ids.moderated}: question M-01: counted is yes but the log says no",
    ]


def audit_moved_to_another_team(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET team_id = {ids.other_team} WHERE id = {ids.final}")
    return [
        f"audit {ids.final}: team is '{OTHER_TEAM}' (team {ids.other_team}) but the log says "
        f"'{TEAM}' (team {ids.team})"
    ]


def audit_date(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET audit_date = '2026-03-31' WHERE id = {ids.final}")
    return [f"audit {ids.final}: audit date is 2026-03-31 but the log says 2026-11-20"]


def draft_answer(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        "UPDATE answers SET answer = 'yes', points = 1 "
        f"WHERE audit_id = {ids.draft} AND question_id = 'M-01'",
    )
    return [f"audit {ids.draft}: question M-01 is 'yes' but the log says 'no'"]


def draft_note(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE answers SET note = 'Seen alone' WHERE audit_id = {ids.draft} AND question_id = 'M-01'",
    )
    return [
        f"audit {ids.draft}: question M-01: note is 'Seen alone' but the log says 'Not seen alone - EF'"
    ]


def note(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE answers SET note = 'Not seen' WHERE audit_id = {ids.final} AND question_id = 'M-01'",
    )
    return [
        f"audit {ids.final}: question M-01: note is 'Not seen' but the log says 'Seen alone at school - AB'"
    ]


def na_reason(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE answers SET na_reason = NULL WHERE audit_id = {ids.final} AND question_id = 'M-02'",
    )
    return [
        f"audit {ids.final}: question M-02: na reason is nothing but the log says 'No assessment in the period'"
    ]


def agreed_answer_note(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE answers SET note = 'Analysis fine' WHERE kind = 'agreed' AND audit_id = {ids.moderated} "
        "AND question_id = 'M-02'",
    )
    return [
        f"audit {ids.moderated}: question M-02 (agreed answer): note is 'Analysis fine' but the log says 'No analysis - DM'"
    ]


def moderator_note(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE moderation_answers SET note = NULL WHERE moderation_id = {ids.moderation} AND question_id = 'M-02'",
    )
    return [
        f"audit {ids.moderated}: moderation {ids.moderation}, moderator's answer to M-02: note is nothing but the log says 'No analysis - DM'"
    ]


def moderator_answer(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE moderation_answers SET answer = 'yes', points = 1 WHERE moderation_id = {ids.moderation} AND question_id = 'M-02'",
    )
    return [
        f"audit {ids.moderated}: moderation {ids.moderation}, moderator's answer to M-02: answer is 'yes' but the log says 'no'"
    ]


def moderation_comment(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE moderations SET comment = 'Nothing agreed' WHERE id = {ids.moderation}")
    return [
        f"audit {ids.moderated}: moderation {ids.moderation}: comment is 'Nothing agreed' but the log says 'Agreed at panel'"
    ]


def judgement(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET judgement = 'good' WHERE id = {ids.final}")
    return [f"audit {ids.final}: judgement is 'good' but the log says 'requires_improvement'"]


def judgement_reason(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET judgement_reason = 'As discussed' WHERE id = {ids.final}")
    return [
        f"audit {ids.final}: judgement reason is 'As discussed' but the log says 'Drift since review'"
    ]


def strengths(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET strengths = 'Excellent throughout' WHERE id = {ids.final}")
    return [
        f"audit {ids.final}: strengths is 'Excellent throughout' but the log says "
        "'Child's voice clear'"
    ]


def areas_for_development(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET areas_for_development = NULL WHERE id = {ids.final}")
    return [
        f"audit {ids.final}: areas for development is nothing but the log says 'Contingency plan'"
    ]


def stored_percent_met(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET percent_met = 95 WHERE id = {ids.final}")
    return [f"audit {ids.final}: its figures (95.00% met"]


def stored_suggested_judgement(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET suggested_judgement = 'outstanding' WHERE id = {ids.final}")
    return [f"audit {ids.final}: its figures ("]


def stored_critical_failures(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET critical_failures = 2 WHERE id = {ids.final}")
    return [f"audit {ids.final}: its figures (", "2 critical failure(s)"]


def case_reference(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE cases SET reference = 'TAMPER-9' WHERE id = {ids.case}")
    return [
        f"case {ids.case} (audit {ids.final}): reference is 'TAMPER-9' but the log says 'TAMPER-1'"
    ]


def case_legal_status(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE cases SET legal_status = 'Care order' WHERE id = {ids.imported_case}")
    return [
        f"case {ids.imported_case}: legal status is 'Care order' but the log says 'Care and support plan'"
    ]


def auditor(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET auditor_id = {ids.other_worker} WHERE id = {ids.final}")
    return [
        f"audit {ids.final}: auditor is 'Dana Moss' (staff {ids.other_worker}) but the log says 'Ann Auditor' (staff {ids.auditor})"
    ]


def auditor_renamed(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE workers SET name = 'Someone Else' WHERE id = {ids.auditor}")
    return [
        f"staff member {ids.auditor} (audits {ids.final}, {ids.moderated}, {ids.actioned}, ...): name is 'Someone Else' but the log says 'Ann Auditor'"
    ]


def team_renamed(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE teams SET name = 'Renamed' WHERE id = {ids.team}")
    return [
        f"team {ids.team} (audits {ids.final}, {ids.moderated}, {ids.actioned}, ...): name is 'Renamed' but the log says '{TEAM}'"
    ]


def case_holder(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET worker_id = {ids.other_worker} WHERE id = {ids.final}")
    return [
        f"audit {ids.final}: case-holder is 'Dana Moss' (staff {ids.other_worker}) but the log says nothing"
    ]


def answer_time(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE answers SET answered_at = '2026-01-05 09:00:00' WHERE audit_id = {ids.final} AND question_id = 'M-01'",
    )
    return [
        f"audit {ids.final}: question M-01: answered at is 2026-01-05 09:00:00 but the log says"
    ]


def answer_changed_time(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE answers SET updated_at = '2026-01-05 09:00:00' WHERE audit_id = {ids.draft} AND question_id = 'M-02'",
    )
    return [f"audit {ids.draft}: question M-02: updated at is 2026-01-05 09:00:00 but the log says"]


def finalised_time(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET finalised_at = '2026-01-05 09:00:00' WHERE id = {ids.final}")
    return [f"audit {ids.final}: finalised at is 2026-01-05 09:00:00 but the log says"]


def escalation_note(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET escalation_note = 'Nothing of note' WHERE id = {ids.final}")
    return [f"audit {ids.final}: escalation note is 'Nothing of note' but the log says"]


def escalated_to(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE audits SET escalated_to = 'Nobody', escalation_acknowledged_at = NULL, escalation_acknowledged_by = NULL WHERE id = {ids.final}",
    )
    return [
        f"audit {ids.final}: escalated to is 'Nobody' but the log says 'Duty Team Manager'",
        f"audit {ids.final}: escalation acknowledged by is nothing but the log says 'Dee Tee'",
    ]


def practitioner_comment(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"UPDATE audits SET practitioner_response = 'agree', practitioner_comment = NULL WHERE id = {ids.final}",
    )
    return [f"audit {ids.final}: practitioner response is 'agree' but the log says 'disagree'"]


def action_reopened(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE actions SET status = 'open', closed_at = NULL WHERE id = {ids.action_done}")
    return [
        f"audit {ids.actioned}: action {ids.action_done}: status is 'open' but the log says 'done'"
    ]


def action_description(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE actions SET description = 'Nothing to do' WHERE id = {ids.action_open}")
    return [
        f"audit {ids.actioned}: action {ids.action_open}: description is 'Nothing to do' but the log says 'Analyse the risk'"
    ]


def action_deleted(db: Database, ids: Ids) -> list[str]:
    attack(db, f"DELETE FROM actions WHERE id = {ids.action_open}")
    return [
        f"audit {ids.actioned}: action {ids.action_open}: the log says it is open, but it is missing"
    ]


def round_case_reassigned(db: Database, ids: Ids) -> list[str]:
    attack(
        db, f"UPDATE round_cases SET auditor_id = {ids.other_worker} WHERE id = {ids.round_case}"
    )
    return [
        f"round case {ids.round_case}: auditor is 'Dana Moss' (staff {ids.other_worker}) but the log says 'Ann Auditor' (staff {ids.auditor})"
    ]


def framework_version_swapped(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET framework_version = '9.9' WHERE id = {ids.final}")
    return [f"audit {ids.final}: framework version is '9.9' but the log says '0.1'"]


def audit_inserted(db: Database, ids: Ids) -> list[str]:
    """A whole audit slipped in behind the tool's back."""
    attack(
        db,
        "INSERT INTO audits (id, framework_id, framework_version, framework_hash, case_id, "
        "case_type, team_id, auditor_id, audit_date, status, percent_met, critical_failures, "
        "judgement, concern_open, is_demo, created_at, updated_at, version) SELECT 999, "
        "framework_id, framework_version, framework_hash, case_id, case_type, team_id, "
        "auditor_id, audit_date, 'draft', NULL, 0, NULL, false, false, created_at, updated_at, 1 "
        f"FROM audits WHERE id = {ids.final}",
    )
    return ["audit 999: not in the log (added behind the tool's back)"]


def finalised_unlocked(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE audits SET status = 'draft' WHERE id = {ids.final}")
    return [f"audit {ids.final}: the log says finalised, but it is a draft"]


def finalised_deleted(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        f"DELETE FROM answers WHERE audit_id = {ids.actioned}",
        f"DELETE FROM actions WHERE audit_id = {ids.actioned}",
        f"DELETE FROM audits WHERE id = {ids.actioned}",
    )
    return [f"audit {ids.actioned}: the log says finalised, but it is missing"]


def triggers_dropped(db: Database, ids: Ids) -> list[str]:
    attack(db)
    trigger = "events_no_update" if db.is_sqlite else "events_append_only"
    return [f"the event log's append-only trigger {trigger} is missing"]


def log_entry_changed(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE events SET new_value = 'yes' WHERE id = {ids.draft_event}")
    return [f"event {ids.draft_event}: its content does not match its hash"]


def log_entry_actor(db: Database, ids: Ids) -> list[str]:
    """Who did it is part of the record: a changed actor breaks the entry's hash."""
    attack(db, f"UPDATE events SET actor = 'Someone Else' WHERE id = {ids.draft_event}")
    return [f"event {ids.draft_event}: its content does not match its hash"]


def log_entry_deleted(db: Database, ids: Ids) -> list[str]:
    attack(db, f"DELETE FROM events WHERE id = {ids.draft_event}")
    return [f"event {ids.draft_event + 1}: does not follow the entry before it"]


def log_tail_deleted(db: Database, ids: Ids) -> list[str]:
    """The last entry gone (the draft's note): the chain is whole, the draft is not."""
    event_id, _ = last_event(db)
    attack(db, f"DELETE FROM events WHERE id = {event_id}")
    return [
        f"audit {ids.draft}: question M-01: note is 'Not seen alone - EF' but the log says nothing"
    ]


def log_entry_unkeyed(db: Database, ids: Ids) -> list[str]:
    attack(db, f"UPDATE events SET mac = NULL WHERE id = {ids.draft_event}")
    return [f"event {ids.draft_event}: has no key (MAC) though the log is keyed"]


def forged_entry_without_key(db: Database, ids: Ids) -> list[str]:
    """A correctly chained, correctly hashed entry: without the key it carries none."""
    forged = append_forged(db, ids, None)
    attack(
        db,
        f"UPDATE answers SET answer = 'no', points = 0 WHERE audit_id = {ids.final} AND question_id = 'M-01'",
    )
    return [f"event {forged}: has no key (MAC) though the log is keyed"]


def forged_entry_with_another_key(db: Database, ids: Ids) -> list[str]:
    forged = append_forged(db, ids, secrets.token_bytes(32))
    return [f"event {forged}: its key (MAC) is not this database's"]


def log_rewritten_without_key(db: Database, ids: Ids) -> list[str]:
    """An entry changed and every entry after it re-hashed: the chain is whole again, but
    the keys are not."""
    attack(db, f"UPDATE events SET new_value = 'yes' WHERE id = {ids.draft_event}")
    with db.write_engine.begin() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(Event.__table__).order_by(Event.id))]
        prev = rows[0]["prev_hash"]
        for r in rows:
            digest = _digest(prev, _row_fields(r))
            conn.execute(
                text("UPDATE events SET prev_hash = :p, hash = :h WHERE id = :id"),
                {"p": prev, "h": digest, "id": r["id"]},
            )
            prev = digest
    return [f"event {ids.draft_event}: its key (MAC) is not this database's"]


def key_record_changed(db: Database, ids: Ids) -> list[str]:
    """The record of where the keyed log starts, moved on (as if earlier entries were an
    older release's): its seal no longer matches."""
    with db.write_engine.begin() as conn:
        value = conn.execute(
            text("SELECT value FROM database_info WHERE key = 'log_key'")
        ).scalar_one()
    changed = value.replace('"keyed_from": 1', '"keyed_from": 500')
    attack(db, "UPDATE database_info SET value = :v WHERE key = 'log_key'", v=changed)
    return ["database_info log_key: the log key's record does not match its seal"]


def stored_definition_changed(db: Database, ids: Ids) -> list[str]:
    attack(
        db, "UPDATE framework_versions SET definition = replace(definition, 'seen alone', 'seen')"
    )
    return ["framework mini version 0.1: the stored definition does not match its hash"]


ATTACKS: list[Attack] = [
    answer_points,
    answer_weight,
    answer_critical_flag,
    agreed_answer,
    moderated_judgement,
    agreed_answers_deleted,
    audit_moved_to_another_team,
    audit_date,
    draft_answer,
    draft_note,
    note,
    na_reason,
    agreed_answer_note,
    moderator_note,
    moderator_answer,
    moderation_comment,
    judgement,
    judgement_reason,
    strengths,
    areas_for_development,
    stored_percent_met,
    stored_suggested_judgement,
    stored_critical_failures,
    case_reference,
    case_legal_status,
    auditor,
    auditor_renamed,
    team_renamed,
    case_holder,
    answer_time,
    answer_changed_time,
    finalised_time,
    escalation_note,
    escalated_to,
    practitioner_comment,
    action_reopened,
    action_description,
    action_deleted,
    round_case_reassigned,
    framework_version_swapped,
    audit_inserted,
    finalised_unlocked,
    finalised_deleted,
    triggers_dropped,
    log_entry_changed,
    log_entry_actor,
    log_entry_deleted,
    log_tail_deleted,
    log_entry_unkeyed,
    forged_entry_without_key,
    forged_entry_with_another_key,
    log_rewritten_without_key,
    key_record_changed,
    stored_definition_changed,
]


@pytest.mark.parametrize("attack_fn", ATTACKS, ids=[a.__name__ for a in ATTACKS])
def test_db_verify_names_each_change(
    attack_fn: Attack,
    template: Template,
    victim: tuple[str, Database],
    tmp_path: Path,
    forks: ForkServer,
) -> None:
    """`audit-tui db verify` exits 1 and prints a line naming the audit (or row, or entry)
    and what differs."""
    url, db = victim
    expected = attack_fn(db, template.ids)
    db.dispose()
    result = forks.cli("db", "verify", home=tmp_path / "home", db_url=url)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    for line in expected:
        assert any(line in p for p in lines), f"{line!r} not in:\n{result.stderr}"
    assert "NOT INTACT" in result.stdout.splitlines()[-1]
    assert "Traceback" not in result.stderr


def test_untouched_copy_verifies_clean(
    victim: tuple[str, Database], tmp_path: Path, forks: ForkServer
) -> None:
    """The control for every attack above: the same database, untouched."""
    url, db = victim
    db.dispose()
    result = forks.cli("db", "verify", home=tmp_path / "home", db_url=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
    assert result.stderr == ""
    minute = result.stdout.splitlines()[-1]
    assert minute.startswith("Verified ") and minute.endswith(": intact")


def test_an_audits_history_says_its_log_was_changed(
    template: Template, victim: tuple[str, Database]
) -> None:
    """`audit-tui history` ends with the same check: intact, then not after the reason of the
    audit's amendment was changed behind the application's back, nor after its note was."""
    url, db = victim
    ctx = context(url)
    try:
        clean = audit_history(ctx, template.ids.final)
        assert clean.problems == [] and clean.verdict.startswith("Log intact")
        amended = next(e for e in clean.entries if e.what == "Amended M-03")
        assert (amended.change, amended.actor, amended.reason) == (
            "Partly -> No",
            "Ann Auditor",
            "visit note found later",
        )
        attack(db, "UPDATE events SET reason = 'as agreed' WHERE id = :id", id=amended.event_id)
        broken = audit_history(ctx, template.ids.final)
        assert broken.problems[0].startswith(f"event {amended.event_id}: its content does not")
        assert broken.verdict.startswith("LOG NOT INTACT")
        with db.write_engine.begin() as conn:
            conn.execute(
                text(
                    f"UPDATE answers SET note = 'x' WHERE audit_id = {template.ids.final} AND question_id = 'M-01'"
                )
            )
        assert any(
            "question M-01: note is 'x'" in p
            for p in audit_history(ctx, template.ids.final).problems
        )
    finally:
        ctx.db.dispose()


def test_a_rewrite_by_someone_holding_the_key_is_caught_by_a_recorded_hash(
    template: Template, victim: tuple[str, Database], tmp_path: Path, forks: ForkServer
) -> None:
    """What the key does not protect against: someone with the key and write access rewrites
    an entry and re-keys every entry after it - the log then looks whole. The entry and hash
    written down from an earlier `db verify` (its minute line) catch it."""
    url, db = victim
    ctx = context(url)
    before = verify_database(ctx)
    assert before.problems == [] and before.last_hash is not None
    anchor = before.minute.split("last entry ")[1].split(",")[0]
    assert anchor == f"{before.last_event_id}:{before.last_hash[:16]}"
    with ctx.db.read() as s:
        key = keyring_of(ctx.db).status(s).key
    assert key is not None

    attack(db, f"UPDATE events SET new_value = 'yes' WHERE id = {template.ids.draft_event}")
    attack(
        db,
        f"UPDATE answers SET answer = 'yes', points = 1 WHERE audit_id = {template.ids.draft} AND question_id = 'M-01'",
    )
    with db.write() as s:
        events = s.execute(select(Event).order_by(Event.id)).scalars().all()
        prev = events[0].prev_hash
        for e in events:
            e.prev_hash = prev
            e.hash = prev = _digest(prev, _fields(e))
            e.mac = entry_mac(key, e.hash)
    db.dispose()
    # Only the dropped trigger shows: the chain, its keys and the audit all agree.
    problems = verify_database(ctx).problems
    assert problems and all(p.startswith("the event log's append-only trigger") for p in problems)
    ctx.db.dispose()

    result = forks.cli("db", "verify", "--expect", anchor, home=tmp_path / "home", db_url=url)
    assert result.returncode == 1
    assert f"event {before.last_event_id}: its hash is now" in result.stderr


def test_the_apps_own_code_cannot_log_a_change_that_did_not_happen(
    template: Template, victim: tuple[str, Database]
) -> None:
    """Even a well-formed, keyed entry (written with the tool's own code and key) claiming an
    amendment that never happened is caught: the audit no longer matches its log."""
    url, _ = victim
    ctx = context(url)
    try:
        with ctx.db.write() as s:
            log_event(s, "Ann Auditor", "amend", "answer", None, audit_id=template.ids.final,
                      field="M-01", old="yes", new="no", reason="typo")  # fmt: skip
        problems = verify_database(ctx).problems
        assert (
            f"audit {template.ids.final}: question M-01 is 'yes' but the log says 'no'" in problems
        )
    finally:
        ctx.db.dispose()
