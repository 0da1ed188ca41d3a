"""The event log's key: forging a log entry needs a secret kept outside the database.

Each entry's `mac` is an HMAC-SHA256 of its hash (which covers its content and the entry
before it) with a 32-byte key. The key never goes into the database. It is found, in this
order:

1. the setting `log_key` (AUDIT_TUI_LOG_KEY): the key itself, 64 hexadecimal characters -
   for a shared PostgreSQL server whose key is handed out as a secret;
2. the setting `key_file` (AUDIT_TUI_KEY_FILE): a file holding it;
3. `<user config folder>/keys/<database id>.key`, the database id being a random name stored
   in `database_info` the first time anything is written.

It is created on first use: the first write to a database without a key makes one (in the
`key_file` or the default place; never when `log_key` gives one), stores its fingerprint, the
first entry it keys and how many rows each table held before (an older database's unkeyed
past) in `database_info`, sealed with the key so that record cannot be changed without it,
and logs a `key` entry. From then on every write needs the key: without it, or with another
database's key, a write is refused in one line saying where the key must be put. Reading
never needs it; `db verify` without it checks everything but the entries' keys and says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.config import Settings, config_dir
from audit_tui.domain.errors import UserError
from audit_tui.i18n import _
from audit_tui.store.models import (
    Action,
    Audit,
    Case,
    DatabaseInfo,
    Moderation,
    Round,
    RoundCase,
    Team,
    Worker,
    utcnow,
)

if TYPE_CHECKING:
    from audit_tui.services.context import AppContext

DATABASE_ID = "database_id"
KEY_RECORD = "log_key"
# Tables whose rows `db verify` compares one by one with the log. Rows written before the log
# was keyed (ids up to the number recorded when the key was made) are an older database's
# past: the log of that time did not say enough to compare them whole.
BASELINE_TABLES: dict[str, Any] = {
    "teams": Team,
    "workers": Worker,
    "cases": Case,
    "audits": Audit,
    "moderations": Moderation,
    "actions": Action,
    "rounds": Round,
    "round_cases": RoundCase,
}
_FINGERPRINT_LABEL = b"audit-tui event log key fingerprint"


class KeyUnavailable(UserError):
    """A write needs the log key and it is not here (or is another database's)."""


def fingerprint(key: bytes) -> str:
    """Names a key without giving it away: 16 hex characters."""
    return hmac.new(key, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def entry_mac(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class KeyRecord:
    """What `database_info` says about the key: whose it is, from which entry on the log is
    keyed, and how many rows each table held before that (sealed with the key)."""

    database_id: str
    fingerprint: str
    keyed_from: int
    before: dict[str, int]
    seal: str

    def body(self) -> str:
        return json.dumps(
            {
                "database_id": self.database_id,
                "fingerprint": self.fingerprint,
                "keyed_from": self.keyed_from,
                "before": self.before,
            },
            sort_keys=True,
        )

    def sealed_by(self, key: bytes) -> bool:
        expected = hmac.new(key, self.body().encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.seal)

    def text(self) -> str:
        return json.dumps({**json.loads(self.body()), "seal": self.seal}, sort_keys=True)

    @classmethod
    def made(
        cls, key: bytes, database_id: str, keyed_from: int, before: dict[str, int]
    ) -> KeyRecord:
        unsealed = cls(database_id, fingerprint(key), keyed_from, before, "")
        seal = hmac.new(key, unsealed.body().encode(), hashlib.sha256).hexdigest()
        return cls(database_id, unsealed.fingerprint, keyed_from, before, seal)

    @classmethod
    def parse(cls, text: str) -> KeyRecord | None:
        try:
            data = json.loads(text)
            return cls(
                str(data["database_id"]),
                str(data["fingerprint"]),
                int(data["keyed_from"]),
                {str(k): int(v) for k, v in dict(data["before"]).items()},
                str(data["seal"]),
            )
        except (ValueError, KeyError, TypeError):
            return None


@dataclass
class KeyStatus:
    """What a reader knows about the key: for `db verify` and an audit's history."""

    record: KeyRecord | None  # None: the database has no key yet (or its record is unreadable)
    key: bytes | None  # the key, when it is here and is this database's
    problem: str | None = None  # why the entries' keys cannot be checked (or the record is bad)
    where: str = ""  # where the key was looked for
    record_text: str | None = None  # the raw record, when present

    @property
    def keyed(self) -> bool:
        return self.record is not None


def _info(s: Session, key: str) -> str | None:
    row = s.get(DatabaseInfo, key)
    return row.value if row is not None else None


def _put_info(s: Session, key: str, value: str) -> None:
    row = s.get(DatabaseInfo, key)
    if row is None:
        s.add(DatabaseInfo(key=key, value=value, updated_at=utcnow()))
    else:
        row.value, row.updated_at = value, utcnow()


def _parse_key(text: str) -> bytes | None:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if len(lines) != 1 or len(lines[0]) != 64 or set(lines[0]) - set(string.hexdigits):
        return None
    return bytes.fromhex(lines[0])


@dataclass
class KeyRing:
    """Finds one database's key and keeps it once found (one per open database), so writing
    an entry costs an HMAC and no extra query."""

    settings: Settings
    _key: bytes | None = field(default=None, repr=False)

    @property
    def held(self) -> bytes | None:
        """The key, once this process has found it (and the database holds its record)."""
        return self._key

    # --- where the key is -------------------------------------------------------------

    def path(self, database_id: str | None) -> Path | None:
        if self.settings.key_file is not None:
            return self.settings.key_file.expanduser()
        if database_id is None:
            return None
        return config_dir() / "keys" / f"{database_id}.key"

    def where(self, database_id: str | None) -> str:
        if self.settings.log_key is not None:
            return _("the setting log_key (AUDIT_TUI_LOG_KEY)")
        path = self.path(database_id)
        return str(path) if path is not None else _("the user config folder")

    def _given(self) -> bytes | None:
        if self.settings.log_key is None:
            return None
        key = _parse_key(self.settings.log_key.get_secret_value())
        if key is None:
            raise KeyUnavailable(
                _(
                    "the setting log_key (AUDIT_TUI_LOG_KEY) is not an audit-tui log key "
                    "(64 hexadecimal characters)"
                )
            )
        return key

    def _from_file(self, path: Path) -> bytes | None:
        try:
            text = path.read_text(encoding="ascii")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyUnavailable(
                _("{path}: cannot read the log key ({error})").format(path=path, error=exc)
            ) from None
        key = _parse_key(text)
        if key is None:
            raise KeyUnavailable(
                _(
                    "{path}: not an audit-tui log key (one line of 64 hexadecimal characters)"
                ).format(path=path)
            )
        return key

    def find(self, database_id: str | None) -> bytes | None:
        """The key from the settings or its file; None when there is none yet."""
        given = self._given()
        if given is not None:
            return given
        path = self.path(database_id)
        return self._from_file(path) if path is not None else None

    # --- reading ----------------------------------------------------------------------

    def status(self, s: Session) -> KeyStatus:
        text = _info(s, KEY_RECORD)
        database_id = _info(s, DATABASE_ID)
        where = self.where(database_id)
        if text is None:
            return KeyStatus(None, None, where=where)
        record = KeyRecord.parse(text)
        if record is None:
            return KeyStatus(
                None,
                None,
                problem=_(
                    "database_info {record}: the log key's record cannot be read (it was "
                    "changed in the database)"
                ).format(record=KEY_RECORD),
                where=where,
                record_text=text,
            )
        try:
            key = self.find(record.database_id)
        except KeyUnavailable as exc:
            return KeyStatus(record, None, problem=str(exc), where=where, record_text=text)
        if key is None:
            return KeyStatus(
                record,
                None,
                problem=_(
                    "the log key (fingerprint {fingerprint}) is not at {where}: the entries' "
                    "keys were not checked; put the key's backup there"
                ).format(fingerprint=record.fingerprint, where=where),
                where=where,
                record_text=text,
            )
        if fingerprint(key) != record.fingerprint:
            return KeyStatus(
                record,
                None,
                problem=_(
                    "the log key at {where} is not this database's key (its fingerprint is "
                    "{fingerprint}, the database's {expected}): the entries' keys were not "
                    "checked"
                ).format(where=where, fingerprint=fingerprint(key), expected=record.fingerprint),
                where=where,
                record_text=text,
            )
        if not record.sealed_by(key) or record.database_id != (database_id or ""):
            return KeyStatus(
                record,
                key,
                problem=_(
                    "database_info {record}: the log key's record does not match its seal (it "
                    "was changed in the database)"
                ).format(record=KEY_RECORD),
                where=where,
                record_text=text,
            )
        return KeyStatus(record, key, where=where, record_text=text)

    # --- writing ----------------------------------------------------------------------

    def for_write(
        self, s: Session, append_key_entry: Callable[[bytes, dict[str, Any]], int]
    ) -> bytes:
        """The key for the entries of this write transaction (after the log's lock is held).
        Makes the key on a database's first keyed write; refuses when it is not here."""
        if self._key is not None:
            return self._key
        text = _info(s, KEY_RECORD)
        if text is not None:
            record = KeyRecord.parse(text)
            if record is None:
                raise KeyUnavailable(
                    _(
                        "database_info {record}: the log key's record cannot be read (it was "
                        "changed in the database); nothing was saved - run `audit-tui db verify`"
                    ).format(record=KEY_RECORD)
                )
            key = self.find(record.database_id)
            where = self.where(record.database_id)
            if key is None:
                raise KeyUnavailable(
                    _(
                        "cannot save: this database's log key (fingerprint {fingerprint}) is not "
                        "at {where}; put the key's backup there, or name it with the setting "
                        "key_file (AUDIT_TUI_KEY_FILE); nothing was saved"
                    ).format(fingerprint=record.fingerprint, where=where)
                )
            if fingerprint(key) != record.fingerprint:
                raise KeyUnavailable(
                    _(
                        "cannot save: the log key at {where} is another database's (fingerprint "
                        "{fingerprint}; this database's is {expected}); nothing was saved"
                    ).format(where=where, fingerprint=fingerprint(key), expected=record.fingerprint)
                )
            self._key = key
            return key
        return self._first_key(s, append_key_entry)

    def _first_key(
        self, s: Session, append_key_entry: Callable[[bytes, dict[str, Any]], int]
    ) -> bytes:
        database_id = _info(s, DATABASE_ID) or uuid.uuid4().hex
        key = self.find(database_id)
        created: Path | None = None
        if key is None:
            key = secrets.token_bytes(32)
            created = self._write(database_id, key)
        before = {
            table: int(n)
            for table, model in BASELINE_TABLES.items()
            if (n := s.execute(select(func.max(model.id))).scalar())
        }
        entry_id = append_key_entry(
            key,
            {
                "fingerprint": fingerprint(key),
                "database_id": database_id,
                "before": before,
            },
        )
        _put_info(s, DATABASE_ID, database_id)
        _put_info(s, KEY_RECORD, KeyRecord.made(key, database_id, entry_id, before).text())
        # Kept for this process only once the database holds the record; a file made for a
        # transaction that rolled back is removed again (the next write makes another).
        sa_event.listen(s, "after_commit", lambda _s: setattr(self, "_key", key), once=True)
        if created is not None:
            sa_event.listen(
                s, "after_rollback", lambda _s: created.unlink(missing_ok=True), once=True
            )
        return key

    def _write(self, database_id: str, key: bytes) -> Path:
        path = self.path(database_id)
        assert path is not None
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise KeyUnavailable(
                _(
                    "cannot make the event log key at {path} ({error}); name a writable place "
                    "with the setting key_file; nothing was saved"
                ).format(path=path, error=exc.strerror or exc)
            ) from None
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(
                # not translated: the key file's fixed header, alike on every machine sharing it
                f"# audit-tui event log key for database {database_id}, made "
                f"{utcnow():%Y-%m-%d %H:%M} UTC (fingerprint {fingerprint(key)}).\n"
                "# Keep it secret and keep a backup apart from the database's backups:\n"
                "# nothing can be written to that database without it.\n"
                f"{key.hex()}\n"
            )
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # the new name itself survives a power cut too
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
        return path


def keyring_of(db: Any) -> KeyRing:
    """The key ring of an open database: the one its context attached, or one built from the
    environment's settings for a database opened without a context (scripts, tests)."""
    ring = getattr(db, "keyring", None)
    if ring is None:
        ring = KeyRing(Settings())
        db.keyring = ring
    return ring


def keyring_in(s: Session) -> KeyRing:
    db = s.info.get("database")
    if db is None:
        raise RuntimeError(
            "a session not opened by Database.read/write has no log key"  # not translated: a programming error
        )
    return keyring_of(db)


class KeyInfo(BaseModel):
    """The log key of a database, as `audit-tui db key` shows it."""

    keyed: bool
    fingerprint: str | None
    database_id: str | None
    where: str
    problem: str | None  # why the key cannot be used here (missing, another database's)
    made_now: bool = False

    def lines(self) -> list[str]:
        if not self.keyed:
            return [_("this database's log has no key yet (nothing has been written to it)")]
        head = _("log key fingerprint {fingerprint} (database id {id})").format(
            fingerprint=self.fingerprint, id=self.database_id
        )
        if self.problem:
            return [head, self.problem]
        at = (_("{key}: made now, at {where}") if self.made_now else _("{key}: at {where}")).format(
            key=head, where=self.where
        )
        return [
            at,
            _(
                "Back it up apart from the database's backups. Every machine that writes to "
                "this database needs a copy there, or named by the setting key_file "
                "(AUDIT_TUI_KEY_FILE), or its text in AUDIT_TUI_LOG_KEY."
            ),
        ]


def key_info(ctx: AppContext, *, make: bool = True) -> KeyInfo:
    """Where this database's log key is, making it first (`make`) when the database has none
    yet - as its first write would."""
    made = False
    with ctx.db.read() as s:
        keyed = s.get(DatabaseInfo, KEY_RECORD) is not None
    if not keyed and make:
        with ctx.db.write():
            pass  # the write's start makes the key (eventlog.begin_write)
        made = True
    ring = keyring_of(ctx.db)
    with ctx.db.read() as s:
        status = ring.status(s)
    record = status.record
    return KeyInfo(
        keyed=status.keyed or status.record_text is not None,
        fingerprint=record.fingerprint if record else None,
        database_id=record.database_id if record else None,
        where=status.where,
        problem=status.problem,
        made_now=made and status.keyed,
    )
