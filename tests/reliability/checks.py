"""Reading a database back after a crash or a backup: answers, SQLite health, the log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.context import AppContext
from audit_tui.services.integrity import verify_database
from audit_tui.store.database import Database
from tests.reliability.procs import Key


def stored_answers(path: Path) -> dict[Key, str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT audit_id, question_id, answer FROM answers WHERE kind = 'original'"
        ).fetchall()
        return {(a, q): ans for a, q, ans in rows}
    finally:
        conn.close()


def sqlite_health(path: Path) -> tuple[list[str], list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        return integrity, orphans
    finally:
        conn.close()


def log_problems(url: str) -> list[str]:
    db = Database(url)
    try:
        return verify_database(AppContext(db=db, frameworks=FrameworkRegistry({}))).problems
    finally:
        db.dispose()
