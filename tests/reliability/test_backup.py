"""`audit-tui db backup` while another process keeps recording answers: the copy is a sound,
consistent snapshot holding every answer the writer had reported saved before the backup
began (a plain copy of the file would miss what still sits in the -wal file)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.reliability.checks import log_problems, sqlite_health, stored_answers
from tests.reliability.procs import ForkServer, Key, WriterReport, wait_for_line

PADDING_MB = 5  # several backup steps of 1024 pages, with the writer committing in between


def _pad(path: Path) -> None:
    """Make the database big enough that the backup API copies it in several steps."""
    # The writer holds the write lock for its commits; on a loaded machine a commit can take
    # longer than sqlite3's default 5 s wait, which failed this helper, not the backup.
    conn = sqlite3.connect(path, timeout=60)
    conn.execute("CREATE TABLE padding (blob BLOB)")
    conn.executemany("INSERT INTO padding VALUES (randomblob(65536))", [()] * (PADDING_MB * 16))
    conn.commit()
    conn.close()


def _wait_for_more_saved(out: Path, pid: int, n: int) -> None:
    wait_for_line(out, "ready", pid)
    start = len(WriterReport.parse(out).saved)
    deadline = time.monotonic() + 60
    while len(WriterReport.parse(out).saved) < start + n:
        assert time.monotonic() < deadline, "the writer saved too little"
        time.sleep(0.02)


@pytest.mark.slow
def test_backup_while_another_process_writes(tmp_path: Path, forks: ForkServer) -> None:
    path = tmp_path / "audits.db"
    url = f"sqlite:///{path}"
    copy = tmp_path / "backup" / "audits-copy.db"
    copy.parent.mkdir()
    out = tmp_path / "writer.out"

    pid = forks.start_writer(url, out, "--actor", "busy", "--audits", "12", "--seed", "7")
    try:
        _wait_for_more_saved(out, pid, 10)
        _pad(path)  # its big commit checkpoints the -wal file into the database file
        # These answers are only in the -wal file now: a plain copy of audits.db misses them.
        _wait_for_more_saved(out, pid, 30)
        before = WriterReport.parse(out)  # all it had reported saved when the backup began
        result = forks.cli("db", "backup", str(copy), home=tmp_path / "home", db_url=url)
        after_backup = len(WriterReport.parse(out).saved)
    finally:
        forks.kill(pid)
    assert result.returncode == 0, result.stderr
    assert after_backup > len(before.saved), "the writer was not writing during the backup"

    everything = WriterReport.parse(out)
    integrity, orphans = sqlite_health(copy)
    assert integrity == ["ok"] and orphans == []
    in_copy = stored_answers(copy)
    for key, value in before.last_saved().items():
        # The reported value, or one the writer tried later (the copy may be newer).
        later = _values_tried_from(everything, key, len(before.saved))
        assert in_copy.get(key) in {value, *later}, (
            f"audit {key[0]} question {key[1]} was saved as {value} before the backup; "
            f"the copy has {in_copy.get(key)}"
        )
    # A consistent snapshot: its answers are exactly what its own log says.
    assert log_problems(f"sqlite:///{copy}") == []
    _answers_match_their_log(copy)
    assert not copy.with_name(copy.name + ".partial").exists()


def _values_tried_from(report: WriterReport, key: Key, start: int) -> set[str]:
    tried = {v for a, q, v in report.saved[start:] if (a, q) == key}
    if report.in_flight is not None and report.in_flight[:2] == key:
        tried.add(report.in_flight[2])
    return tried


def _answers_match_their_log(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        logged: dict[Key, str] = {}
        for audit_id, qid, value in conn.execute(
            "SELECT audit_id, field, new_value FROM events WHERE action = 'answer' ORDER BY id"
        ):
            logged[(audit_id, qid)] = value
    finally:
        conn.close()
    assert stored_answers(path) == logged
