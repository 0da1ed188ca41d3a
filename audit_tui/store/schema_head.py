"""The schema revision this code expects, read from the migration files' text (no Alembic,
no SQLAlchemy): how opening an up-to-date database skips Alembic (store/migrate.py), and how
the start-up's early drafts read (store/early_drafts.py) knows a file is the schema it reads."""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# not translated: patterns read in the migration files
_REVISION = re.compile(r"""^revision(?:\s*:[^=]*)?=\s*["']([^"']+)["']""", re.M)
# not translated: as above
_DOWN = re.compile(r"""^down_revision(?:\s*:[^=]*)?=\s*(?:["']([^"']+)["']|None)""", re.M)


def head_from_files() -> str | None:
    """The head revision from the migration files' text; None unless they say it plainly
    (one revision and one down_revision string each, a single head)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev is None or down is None:
            return None
        revisions.add(rev.group(1))
        if down.group(1):
            downs.add(down.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None
