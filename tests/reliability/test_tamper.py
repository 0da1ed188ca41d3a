"""Tamper evidence: someone with write access to the database (SQLite file or PostgreSQL role)
changes the record behind the application's back. `audit-tui db verify` names each change and
exits non-zero; legitimate amendments keep it clean.

The attacker first drops the append-only trigger, as anyone with file access can."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, select, text

from audit_tui.services import audits
from audit_tui.services.eventlog import _digest, _fields, log_event
from audit_tui.services.integrity import verify_database
from audit_tui.services.schemas import Amend, AnswerIn
from audit_tui.store.database import Database
from audit_tui.store.models import Event
from tests.pg_server import PgServer
from tests.reliability.procs import ForkServer
from tests.reliability.seed import context, draft, finalised


@dataclass
class Ids:
    final_1: int  # answers yes / partly / yes, then M-03 amended to no
    final_2: int  # judgement amended
    draft: int
    draft_event: int  # an answer event of the draft, in the middle of the log


@dataclass
class Template:
    backend: str
    ids: Ids
    sqlite_bytes: bytes = b""
    pg: PgServer | None = None
    pg_name: str = ""


def _build(url: str) -> Ids:
    ctx = context(url, actor="Ann Auditor")
    final_1 = finalised(ctx, "TAMPER-1")
    final_2 = finalised(ctx, "TAMPER-2", {"M-01": "yes", "M-02": "yes", "M-03": "yes"})
    draft_id = draft(ctx, "TAMPER-3")
    audits.record_answer(ctx, draft_id, AnswerIn(question_id="M-01", answer="no"))
    with ctx.db.read() as s:
        draft_event = s.execute(
            select(Event.id).where(Event.audit_id == draft_id, Event.action == "answer")
        ).scalar_one()
    audits.record_answer(ctx, draft_id, AnswerIn(question_id="M-02", answer="yes"))
    # Legitimate changes to finalised audits: logged, so verify stays clean.
    audits.amend(
        ctx, final_1, Amend(reason="visit note found later", question_id="M-03", answer="no")
    )
    audits.amend(
        ctx,
        final_2,
        Amend(reason="panel view", judgement="good", judgement_reason="agreed at panel"),
    )
    assert verify_database(ctx).problems == []
    ctx.db.dispose()
    return Ids(final_1, final_2, draft_id, draft_event)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Template:
    """A database with finalised, amended and draft audits, built once per backend."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("tamper") / "template.db"
        ids = _build(f"sqlite:///{path}")
        return Template("sqlite", ids, sqlite_bytes=path.read_bytes())
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.create_database()
    ids = _build(url)
    return Template("postgres", ids, pg=server, pg_name=make_url(url).database or "")


@pytest.fixture
def victim(template: Template, tmp_path: Path) -> Iterator[tuple[str, Database]]:
    """A fresh copy of the template: its URL, and the attacker's raw access to it."""
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


def attack(db: Database, *statements: str, **params: object) -> None:
    drop = (
        ["DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete"]
        if db.is_sqlite
        else ["DROP TRIGGER events_append_only ON events"]
    )
    with db.write_engine.begin() as conn:
        for statement in [*drop, *statements]:
            conn.execute(text(statement), params)


def last_event_id(db: Database) -> int:
    with db.read() as s:
        return s.execute(select(Event.id).order_by(Event.id.desc()).limit(1)).scalar_one()


# --- the attacks: each returns the problem lines `db verify` must print -------------------


def change_event(db: Database, ids: Ids) -> list[str]:
    attack(db, "UPDATE events SET new_value = 'yes' WHERE id = :id", id=ids.draft_event)
    return [f"event {ids.draft_event}: its content does not match its hash"]


def change_event_actor(db: Database, ids: Ids) -> list[str]:
    """Who did it is part of the record: a changed actor breaks the entry's hash."""
    attack(db, "UPDATE events SET actor = 'Someone Else' WHERE id = :id", id=ids.draft_event)
    return [f"event {ids.draft_event}: its content does not match its hash"]


