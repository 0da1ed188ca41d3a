from __future__ import annotations

from collections.abc import Iterator

import pytest

from audit_tui import i18n


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """Each test leaves the process in English, as the other tests expect."""
    yield
    i18n.set_language("en")
