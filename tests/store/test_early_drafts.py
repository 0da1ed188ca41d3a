"""The start-up's early drafts read (store/early_drafts.py) lists exactly what Home lists from
the services once the database is open (services.audits.list_drafts for the identity
services.identity resolves), and steps aside (None) whenever it cannot be trusted."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from audit_tui.config import Settings
from audit_tui.demo import generate_demo
from audit_tui.services import audits, directory, staff
from audit_tui.services.context import AppContext
from audit_tui.services.identity import link_identity, resolve_identity
from audit_tui.store.early_drafts import EarlyDrafts, early_drafts, read_early_drafts
from tests import builders
from tests.conftest import make_context

FIELDS = (
    "id",
    "case_reference",
    "answered",
    "applicable",
    "audit_date",
    "case_type_label",
    "team",
    "auditor",
)


def _row(d: object) -> tuple[object, ...]:
    return tuple(getattr(d, f) for f in FIELDS)


def _services(ctx: AppContext, user: str) -> tuple[list[tuple[object, ...]], bool, str]:
    """Home's first list from the services: the user's drafts, else everyone's."""
    identity = resolve_identity(ctx.db, Settings(db=str(ctx.db.url), user=user))
    mine = audits.list_drafts(ctx, auditor=identity.name)
    if mine:
        return [_row(d) for d in mine], False, identity.name
    return [_row(d) for d in audits.list_drafts(ctx)], True, identity.name


def _early(ctx: AppContext, user: str) -> tuple[list[tuple[object, ...]], bool, str]:
    assert ctx.db.path is not None
    found = early_drafts(f"sqlite:///{ctx.db.path}", user, demo=False)
    assert found is not None
    return [_row(d) for d in found.drafts], found.everyone, found.me


def _same(ctx: AppContext, *users: str) -> None:
    for user in users:
        early, services = _early(ctx, user), _services(ctx, user)
        assert early == services, user


def _people(ctx: AppContext) -> None:
    directory.add_team(ctx, "Intake")
    directory.add_team(ctx, "Court")
    for name in ("Alex Auditor", "Bea Brown", "Cai Jones"):
        staff.add_person(ctx, name, "Intake", auditor=True)
    staff.add_person(ctx, "Dee Login", "Court", auditor=True, login="dlogin")


def test_the_early_list_is_the_services_list(sqlite_ctx: AppContext) -> None:
    """Several users' drafts (two frameworks, case types with and without their own
    questions, answers given), finalised audits beside them: for each user - in the
    directory, by any case, not in it, someone with no drafts - the same rows in the same
    order, the same "mine or everyone's" and the same name."""
    ctx = sqlite_ctx
    ctx.frameworks = builders.registry_with(ctx.frameworks)
    _people(ctx)
    a = builders.draft(ctx, "D-1", auditor="Alex Auditor", case_type="child_protection")
    builders.answer_all(ctx, a, {"M-01": "yes", "M-04": "no"})
    builders.draft(ctx, "D-2", date(2026, 9, 1), "Court", auditor="Bea Brown")
    builders.draft(ctx, "D-3", auditor="Alex Auditor", framework_id="case-file")
    builders.draft(
        ctx, "D-4", auditor="Dee Login", case_type="looked_after", framework_id="case-file"
    )
    builders.finalised(
        ctx, "F-1", {"M-01": "yes", "M-02": "no", "M-03": "yes"}, auditor="Alex Auditor"
    )
    builders.finalised(
        ctx, "F-2", {"M-01": "yes", "M-02": "yes", "M-03": "no"}, auditor="Bea Brown"
    )
    _same(ctx, "Alex Auditor", "alex  AUDITOR", "Bea Brown", "dlogin", "Cai Jones", "Nobody Known")


def test_the_early_list_follows_each_change(sqlite_ctx: AppContext) -> None:
    """A draft finalised, answered or started between two reads: each read is the services'
    list of that moment (the early list is never kept beyond the context's first read)."""
    ctx = sqlite_ctx
    ctx.frameworks = builders.registry_with(ctx.frameworks)
    _people(ctx)
    first = builders.draft(ctx, "D-1", auditor="Alex Auditor")
    builders.draft(ctx, "D-2", auditor="Alex Auditor")
    before = _early(ctx, "Alex Auditor")
    assert [r[0] for r in before[0]] == [first + 1, first]
    _same(ctx, "Alex Auditor")
    builders.answer_all(ctx, first, {"M-01": "yes", "M-02": "no", "M-03": "yes"})  # newest
    _same(ctx, "Alex Auditor")
    builders.finalise(ctx, first)  # finalised between two reads: gone from the next
    after = _early(ctx, "Alex Auditor")
    assert [r[0] for r in after[0]] == [first + 1]
    _same(ctx, "Alex Auditor", "Bea Brown")
    builders.answer_all(ctx, first + 1, {"M-01": "yes", "M-02": "yes", "M-03": "yes"})
    builders.finalise(ctx, first + 1)  # Alex has none left: everyone's
    builders.draft(ctx, "D-5", auditor="Bea Brown")
    _same(ctx, "Alex Auditor", "Bea Brown", "Cai Jones")
    assert _early(ctx, "Alex Auditor")[1] is True


