"""Who you chose to be in each database: the small file in the user's config folder that
services/identity.py writes when Home asks "who are you?", read here without pydantic or
SQLAlchemy (the start-up's early drafts read needs it before either is imported)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audit_tui.settings_file import config_dir

CHOICES_FILE = "identities.json"


def choices_path() -> Path:
    return config_dir() / CHOICES_FILE


def load_choices() -> dict[str, Any]:
    try:
        data = json.loads(choices_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def sqlite_key(path: Path) -> str:
    """How the choices name a SQLite database: its file."""
    return f"sqlite:{path.expanduser().resolve()}"


def remembered_in(key: str, declared: str) -> str | None:
    """The name chosen in the database `key` for the declared name, if any."""
    chosen = load_choices().get(key, {})
    value = chosen.get(declared.lower()) if isinstance(chosen, dict) else None
    return value if isinstance(value, str) else None
