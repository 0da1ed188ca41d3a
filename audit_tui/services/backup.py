"""Online backup of a SQLite database (a plain copy of a file in use is not a backup)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from audit_tui.domain.errors import UserError
from audit_tui.domain.files import os_reason
from audit_tui.i18n import _
from audit_tui.store.database import Database, disk_is_full


def backup_sqlite(db: Database, target: Path, *, overwrite: bool = False) -> None:
    if not db.is_sqlite or db.path is None:
        raise UserError(
            _("db backup copies SQLite files; for PostgreSQL use pg_dump on the server")
        )
    if target.exists() and not overwrite:
        raise UserError(_("{path}: already exists (use --force to replace it)").format(path=target))
    if not target.parent.is_dir():
        raise UserError(
            _("{path}: folder {folder} does not exist").format(path=target, folder=target.parent)
        )
    partial = target.with_name(target.name + ".partial")
    try:
        src = sqlite3.connect(str(db.path), timeout=30)
        try:
            dst = sqlite3.connect(str(partial))
            try:
                # The backup API copies a consistent snapshot while other processes write.
                src.backup(dst, pages=1024)
                ok = dst.execute("PRAGMA integrity_check").fetchone()[0]  # not translated: SQL
            finally:
                dst.close()
        finally:
            src.close()
        if ok != "ok":
            raise UserError(
                _("{path}: the backup failed its integrity check ({problem})").format(
                    path=target, problem=ok
                )
            )
        os.replace(partial, target)
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or disk_is_full(target.parent):
            raise UserError(
                _("{path}: backup failed: the disk is full").format(path=target)
            ) from None
        raise UserError(
            _("{path}: backup failed ({problem})").format(path=target, problem=exc)
        ) from None
    except OSError as exc:
        raise UserError(
            _("{path}: cannot write ({reason})").format(path=target, reason=os_reason(exc))
        ) from None
    finally:
        partial.unlink(missing_ok=True)