def change_event_reason(db: Database, ids: Ids) -> list[str]:
    """So is why: the reason of a logged amendment."""
    with db.read() as s:
        amend_id = s.execute(
            select(Event.id).where(Event.reason == "visit note found later")
        ).scalar_one()
    attack(db, "UPDATE events SET reason = 'as agreed' WHERE id = :id", id=amend_id)
    return [f"event {amend_id}: its content does not match its hash"]


def delete_event(db: Database, ids: Ids) -> list[str]:
    attack(db, "DELETE FROM events WHERE id = :id", id=ids.draft_event)
    return [f"event {ids.draft_event + 1}: does not follow the entry before it"]


def forge_event_with_made_up_hash(db: Database, ids: Ids) -> list[str]:
    with db.read() as s:
        tip = s.execute(select(Event.hash).order_by(Event.id.desc()).limit(1)).scalar_one()
    forged = last_event_id(db) + 1
    attack(
        db,
        "INSERT INTO events (id, at, actor, action, entity, audit_id, field, old_value, "
        "new_value, reason, prev_hash, hash) VALUES (:id, '2026-11-20 09:00:00', 'Ann Auditor', "
        "'amend', 'answer', :audit, 'M-02', 'partly', 'yes', 'typo', :prev, :hash)",
        id=forged,
        audit=ids.final_1,
        prev=tip,
        hash="f" * 64,
    )
    return [f"event {forged}: its content does not match its hash"]


def forge_event_with_the_apps_own_code(db: Database, ids: Ids) -> list[str]:
    """A well-formed, correctly chained entry claiming an amendment that never happened: the
    chain holds, but the audit no longer matches its log."""
    with db.write() as s:
        log_event(s, "Ann Auditor", "amend", "answer", None, audit_id=ids.final_1,
                  field="M-01", old="yes", new="no", reason="typo")  # fmt: skip
    return [f"audit {ids.final_1}: question M-01 is 'yes' but the log says 'no'"]


def change_final_answer(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        "UPDATE answers SET answer = 'yes', points = 1 "
        "WHERE audit_id = :audit AND question_id = 'M-03'",
        audit=ids.final_1,
    )
    return [f"audit {ids.final_1}: question M-03 is 'yes' but the log says 'no'"]


def delete_final_answer(db: Database, ids: Ids) -> list[str]:
    attack(db, "DELETE FROM answers WHERE audit_id = :a AND question_id = 'M-02'", a=ids.final_2)
    return [f"audit {ids.final_2}: question M-02 is 'None' but the log says 'yes'"]


def change_judgement(db: Database, ids: Ids) -> list[str]:
    attack(db, "UPDATE audits SET judgement = 'outstanding' WHERE id = :id", id=ids.final_2)
    return [f"audit {ids.final_2}: judgement is 'outstanding' but the log says 'good'"]


def unlock_finalised(db: Database, ids: Ids) -> list[str]:
    attack(db, "UPDATE audits SET status = 'draft' WHERE id = :id", id=ids.final_1)
    return [f"audit {ids.final_1}: the log says finalised, but it is a draft"]


def delete_finalised(db: Database, ids: Ids) -> list[str]:
    attack(
        db,
        "DELETE FROM answers WHERE audit_id = :id",
        "DELETE FROM audits WHERE id = :id",
        id=ids.final_2,
    )
    return [f"audit {ids.final_2}: the log says finalised, but it is missing"]


ATTACKS: list[Callable[[Database, Ids], list[str]]] = [
    change_event,
    change_event_actor,
    change_event_reason,
    delete_event,
    forge_event_with_made_up_hash,
    forge_event_with_the_apps_own_code,
    change_final_answer,
    delete_final_answer,
    change_judgement,
    unlock_finalised,
    delete_finalised,
]


