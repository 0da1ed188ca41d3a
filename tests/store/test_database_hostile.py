"""Opening a database that is not what it should be: a malformed URL, another program's SQLite
file, a hand-edited version table, a full disk, a PostgreSQL statement that runs too long. Each
is one line naming the database, and nothing in it is changed."""

from __future__ import annotations

import gc
import hashlib
import sqlite3
import sys
import types
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import event, text

from audit_tui.domain.errors import UserError
from audit_tui.export.files import discard_write_only, save_to
from audit_tui.store.database import Database, DatabaseUnavailable
from audit_tui.store.migrate import current_revision, open_database
from audit_tui.store.models import Team

# --- URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://u@[::1:bad/x",
            "--db 'postgresql://u@[::1:bad/x': not a database URL (the host or port cannot be read)",
        ),
        (
            "postgresql+psycopg://qa:s3cret@db.example:port/audits",
            "--db 'postgresql+psycopg://qa:***@db.example:port/audits': not a database URL "
            "(the host or port cannot be read)",
        ),
        (
            "postgresql://qa:s3cret@[::1/x",
            "--db 'postgresql://qa:***@[::1/x': not a database URL (the host or port cannot be "
            "read)",
        ),
    ],
)
def test_a_malformed_url_is_one_line_without_its_password(url: str, expected: str) -> None:
    with pytest.raises(DatabaseUnavailable) as info:
        Database(url)
    assert str(info.value) == expected


# --- another program's SQLite file ----------------------------------------------------------


def _foreign(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('A. Person', '01234')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    # Before: its journal was switched to WAL and audit-tui's tables were created in it.
    path = tmp_path / "contacts.db"
    before = _foreign(path)
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(f"sqlite:///{path}")
    assert str(info.value) == (
        f"{path}: not an audit-tui database (it is another program's SQLite database, with "
        "tables contacts); it was left as it was"
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.db"]  # no -wal, no -shm
    journal = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "delete"


def test_an_empty_file_is_still_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    db = open_database(f"sqlite:///{path}")
    assert current_revision(db) is not None
    db.dispose()


# --- the version table ----------------------------------------------------------------------


def test_two_rows_in_alembic_version_are_one_line(db_url: str) -> None:
    db = open_database(db_url)
    head = current_revision(db)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version VALUES ('0003_finalised_at_index')"))
    db.dispose()
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(db_url)
    where = db.path or db.safe_url
    assert str(info.value) == (
        f"{where}: the schema version table (alembic_version) holds 2 rows ({head}, "
        "0003_finalised_at_index); it must hold exactly one: the database was changed by hand, "
        "so restore a backup or ask your DBA"
    )


def test_an_emptied_version_table_beside_the_tables_is_one_line(db_url: str) -> None:
    db = open_database(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    db.dispose()
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(db_url)
    assert "the schema version table (alembic_version) is empty though the database has " in str(
        info.value
    )


# --- a full disk ----------------------------------------------------------------------------


def test_sqlite_full_is_named_as_a_full_disk(tmp_path: Path) -> None:
    """SQLITE_FULL, made real by a page limit (a full disk without needing one)."""
    db = open_database(f"sqlite:///{tmp_path / 'a.db'}")

    @event.listens_for(db.write_engine, "connect")
    def _small(dbapi_conn: Any, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    db.write_engine.dispose()
    with pytest.raises(DatabaseUnavailable) as info, db.write() as s:
        s.add_all(Team(name=f"Team {i} " + "x" * 100) for i in range(2000))
    assert str(info.value) == (
        f"{tmp_path / 'a.db'}: the disk is full: free some space and try again (nothing was saved)"
    )
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM teams")).scalar_one() == 0
    db.dispose()


def test_a_failed_save_on_a_full_device_prints_nothing_afterwards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """/dev/full refuses every write with ENOSPC, as a full disk does. openpyxl's zip writer,
    left behind by the failure, must not print 'Exception ignored in ZipFile.__del__'."""
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(repr(u.exc_value)))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Rows")
    for i in range(5000):
        ws.append([i, hashlib.sha256(str(i).encode()).hexdigest()])
    with pytest.raises(OSError) as info:
        save_to(Path("/dev/full"), wb.save)
    assert info.value.errno == 28  # ENOSPC
    discard_write_only(wb)  # as the export does after a failure (export/workbook.py)
    # The workbook and its sheet hold each other, so only a collection frees them (and the
    # sheet's unfinished row generators): done here, under this test's hook, rather than at
    # some later test's moment (once inside a later test's `ast.parse`, which CPython 3.11.7
    # then failed with "AST constructor recursion depth mismatch").
    del info, ws, wb
    gc.collect()
    assert unraisable == []
    assert not [
        g
        for g in gc.get_objects()
        if isinstance(g, types.GeneratorType)
        and g.gi_frame is not None
        and "openpyxl" in g.gi_code.co_filename
    ]


# --- PostgreSQL timeouts ----------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_sessions_carry_the_statement_timeout(pg_server: Any) -> None:
    db = Database(pg_server.create_database(), statement_timeout=0.5)
    with db.read() as s:
        assert s.execute(text("SHOW statement_timeout")).scalar_one() == "500ms"
    with pytest.raises(UserError) as info, db.read() as s:
        s.execute(text("SELECT pg_sleep(5)"))
    assert str(info.value) == (
        f"{db.safe_url}: the server took longer than 0.5 seconds to answer "
        "(setting pg_statement_timeout); nothing was saved"
    )
    db.dispose()
