"""Helpers for the reliability tests: run the writer process and the CLI as a user would, and
read back what the writer reported."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRITER = HERE / "writer.py"
MINI = HERE.parent / "fixtures" / "mini.yaml"
REPO = HERE.parent.parent

Key = tuple[int, str]  # (audit id, question id)


def complete_lines(out: Path) -> list[str]:
    """The lines the writer finished writing; a line cut short by SIGKILL is dropped."""
    text = out.read_text()
    lines = text.split("\n")
    return lines[:-1]  # the part after the last newline is unfinished (or empty)


def running(pid: int) -> bool:
    """Whether a process forked by the fork server is still running (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for_line(out: Path, prefix: str, pid: int, timeout: float = 60) -> str:
    """Wait until the writer printed a line starting with `prefix`; fail if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in complete_lines(out):
            if line.startswith(prefix):
                return line
        if not running(pid):
            err = out.with_suffix(".err").read_text()
            raise AssertionError(f"writer ended before printing '{prefix}': {err}")
        time.sleep(0.01)
    raise AssertionError(f"writer did not print '{prefix}' within {timeout}s")


@dataclass
class WriterReport:
    """What one writer run said: the answers reported saved, in order, and the one write that
    was in flight when it stopped (committed or not: the process never said)."""

    saved: list[tuple[int, str, str]] = field(default_factory=list)
    in_flight: tuple[int, str, str] | None = None

    @classmethod
    def parse(cls, out: Path) -> WriterReport:
        report = cls()
        for line in complete_lines(out):
            word, *rest = line.split()
            if word == "trying":
                report.in_flight = (int(rest[0]), rest[1], rest[2])
            elif word == "saved":
                item = (int(rest[0]), rest[1], rest[2])
                assert item == report.in_flight, f"saved without trying: {line}"
                report.saved.append(item)
                report.in_flight = None
        return report

    def last_saved(self) -> dict[Key, str]:
        return {(a, q): ans for a, q, ans in self.saved}


class ForkServer:
    """forkserver.py: runs the CLI or writer.py in fresh forks of one process that has already
    imported the app."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.forkserver"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )

    def _ask(self, request: dict[str, object], word: str) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line.startswith(word + " "), f"fork server said {line!r}"
        return int(line.split()[1])

    def start(self, target: str, argv: list[str], env: dict[str, str], cwd: Path, out: Path) -> int:
        """Start a child with stdout to `out` and stderr to `out` with suffix .err; its pid."""
        out.touch()  # the child opens it a moment later; wait_for_line needs it now
        request = {
            "op": "start",
            "target": target,
            "argv": argv,
            "env": env,
            "cwd": str(cwd),
            "stdout": str(out),
            "stderr": str(out.with_suffix(".err")),
        }
        return self._ask(request, "pid")

    def wait(self, pid: int) -> int:
        """The child's exit status (negative: the signal that ended it)."""
        return self._ask({"op": "wait", "pid": pid}, "exit")

    def kill(self, pid: int) -> int:
        with suppress(ProcessLookupError):  # it had ended already; wait says how
            os.kill(pid, signal.SIGKILL)
        return self.wait(pid)

    def start_writer(self, url: str, out: Path, *args: str) -> int:
        argv = [url, "--framework", str(MINI), *args]
        return self.start("writer", argv, dict(os.environ), REPO, out)

    def cli(self, *args: str, home: Path, db_url: str | None = None) -> CliResult:
        """`python -m audit_tui ARGS` in a private HOME, as run_cli but forked."""
        home.mkdir(parents=True, exist_ok=True)
        out = home.parent / f"cli-{next(_counter)}.out"
        code = self.wait(self.start("cli", list(args), cli_env(home, db_url), home, out))
        return CliResult(code, out.read_text(), out.with_suffix(".err").read_text())

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_counter = itertools.count()


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def cli_env(home: Path, db_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDIT_TUI_")}
    env["HOME"] = str(home)
    env["XDG_DATA_HOME"] = str(home / ".local" / "share")
    env["AUDIT_TUI_USER"] = "cli-tester"
    if db_url is not None:
        env["AUDIT_TUI_DB"] = db_url
        # `audit-tui demo` writes to the demo database, never to AUDIT_TUI_DB (issue 15): these
        # tests mean the one database they name.
        env["AUDIT_TUI_DEMO_DB"] = db_url
    return env


def run_cli(*args: str, home: Path, db_url: str | None = None) -> CliResult:
    """`python -m audit_tui ARGS` as a user would run it, in a private HOME."""
    home.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "audit_tui", *args],
        env=cli_env(home, db_url),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)
