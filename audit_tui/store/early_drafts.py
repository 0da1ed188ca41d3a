"""Home's drafts at start-up, read before SQLAlchemy, pydantic and the services are imported.

Opening the whole context (settings, frameworks, SQLAlchemy, the schema check, the services)
takes several times as long as Textual's first frame. So that Home lists the drafts at once,
this reads them with the standard library's sqlite3, the file opened read-only (`mode=ro`: it
can never create or change a file), meaning exactly what `services.audits.list_drafts` means
for the user's drafts on Home (the same statement shape, so the same plan and order; the
identity found as `services.identity.resolve_identity` finds it on SQLite; each row's case
type and question count from its own stored framework version). The context then opens as
before and Home lists the drafts again from the services: they stay the one source of truth,
and tests/store/test_early_drafts.py compares the two.

None whenever the read cannot be trusted, and the app takes the usual road: a file that is
missing or not an audit-tui database, a schema revision other than this code's, a version
definition not stored in the database, anything sqlite3 or the data refuse.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from audit_tui.domain.case_type_names import BUILTIN_NAMES
from audit_tui.domain.text import control_character
from audit_tui.identity_choices import remembered_in, sqlite_key
from audit_tui.settings_file import default_db_url, default_demo_db_url, text_settings
from audit_tui.store.schema_head import head_from_files

LANGUAGES = ("en", "cy")  # as domain.bilingual.LANGUAGES (that module imports pydantic)


@dataclass(frozen=True)
class EarlyDraft:
    """One draft as Home's list shows it (the fields of AuditSummary it reads)."""

    id: int
    case_reference: str
    answered: int
    applicable: int
    audit_date: date
    case_type_label: str
    team: str
    auditor: str


@dataclass(frozen=True)
class EarlyDrafts:
    drafts: list[EarlyDraft]
    everyone: bool  # none are the user's: everyone's drafts, as Home then lists them
    me: str  # who the user is here, as the staff directory names them (or as declared)


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (`sqlite:///path`, no options); None for anything
    else (PostgreSQL, memory, a URL with a query: the usual road reads those)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    rest = url[len(prefix) :]
    if not rest or rest == ":memory:":
        return None
    return Path(rest).expanduser()


# not translated: SQL
_BY_NAME_OR_LOGIN = (
    "SELECT name FROM workers WHERE lower(name) = ? OR lower(login) = ? "
    "ORDER BY lower(name) != ? LIMIT 1"
)
# not translated: SQL
_BY_NAME = "SELECT name FROM workers WHERE lower(name) = ?"
# not translated: SQL
_DEFINITION = "SELECT definition FROM framework_versions WHERE content_hash = ?"
# not translated: SQL
_REFERENCE = "SELECT reference FROM cases WHERE id = ?"
# not translated: SQL
_ANSWERED = "SELECT count(*) FROM answers WHERE audit_id = ? AND kind = 'original'"
# not translated: SQL
_TEAM = "SELECT name FROM teams WHERE id = ?"
# not translated: SQL
_WORKER = "SELECT name FROM workers WHERE id = ?"
# not translated: SQL
_REVISION = "SELECT version_num FROM alembic_version"


def _clean(name: str) -> str:
    return " ".join(name.split())


def _person(conn: sqlite3.Connection, declared: str, remembered: str | None) -> str | None:
    """The staff directory's name for the user, found as resolve_identity finds it."""
    key = _clean(declared).lower()
    row = conn.execute(_BY_NAME_OR_LOGIN, (key, key, key)).fetchone()
    if row is None and remembered:
        row = conn.execute(_BY_NAME, (_clean(remembered).lower(),)).fetchone()
    return str(row[0]) if row is not None else None


# As list_drafts words it ('draft' written into the statement, so the planner may use the
# partial index ix_audits_drafts), with or without the auditor.
# not translated: SQL
_DRAFTS = (
    "SELECT id, case_id, team_id, auditor_id, audit_date, case_type, framework_hash "
    "FROM audits WHERE status = 'draft'{mine} ORDER BY updated_at DESC LIMIT ?"
)
# not translated: SQL
_MINE = (
    " AND EXISTS (SELECT 1 FROM workers WHERE workers.id = audits.auditor_id "
    "AND lower(workers.name) = ?)"
)


