"""Create and upgrade the schema with Alembic; refuse a database newer than this code."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DatabaseError

from audit_tui.store.database import Database, DatabaseUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DatabaseError as exc:
        raise db._translate(exc) from None


def check_not_newer(db: Database) -> str | None:
    """The database's revision, refusing one this code does not know."""
    current = current_revision(db)
    if current is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception:
        where = db.path or db.safe_url
        raise DatabaseUnavailable(
            f"{where}: the database was written by a newer audit-tui (schema {current}); "
            "upgrade audit-tui before opening it"
        ) from None
    return current


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision`, creating it on an empty database."""
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
                raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, revision)
                    if raw is not None:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                        if broken is not None:
                            where = db.path or db.safe_url
                            raise DatabaseUnavailable(
                                f"{where}: upgrade abandoned, table {broken[0]} would hold a row "
                                f"pointing at a missing {broken[2]} row"
                            )
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys = ON")
    except DatabaseError as exc:
        raise db._translate(exc) from None


def open_database(url: str) -> Database:
    """The one way the app opens a database: connect, refuse newer schemas, migrate."""
    db = Database(url)
    upgrade(db)
    return db
