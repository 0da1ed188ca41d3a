"""Snapshots of Home, the walkthrough with guidance open, and the review, at 80x24 and 120x40.

Deterministic: fixed today (2026-11-20), a fixed clock, seeded data made in the test. Accept a
change with `pytest tests/ui --snapshot-update` only after looking at the new SVGs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.context import AppContext
from tests.conftest import make_context
from tests.ui.helpers import app_for, seed, stable_where

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry
) -> Iterator[AppContext]:
    # Seeded once for the module: the snapshots only look, they never write.
    path: Path = tmp_path_factory.mktemp("snapshots") / "audits.db"
    ctx = make_context(f"sqlite:///{path}", registry)
    seed(ctx)
    yield ctx
    ctx.db.dispose()


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, seeded: AppContext, size: tuple[int, int], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stable_where(monkeypatch)
    assert snap_compare(app_for(seeded), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_walkthrough_with_guidance(
    snap_compare, seeded: AppContext, size: tuple[int, int], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    stable_where(monkeypatch)
    # The second draft is part-answered; Enter resumes it; g opens the guidance panel.
    assert snap_compare(app_for(seeded), press=["down", "enter", "g"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, seeded: AppContext, size: tuple[int, int], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stable_where(monkeypatch)
    # The newest draft is complete, with a critical "No": review it.
    assert snap_compare(app_for(seeded), press=["enter", "v"], terminal_size=size)