def test_a_remembered_choice_is_who_you_are(sqlite_ctx: AppContext) -> None:
    """Not in the directory under the declared name, but chosen once ("who are you?"): the
    early read finds the same person as the services."""
    ctx = sqlite_ctx
    ctx.frameworks = builders.registry_with(ctx.frameworks)
    _people(ctx)
    builders.draft(ctx, "D-1", auditor="Bea Brown")
    builders.draft(ctx, "D-2", auditor="Cai Jones")
    ctx.identity = resolve_identity(ctx.db, Settings(db=str(ctx.db.url), user="bb"))
    link_identity(ctx, "Bea Brown")
    assert _early(ctx, "bb") == _services(ctx, "bb")
    assert _early(ctx, "bb")[1:] == (False, "Bea Brown")


def test_a_demo_database_lists_the_same(tmp_path: Path, registry: object) -> None:
    """The demo database (its persona's drafts and everyone's)."""
    ctx = make_context(f"sqlite:///{tmp_path / 'demo.db'}", registry)  # type: ignore[arg-type]
    try:
        generate_demo(ctx, audits=30, seed=3, drafts=6)
        with ctx.db.read() as s:
            names = [n for (n,) in s.execute(text("SELECT name FROM workers ORDER BY id"))]
        assert names
        _same(ctx, *names[:6], "Nobody Known")
    finally:
        ctx.db.dispose()


# --- when the early read steps aside ---------------------------------------------------------


def _seeded(ctx: AppContext) -> Path:
    ctx.frameworks = builders.registry_with(ctx.frameworks)
    _people(ctx)
    builders.draft(ctx, "D-1", auditor="Alex Auditor")
    assert ctx.db.path is not None
    return ctx.db.path


def test_no_early_read_for_postgresql_or_a_url_with_options() -> None:
    assert early_drafts("postgresql://qa@localhost/audits", "Alex", demo=False) is None
    assert early_drafts("sqlite:///:memory:", "Alex", demo=False) is None
    assert early_drafts("sqlite:////tmp/x.db?mode=ro", "Alex", demo=False) is None


def test_no_early_read_of_a_missing_file_and_none_is_made(tmp_path: Path) -> None:
    path = tmp_path / "nothing-here.db"
    assert early_drafts(f"sqlite:///{path}", "Alex", demo=False) is None
    assert list(tmp_path.iterdir()) == []


def test_no_early_read_of_another_schema_revision(sqlite_ctx: AppContext) -> None:
    path = _seeded(sqlite_ctx)
    assert read_early_drafts(path, "Alex Auditor", None) is not None
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0004'")
    conn.close()
    assert read_early_drafts(path, "Alex Auditor", None) is None


def test_no_early_read_of_another_programs_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    assert read_early_drafts(path, "Alex", None) is None


def test_no_early_read_when_a_version_is_only_on_disk(sqlite_ctx: AppContext) -> None:
    """The services would read that version from its file: this read does not guess."""
    path = _seeded(sqlite_ctx)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM framework_versions")
    conn.close()
    assert read_early_drafts(path, "Alex Auditor", None) is None


def test_no_early_read_when_the_settings_need_settings_to_read_them(
    sqlite_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _seeded(sqlite_ctx)
    url = f"sqlite:///{path}"
    assert early_drafts(url, "Alex Auditor", demo=False) is not None
    # A user name Settings refuses (a control character): Settings says why, not this.
    assert early_drafts(url, "Alex\x1b[2J", demo=False) is None
    # A settings file that is not TOML, or names the database with something not text.
    settings = Path(os.environ["XDG_CONFIG_HOME"]) / "early-settings.toml"
    monkeypatch.setenv("AUDIT_TUI_SETTINGS", str(settings))
    settings.write_text("db = [not toml\n")
    assert early_drafts(None, "Alex Auditor", demo=False) is None
    settings.write_text("db = 5\n")
    assert early_drafts(None, "Alex Auditor", demo=False) is None
    # ... while a file naming it as text is read as Settings reads it (and the env wins).
    settings.write_text(f'db = "{url}"\nuser = "Alex Auditor"\n')
    found = early_drafts(None, None, demo=False)
    assert isinstance(found, EarlyDrafts) and found.me == "Alex Auditor"
    monkeypatch.setenv("audit_tui_db", "postgresql://qa@localhost/audits")
    assert early_drafts(None, None, demo=False) is None


def test_the_early_read_changes_nothing(sqlite_ctx: AppContext) -> None:
    """The database file is read, never written. (SQLite's WAL reader may leave its empty
    -wal and -shm companions, as the app's own opening does a moment later.)"""
    path = _seeded(sqlite_ctx)
    sqlite_ctx.db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in path.parent.iterdir()}
    assert read_early_drafts(path, "Alex Auditor", None) is not None
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in path.parent.iterdir()}
    assert after[path.name] == before[path.name]
    assert set(after) - set(before) <= {f"{path.name}-wal", f"{path.name}-shm"}
    assert after.get(f"{path.name}-wal", (0, b""))[1] == b""
