"""The event log's key: made on first use outside the database, needed for every write, told
apart from forgery when it is missing or another database's, and the older, unkeyed part of
a log kept as a documented prefix - on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from audit_tui.config import Settings, config_dir
from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team, list_teams
from audit_tui.services.eventlog import _append_unkeyed
from audit_tui.services.integrity import verify_database
from audit_tui.services.logkey import (
    DATABASE_ID,
    KEY_RECORD,
    KeyRecord,
    KeyUnavailable,
    fingerprint,
    key_info,
)
from audit_tui.services.schemas import AnswerIn, NewAudit
from audit_tui.store.migrate import open_database
from audit_tui.store.models import DatabaseInfo, Event, Team
from tests.conftest import FIXED_TODAY

AT = datetime(2026, 11, 20, 9, 0)


def url_of(ctx: AppContext) -> str:
    return ctx.db.url.render_as_string(hide_password=False)


def reopen(ctx: AppContext, **settings: object) -> AppContext:
    """Another session on the same database, with these settings (a new key ring)."""
    return AppContext(
        db=open_database(url_of(ctx)),
        frameworks=ctx.frameworks,
        actor="Ben",
        today=lambda: FIXED_TODAY,
        settings=Settings(**settings),  # type: ignore[arg-type]
    )


@pytest.fixture
def others() -> Iterator[list[AppContext]]:
    made: list[AppContext] = []
    yield made
    for c in made:
        c.db.dispose()


def info(ctx: AppContext) -> dict[str, str]:
    with ctx.db.read() as s:
        return dict(s.execute(select(DatabaseInfo.key, DatabaseInfo.value)).all())


def n_events(ctx: AppContext) -> int:
    with ctx.db.read() as s:
        return int(s.execute(select(func.count(Event.id))).scalar_one())


def test_the_key_is_made_on_first_use_outside_the_database(ctx: AppContext) -> None:
    assert info(ctx) == {} and n_events(ctx) == 0
    add_team(ctx, "North")
    facts = info(ctx)
    record = KeyRecord.parse(facts[KEY_RECORD])
    assert record is not None and record.database_id == facts[DATABASE_ID]
    path = config_dir() / "keys" / f"{record.database_id}.key"
    key = bytes.fromhex(path.read_text().splitlines()[-1])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert record.fingerprint == fingerprint(key) and record.sealed_by(key)
    # The key is nowhere in the database; its first entry says it was made, and from then on
    # every entry carries a MAC.
    with ctx.db.read() as s:
        dump = " ".join(str(v) for v in s.execute(text("SELECT * FROM events")).all())
        entries = s.execute(select(Event.action, Event.mac).order_by(Event.id)).all()
    assert key.hex() not in dump and key.hex() not in str(facts)
    assert record.keyed_from == 1 and record.before == {}
    assert [a for a, _ in entries] == ["key", "create"] and all(m for _, m in entries)
    assert verify_database(ctx).problems == []
    assert key_info(ctx).lines()[0] == (
        f"log key fingerprint {record.fingerprint} (database id {record.database_id}): at {path}"
    )


def test_a_key_named_in_the_settings(
    ctx: AppContext, tmp_path: Path, others: list[AppContext]
) -> None:
    """key_file is made there on first use; log_key (a shared server's secret) is the key."""
    named = tmp_path / "secrets" / "audit.key"
    filed = reopen(ctx, key_file=named)
    others.append(filed)
    add_team(filed, "North")
    record = KeyRecord.parse(info(filed)[KEY_RECORD])
    key = bytes.fromhex(named.read_text().splitlines()[-1])
    assert record is not None and record.fingerprint == fingerprint(key)
    given = reopen(ctx, log_key=SecretStr(key.hex()))
    others.append(given)
    add_team(given, "South")  # the same key, given as text: accepted
    assert verify_database(given).problems == []
    assert not (config_dir() / "keys" / f"{record.database_id}.key").exists()


def test_without_the_key_reading_works_and_writing_is_refused_in_one_line(
    ctx: AppContext, tmp_path: Path, others: list[AppContext]
) -> None:
    add_team(ctx, "North")
    record = KeyRecord.parse(info(ctx)[KEY_RECORD])
    assert record is not None
    missing = tmp_path / "elsewhere.key"
    away = reopen(ctx, key_file=missing)
    others.append(away)
    before = n_events(ctx)
    assert [t.name for t in list_teams(away)] == ["North"]  # reading needs no key
    with pytest.raises(KeyUnavailable) as refused:
        add_team(away, "South")
    line = str(refused.value)
    assert "\n" not in line and str(missing) in line and record.fingerprint in line
    assert line.startswith("cannot save: this database's log key") and "nothing was saved" in line
    assert n_events(ctx) == before and [t.name for t in list_teams(ctx)] == ["North"]
    # Verify checks everything else, and says the keys were not checked, and why.
    report = verify_database(away)
    assert report.problems == [
        f"the log key (fingerprint {record.fingerprint}) is not at {missing}: the entries' "
        "keys were not checked; put the key's backup there"
    ]
    assert not missing.exists()  # a database with a key never gets a second one


def test_another_databases_key_is_told_apart_from_forgery(
    ctx: AppContext, tmp_path: Path, others: list[AppContext]
) -> None:
    add_team(ctx, "North")
    wrong = tmp_path / "wrong.key"
    wrong.write_text(secrets.token_bytes(32).hex() + "\n")
    other = reopen(ctx, key_file=wrong)
    others.append(other)
    with pytest.raises(KeyUnavailable, match="is another database's"):
        add_team(other, "South")
    (line,) = verify_database(other).problems
    assert "is not this database's key" in line and "entries' keys were not checked" in line
    not_a_key = tmp_path / "garbled.key"
    not_a_key.write_text("hello\n")
    garbled = reopen(ctx, key_file=not_a_key)
    others.append(garbled)
    with pytest.raises(UserError, match="not an audit-tui log key"):
        add_team(garbled, "South")


def test_a_first_write_that_fails_leaves_no_key_behind(ctx: AppContext) -> None:
    with pytest.raises(UserError, match="unknown team"):
        audits.start_audit(
            ctx,
            NewAudit(
                framework_id="case-file", case_reference="CMS-1", case_type="child_in_need",
                team="Nowhere", auditor="Ann", audit_date=FIXED_TODAY,
            ),
        )  # fmt: skip
    assert info(ctx) == {} and n_events(ctx) == 0
    folder = config_dir() / "keys"
    before = set(os.listdir(folder)) if folder.exists() else set()
    add_team(ctx, "North")
    record = KeyRecord.parse(info(ctx)[KEY_RECORD])
    assert record is not None
    assert set(os.listdir(folder)) - before == {f"{record.database_id}.key"}


def _unkeyed_team(s: Session, name: str) -> None:
    """A team and its entry as a release before the key wrote them."""
    team = Team(name=name)
    s.add(team)
    s.flush()
    _append_unkeyed(
        s,
        [{"at": AT, "actor": "r1", "action": "create", "entity": "team", "entity_id": team.id,
          "audit_id": None, "field": None, "old_value": None, "new_value": name,
          "reason": None}],
    )  # fmt: skip


def test_an_older_databases_unkeyed_entries_are_a_prefix(
    db_url: str, registry: FrameworkRegistry
) -> None:
    """Entries an earlier release wrote have no key: `db verify` says so and checks them by
    their hashes (and their rows as far as that release's log allows); the first change made
    with this release keys the log from there on, and an unkeyed entry after that is
    reported."""
    db = open_database(db_url)  # no context: nothing keys its writes
    with db.write() as s:
        _unkeyed_team(s, "North")
    ctx = AppContext(db=db, frameworks=registry, actor="Ann", today=lambda: FIXED_TODAY)
    try:
        report = verify_database(ctx)
        assert report.problems == [] and report.keyed_from is None
        assert any("the log has no key yet" in n for n in report.notes)
        assert report.minute.endswith(
            "intact, but the log has no key yet (written by an earlier release)"
        )
        add_team(ctx, "South")  # the first change with this release keys the log
        record = KeyRecord.parse(info(ctx)[KEY_RECORD])
        assert record is not None and record.keyed_from == 2 and record.before == {"teams": 1}
        report = verify_database(ctx)
        assert report.problems == [] and report.keyed_from == 2
        assert any("entries before 2 were written by an earlier release" in n for n in report.notes)
        assert report.minute.endswith(
            "intact; keyed from entry 2 (entries before it: earlier release)"
        )
        with ctx.db.write() as s:  # an entry written without the key, after the keyed ones
            _unkeyed_team(s, "Ghost")
        problems = verify_database(ctx).problems
        assert any(
            p.endswith("has no key (MAC) though the log is keyed from entry 2 on: it was written "
                       "without this database's key")
            for p in problems
        )  # fmt: skip
    finally:
        ctx.db.dispose()


def test_removing_the_key_record_does_not_make_the_log_pass_as_older(ctx: AppContext) -> None:
    add_team(ctx, "North")
    audits_done = n_events(ctx)
    assert audits_done
    with ctx.db.write_engine.begin() as conn:
        conn.execute(text("DELETE FROM database_info"))
    problems = verify_database(ctx).problems
    assert "the log has a key entry, but database_info has no key record" in problems[-1]
    assert any("database_info log_key was removed" in p for p in problems)


def test_an_answer_is_keyed_like_any_entry(ctx: AppContext) -> None:
    """The answer path: one read of the log's tip, then every entry of the save keyed."""
    add_team(ctx, "North")
    a = audits.start_audit(
        ctx,
        NewAudit(framework_id="case-file", case_reference="CMS-1", case_type="child_in_need",
                 team="North", auditor="Ann", audit_date=FIXED_TODAY),
    )  # fmt: skip
    audits.record_answer(ctx, a.id, AnswerIn(question_id="CF-AS-01", answer="yes", note="AB"))
    with ctx.db.read() as s:
        macs = s.execute(select(Event.mac).where(Event.audit_id == a.id)).scalars().all()
    assert len(macs) == 3 and all(macs)
