"""A PostgreSQL cluster kept between benchmark runs under bench/data/, so the big databases
are loaded once. Built on the test suite's throwaway server (tests/pg_server.py)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

from tests.pg_server import PgServer, _free_port, find_bin_dir


class KeptPgServer(PgServer):
    """PgServer with its data directory at `root` (kept), started on a fresh port each run."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self._root_arg = root
        super().__init__(bin_dir)
        shutil.rmtree(self.root, ignore_errors=True)  # the temporary folder the base made
        self.root = root
        self.data = root / "data"
        if self._as:  # running as root: PostgreSQL runs as 'postgres' and must own its folder
            import os
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chown(root, pw.pw_uid, pw.pw_gid)
            os.chmod(root, 0o700)

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            self._run(
                str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", self.user,
                "--auth=trust", "-E", "UTF8", "--no-sync",
            )  # fmt: skip
        self.port = _free_port()
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
            "-w", "-t", "120", "start",
            "-o", f"-p {self.port} -h 127.0.0.1 -k {self.root} -F -c max_connections=60",
        )  # fmt: skip

    def stop(self) -> None:
        # Keep the data: a clean shutdown so the next run starts at once.
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")

    def version(self) -> str:
        out = subprocess.run(
            [str(self.bin_dir / "postgres"), "--version"], capture_output=True, text=True
        )
        return out.stdout.strip()

    def databases(self) -> set[str]:
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            return {r[0] for r in conn.execute("SELECT datname FROM pg_database")}

    def create(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    def dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={database}"


def start_kept_server(root: Path) -> KeptPgServer | None:
    """The kept cluster, started; None when this machine has no PostgreSQL binaries. A data
    directory left by another PostgreSQL version is started afresh."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        return None
    server = KeptPgServer(bin_dir, root)
    try:
        server.start()
    except subprocess.CalledProcessError:
        shutil.rmtree(server.data, ignore_errors=True)
        server.start()
    return server
