"""Snapshots of Home, the walkthrough with guidance open and the review in Welsh, at 80x24:
the same seeded data, presses and sizes as test_snapshots.py's English ones, so the two sets
show the same screens in both languages (issue 19).

The interface starts in Welsh as the CLI would start it (`i18n.set_language`, from --lang,
AUDIT_TUI_LANG, the settings file or the system locale). Accept a change with
`pytest tests/ui --snapshot-update` only after looking at the new SVGs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from audit_tui import i18n
from audit_tui.services.context import AppContext
from tests.ui.helpers import app_for, stable_where
from tests.ui.test_snapshots import seeded  # noqa: F401 (the seeded database fixture)

SIZE = (80, 24)


@pytest.fixture
def welsh() -> Iterator[None]:
    i18n.set_language("cy")
    yield
    i18n.set_language("en")


def test_home_in_welsh(snap_compare, seeded: AppContext, welsh, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    stable_where(monkeypatch)
    assert snap_compare(app_for(seeded), terminal_size=SIZE)


def test_walkthrough_with_guidance_in_welsh(
    snap_compare,
    seeded: AppContext,  # noqa: F811
    welsh,
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    stable_where(monkeypatch)
    assert snap_compare(app_for(seeded), press=["down", "enter", "g"], terminal_size=SIZE)


def test_review_in_welsh(snap_compare, seeded: AppContext, welsh, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    stable_where(monkeypatch)
    assert snap_compare(app_for(seeded), press=["enter", "v"], terminal_size=SIZE)
