"""The append-only event log: a hash chain, each entry keyed with a secret kept outside the
database (services.logkey), and the checks of both.

Each entry's `hash` is SHA-256 over the previous entry's hash and its own content (time,
actor, action, what it is about, old and new value, reason), so a changed, removed or
inserted entry breaks the chain. Anyone who can write the database could still append an
entry - or rewrite every entry after a point - with correct hashes: its `mac` (HMAC of the
hash with the database's key) is what they cannot make without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from audit_tui.i18n import N_, _
from audit_tui.services.logkey import KeyStatus, entry_mac, keyring_in
from audit_tui.store.models import Event, utcnow

GENESIS = "0" * 64


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


_HASHED = ("at", "actor", "action", "entity", "entity_id", "audit_id", "field")
COLUMNS = (*_HASHED, "old_value", "new_value", "reason")


def _row_fields(row: Any) -> dict[str, Any]:
    """What the hash covers, from a row of Event column values (one format for every path)."""
    at = row["at"]
    fields = {name: row[name] for name in _HASHED}
    fields["at"] = at.replace(tzinfo=None).isoformat(timespec="microseconds") if at else None
    fields.update(old=row["old_value"], new=row["new_value"], reason=row["reason"])
    return fields


def _fields(e: Event) -> dict[str, Any]:
    return _row_fields({name: getattr(e, name) for name in COLUMNS})


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)


# --- writing ---------------------------------------------------------------------------------


@dataclass
class _Chain:
    """The log's tip and key for one write transaction: read once (under the log's lock),
    then carried from entry to entry, so a save that logs three entries reads the tip once."""

    transaction: Any
    tip: str
    key: bytes | None


_CHAIN = "audit_tui.chain"


def _chain(session: Session, actor: str = "audit-tui") -> _Chain:
    transaction = session.get_transaction()
    state: _Chain | None = session.info.get(_CHAIN)
    if state is not None and state.transaction is transaction:
        return state
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appends so two writers cannot chain to the same previous entry.
        session.execute(text("SELECT pg_advisory_xact_lock(727274)"))  # not translated: SQL
    prev = session.execute(select(Event.hash).order_by(Event.id.desc()).limit(1)).scalar()
    state = _Chain(transaction, prev or GENESIS, None)
    session.info[_CHAIN] = state

    def key_entry(key: bytes, new: dict[str, Any]) -> int:
        state.key = key
        return _add(session, state, "key", "database", None, actor=actor, new=new).id

    state.key = keyring_in(session).for_write(session, key_entry)
    return state


def begin_write(session: Session) -> None:
    """At the start of a write transaction: until this process holds the database's key,
    find it - or make it, on the database's first write, before anything else is written
    (its record counts the rows that came before it). Costs nothing once the key is held."""
    if keyring_in(session).held is None:
        _chain(session)


def _add(
    session: Session,
    state: _Chain,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    actor: str = "audit-tui",
    audit_id: int | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> Event:
    event = Event(
        at=at or utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        audit_id=audit_id,
        field=field,
        old_value=_text(old),
        new_value=_text(new),
        reason=reason,
        prev_hash=state.tip,
    )
    event.hash = _digest(event.prev_hash, _fields(event))
    event.mac = entry_mac(state.key, event.hash) if state.key is not None else None
    session.add(event)
    session.flush()
    state.tip = event.hash
    return event


def log_event(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    audit_id: int | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one keyed event inside the caller's transaction, chained to the last one.

    `at` gives the entry the time the change itself carries (an answer's time, a closing
    time), so `db verify` can compare them. Refused (KeyUnavailable) without the key."""
    return _add(
        session,
        _chain(session, actor),
        action,
        entity,
        entity_id,
        actor=actor,
        audit_id=audit_id,
        field=field,
        old=old,
        new=new,
        reason=reason,
        at=at,
    )


def append_events(session: Session, rows: list[dict[str, Any]]) -> int:
    """Bulk `log_event` for generated data, inside the caller's transaction. Rows hold Event
    column values (`at`, `actor`, `action`, `entity`, `entity_id`, `audit_id`, `field`,
    `old_value`, `new_value`, `reason`); they are numbered, chained, hashed and keyed exactly
    as `log_event` does and inserted in one statement. Returns the last id written."""
    if not rows:
        return 0
    state = _chain(session, rows[0]["actor"])
    last = _insert_rows(session, rows, state.tip, state.key)
    state.tip = rows[-1]["hash"]
    return last


