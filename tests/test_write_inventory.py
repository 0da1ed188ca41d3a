"""The list of write paths in docs/reliability-and-privacy.md names every service function
that opens a write transaction (`ctx.db.write()`) or writes log entries in bulk: a new write
path cannot be added without saying what it logs (and tests/services/test_write_paths.py
then runs it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

# Parses Python: no cyclic GC meanwhile (tests/conftest.py, a CPython 3.11 bug).
pytestmark = pytest.mark.usefixtures("no_cyclic_gc")

REPO = Path(__file__).resolve().parent.parent
SERVICES = REPO / "audit_tui" / "services"
DOC = REPO / "docs" / "reliability-and-privacy.md"


def _writes(tree: ast.Module) -> set[str]:
    """Functions (top-level) that open `*.db.write()` or call `append_events`."""
    found: set[str] = set()
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Call):
                f = node.func
                if (
                    isinstance(f, ast.Attribute)
                    and f.attr == "write"
                    and isinstance(f.value, ast.Attribute)
                    and f.value.attr == "db"
                ):
                    found.add(fn.name)
                if isinstance(f, ast.Name) and f.id == "append_events":
                    found.add(fn.name)
    return found


def write_paths() -> dict[str, set[str]]:
    out = {}
    for path in sorted(SERVICES.glob("*.py")):
        names = _writes(ast.parse(path.read_text(encoding="utf-8")))
        if names:
            out[path.stem] = names
    return out


def listed() -> set[str]:
    """`module.function` for each function the docs' table names: a row's first cell names
    `module.function`, then perhaps more functions of the same module."""
    section = DOC.read_text(encoding="utf-8").split("### Every path that writes", 1)[1]
    section = section.split("\n## ", 1)[0]
    out: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        module = ""
        for name in re.findall(r"`([\w.]+)`", line.split("|")[1]):
            if "." in name:
                module, name = name.split(".", 1)
            out.add(f"{module}.{name}")
    return out


def test_the_docs_list_every_write_path() -> None:
    paths = {f"{m}.{n}" for m, names in write_paths().items() for n in names}
    assert "audits.record_answer" in paths  # the walk found them
    assert sorted(paths - listed()) == [], "write paths missing from the docs' list"
