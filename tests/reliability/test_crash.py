"""Crash safety: SIGKILL a process while it records answers, many times, at random moments.
After every kill each answer it had reported saved is in the database with the value it last
reported, the SQLite file passes `PRAGMA integrity_check`, and the event log's chain holds."""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from tests.reliability.checks import log_problems, sqlite_health, stored_answers
from tests.reliability.procs import ForkServer, Key, WriterReport, wait_for_line

KILLS = 15
SEED = 20261120


@pytest.mark.slow
def test_sigkill_while_recording_loses_no_saved_answer(tmp_path: Path, forks: ForkServer) -> None:
    path = tmp_path / "audits.db"
    url = f"sqlite:///{path}"
    rng = random.Random(SEED)
    known: dict[Key, str] = {}  # the value each answer must have now
    total_saved = 0
    for run in range(KILLS):
        out = tmp_path / f"run{run}.out"
        pid = forks.start_writer(url, out, "--actor", "crash", "--audits", "4", "--seed", str(run))
        try:
            wait_for_line(out, "saved", pid)  # writing, not still starting up
            # A random moment in the writing loop: mid-transaction, mid-commit, mid-print.
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            status = forks.kill(pid)
        assert status == -signal.SIGKILL, f"run {run}: the writer ended before the kill"
        total_saved += check_after_kill(run, path, url, WriterReport.parse(out), known)

    assert total_saved >= KILLS and len(known) >= 4  # all four audits were written to
    verify = forks.cli("db", "verify", home=tmp_path / "home", db_url=url)
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("OK")


def check_after_kill(
    run: int, path: Path, url: str, report: WriterReport, known: dict[Key, str]
) -> int:
    """Every answer reported saved is stored with its last reported value; the file is sound."""
    known.update(report.last_saved())
    stored = stored_answers(path)
    for key, value in known.items():
        allowed = {value}
        if report.in_flight is not None and report.in_flight[:2] == key:
            # Killed between commit and "saved": the newer value may be there too.
            allowed.add(report.in_flight[2])
        assert stored.get(key) in allowed, (
            f"run {run}: audit {key[0]} question {key[1]} reported saved as {value}, "
            f"database has {stored.get(key)}"
        )
    if report.in_flight is not None:
        key = report.in_flight[:2]
        if key in stored:
            known[key] = stored[key]
    integrity, orphans = sqlite_health(path)
    assert integrity == ["ok"], f"run {run}: {integrity}"
    assert orphans == [], f"run {run}: rows pointing nowhere: {orphans}"
    assert log_problems(url) == [], f"run {run}"
    return len(report.saved)
