"""Create and upgrade the schema with Alembic; refuse a database newer than this code.

Alembic is imported only when there is something to do: opening an up-to-date database (every
start of the app) reads the stored revision and the migration files' own text instead, which
saves a third of the start-up time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from audit_tui.i18n import _, ngettext
from audit_tui.store.database import Database, DatabaseUnavailable
from audit_tui.store.schema_head import MIGRATIONS, head_from_files

if TYPE_CHECKING:
    from alembic.config import Config



def _up_to_date(db: Database) -> bool:
    """Whether the database is already at the head revision, found without Alembic. Any doubt
    (no version table, a damaged file, several heads) says no: the full check then runs."""
    head = head_from_files()
    if head is None:
        return False
    try:
        conn = db.engine.connect()
    except DatabaseError as exc:
        # Cannot connect at all (a server that never answers): say so now, not after waiting
        # a second time for the full check.
        raise db._translate(exc) from None
    with conn:
        try:
            # not translated: SQL
            stored = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        except Exception:
            return False
    return [r[0] for r in stored] == [head]


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The stored schema revision; None for an empty database. The version table must hold
    exactly one row: anything else (two rows, or none beside audit-tui's tables) means it was
    changed by hand, and is refused in one line rather than guessed at."""
    try:
        with db.engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            if "alembic_version" not in tables:
                return None
            # not translated: SQL
            stored = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except DatabaseError as exc:
        raise db._translate(exc) from None
    if len(stored) == 1:
        return str(stored[0])
    if not stored and set(tables) <= {"alembic_version"}:
        return None
    where = db.path or db.safe_url
    if stored:
        message = ngettext(
            "{where}: the schema version table (alembic_version) holds {n} row ({rows}); it "
            "must hold exactly one: the database was changed by hand, so restore a backup or "
            "ask your DBA",
            "{where}: the schema version table (alembic_version) holds {n} rows ({rows}); it "
            "must hold exactly one: the database was changed by hand, so restore a backup or "
            "ask your DBA",
            len(stored),
        )
    else:
        message = _(
            "{where}: the schema version table (alembic_version) is empty though the database "
            "has tables; it must hold exactly one: the database was changed by hand, so restore "
            "a backup or ask your DBA"
        )
    raise DatabaseUnavailable(
        message.format(where=where, n=len(stored), rows=", ".join(map(str, stored[:5])))
    )


def check_not_newer(db: Database) -> str | None:
    """The database's revision, refusing one this code does not know."""
    from alembic.script import ScriptDirectory

    current = current_revision(db)
    if current is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception:
        where = db.path or db.safe_url
        raise DatabaseUnavailable(
            _(
                "{where}: the database was written by a newer audit-tui (schema {revision}); "
                "upgrade audit-tui before opening it"
            ).format(where=where, revision=current)
        ) from None
    return current


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision`, creating it on an empty database."""
    if revision == "head" and _up_to_date(db):
        return
    from alembic import command

    current = check_not_newer(db)
    if revision == "head" and current == head_revision():
        # Nothing to do: opening an up-to-date database must not wait for the write lock.
        return
    cfg = alembic_config()
    try:
        with db.write_engine.connect() as conn:
            raw = conn.connection.dbapi_connection if db.is_sqlite else None
            if raw is not None:
                # Batch mode rebuilds a table by copy, DROP and rename. With foreign keys on,
                # the DROP cascades: rebuilding `audits` would delete every answer. The pragma
                # only takes effect outside a transaction, so it is set before BEGIN.
                raw.execute("PRAGMA foreign_keys = OFF")  # not translated: SQL
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, revision)
                    if raw is not None:
                        # not translated: SQL
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                        if broken is not None:
                            where = db.path or db.safe_url
                            raise DatabaseUnavailable(
                                _(
                                    "{where}: upgrade abandoned, table {table} would hold a row "
                                    "pointing at a missing {parent} row"
                                ).format(where=where, table=broken[0], parent=broken[2])
                            )
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys = ON")  # not translated: SQL
    except DatabaseError as exc:
        raise db._translate(exc) from None


def open_database(
    url: str, *, connect_timeout: float = 10, statement_timeout: float = 120
) -> Database:
    """The one way the app opens a database: connect, refuse newer schemas, migrate."""
    db = Database(url, connect_timeout=connect_timeout, statement_timeout=statement_timeout)
    upgrade(db)
    return db
