"""The code stays in pieces a person can hold (issue 16): no function rated D or worse by
radon's cyclomatic complexity (21 and up) and no module over 600 lines.

Every part of the package is listed; migrations are not held to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from radon.complexity import cc_rank, cc_visit

# Parses Python: no cyclic GC meanwhile (tests/conftest.py, a CPython 3.11 bug).
pytestmark = pytest.mark.usefixtures("no_cyclic_gc")

PACKAGE = Path(__file__).resolve().parent.parent / "audit_tui"
MAX_LINES = 600


def modules() -> list[Path]:
    """Every module of the package; migrations are history, written once and never changed,
    so they are not held to it."""
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def functions(blocks: list[Any]) -> Iterator[Any]:
    """Every function, method and closure radon found (a class's are nested in it)."""
    for b in blocks:
        nested = [*getattr(b, "methods", ()), *getattr(b, "inner_classes", ())]
        nested += getattr(b, "closures", ())
        if not hasattr(b, "methods"):
            yield b
        yield from functions(nested)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_rated_d_or_worse(path: Path) -> None:
    blocks = functions(cc_visit(path.read_text(encoding="utf-8")))
    tangled = [
        f"{b.fullname} {cc_rank(b.complexity)} ({b.complexity})"
        for b in blocks
        if cc_rank(b.complexity) in "DEF"
    ]
    assert tangled == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_600_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines"
