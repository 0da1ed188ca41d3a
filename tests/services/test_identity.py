"""One identity per session (issue 15): named by --user / AUDIT_TUI_USER / the settings file /
the login name, linked to a person in the staff directory, remembered per database; on
PostgreSQL with a login per person, the login is the identity.

Every context here is built the way the command line builds it (AppContext.from_settings), so
the identity is resolved as in real use."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, select

from audit_tui.config import Settings
from audit_tui.domain.errors import UserError
from audit_tui.services import audits, staff
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.identity import link_identity
from audit_tui.services.schemas import AnswerIn, NewAudit
from audit_tui.store.models import Event
from tests.conftest import FIXED_TODAY
from tests.pg_server import PgServer


def session(url: str, user: str = "") -> AppContext:
    ctx = AppContext.from_settings(Settings(db=url, user=user))
    ctx.today = lambda: FIXED_TODAY
    return ctx


def new_audit(ref: str, auditor: str) -> NewAudit:
    return NewAudit(
        framework_id="case-file",
        case_reference=ref,
        case_type="child_protection",
        team="North",
        auditor=auditor,
        audit_date=FIXED_TODAY,
    )


def actors(ctx: AppContext) -> list[str]:
    with ctx.db.read() as s:
        return list(s.execute(select(Event.actor).order_by(Event.id)).scalars())


@pytest.fixture
def directory_db(db_url: str) -> str:
    """A database whose staff directory has Alex Morgan and Sam Lee (team North)."""
    ctx = session(db_url, "Setup Admin")
    add_team(ctx, "North")
    staff.add_person(ctx, "Alex Morgan", "North", manager=True)
    staff.add_person(ctx, "Sam Lee", "North", auditor=True)
    ctx.db.dispose()
    return db_url


def test_user_setting_names_the_person_and_the_log_records_them(directory_db: str) -> None:
    ctx = session(directory_db, "  alex   MORGAN ")
    try:
        assert ctx.identity is not None and ctx.identity.linked
        assert (ctx.me, ctx.actor) == ("Alex Morgan", "Alex Morgan")
        audits.start_audit(ctx, new_audit("CMS-1", ctx.me))
        assert actors(ctx)[-1] == "Alex Morgan"  # the event log's actor is the identity
    finally:
        ctx.db.dispose()


def test_login_name_is_asked_about_once_per_database(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "root")
    url = sqlite_url
    ctx = session(url, "Admin")
    add_team(ctx, "North")
    staff.add_person(ctx, "Alex Morgan", "North", manager=True)
    ctx.db.dispose()

    first = session(url)  # no --user: the login name, which is nobody in the directory
    assert first.identity is not None and not first.identity.linked
    assert first.me == "root"  # Home asks who you are
    link_identity(first, "alex morgan")
    assert (first.me, first.actor) == ("Alex Morgan", "Alex Morgan")
    first.db.dispose()

    again = session(url)  # remembered for this database
    assert again.me == "Alex Morgan" and again.identity is not None and again.identity.linked
    again.db.dispose()

    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    other = session(other_url)  # ... and only for this database
    assert other.me == "root"
    other.db.dispose()

    with pytest.raises(UserError, match="not in the staff directory"):
        link_identity(session(url), "Nobody Known")


def test_my_drafts_lists_exactly_my_drafts(directory_db: str) -> None:
    alex = session(directory_db, "Alex Morgan")
    sam = session(directory_db, "Sam Lee")
    try:
        mine = audits.start_audit(alex, new_audit("CMS-1", alex.me)).id
        theirs = audits.start_audit(sam, new_audit("CMS-2", sam.me)).id
        assert [d.id for d in audits.list_drafts(alex, auditor=alex.me)] == [mine]
        assert [d.id for d in audits.list_drafts(sam, auditor=sam.me)] == [theirs]
    finally:
        alex.db.dispose()
        sam.db.dispose()


def test_taking_over_a_draft_is_logged(directory_db: str) -> None:
    alex = session(directory_db, "Alex Morgan")
    sam = session(directory_db, "Sam Lee")
    try:
        audit_id = audits.start_audit(alex, new_audit("CMS-1", alex.me)).id
        audits.record_answer(alex, audit_id, AnswerIn(question_id="CF-AS-02", answer="yes"))
        taken = audits.take_over(sam, audit_id)
        assert taken.auditor == "Sam Lee"
        with sam.db.read() as s:
            e = s.execute(select(Event).where(Event.action == "take_over")).scalar_one()
        # The auditor, from and to: by id (what `db verify` compares) and by name.
        old, new = json.loads(e.old_value), json.loads(e.new_value)
        assert (e.actor, e.field, old["name"], new["name"]) == (
            "Sam Lee",
            "auditor_id",
            "Alex Morgan",
            "Sam Lee",
        )
        assert old["id"] != new["id"]
        assert [d.id for d in audits.list_drafts(alex, auditor=alex.me)] == []
    finally:
        alex.db.dispose()
        sam.db.dispose()


# --- PostgreSQL: one login per person -------------------------------------------------------

GRANTS = """
GRANT CONNECT ON DATABASE "{db}" TO {role};
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
"""


@pytest.mark.postgres
def test_each_postgresql_login_is_its_person(pg_server: PgServer) -> None:
    owner_url = pg_server.create_database()
    name = make_url(owner_url).database
    admin = session(owner_url, "Setup Admin")
    add_team(admin, "North")
    staff.add_person(admin, "Alex Morgan", "North", manager=True, login="alex_login")
    staff.add_person(admin, "Sam Lee", "North", auditor=True, login="sam_login")
    admin.db.dispose()
    dsn = f"host=127.0.0.1 port={pg_server.port} user={pg_server.user} dbname={name}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        for role in ("alex_login", "sam_login"):
            if (
                conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
                is None
            ):
                conn.execute(f"CREATE ROLE {role} LOGIN")  # type: ignore[arg-type]
            for statement in GRANTS.format(db=name, role=role).strip().splitlines():
                conn.execute(statement)  # type: ignore[arg-type]

    def url_as(role: str) -> str:
        return make_url(owner_url).set(username=role).render_as_string(hide_password=False)

    alex = session(url_as("alex_login"))  # no --user at all: the login decides
    sam = session(url_as("sam_login"), "Sam Lee")  # naming oneself is fine
    try:
        assert alex.identity is not None and alex.identity.proven
        assert (alex.me, sam.me) == ("Alex Morgan", "Sam Lee")
        audits.start_audit(alex, new_audit("CMS-1", alex.me))
        audits.start_audit(sam, new_audit("CMS-2", sam.me))
        recorded = actors(alex)
        assert "Alex Morgan (login alex_login)" in recorded
        assert "Sam Lee (login sam_login)" in recorded
    finally:
        alex.db.dispose()
        sam.db.dispose()

    # Naming the other person is refused, in one line, whichever way round.
    for role, other in (("alex_login", "Sam Lee"), ("sam_login", "Alex Morgan")):
        with pytest.raises(UserError) as info:
            session(url_as(role), other)
        message = str(info.value)
        assert "\n" not in message and f"logs in as '{role}'" in message
        with pytest.raises(UserError, match="connect with another login"):
            ctx = session(url_as(role))
            try:
                link_identity(ctx, other)
            finally:
                ctx.db.dispose()
