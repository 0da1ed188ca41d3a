"""Engine and session factory. SQLite by default (WAL, foreign keys, busy timeout, writes that
take the lock up front); any SQLAlchemy URL, PostgreSQL (psycopg 3) included."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError

BUSY_TIMEOUT_MS = 10_000
WRITE_RETRIES = 8


class DatabaseUnavailable(UserError):
    pass


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


class Database:
    """One database: a reading engine and a writing engine (the same one on PostgreSQL)."""

    def __init__(self, url: str) -> None:
        try:
            self.url = make_url(url)
        except ArgumentError:
            # A plain file name is the likeliest slip: show the URL that was meant.
            hint = f" (for a SQLite file: sqlite:///{Path(url).expanduser().absolute()})"
            raise DatabaseUnavailable(
                f"--db '{url}': not a database URL{hint if '://' not in url else ''}"
            ) from None
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.path = self._sqlite_path()
            self.engine = self._sqlite_engine(immediate=False)
            self.write_engine = self._sqlite_engine(immediate=True)
        else:
            self.path = None
            try:
                # UTC sessions: stored times read back the same on every client.
                self.engine = create_engine(
                    self.url, pool_pre_ping=True, connect_args={"options": "-c timezone=utc"}
                )
            except Exception as exc:  # a driver that is not installed, a bad option
                raise DatabaseUnavailable(f"--db {self.safe_url}: {exc}") from None
            self.write_engine = self.engine

    @property
    def safe_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def _sqlite_path(self) -> Path | None:
        database = self.url.database
        if not database or database == ":memory:":
            return None
        path = Path(database).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where a folder should be, no permission, ...
            raise DatabaseUnavailable(
                f"{path}: cannot create its folder {path.parent} ({exc.strerror})"
            ) from None
        return path

    def _sqlite_engine(self, *, immediate: bool) -> Engine:
        engine = create_engine(
            self.url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            # Let SQLAlchemy's begin event issue BEGIN, so writes can take the lock at once.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA journal_mode = WAL")
            # FULL: an answer shown as saved survives a power cut, not only a crash.
            cur.execute("PRAGMA synchronous = FULL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # A writer takes the write lock before reading, so it never fails half-way
            # with SQLITE_BUSY when upgrading a read lock.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = Session(self.engine, expire_on_commit=False)
        try:
            with session.begin():
                yield session
        except DatabaseError as exc:
            raise self._translate(exc) from None
        finally:
            session.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One short transaction; commits on success. On SQLite the lock is taken at BEGIN
        and a busy database is retried, so "database is locked" never reaches the user."""
        session = Session(self.write_engine, expire_on_commit=False)
        delay = 0.05
        for attempt in range(WRITE_RETRIES):
            try:
                session.begin()
                session.connection()
                break
            except OperationalError as exc:
                session.rollback()
                if not _is_busy(exc) or attempt == WRITE_RETRIES - 1:
                    session.close()
                    raise self._translate(exc) from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
            except DatabaseError as exc:
                session.close()
                raise self._translate(exc) from None
        try:
            yield session
            session.commit()
        except DatabaseError as exc:
            session.rollback()
            raise self._translate(exc) from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _translate(self, exc: DatabaseError) -> UserError:
        lines = [
            ln for ln in str(exc.orig if exc.orig is not None else exc).splitlines() if ln.strip()
        ]
        text = lines[0].strip() if lines else exc.__class__.__name__
        where = str(self.path) if self.path else self.safe_url
        if "file is not a database" in text or "file is encrypted" in text:
            return DatabaseUnavailable(f"{where}: not an audit-tui database (file is not SQLite)")
        if "malformed" in text:
            return DatabaseUnavailable(f"{where}: the database file is damaged ({text})")
        if _is_busy(exc):
            return DatabaseUnavailable(f"{where}: the database stayed busy; try again")
        if isinstance(exc, OperationalError):
            return DatabaseUnavailable(f"{where}: cannot use the database ({text})")
        return UserError(f"{where}: the database refused the change ({text})")

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()
