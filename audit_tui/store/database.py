"""Engine and session factory. SQLite by default (WAL, foreign keys, busy timeout, writes that
take the lock up front); any SQLAlchemy URL, PostgreSQL (psycopg 3) included."""

from __future__ import annotations

import math
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.files import os_reason
from audit_tui.i18n import _, format_number

BUSY_TIMEOUT_MS = 10_000
WRITE_RETRIES = 8


class DatabaseUnavailable(UserError):
    pass


def _url_problem(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    if "invalid literal for int()" in text:  # not translated: SQLAlchemy's words matched
        return _("the host or port cannot be read")
    if text.startswith("Could not parse SQLAlchemy URL"):  # not translated: matched, as above
        return _("it does not read as scheme://user@host/name")
    return text


def _refuse_foreign(path: Path) -> None:
    """Refuse another program's SQLite file before anything is changed in it.

    Opening it as the tool does would switch it to WAL and create audit-tui's tables in it.
    The check reads it without writing (read-only, no journal change): an empty file or one
    that has no tables is a new database; one with an alembic_version table is audit-tui's
    (or is judged by its revision later); anything else is someone else's.
    """
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return
    except OSError:
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return  # the normal open names what is wrong with it
    try:
        tables = [
            r[0]
            for r in conn.execute(
                # not translated: SQL
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
    except sqlite3.Error:
        return  # not SQLite, damaged, encrypted: the normal open says so
    finally:
        conn.close()
    if tables and "alembic_version" not in tables:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise DatabaseUnavailable(
            _(
                "{path}: not an audit-tui database (it is another program's SQLite database, "
                "with tables {tables}); it was left as it was"
            ).format(path=path, tables=shown)
        )


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    # not translated: SQLite's own words, matched
    return "database is locked" in text or "database is busy" in text


def _hide_password(url: str) -> str:
    """A URL that could not be parsed, with anything that looks like a password masked."""
    return _PASSWORD_IN_URL.sub(r"\1***@", url)


_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def disk_is_full(folder: Path) -> bool:
    """Whether the disk holding `folder` has (next to) no space left for this user."""
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL
    except OSError:
        return False


_NEARLY_FULL = 1024 * 1024


class Database:
    """One database: a reading engine and a writing engine (the same one on PostgreSQL).

    On PostgreSQL, `connect_timeout` bounds the wait for a server to answer (one that accepts
    the connection and stays silent would otherwise hang every command) and
    `statement_timeout` how long the server lets one statement run; both in seconds, from
    settings (pg_connect_timeout, pg_statement_timeout).
    """

    def __init__(
        self, url: str, *, connect_timeout: float = 10, statement_timeout: float = 120
    ) -> None:
        try:
            self.url = make_url(url)
            self.url.get_backend_name()
        except (ArgumentError, ValueError) as exc:
            # A plain file name is the likeliest slip: show the URL that was meant.
            shown = _hide_password(url)
            if "://" in url:
                message = _("--db '{url}': not a database URL ({problem})").format(
                    url=shown, problem=_url_problem(exc)
                )
            else:
                message = _(
                    "--db '{url}': not a database URL (for a SQLite file: sqlite:///{path})"
                ).format(url=shown, path=Path(url).expanduser().absolute())
            raise DatabaseUnavailable(message) from None
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        # Where the event log's key is found (services.logkey attaches it): every session
        # this database opens carries the database in `info`, so writing a log entry finds
        # its key without another argument.
        self.keyring: Any = None
        # Run at the start of every write transaction, before anything is written (the
        # services make the log's key there, the first time, so it knows what came before).
        self.on_write: Callable[[Session], None] | None = None
        self.connect_timeout = connect_timeout
        self.statement_timeout = statement_timeout
        if self.is_sqlite:
            self.path = self._sqlite_path()
            self.engine = self._sqlite_engine(immediate=False)
            self.write_engine = self._sqlite_engine(immediate=True)
        else:
            self.path = None
            # UTC sessions: stored times read back the same on every client.
            options = f"-c timezone=utc -c statement_timeout={round(statement_timeout * 1000)}"
            try:
                self.engine = create_engine(
                    self.url,
                    pool_pre_ping=True,
                    connect_args={
                        "options": options,
                        # libpq counts whole seconds and waits at least two.
                        "connect_timeout": max(2, math.ceil(connect_timeout)),
                    },
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
                _("{path}: cannot create its folder {folder} ({reason})").format(
                    path=path, folder=path.parent, reason=os_reason(exc)
                )
            ) from None
        _refuse_foreign(path)
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
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # not translated: SQL
            cur.execute("PRAGMA foreign_keys = ON")  # not translated: SQL
            cur.execute("PRAGMA journal_mode = WAL")  # not translated: SQL
            # FULL: an answer shown as saved survives a power cut, not only a crash.
            cur.execute("PRAGMA synchronous = FULL")  # not translated: SQL
            cur.close()

        @event.listens_for(engine, "close")
        def _on_close(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            # SQLite's advice: PRAGMA optimize as each connection closes (dispose closes them
            # all). It gathers planner statistics for the tables this connection's queries
            # would have planned better with them; analysis_limit keeps it quick on a big file.
            try:
                dbapi_conn.execute("PRAGMA analysis_limit = 400")  # not translated: SQL
                dbapi_conn.execute("PRAGMA optimize")  # not translated: SQL
            except sqlite3.Error:
                pass  # read-only or busy: the statistics wait for a later close

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # A writer takes the write lock before reading, so it never fails half-way
            # with SQLITE_BUSY when upgrading a read lock.
            # not translated: SQL
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = Session(self.engine, expire_on_commit=False, info={"database": self})
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
        session = Session(self.write_engine, expire_on_commit=False, info={"database": self})
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
            if self.on_write is not None:
                self.on_write(session)
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
        code = str(getattr(exc.orig, "sqlite_errorname", ""))
        # SQLite's and the driver's own words (`text`) are matched and shown as they are.
        # not translated: SQLite's words, matched
        if "file is not a database" in text or "file is encrypted" in text:
            return DatabaseUnavailable(
                _("{where}: not an audit-tui database (the file is not SQLite)").format(where=where)
            )
        if "malformed" in text:
            return DatabaseUnavailable(
                _("{where}: the database file is damaged ({problem})").format(
                    where=where, problem=text
                )
            )
        if _is_busy(exc):
            return DatabaseUnavailable(
                _("{where}: the database stayed busy; try again").format(where=where)
            )
        # SQLite says "disk I/O error" when a full disk stops it writing its WAL or shared
        # memory file, and "database or disk is full" only sometimes: look at the disk.
        if code == "SQLITE_FULL" or (
            code.startswith("SQLITE_IOERR") and self.path and disk_is_full(self.path.parent)
        ):
            return DatabaseUnavailable(
                _(
                    "{where}: the disk is full: free some space and try again (nothing was saved)"
                ).format(where=where)
            )
        if not self.is_sqlite:
            timed_out = self._timeout_problem(exc, text)
            if timed_out:
                return DatabaseUnavailable(f"{where}: {timed_out}")
        if isinstance(exc, OperationalError):
            return DatabaseUnavailable(
                _("{where}: cannot use the database ({problem})").format(where=where, problem=text)
            )
        return UserError(
            _("{where}: the database refused the change ({problem})").format(
                where=where, problem=text
            )
        )

    def _timeout_problem(self, exc: DatabaseError, text: str) -> str | None:
        # not translated: libpq's and PostgreSQL's words, matched
        if "connection timeout expired" in text or "timeout expired" in text:
            return _(
                "the server did not answer within {seconds} seconds (setting "
                "pg_connect_timeout); check the server and the address"
            ).format(seconds=format_number(self.connect_timeout))
        if "statement timeout" in text:  # not translated: PostgreSQL's words, matched
            return _(
                "the server took longer than {seconds} seconds to answer (setting "
                "pg_statement_timeout); nothing was saved"
            ).format(seconds=format_number(self.statement_timeout))
        return None

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()
