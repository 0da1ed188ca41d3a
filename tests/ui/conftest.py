"""The demo database the screen tests share: built once per test process (it takes seconds)
and copied for each test, so no test sees another's writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.context import AppContext
from tests.ui.demo_template import build_template, copy_context, persona_copy

# The seeded moderation/actions database, built once and copied per test.
from tests.ui.loop_fixtures import loop_ctx, loop_template  # noqa: F401


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry) -> Path:
    return build_template(tmp_path_factory.mktemp("ui-demo"), registry)


@pytest.fixture
def demo_ctx(
    demo_template: Path, tmp_path: Path, registry: FrameworkRegistry
) -> Iterator[AppContext]:
    """A copy of the demo database, as the person running the tests."""
    ctx = copy_context(demo_template, tmp_path, registry)
    yield ctx
    ctx.db.dispose()


@pytest.fixture
def persona_ctx(
    demo_template: Path, tmp_path: Path, registry: FrameworkRegistry
) -> Iterator[AppContext]:
    """A copy of the demo database as the demo's persona (drafts, assignments, moderation,
    actions), with a short exports folder."""
    ctx = persona_copy(demo_template, tmp_path, registry)
    yield ctx
    ctx.db.dispose()