@pytest.mark.parametrize("attack_fn", ATTACKS, ids=[a.__name__ for a in ATTACKS])
def test_verify_names_each_tampering(
    attack_fn: Callable[[Database, Ids], list[str]],
    template: Template,
    victim: tuple[str, Database],
) -> None:
    url, db = victim
    expected = attack_fn(db, template.ids)
    ctx = context(url)
    problems = verify_database(ctx).problems
    ctx.db.dispose()
    for line in expected:
        assert any(p.startswith(line) for p in problems), f"{line!r} not in {problems}"


@pytest.mark.parametrize(
    "attack_fn", [change_event, change_final_answer], ids=["event", "final-answer"]
)
def test_db_verify_command_exits_non_zero_naming_the_change(
    attack_fn: Callable[[Database, Ids], list[str]],
    template: Template,
    victim: tuple[str, Database],
    tmp_path: Path,
    forks: ForkServer,
) -> None:
    url, db = victim
    expected = attack_fn(db, template.ids)
    db.dispose()
    result = forks.cli("db", "verify", home=tmp_path / "home", db_url=url)
    assert result.returncode == 1, result.stdout + result.stderr
    for line in expected:
        assert any(p.startswith(line) for p in result.stderr.splitlines()), result.stderr
    assert "problem(s)" in result.stdout
    assert "Traceback" not in result.stderr


def test_an_audits_history_says_its_log_was_changed(
    template: Template, victim: tuple[str, Database]
) -> None:
    """`audit-tui history` ends with the same check: intact, then not after the reason of the
    audit's amendment was changed behind the application's back."""
    from audit_tui.services.history import audit_history

    url, db = victim
    ctx = context(url)
    try:
        clean = audit_history(ctx, template.ids.final_1)
        assert clean.problems == [] and clean.verdict.startswith("Log intact")
        amended = next(e for e in clean.entries if e.reason == "visit note found later")
        assert (amended.what, amended.change, amended.actor) == (
            "Amended M-03",
            "Yes -> No",
            "Ann Auditor",
        )
        expected = change_event_reason(db, template.ids)
        broken = audit_history(ctx, template.ids.final_1)
        assert broken.problems and broken.problems[0].startswith(expected[0])
        assert broken.verdict.startswith("LOG NOT INTACT")
    finally:
        ctx.db.dispose()


def test_untouched_copy_verifies_clean(
    victim: tuple[str, Database], tmp_path: Path, forks: ForkServer
) -> None:
    """The control for every attack above: the same database, untouched, with amendments."""
    url, db = victim
    db.dispose()
    result = forks.cli("db", "verify", home=tmp_path / "home", db_url=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
    assert result.stderr == ""


def test_rewritten_chain_is_caught_by_a_recorded_hash(
    template: Template, victim: tuple[str, Database], tmp_path: Path, forks: ForkServer
) -> None:
    """An attacker who changes an entry and re-hashes every entry after it leaves a whole
    chain. The entry and hash written down from an earlier `db verify` catch it."""
    url, db = victim
    ctx = context(url)
    before = verify_database(ctx)
    assert before.problems == [] and before.last_hash is not None
    anchor = f"{before.last_event_id}:{before.last_hash[:16]}"

    attack(db, "UPDATE events SET new_value = 'yes' WHERE id = :id", id=template.ids.draft_event)
    with db.write() as s:
        events = s.execute(select(Event).order_by(Event.id)).scalars().all()
        prev = events[0].prev_hash
        for e in events:
            e.prev_hash = prev
            e.hash = prev = _digest(prev, _fields(e))
    db.dispose()
    assert verify_database(ctx).problems == []  # the chain alone cannot tell
    ctx.db.dispose()

    result = forks.cli("db", "verify", "--expect", anchor, home=tmp_path / "home", db_url=url)
    assert result.returncode == 1
    assert f"event {before.last_event_id}: its hash is now" in result.stderr