def _text(value: Any) -> str:
    """A framework text as `str(Text(value))` reads it: the English, else the one it has."""
    if isinstance(value, str):
        return value
    by_lang = {k: v for k, v in value.items() if k in LANGUAGES}
    shown = next((c for c in ("en", *by_lang) if by_lang.get(c)), None)
    return str(by_lang[shown]) if shown else ""


class _Versions:
    """Each stored framework version's case type labels and questions, read once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.definitions: dict[str, dict[str, Any]] = {}

    def definition(self, content_hash: str) -> dict[str, Any]:
        if content_hash not in self.definitions:
            row = self.conn.execute(_DEFINITION, (content_hash,)).fetchone()
            if row is None:  # on disk only: the services find it there; not this read
                raise LookupError(content_hash)
            self.definitions[content_hash] = json.loads(row[0])
        return self.definitions[content_hash]

    def case_type_label(self, content_hash: str, code: str) -> str:
        """As Framework.case_type_label."""
        for ct in self.definition(content_hash).get("case_types") or []:
            if isinstance(ct, str) and ct == code:
                return BUILTIN_NAMES[code][0][0] if code in BUILTIN_NAMES else code
            if isinstance(ct, dict) and ct.get("id") == code:
                return _text(ct["label"])
        return code

    def applicable(self, content_hash: str, case_type: str) -> int:
        """As len(Framework.applicable_questions(case_type))."""
        return sum(
            1
            for section in self.definition(content_hash)["sections"]
            for q in section["questions"]
            if q.get("applies_to") is None or case_type in q["applies_to"]
        )


def _drafts(conn: sqlite3.Connection, auditor: str | None, limit: int) -> list[EarlyDraft]:
    if auditor:
        rows = conn.execute(_DRAFTS.format(mine=_MINE), (auditor.lower(), limit)).fetchall()
    else:
        rows = conn.execute(_DRAFTS.format(mine=""), (limit,)).fetchall()
    versions = _Versions(conn)
    out = []
    for audit_id, case_id, team_id, auditor_id, audit_date, case_type, fw_hash in rows:

        def one(sql: str, *args: object) -> Any:
            return conn.execute(sql, args).fetchone()[0]

        out.append(
            EarlyDraft(
                id=audit_id,
                case_reference=one(_REFERENCE, case_id),
                answered=one(_ANSWERED, audit_id),
                applicable=versions.applicable(fw_hash, case_type),
                audit_date=date.fromisoformat(audit_date),
                case_type_label=versions.case_type_label(fw_hash, case_type),
                team=one(_TEAM, team_id),
                auditor=one(_WORKER, auditor_id),
            )
        )
    return out


def read_early_drafts(
    path: Path, declared: str, remembered: str | None, limit: int = 50
) -> EarlyDrafts | None:
    """The user's drafts as Home first lists them (theirs, else everyone's), or None when
    this read cannot be trusted (see the module's docstring)."""
    head = head_from_files()
    if head is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        with conn:
            stored = [r[0] for r in conn.execute(_REVISION)]
            if stored != [head]:
                return None
            me = _person(conn, declared, remembered) or declared
            mine = _drafts(conn, me, limit)
            if mine:
                return EarlyDrafts(mine, everyone=False, me=me)
            return EarlyDrafts(_drafts(conn, None, limit), everyone=True, me=me)
    except (sqlite3.Error, LookupError, KeyError, TypeError, ValueError, AttributeError):
        return None
    finally:
        conn.close()


def early_drafts(db_url: str | None, user: str | None, *, demo: bool) -> EarlyDrafts | None:
    """`read_early_drafts` for the database and user the command line's options and the
    settings name (as cli/common.py's Obj.settings resolves them); None sends the UI the
    usual way (PostgreSQL, a setting only Settings can read, and the rest)."""
    found = text_settings(("db", "demo_db", "user"))
    if found is None:
        return None
    if db_url:
        url = db_url
    elif demo:
        url = found.get("demo_db", default_demo_db_url())
    else:
        url = found.get("db", default_db_url())
    name = user or found.get("user", "")
    path = sqlite_file(url)
    if path is None or control_character(name) is not None:
        return None
    # As services.identity.resolve_identity: the setting, else the login name.
    declared = _clean(name) or getpass.getuser()
    return read_early_drafts(path, declared, remembered_in(sqlite_key(path), declared))
