"""`audit-tui db upgrade|backup|verify` through the real entry point."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from audit_tui.cli import main
from audit_tui.demo import generate_demo
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.store.migrate import head_revision
from tests.conftest import make_context

TABLES = ("teams", "workers", "cases", "audits", "answers", "events", "alembic_version")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """audit_tui.cli.main in process: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def sql(path: Path, *statements: str) -> Any:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        result = None
        for statement in statements:
            result = conn.execute(statement).fetchall()
        return result
    finally:
        conn.close()


@pytest.fixture
def audited(tmp_path: Path, registry: FrameworkRegistry) -> Path:
    """A SQLite database holding a little demo data: finalised audits and their log."""
    path = tmp_path / "audits.db"
    ctx = make_context(f"sqlite:///{path}", registry)
    try:
        generate_demo(ctx, audits=40, seed=3, drafts=2)
    finally:
        ctx.db.dispose()
    return path


# --- upgrade -------------------------------------------------------------------------------


def test_upgrade_creates_a_new_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new" / "audits.db"
    code, out, err = run(capsys, "--db", f"sqlite:///{path}", "db", "upgrade")
    assert (code, err) == (0, "")
    first, key, backup = out.splitlines()
    assert first == f"{path}: schema upgraded from empty to {head_revision()}"
    # The database's log key, made by its first write, and where it is.
    assert key.startswith(f"{path}: log key fingerprint ") and key.endswith(".key")
    assert backup.startswith(f"{path}: Back it up apart from the database's backups.")
    assert sql(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert sql(path, "PRAGMA integrity_check") == [("ok",)]
    code, out, _ = run(capsys, "--db", f"sqlite:///{path}", "db", "upgrade")
    assert code == 0 and "schema is up to date" in out


def test_upgrade_refuses_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Team meeting notes\n" * 200)
    code, out, err = run(capsys, "--db", f"sqlite:///{path}", "db", "upgrade")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "not an audit-tui database" in err
    assert path.read_text() == "Team meeting notes\n" * 200


def test_upgrade_refuses_a_newer_database(
    audited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql(audited, "UPDATE alembic_version SET version_num = '0999'")
    code, _, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "upgrade")
    assert code == 2 and "written by a newer audit-tui (schema 0999)" in err
    assert err.count("\n") == 1


# --- backup --------------------------------------------------------------------------------


def test_backup_is_a_valid_copy(
    audited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "backup.db"
    code, out, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "backup", str(target))
    assert (code, err) == (0, "")
    assert out.strip() == f"backed up to {target}"
    assert sql(target, "PRAGMA integrity_check") == [("ok",)]
    assert counts(target) == counts(audited)
    assert counts(target)["answers"] > 0
    assert not target.with_name("backup.db.partial").exists()
    # The copy is a working database: its log still verifies.
    code, out, _ = run(capsys, "--db", f"sqlite:///{target}", "db", "verify")
    assert code == 0 and out.startswith("OK")


def test_backup_takes_a_consistent_snapshot_while_someone_writes(
    audited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(audited)
    writer = sqlite3.connect(audited, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM answers")  # not committed when the backup runs
        target = tmp_path / "snapshot.db"
        code, _, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "backup", str(target))
        assert (code, err) == (0, "")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert counts(target) == before


def test_backup_does_not_overwrite_without_force(
    audited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "backup.db"
    target.write_bytes(b"yesterday's backup")
    code, out, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "backup", str(target))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "already exists (use --force" in err
    assert target.read_bytes() == b"yesterday's backup"

    code, _, err = run(
        capsys, "--db", f"sqlite:///{audited}", "db", "backup", str(target), "--force"
    )
    assert (code, err) == (0, "")
    assert counts(target) == counts(audited)


def test_backup_into_a_missing_folder_is_refused(
    audited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "backup.db"
    code, _, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "backup", str(target))
    assert code == 2 and "does not exist" in err
    assert not target.parent.exists()


@pytest.mark.postgres
def test_backup_of_postgresql_points_to_pg_dump(
    pg_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_server.create_database()
    code, _, err = run(capsys, "--db", url, "db", "backup", str(tmp_path / "b.db"))
    assert code == 2 and "pg_dump" in err
    assert not (tmp_path / "b.db").exists()


# --- verify --------------------------------------------------------------------------------


def test_verify_passes_on_an_untouched_database(
    audited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "verify")
    assert (code, err) == (0, "")
    assert out.startswith(f"OK: {counts(audited)['events']} log entries checked")
    assert "38 finalised audits compared with the log" in out


def _finalised_yes(path: Path) -> tuple[int, int, str]:
    """(answer id, audit id, question id) of a 'yes' answer in a finalised audit."""
    return sql(
        path,
        "SELECT an.id, an.audit_id, an.question_id FROM answers an JOIN audits a "
        "ON a.id = an.audit_id WHERE a.status = 'finalised' AND an.answer = 'yes' "
        "ORDER BY an.id LIMIT 1",
    )[0]


def test_verify_detects_a_changed_answer(audited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer_id, audit_id, qid = _finalised_yes(audited)
    sql(audited, f"UPDATE answers SET answer = 'no', points = 0 WHERE id = {answer_id}")
    code, out, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "verify")
    assert code == 1
    assert f"audit {audit_id}: question {qid} is 'no' but the log says 'yes'" in err
    # ... and the audit's stored figures are no longer those of its answers, scored against
    # its own framework version.
    assert f"audit {audit_id}: its figures (" in err
    assert "scored against its own framework version" in err
    assert out.startswith("2 problem(s)")


def test_verify_detects_a_removed_answer(audited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer_id, audit_id, qid = _finalised_yes(audited)
    sql(audited, f"DELETE FROM answers WHERE id = {answer_id}")
    code, _, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "verify")
    assert code == 1
    assert f"audit {audit_id}: question {qid} is 'None' but the log says 'yes'" in err


def test_verify_detects_a_changed_log_entry(
    audited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = sql(audited, "SELECT min(id) FROM events WHERE action = 'finalise'")[0][0]
    # The log refuses changes: a tamperer has to drop the guard first.
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sql(audited, f"UPDATE events SET actor = 'someone else' WHERE id = {event}")
    sql(
        audited,
        "DROP TRIGGER events_no_update",
        f"UPDATE events SET new_value = replace(new_value, '\"yes\"', '\"no\"') WHERE id = {event}",
    )
    code, out, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "verify")
    assert code == 1
    assert f"event {event}: its content does not match its hash (the row was changed)" in err
    assert "the event log's append-only trigger events_no_update is missing" in err
    assert "problem(s)" in out


def test_verify_detects_a_removed_log_entry(
    audited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event, audit_id = sql(
        audited, "SELECT id, audit_id FROM events WHERE action = 'finalise' ORDER BY id LIMIT 1"
    )[0]
    sql(audited, "DROP TRIGGER events_no_delete", f"DELETE FROM events WHERE id = {event}")
    code, _, err = run(capsys, "--db", f"sqlite:///{audited}", "db", "verify")
    assert code == 1
    assert f"event {event + 1}: does not follow the entry before it" in err
    assert f"audit {audit_id}: the log says draft, but it is a finalised" in err
