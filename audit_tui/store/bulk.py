"""Bulk loading for generated data (the demo and the benchmarks' databases): whole tables of
rows in a few statements, ids given by the caller, and SQLite's quick commits while it runs.
Real work never comes this way: it goes through the services, a row at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, event, func, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit_tui.store.models import Answer, Base

ANSWER_COLUMNS = (
    "id",
    "audit_id",
    "question_id",
    "section_id",
    "kind",
    "counted",
    "answer",
    "points",
    "weight",
    "critical",
    "note",
    "na_reason",
    "answered_at",
    "updated_at",
)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)  # every model here maps one table
    return table


def next_id(session: Session, model: type[Base]) -> int:
    """The first id after those the model's table holds."""
    return (session.execute(select(func.max(_table(model).c.id))).scalar() or 0) + 1


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """One executemany for rows that all carry every column: the ORM's bulk path would split
    them by which values are None and issue thousands of small statements."""
    if rows:
        session.execute(insert(_table(model)), list(rows))


def insert_answers(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Answers (ANSWER_COLUMNS order) are nearly all the rows (40 an audit), so they skip
    SQLAlchemy's per-row parameter processing: COPY on PostgreSQL, one plain executemany on
    SQLite."""
    if not rows:
        return
    conn = session.connection()
    columns = ", ".join(ANSWER_COLUMNS)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # psycopg's cursor has copy(); the DB-API protocol SQLAlchemy types it with does not
        cursor: Any = raw.cursor()
        # not translated: SQL
        with cursor, cursor.copy(f"COPY answers ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    elif conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(ANSWER_COLUMNS))
        # not translated: SQL
        conn.exec_driver_sql(f"INSERT INTO answers ({columns}) VALUES ({marks})", rows)
    else:
        insert_rows(session, Answer, [dict(zip(ANSWER_COLUMNS, r, strict=True)) for r in rows])


def move_sequences(session: Session, *models: type[Base]) -> None:
    """Ids were given explicitly: on PostgreSQL move each sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = _table(model).name
        session.execute(
            text(
                # not translated: SQL
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


@contextmanager
def quick_commits(engine: Engine, is_sqlite: bool) -> Iterator[None]:
    """While generated data is written, SQLite commits without waiting for the disk (WAL with
    synchronous=NORMAL: never corrupt, but a power cut may lose the last few commits - of
    made-up data, which is simply made again). Real work keeps synchronous=FULL."""
    if not is_sqlite:
        yield
        return

    def relax(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA synchronous = NORMAL")  # not translated: SQL

    event.listen(engine, "connect", relax)
    engine.dispose()  # pooled connections were opened with FULL
    try:
        yield
    finally:
        event.remove(engine, "connect", relax)
        engine.dispose()
