"""The append-only event log with a hash chain, and its verification."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from audit_tui.store.models import Event, utcnow

GENESIS = "0" * 64


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


_HASHED = ("at", "actor", "action", "entity", "entity_id", "audit_id", "field")


def _row_fields(row: dict[str, Any]) -> dict[str, Any]:
    """What the hash covers, from a row of Event column values (one format for both paths)."""
    at = row["at"]
    fields = {name: row[name] for name in _HASHED}
    fields["at"] = at.replace(tzinfo=None).isoformat(timespec="microseconds") if at else None
    fields.update(old=row["old_value"], new=row["new_value"], reason=row["reason"])
    return fields


def _fields(e: Event) -> dict[str, Any]:
    return _row_fields(
        {name: getattr(e, name) for name in (*_HASHED, "old_value", "new_value", "reason")}
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)


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
) -> Event:
    """Append one event inside the caller's transaction, chained to the last one."""
    prev = _chain_tip(session)
    event = Event(
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        audit_id=audit_id,
        field=field,
        old_value=_text(old),
        new_value=_text(new),
        reason=reason,
        prev_hash=prev,
    )
    event.hash = _digest(event.prev_hash, _fields(event))
    session.add(event)
    session.flush()
    return event


def _chain_tip(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appends so two writers cannot chain to the same previous entry.
        session.execute(text("SELECT pg_advisory_xact_lock(727274)"))
    prev = session.execute(select(Event.hash).order_by(Event.id.desc()).limit(1)).scalar()
    return prev or GENESIS


def append_events(session: Session, rows: list[dict[str, Any]]) -> int:
    """Bulk `log_event` for generated data, inside the caller's transaction. Rows hold Event
    column values (`at`, `actor`, `action`, `entity`, `entity_id`, `audit_id`, `field`,
    `old_value`, `new_value`, `reason`); they are numbered, chained and hashed exactly as
    `log_event` does and inserted in one statement. Returns the last id written."""
    if not rows:
        return 0
    prev = _chain_tip(session)
    next_id = (session.execute(select(func.max(Event.id))).scalar() or 0) + 1
    for i, row in enumerate(rows):
        row["id"] = next_id + i
        row["old_value"] = _text(row["old_value"])
        row["new_value"] = _text(row["new_value"])
        row["prev_hash"] = prev
        row["hash"] = prev = _digest(prev, _row_fields(row))
    session.execute(insert(Event.__table__), rows)  # one executemany, not the ORM bulk path
    last = next_id + len(rows) - 1
    if session.get_bind().dialect.name == "postgresql":
        # Ids were given explicitly: move the sequence on so log_event does not reuse them.
        session.execute(
            text("SELECT setval(pg_get_serial_sequence('events', 'id'), :last)"), {"last": last}
        )
    return last


class ChainBreak(BaseModel):
    event_id: int
    problem: str


_UNLINKED = "does not follow the entry before it (a row was removed or inserted)"
_CHANGED = "its content does not match its hash (the row was changed)"


def check_entries(session: Session, events: list[Event]) -> list[ChainBreak]:
    """`verify_chain` for some entries only (one audit's): each still matches its hash, is
    chained to the entry before it, and the entry after it is chained to it."""
    breaks: list[ChainBreak] = []
    for e in events:
        before = session.execute(
            select(Event.hash).where(Event.id < e.id).order_by(Event.id.desc()).limit(1)
        ).scalar()
        if e.prev_hash != (before or GENESIS):
            breaks.append(ChainBreak(event_id=e.id, problem=_UNLINKED))
        if _digest(e.prev_hash, _fields(e)) != e.hash:
            breaks.append(ChainBreak(event_id=e.id, problem=_CHANGED))
        after = session.execute(
            select(Event.id, Event.prev_hash).where(Event.id > e.id).order_by(Event.id).limit(1)
        ).first()
        if after is not None and after[1] != e.hash:
            breaks.append(ChainBreak(event_id=after[0], problem=_UNLINKED))
    # Two entries next to each other would report the link between them twice.
    return list({(b.event_id, b.problem): b for b in breaks}.values())


def verify_chain(session: Session) -> list[ChainBreak]:
    breaks: list[ChainBreak] = []
    prev = GENESIS
    for e in session.execute(select(Event).order_by(Event.id)).scalars():
        if e.prev_hash != prev:
            breaks.append(ChainBreak(event_id=e.id, problem=_UNLINKED))
        if _digest(e.prev_hash, _fields(e)) != e.hash:
            breaks.append(ChainBreak(event_id=e.id, problem=_CHANGED))
        prev = e.hash
    return breaks
