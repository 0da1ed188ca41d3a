"""Finding user-visible text that is not marked for translation.

A string literal is taken as user-visible prose when it holds two words of letters (so
identifiers, codes, formats and paths pass), is not a docstring and is not inside a call
to `_`, `N_`, `ngettext`, `pgettext`, `npgettext` or `NP_` (i18n.py). A line may say why
its text is not translated with a comment `# not translated: <why>` (a file name, a code
a spreadsheet filters on...); on the line above a top-level assignment, the comment covers
the whole table it assigns.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

MARKERS = {"_", "N_", "ngettext", "gettext_", "pgettext", "npgettext", "NP_"}
PROSE = re.compile(r"[A-Za-z]{2,}[,.:;!?)'\"]?\s+[(\"']?[A-Za-z]{2,}")
EXEMPT = "# not translated:"


@dataclass(frozen=True)
class Unmarked:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _marked(tree: ast.AST) -> set[int]:
    """Every node inside a marking call."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in MARKERS:
                ids |= {id(n) for arg in node.args for n in ast.walk(arg)}
    return ids


def _exempt_statements(tree: ast.AST, lines: list[str]) -> set[int]:
    """Every node of a top-level assignment whose first line, or the line above it, says
    `# not translated:` (a table of column headings matched in the user's own file)."""
    ids: set[int] = set()
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            first = node.lineno
            if any(EXEMPT in lines[i - 1] for i in range(max(1, first - 1), first + 1)):
                ids |= {id(n) for n in ast.walk(node)}
    return ids


def unmarked(path: Path) -> list[Unmarked]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    skip = _docstrings(tree) | _marked(tree) | _exempt_statements(tree, lines)
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skip or not PROSE.search(node.value):
            continue
        first, last = node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno
        if any(EXEMPT in lines[i - 1] for i in range(max(1, first - 1), last + 1)):
            continue
        out.append(Unmarked(path, node.lineno, node.value))
    return out
