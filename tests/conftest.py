"""Shared fixtures: real SQLite files, and a real PostgreSQL server when its binaries exist."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.context import AppContext
from audit_tui.store.migrate import open_database
from tests import builders
from tests.pg_server import PgServer, find_bin_dir

if TYPE_CHECKING:
    from tests.export.fake_audits import FakeData

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """No test reads or writes the real user's settings, data, key or documents folders:
    each test process gets folders of its own (subprocesses inherit them)."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="audit-tui-home-"))
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_DOCUMENTS_DIR", "documents"),
    ):
        (home / sub).mkdir()
        os.environ[var] = str(home / sub)
    os.environ.pop("AUDIT_TUI_SETTINGS", None)
    # English unless a test chooses: a developer's Welsh locale must not change the output.
    os.environ.pop("AUDIT_TUI_LANG", None)
    os.environ["LANGUAGE"] = "en"


@pytest.fixture
def no_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection during a test that parses Python (ast, radon, Babel).

    On this machine's CPython 3.11.7 such a test failed now and then with "SystemError: AST
    constructor recursion depth mismatch", each time beside an openpyxl write-only sheet's row
    generator, left by an earlier test on the worker, being finalised by a collection inside
    the parse. The mismatch is CPython hiding an error raised while the tree is built
    (python/cpython#106905, fixed in later releases); with no collection inside the parse,
    nothing is raised there. The generator came from
    tests/store/test_database_hostile.py's failed save, which now discards its workbook as the
    export does; this stays as a guard against the next such leftover."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@pytest.fixture(autouse=True)
def _settings_file_and_language_kept() -> Iterator[None]:
    """What one test leaves behind never reaches the next on the same worker: the TUI's
    language switch writes `lang` into the process's settings file (config.remember) and
    sets the interface language, and a later test reading Settings or `i18n.current()`
    would see Welsh."""
    from audit_tui import i18n
    from audit_tui.settings_file import settings_file

    path = settings_file()
    before = path.read_bytes() if path.exists() else None
    yield
    i18n.set_language("en")
    if before is None:
        path.unlink(missing_ok=True)
    elif not path.exists() or path.read_bytes() != before:
        path.write_bytes(before)


SEEDS = REPO.parent / "shared" / "seeds"
FIXED_TODAY = date(2026, 11, 20)


@pytest.fixture(scope="session")
def registry() -> FrameworkRegistry:
    return FrameworkRegistry.from_dirs([builtin_frameworks_dir()])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = "no initdb/pg_ctl binaries found on this machine"
        if os.environ.get("AUDIT_TUI_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here (AUDIT_TUI_REQUIRE_POSTGRES) but {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    server = PgServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a new database on the test PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audits.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'audits.db'}"


def make_context(url: str, registry: FrameworkRegistry, actor: str = "tester") -> AppContext:
    return AppContext(
        db=open_database(url), frameworks=registry, actor=actor, today=lambda: FIXED_TODAY
    )


@pytest.fixture
def ctx(db_url: str, registry: FrameworkRegistry) -> Iterator[AppContext]:
    """A migrated database (SQLite and PostgreSQL) with the built-in frameworks."""
    context = make_context(db_url, registry)
    yield context
    context.db.dispose()


@pytest.fixture
def sqlite_ctx(sqlite_url: str, registry: FrameworkRegistry) -> Iterator[AppContext]:
    context = make_context(sqlite_url, registry)
    yield context
    context.db.dispose()


# The CI log must show that the PostgreSQL-backed tests ran (not only that nothing failed).
_postgres_outcomes: dict[str, int] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgres" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _postgres_outcomes[report.outcome] = _postgres_outcomes.get(report.outcome, 0) + 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(_postgres_outcomes.items()))
    terminalreporter.write_line(f"PostgreSQL-backed tests: {counts or 'none ran'}")


# --- test data, from tests/builders.py ---------------------------------------------------


@pytest.fixture(scope="session")
def frameworks(registry: FrameworkRegistry) -> FrameworkRegistry:
    """The shipped frameworks and the small test framework, mini."""
    mini = FrameworkRegistry.from_dirs([builders.FIXTURES])
    return FrameworkRegistry({fw.id: fw for fw in [*registry.all(), *mini.all()]})


@pytest.fixture
def build() -> type[builders.Builder]:
    """`build(ctx)`: drafts and finalised audits made through the services on `ctx`."""
    return builders.Builder


# Both backends, for a module-scoped database (the `db_url` fixture's, for one test).
DB_PARAMS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=DB_PARAMS)
def seeded(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    registry: FrameworkRegistry,
) -> Iterator[tuple[AppContext, FakeData]]:
    """One database per backend with fake audits, shared by a module's read-only tests; the
    module says which: SEEDED = {"seed": ..., "audits": ..., "start": ..., "end": ...}."""
    from tests.export.fake_audits import open_seeded  # it imports this module

    c, data = open_seeded(request, tmp_path_factory, registry, **request.module.SEEDED)
    yield c, data
    c.db.dispose()


@pytest.fixture
def sctx(seeded: tuple[AppContext, FakeData]) -> AppContext:
    return seeded[0]


@pytest.fixture
def data(seeded: tuple[AppContext, FakeData]) -> FakeData:
    return seeded[1]
