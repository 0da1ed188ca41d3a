"""The benchmark databases: `audit-tui demo` data (audit_tui.demo.generate_demo) of N finalised
case-file audits, cached under bench/data/ by size, seed, schema revision and framework hash.

SQLite files are generated; the PostgreSQL databases are loaded from the same SQLite file with
COPY, so both backends hold exactly the same rows (and PostgreSQL's load costs a copy, not a
second generation).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.context import AppContext
from audit_tui.store.migrate import head_revision, open_database

DATA = Path(__file__).resolve().parent / "data"
TODAY = date(2026, 11, 20)  # fixed, so a cached database means the same periods every run
FRAMEWORK = "case-file"


def registry() -> FrameworkRegistry:
    return FrameworkRegistry.from_dirs([builtin_frameworks_dir()])


def context(url: str, reg: FrameworkRegistry | None = None) -> AppContext:
    return AppContext(
        db=open_database(url), frameworks=reg or registry(), actor="bench", today=lambda: TODAY
    )


def cache_key(audits: int, seed: int) -> str:
    from audit_tui.demo import FORMAT

    fw_hash = registry().get(FRAMEWORK).content_hash[:8]
    return f"{audits}-s{seed}-r{head_revision()}-f{fw_hash}-d{FORMAT}"


@dataclass
class Built:
    path: Path
    seconds: float | None  # None: taken from the cache


def sqlite_db(audits: int, seed: int, log: callable) -> Built:  # type: ignore[valid-type]
    """The SQLite file for `audits` finalised audits, generated unless cached."""
    from audit_tui.demo import generate_demo

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"sqlite-{cache_key(audits, seed)}.db"
    if path.exists():
        return Built(path, None)
    tmp = path.with_suffix(".part.db")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    log(f"generating {audits:,} audits (SQLite) ...")
    started = time.perf_counter()
    ctx = context(f"sqlite:///{tmp}")
    generate_demo(ctx, audits=audits, seed=seed, drafts=0)
    ctx.db.dispose()
    # No ANALYZE: the app never runs it, so users' files have no planner statistics either.
    with sqlite3.connect(tmp) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    seconds = time.perf_counter() - started
    tmp.rename(path)
    for p in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    log(f"  {audits:,} audits generated in {seconds:.1f} s")
    return Built(path, seconds)


def pg_db(
    server, sqlite_path: Path, audits: int, seed: int, log: callable
) -> tuple[str, float | None]:  # type: ignore[no-untyped-def,valid-type]
    """A database on the kept PostgreSQL server with the rows of `sqlite_path`."""
    name = "b_" + cache_key(audits, seed).replace("-", "_").lower()
    if name in server.databases():
        return server.url(name), None
    log(f"loading {audits:,} audits into PostgreSQL ...")
    started = time.perf_counter()
    loading = name + "_loading"
    server.create(loading)
    db = open_database(server.url(loading))  # the schema, by the migrations
    db.dispose()
    copy_sqlite_to_pg(sqlite_path, server.dsn(loading))
    import psycopg

    with psycopg.connect(server.dsn("postgres"), autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{loading}" RENAME TO "{name}"')
    seconds = time.perf_counter() - started
    log(f"  loaded in {seconds:.1f} s")
    return server.url(name), seconds


def copy_sqlite_to_pg(sqlite_path: Path, dsn: str) -> None:
    import psycopg

    from audit_tui.store.models import Base

    src = sqlite3.connect(sqlite_path)
    try:
        with psycopg.connect(dsn) as pg:
            pg.execute("SET timezone = 'UTC'")
            # Rows are copied whole and consistent: skip per-row foreign key triggers.
            pg.execute("SET session_replication_role = replica")
            for table in Base.metadata.sorted_tables:
                cols = ", ".join(c.name for c in table.columns)
                with (
                    pg.cursor() as cur,
                    cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as copy,
                ):
                    for row in src.execute(f"SELECT {cols} FROM {table.name}"):
                        copy.write_row(row)
                if "id" in table.columns:
                    pg.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
                    )
            pg.commit()
        with psycopg.connect(dsn, autocommit=True) as pg:
            pg.execute("VACUUM ANALYZE")
    finally:
        src.close()
