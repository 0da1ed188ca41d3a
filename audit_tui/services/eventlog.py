"""The append-only event log with a hash chain, and its verification."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from audit_tui.store.models import Event, utcnow

GENESIS = "0" * 64


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _fields(e: Event) -> dict[str, Any]:
    at = e.at
    return {
        "at": at.replace(tzinfo=None).isoformat(timespec="microseconds") if at else None,
        "actor": e.actor,
        "action": e.action,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "audit_id": e.audit_id,
        "field": e.field,
        "old": e.old_value,
        "new": e.new_value,
        "reason": e.reason,
    }


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
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appends so two writers cannot chain to the same previous entry.
        session.execute(text("SELECT pg_advisory_xact_lock(727274)"))
    prev = session.execute(select(Event.hash).order_by(Event.id.desc()).limit(1)).scalar()
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
        prev_hash=prev or GENESIS,
    )
    event.hash = _digest(event.prev_hash, _fields(event))
    session.add(event)
    session.flush()
    return event


class ChainBreak(BaseModel):
    event_id: int
    problem: str


def verify_chain(session: Session) -> list[ChainBreak]:
    breaks: list[ChainBreak] = []
    prev = GENESIS
    for e in session.execute(select(Event).order_by(Event.id)).scalars():
        if e.prev_hash != prev:
            breaks.append(
                ChainBreak(
                    event_id=e.id,
                    problem="does not follow the entry before it (a row was removed or inserted)",
                )
            )
        if _digest(e.prev_hash, _fields(e)) != e.hash:
            breaks.append(
                ChainBreak(
                    event_id=e.id,
                    problem="its content does not match its hash (the row was changed)",
                )
            )
        prev = e.hash
    return breaks
