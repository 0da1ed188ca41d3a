"""The PostgreSQL set-up the deployment guide recommends (docs/reliability-and-privacy.md): one
role owns the schema and runs upgrades; auditors connect as a role that may read and write
rows but not change the schema. Such a role can use the whole tool, yet cannot drop the
event log's append-only trigger, nor change or delete a log entry."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError

from audit_tui.services import audits
from audit_tui.services.integrity import verify_database
from audit_tui.services.schemas import Amend
from tests.pg_server import PgServer
from tests.reliability.seed import context, finalised

GRANTS = """
GRANT CONNECT ON DATABASE "{db}" TO qa_app;
GRANT USAGE ON SCHEMA public TO qa_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO qa_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO qa_app;
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM qa_app;
"""


@pytest.mark.postgres
def test_app_role_works_but_cannot_touch_the_log(pg_server: PgServer) -> None:
    owner_url = pg_server.create_database()  # the test server's superuser stands for the owner
    name = make_url(owner_url).database
    context(owner_url).db.dispose()  # `audit-tui db upgrade`, run as the owner
    dsn = f"host=127.0.0.1 port={pg_server.port} user={pg_server.user} dbname={name}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'qa_app'").fetchone() is None:
            conn.execute("CREATE ROLE qa_app LOGIN")
        for statement in GRANTS.format(db=name).strip().splitlines():
            conn.execute(statement)  # type: ignore[arg-type]

    app_url = make_url(owner_url).set(username="qa_app").render_as_string(hide_password=False)
    ctx = context(app_url, actor="Ann Auditor")
    audit_id = finalised(ctx, "ROLE-1")
    audits.amend(ctx, audit_id, Amend(reason="visit note found", question_id="M-03", answer="no"))
    assert verify_database(ctx).problems == []

    for statement, refusal in [
        ("DROP TRIGGER events_append_only ON events", "must be owner"),
        ("UPDATE events SET new_value = 'yes'", "permission denied"),
        ("DELETE FROM events", "permission denied"),
        ("ALTER TABLE answers DROP CONSTRAINT ck_answers_points_in_range", "must be owner"),
    ]:
        with pytest.raises(DBAPIError) as info, ctx.db.write_engine.begin() as conn:
            conn.execute(text(statement))
        assert refusal in str(info.value.orig), statement
    ctx.db.dispose()


@pytest.mark.postgres
def test_verify_names_a_role_that_may_still_change_the_log(pg_server: PgServer) -> None:
    """The REVOKE forgotten: `db verify` names the role and the statement that fixes it."""
    owner_url = pg_server.create_database()
    name = make_url(owner_url).database
    ctx = context(owner_url, actor="Ann Auditor")
    finalised(ctx, "ROLE-2")
    dsn = f"host=127.0.0.1 port={pg_server.port} user={pg_server.user} dbname={name}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'qa_app'").fetchone() is None:
            conn.execute("CREATE ROLE qa_app LOGIN")
        for statement in GRANTS.format(db=name).strip().splitlines()[:-1]:  # no REVOKE
            conn.execute(statement)  # type: ignore[arg-type]
    problems = verify_database(ctx).problems
    assert problems == [
        "role qa_app may DELETE log entries (REVOKE UPDATE, DELETE, TRUNCATE ON events FROM qa_app)",
        "role qa_app may UPDATE log entries (REVOKE UPDATE, DELETE, TRUNCATE ON events FROM qa_app)",
    ]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("REVOKE UPDATE, DELETE, TRUNCATE ON events FROM qa_app")
    assert verify_database(ctx).problems == []
    ctx.db.dispose()
