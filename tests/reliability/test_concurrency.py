"""Two people on one database at once.

- Two processes recording answers into the same database, on their own audits and on the same
  audit, both finish: no "database is locked" reaches them, every answer each reported saved is
  in the log in its order, and the stored answers are the last ones logged. On SQLite a plain
  `sqlite3` connection with no busy timeout, writing under the same load, is refused: the busy
  handling (BEGIN IMMEDIATE, busy timeout, retry) is what makes the difference.
- Two people amending the same finalised audit: one wins, the other gets a clear Conflict,
  the winning change is in the database and the log, nothing is silently overwritten.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, select

from audit_tui.services import audits
from audit_tui.services.audits import Conflict
from audit_tui.services.integrity import verify_database
from audit_tui.services.schemas import Amend
from audit_tui.store.models import Answer, Audit, Event
from tests.pg_server import PgServer
from tests.reliability.procs import ForkServer, WriterReport, running, wait_for_line
from tests.reliability.seed import context, draft, finalised

WRITES = 60  # per process


class PlainWriter:
    """What code without busy handling does: a default sqlite3 connection, timeout 0."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, timeout=0)
        self.ok = 0
        self.locked = 0

    def attempt(self) -> None:
        try:
            self.conn.execute("UPDATE teams SET is_demo = is_demo")
            self.conn.commit()
            self.ok += 1
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc) or "busy" in str(exc), exc
            self.locked += 1
            self.conn.rollback()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "shared"),
    [
        ("sqlite", False),
        ("sqlite", True),
        # Both on one audit is the harder case (row locks, the version column); own audits on
        # PostgreSQL add nothing the SQLite case and the event-log lock do not already show.
        pytest.param("postgres", True, marks=pytest.mark.postgres),
    ],
    ids=["sqlite-own-audits", "sqlite-same-audit", "postgres-same-audit"],
)
def test_two_processes_recording_at_once_both_succeed(
    request: pytest.FixtureRequest, tmp_path: Path, forks: ForkServer, backend: str, shared: bool
) -> None:
    if backend == "sqlite":
        db_url = f"sqlite:///{tmp_path / 'audits.db'}"
    else:
        db_url = request.getfixturevalue("pg_server").create_database()
    setup = context(db_url, actor="setup")
    ids = [
        draft(setup, f"CONC-{k}", ("child_in_need", "child_protection")[k % 2]) for k in range(4)
    ]
    plan = {"alpha": ids[:2], "beta": ids[:2] if shared else ids[2:]}
    go = tmp_path / "go"
    outs = {name: tmp_path / f"{name}.out" for name in plan}
    pids = {
        name: forks.start_writer(
            db_url,
            outs[name],
            "--actor", name,
            "--seed", str(len(name)),
            "--count", str(WRITES),
            "--go-file", str(go),
            *[arg for audit_id in audit_ids for arg in ("--audit", str(audit_id))],
        )
        for name, audit_ids in plan.items()
    }  # fmt: skip
    plain = PlainWriter(setup.db.path) if setup.db.is_sqlite else None
    status: dict[str, int] = {}
    try:
        for name, pid in pids.items():
            wait_for_line(outs[name], "ready", pid)
        go.touch()
        while any(running(pid) for pid in pids.values()):
            if plain is not None:
                plain.attempt()
            time.sleep(0.002)
    finally:
        for name, pid in pids.items():
            status[name] = forks.kill(pid)  # they have ended unless the test failed
        if plain is not None:
            plain.conn.close()

    for name in plan:
        err = outs[name].with_suffix(".err").read_text()
        assert status[name] == 0 and err == "", f"{name}: exit {status[name]}: {err}"
        assert "locked" not in outs[name].read_text()
    if plain is not None:
        # The same load refuses a writer that does not wait: the protection is doing the work.
        assert plain.locked > 0, f"no contention seen ({plain.ok} plain writes went through)"

    with setup.db.read() as s:
        logged = s.execute(
            select(Event.actor, Event.audit_id, Event.field, Event.new_value)
            .where(Event.action == "answer")
            .order_by(Event.id)
        ).all()
        stored = {
            (a, q): ans
            for a, q, ans in s.execute(
                select(Answer.audit_id, Answer.question_id, Answer.answer).where(
                    Answer.kind == "original"
                )
            )
        }
    for name in plan:
        saved = WriterReport.parse(outs[name]).saved
        assert len(saved) == WRITES
        # Nothing lost, nothing extra, in the order the process saw it saved.
        assert [(a, q, v) for actor, a, q, v in logged if actor == name] == saved
    last_logged = {(a, q): v for _, a, q, v in logged}
    assert stored == last_logged
    assert verify_database(setup).problems == []
    setup.db.dispose()


