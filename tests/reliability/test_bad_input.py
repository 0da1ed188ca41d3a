"""Bad input everywhere: every user error on the command line is exit status 2 and exactly one
line on stderr naming what is wrong, never a traceback. A file that is not an audit-tui database
given as --db (text, an image, a damaged SQLite file, a folder) gets a message naming the file.

Most cases run through the fork server (a fresh fork of a process that has imported the app);
a few run the real `python -m audit_tui` to keep that shortcut honest."""

from __future__ import annotations

import os
import socket
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import click
import pytest

from audit_tui.cli import cli
from tests.pg_server import PgServer
from tests.reliability.procs import CliResult, ForkServer, run_cli
from tests.reliability.seed import context, finalised

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02" + bytes(64)


def assert_user_error(result: CliResult, *needles: str) -> str:
    """Exit 2, one line on stderr in the CLI's format, nothing on stdout, no traceback."""
    lines = result.stderr.splitlines()
    assert result.returncode == 2, f"exit {result.returncode}: {result.stderr}"
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("audit-tui: error: "), lines[0]
    assert result.stdout == ""
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@cache
def _template() -> bytes:
    """A migrated SQLite file with a finalised audit in it, made once."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.db"
        ctx = context(sqlite_url(path))
        finalised(ctx, "BAD-1")
        ctx.db.dispose()  # the last connection closing folds the -wal file into the database
        return path.read_bytes()


def real_database(path: Path) -> Path:
    path.write_bytes(_template())
    return path


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once the socket is closed


# --- the cases: (arguments, --db URL or None, what the message must name) -----------------

Built = tuple[list[str], str | None, list[str]]


@dataclass
class Case:
    id: str
    build: Callable[[Path], Built]


def _text_file(tmp: Path) -> Built:
    path = tmp / "minutes.db"
    path.write_text("Minutes of the QA meeting, 3 November.\n" * 20)
    return ["db", "verify"], sqlite_url(path), [str(path), "not an audit-tui database"]


def _png(tmp: Path) -> Built:
    path = tmp / "logo.png"
    path.write_bytes(PNG)
    return ["db", "verify"], sqlite_url(path), [str(path)]


def _truncated(tmp: Path) -> Built:
    path = real_database(tmp / "audits.db")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut in half, as by a full disk or a bad copy
    return ["db", "verify"], sqlite_url(path), [str(path), "damaged"]


def _truncated_upgrade(tmp: Path) -> Built:
    path = real_database(tmp / "audits.db")
    path.write_bytes(path.read_bytes()[:3000])  # not even one whole page
    return ["db", "upgrade"], sqlite_url(path), [str(path)]


def _folder(tmp: Path) -> Built:
    path = tmp / "a-folder"
    path.mkdir()
    return ["db", "verify"], sqlite_url(path), [str(path)]


def _under_a_file(tmp: Path) -> Built:
    blocker = tmp / "notes.txt"
    blocker.write_text("not a folder")
    path = blocker / "audits.db"
    return ["db", "verify"], sqlite_url(path), [str(path)]


def _other_application(tmp: Path) -> Built:
    path = tmp / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE teams (id INTEGER PRIMARY KEY, colour TEXT)")
    conn.commit()
    conn.close()
    return ["db", "verify"], sqlite_url(path), [str(path)]


def _newer_schema(tmp: Path) -> Built:
    path = real_database(tmp / "audits.db")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    return ["db", "verify"], sqlite_url(path), [str(path), "newer audit-tui"]


def _postgres_closed_port(tmp: Path) -> Built:
    url = f"postgresql+psycopg://qa:s3cret@127.0.0.1:{closed_port()}/audits"
    return ["db", "verify"], url, ["127.0.0.1", "cannot use the database"]


def _unknown_driver(tmp: Path) -> Built:
    return ["db", "verify"], "nosuchdb://somewhere/audits", ["nosuchdb"]


def _not_a_url(tmp: Path) -> Built:
    return ["db", "verify"], "::not a url::", ["::not a url::"]


def _bare_path(tmp: Path) -> Built:
    path = tmp / "audits.db"
    return ["db", "verify"], str(path), [str(path), f"sqlite:///{path}"]


def _backup_missing_folder(tmp: Path) -> Built:
    target = tmp / "no-such-folder" / "copy.db"
    return ["db", "backup", str(target)], sqlite_url(real_database(tmp / "a.db")), [str(target)]


def _backup_unwritable_folder(tmp: Path) -> Built:
    if os.geteuid() == 0:
        target = Path("/proc/audit-tui-backup.db")  # root may write anywhere else
    else:
        locked = tmp / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        target = locked / "copy.db"
    return ["db", "backup", str(target)], sqlite_url(real_database(tmp / "a.db")), [str(target)]


def _backup_exists(tmp: Path) -> Built:
    target = tmp / "copy.db"
    target.write_text("yesterday's backup")
    return ["db", "backup", str(target)], sqlite_url(real_database(tmp / "a.db")), ["--force"]


def _backup_onto_folder(tmp: Path) -> Built:
    target = tmp / "backups"
    target.mkdir()
    args = ["db", "backup", "--force", str(target)]
    return args, sqlite_url(real_database(tmp / "a.db")), [str(target)]


CASES = [
    Case("unknown-framework", lambda t: (["frameworks", "show", "nope"], None, ["'nope'"])),
    Case("db-is-a-text-file", _text_file),
    Case("db-is-a-png", _png),
    Case("db-is-truncated", _truncated),
    Case("db-is-truncated-upgrade", _truncated_upgrade),
    Case("db-is-a-folder", _folder),
    Case("db-under-a-file", _under_a_file),
    Case("db-of-another-application", _other_application),
    Case("db-newer-schema", _newer_schema),
    Case("db-postgres-nobody-listening", _postgres_closed_port),
    Case("db-unknown-driver", _unknown_driver),
    Case("db-not-a-url", _not_a_url),
    Case("db-a-bare-file-name", _bare_path),
    Case("backup-missing-folder", _backup_missing_folder),
    Case("backup-unwritable-folder", _backup_unwritable_folder),
    Case("backup-target-exists", _backup_exists),
    Case("backup-onto-a-folder", _backup_onto_folder),
    Case("unknown-command", lambda t: (["no-such-command"], None, ["no-such-command"])),
    Case("unknown-option", lambda t: (["--no-such-option"], None, ["--no-such-option"])),
    Case("missing-argument", lambda t: (["db", "backup"], None, ["TARGET"])),
    Case("demo-negative-audits", lambda t: (["demo", "--audits", "-1"], None, ["-1"])),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_user_error_is_one_line_and_exit_2(case: Case, tmp_path: Path, forks: ForkServer) -> None:
    args, db_url, needles = case.build(tmp_path)
    line = assert_user_error(forks.cli(*args, home=tmp_path / "home", db_url=db_url), *needles)
    assert "s3cret" not in line  # a password in a URL is never echoed


def test_damaged_database_is_left_as_it_was(tmp_path: Path, forks: ForkServer) -> None:
    """Refusing a damaged file must not 'repair' or overwrite it: it may be the only copy."""
    path = real_database(tmp_path / "audits.db")
    path.write_bytes(path.read_bytes()[:5000])
    before = path.read_bytes()
    assert_user_error(forks.cli("db", "upgrade", home=tmp_path / "home", db_url=sqlite_url(path)))
    assert path.read_bytes() == before


@pytest.mark.postgres
def test_backup_of_postgres_points_to_pg_dump(
    pg_server: PgServer, tmp_path: Path, forks: ForkServer
) -> None:
    url = pg_server.create_database()
    result = forks.cli("db", "backup", str(tmp_path / "x.db"), home=tmp_path / "h", db_url=url)
    assert_user_error(result, "pg_dump")


def _leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += _leaf_commands(command, (*path, name))
        else:
            out.append((*path, name))
    return out


LEAVES = _leaf_commands(cli)


@pytest.mark.parametrize("command", LEAVES, ids=[" ".join(c) for c in LEAVES])
def test_every_command_refuses_an_unknown_option_in_one_line(
    command: tuple[str, ...], tmp_path: Path, forks: ForkServer
) -> None:
    db_url = sqlite_url(tmp_path / "audits.db")
    result = forks.cli(*command, "--no-such-option", home=tmp_path / "home", db_url=db_url)
    assert_user_error(result, "--no-such-option")


def test_real_interpreter_gives_the_same_one_line(tmp_path: Path) -> None:
    """`python -m audit_tui` itself, with the database named by AUDIT_TUI_DB."""
    args, db_url, needles = _text_file(tmp_path)
    assert_user_error(run_cli(*args, home=tmp_path / "home", db_url=db_url), *needles)


def test_environment_and_flag_both_name_the_file(tmp_path: Path, forks: ForkServer) -> None:
    args, _, needles = _text_file(tmp_path)
    path = tmp_path / "minutes.db"
    flagged = forks.cli("--db", sqlite_url(path), *args, home=tmp_path / "home")
    assert_user_error(flagged, *needles)