def _insert_rows(session: Session, rows: list[dict[str, Any]], prev: str, key: bytes | None) -> int:
    next_id = (session.execute(select(func.max(Event.id))).scalar() or 0) + 1
    for i, row in enumerate(rows):
        row["id"] = next_id + i
        row["old_value"] = _text(row["old_value"])
        row["new_value"] = _text(row["new_value"])
        row["prev_hash"] = prev
        row["hash"] = prev = _digest(prev, _row_fields(row))
        if key is not None:
            row["mac"] = entry_mac(key, prev)
    # One executemany, not the ORM bulk path. Unkeyed rows name no `mac` (a release-1 schema
    # has no such column): the statement's columns are those of the first row.
    session.execute(insert(Event), rows)
    last = next_id + len(rows) - 1
    if session.get_bind().dialect.name == "postgresql":
        # Ids were given explicitly: move the sequence on so log_event does not reuse them.
        # not translated: SQL
        setval = "SELECT setval(pg_get_serial_sequence('events', 'id'), :last)"
        session.execute(text(setval), {"last": last})
    return last


def _append_unkeyed(session: Session, rows: list[dict[str, Any]]) -> int:
    """Entries as a release before the key wrote them (no `mac`): for tests that rebuild an
    older database, and for showing what an entry written without the key looks like."""
    prev = session.execute(select(Event.hash).order_by(Event.id.desc()).limit(1)).scalar()
    return _insert_rows(session, rows, prev or GENESIS, None) if rows else 0


# --- checking --------------------------------------------------------------------------------


class ChainBreak(BaseModel):
    event_id: int
    problem: str


# What is wrong with an entry, shown after "event N:" (translated where a check reports it).
_UNLINKED = N_("does not follow the entry before it (a row was removed or inserted)")
_CHANGED = N_("its content does not match its hash (the row was changed)")
_NO_MAC = N_(
    "has no key (MAC) though the log is keyed from entry {k} on: it was written without "
    "this database's key"
)
_BAD_MAC = N_("its key (MAC) is not this database's: it was written, or changed, without the key")
_EARLY_MAC = N_("carries a key (MAC) but comes before the entry the log is keyed from ({k})")
_ORPHAN_MAC = N_(
    "carries a key (MAC) but the database has no key record (database_info log_key was removed)"
)


def _mac_problem(row: Any, key: KeyStatus) -> str | None:
    mac = row["mac"]
    record = key.record
    if record is None:
        return _(_ORPHAN_MAC) if mac is not None and key.record_text is None else None
    if row["id"] < record.keyed_from:
        return _(_EARLY_MAC).format(k=record.keyed_from) if mac is not None else None
    if mac is None:
        return _(_NO_MAC).format(k=record.keyed_from)
    if key.key is not None and not hmac.compare_digest(mac, entry_mac(key.key, row["hash"])):
        return _(_BAD_MAC)
    return None


_CHAIN_COLUMNS = (
    Event.id,
    *(getattr(Event, c) for c in COLUMNS),
    Event.prev_hash,
    Event.hash,
    Event.mac,
)


def chain_rows(session: Session, *where: Any) -> Iterator[Any]:
    """Entries (as row mappings), oldest first, streamed."""
    q = select(*_CHAIN_COLUMNS).where(*where).order_by(Event.id)
    for row in session.execute(q.execution_options(yield_per=2000)):
        yield row._mapping


def iter_chain(session: Session, key: KeyStatus) -> Iterator[tuple[Any, list[str]]]:
    """Every entry in order with what is wrong with it (hash, link to the previous entry,
    key), streamed: the whole log is never held at once."""
    prev = GENESIS
    for row in chain_rows(session):
        problems = []
        if row["prev_hash"] != prev:
            problems.append(_(_UNLINKED))
        if _digest(row["prev_hash"], _row_fields(row)) != row["hash"]:
            problems.append(_(_CHANGED))
        mac = _mac_problem(row, key)
        if mac is not None:
            problems.append(mac)
        prev = row["hash"]
        yield row, problems


def check_entries(session: Session, events: Iterable[Event], key: KeyStatus) -> list[ChainBreak]:
    """The chain check for some entries only (one audit's): each still matches its hash and
    key, is chained to the entry before it, and the entry after it is chained to it."""
    breaks: list[ChainBreak] = []
    for e in events:
        before = session.execute(
            select(Event.hash).where(Event.id < e.id).order_by(Event.id.desc()).limit(1)
        ).scalar()
        if e.prev_hash != (before or GENESIS):
            breaks.append(ChainBreak(event_id=e.id, problem=_(_UNLINKED)))
        if _digest(e.prev_hash, _fields(e)) != e.hash:
            breaks.append(ChainBreak(event_id=e.id, problem=_(_CHANGED)))
        mac = _mac_problem({"id": e.id, "mac": e.mac, "hash": e.hash}, key)
        if mac is not None:
            breaks.append(ChainBreak(event_id=e.id, problem=mac))
        after = session.execute(
            select(Event.id, Event.prev_hash).where(Event.id > e.id).order_by(Event.id).limit(1)
        ).first()
        if after is not None and after[1] != e.hash:
            breaks.append(ChainBreak(event_id=after[0], problem=_(_UNLINKED)))
    # Two entries next to each other would report the link between them twice.
    return list({(b.event_id, b.problem): b for b in breaks}.values())