def _amend_events(ctx, audit_id: int) -> list[tuple[str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    with ctx.db.read() as s:
        return [
            (e.actor, e.field, e.new_value)
            for e in s.execute(
                select(Event).where(
                    Event.audit_id == audit_id, Event.action == "amend", Event.entity == "answer"
                )
            ).scalars()
        ]


def test_amend_from_a_stale_view_is_refused(db_url: str) -> None:
    """Both auditors open version v; the first amend wins, the second is told to reopen."""
    ann = context(db_url, actor="Ann Auditor")
    bob = context(db_url, actor="Bob Auditor")
    audit_id = finalised(ann, "AMEND-1")
    seen_by_ann = audits.get_audit(ann, audit_id).version
    seen_by_bob = audits.get_audit(bob, audit_id).version
    assert seen_by_ann == seen_by_bob

    audits.amend(
        ann,
        audit_id,
        Amend(reason="re-read the visit notes", expected_version=seen_by_ann,
              question_id="M-03", answer="partly"),
    )  # fmt: skip
    with pytest.raises(Conflict, match=rf"audit {audit_id} was changed by someone else"):
        audits.amend(
            bob,
            audit_id,
            Amend(reason="plan is not outcome-focused", expected_version=seen_by_bob,
                  question_id="M-03", answer="no"),
        )  # fmt: skip

    now = audits.get_audit(bob, audit_id)
    assert now.answers["M-03"].answer == "partly"
    assert now.version == seen_by_ann + 1
    assert _amend_events(ann, audit_id) == [("Ann Auditor", "M-03", "partly")]
    assert verify_database(ann).problems == []
    # Bob, having reopened it, can apply his change on top: nothing is lost for good.
    audits.amend(
        bob,
        audit_id,
        Amend(reason="plan is not outcome-focused", expected_version=now.version,
              question_id="M-03", answer="no"),
    )  # fmt: skip
    assert audits.get_audit(ann, audit_id).answers["M-03"].answer == "no"
    assert verify_database(ann).problems == []
    ann.db.dispose()
    bob.db.dispose()


@pytest.mark.postgres
def test_simultaneous_amends_on_postgres_one_wins(pg_server: PgServer) -> None:
    """Two transactions both read version v before either writes: the version column makes
    the second UPDATE match no row, so it fails with Conflict instead of overwriting."""
    url = pg_server.create_database()
    ann = context(url, actor="Ann Auditor")
    bob = context(url, actor="Bob Auditor")
    audit_id = finalised(ann, "AMEND-2")
    version = audits.get_audit(ann, audit_id).version

    both_loaded = threading.Barrier(2, timeout=20)
    waiting = {"ann", "bob"}

    def hold_after_load(target: Audit, _context: object) -> None:
        name = threading.current_thread().name
        if target.id == audit_id and name in waiting:
            waiting.discard(name)
            both_loaded.wait()  # each transaction has read version v; now both write

    results: dict[str, object] = {}

    def amend_as(name: str, ctx, answer: str) -> None:  # type: ignore[no-untyped-def]
        try:
            results[name] = audits.amend(
                ctx, audit_id, Amend(reason=f"{name} re-read the file", question_id="M-01",
                                     answer=answer),
            ).version  # fmt: skip
        except Conflict as exc:
            results[name] = exc

    event.listen(Audit, "load", hold_after_load)
    try:
        threads = [
            threading.Thread(target=amend_as, args=("ann", ann, "no"), name="ann"),
            threading.Thread(target=amend_as, args=("bob", bob, "partly"), name="bob"),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        event.remove(Audit, "load", hold_after_load)

    conflicts = {k: v for k, v in results.items() if isinstance(v, Conflict)}
    winners = {k: v for k, v in results.items() if not isinstance(v, Conflict)}
    assert len(conflicts) == 1 and len(winners) == 1, results
    (_loser, exc), (winner, new_version) = (
        next(iter(conflicts.items())),
        next(iter(winners.items())),
    )
    assert "amended by someone else at the same time" in str(exc)
    assert "not saved" in str(exc)
    assert new_version == version + 1
    winning_answer = {"ann": "no", "bob": "partly"}[winner]
    now = audits.get_audit(ann, audit_id)
    assert now.answers["M-01"].answer == winning_answer
    assert now.version == version + 1
    actor = {"ann": "Ann Auditor", "bob": "Bob Auditor"}[winner]
    assert _amend_events(ann, audit_id) == [(actor, "M-01", winning_answer)]
    assert verify_database(ann).problems == []
    ann.db.dispose()
    bob.db.dispose()
