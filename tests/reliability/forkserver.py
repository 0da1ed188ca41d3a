"""Start `python -m audit_tui ...` and writer.py processes without paying for the imports each
time: this process imports the app once, then forks one fresh child per request.

Nothing in audit-tui opens a database or reads settings at import time, so a child forked here
behaves as a newly started interpreter would; the CLI tests also run the real
`python -m audit_tui` for a few cases to keep that claim honest.

Requests on stdin, one JSON object a line, each answered with one line on stdout:
    {"op": "start", "target": "cli" | "writer", "argv": [...], "env": {...}, "cwd": "...",
     "stdout": "/path", "stderr": "/path"}                     -> "pid <n>"
    {"op": "wait", "pid": <n>}                                 -> "exit <status>"
A negative status is the signal that ended the child. Several children may run at once.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback

from sqlalchemy.orm import configure_mappers

import audit_tui.cli  # noqa: F401 - imported once here, inherited by every child
from tests.reliability import writer


def _run(target: str, argv: list[str]) -> int:
    """What the interpreter would do with `python -m audit_tui ARGV` or `python writer.py`."""
    try:
        if target == "cli":
            sys.argv = ["audit_tui", *argv]
            runpy.run_module("audit_tui", run_name="__main__", alter_sys=True)
            return 0
        return writer.main(argv)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1


def _child(request: dict) -> None:  # type: ignore[type-arg]
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    code = 1
    try:
        code = _run(request["target"], request["argv"])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code & 0xFF)


def main() -> int:
    configure_mappers()  # once here rather than in every child
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "wait":
            _, status = os.waitpid(request["pid"], 0)
            print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)
            continue
        pid = os.fork()
        if pid == 0:
            _child(request)
        print(f"pid {pid}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
