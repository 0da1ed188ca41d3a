"""Fixtures of the reliability tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.procs import ForkServer


@pytest.fixture(scope="session")
def forks() -> Iterator[ForkServer]:
    """One fork server per test process (see forkserver.py)."""
    server = ForkServer()
    try:
        yield server
    finally:
        server.close()
