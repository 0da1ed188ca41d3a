"""Safeguarding escalation and the practitioner's response to an audit.

An auditor who finds that a child may be at risk now raises a concern on the audit at once.
The audit cannot be finalised until the escalation (to whom, when) is recorded, and it stays at
the top of Home until someone acknowledges the escalation. Notes use initials, never names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.i18n import _
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import log_event
from audit_tui.store.models import Audit, Case, Team, Worker, utcnow


class EscalationStatus(BaseModel):
    audit_id: int
    case_reference: str
    team: str
    auditor: str
    audit_status: str
    concern_open: bool
    concern_note: str | None
    escalated_to: str | None
    escalated_at: datetime | None
    escalated_by: str | None = None  # who raised or escalated it (cannot acknowledge it)
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    # not_escalated: a concern with no escalation yet (most urgent);
    # awaiting_acknowledgement: escalated, nobody has confirmed receipt; acknowledged; none.
    state: Literal["not_escalated", "awaiting_acknowledgement", "acknowledged", "none"]


class PractitionerResponse(BaseModel):
    audit_id: int
    response: Literal["agree", "disagree"]
    comment: str | None


def _state(a: Audit) -> str:
    if a.escalated_to is not None:
        return "acknowledged" if a.escalation_acknowledged_at else "awaiting_acknowledgement"
    return "not_escalated" if a.concern_open else "none"


def _aware(t: datetime | None) -> datetime | None:
    # SQLite hands back naive UTC times, PostgreSQL aware ones: make them one kind.
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def _status(a: Audit, ref: str, team: str, auditor: str) -> EscalationStatus:
    return EscalationStatus(
        audit_id=a.id,
        case_reference=ref,
        team=team,
        auditor=auditor,
        audit_status=a.status,
        concern_open=a.concern_open,
        concern_note=a.escalation_note,
        escalated_to=a.escalated_to,
        escalated_at=_aware(a.escalated_at),
        escalated_by=a.escalated_by,
        acknowledged_at=_aware(a.escalation_acknowledged_at),
        acknowledged_by=a.escalation_acknowledged_by,
        state=_state(a),
    )


def _load(s: Session, audit_id: int) -> Audit:
    audit = s.get(Audit, audit_id)
    if audit is None:
        raise UserError(_("no audit {id}").format(id=audit_id))
    return audit


def _of(a: Audit) -> EscalationStatus:
    return _status(a, a.case.reference, a.team.name, a.auditor.name)


def _text(value: str | None, what: str) -> str:
    clean = " ".join((value or "").split())
    if not clean:
        raise UserError(_("{what} cannot be empty").format(what=what))
    return clean


def _log(
    ctx: AppContext,
    s: Session,
    audit: Audit,
    action: str,
    field: str,
    old: object,
    new: object,
    at: datetime,
) -> None:
    """Log a change to one of the audit's columns; the audit was last changed then."""
    log_event(
        s,
        ctx.actor,
        action,
        "audit",
        audit.id,
        audit_id=audit.id,
        field=field,
        old=old,
        new=new,
        at=at,
    )
    audit.updated_at = at


def _utc(when: datetime | date) -> datetime:
    """A naive time is the user's local clock; stored in UTC like every other time."""
    if not isinstance(when, datetime):
        when = datetime.combine(when, time(0, 0))
    if when.tzinfo is None:
        when = when.astimezone()
    return when.astimezone(UTC)


def escalation_status(ctx: AppContext, audit_id: int) -> EscalationStatus:
    with ctx.db.read() as s:
        return _of(_load(s, audit_id))


def raise_concern(ctx: AppContext, audit_id: int, note: str) -> EscalationStatus:
    """Mark that a child may be at risk now. The audit cannot be finalised until the
    escalation is recorded."""
    clean = _text(note, _("the concern note (what the risk is; use initials)"))
    with ctx.db.write() as s:
        audit = _load(s, audit_id)
        if audit.concern_open:
            raise UserError(
                _("audit {id} already has an open safeguarding concern").format(id=audit.id)
            )
        if audit.status == "finalised":
            raise UserError(
                _(
                    "audit {id} is finalised: record the escalation itself (to whom and when)"
                ).format(id=audit.id)
            )
        now = utcnow()
        _log(ctx, s, audit, "raise_concern", "concern_open", False, True, now)
        _log(ctx, s, audit, "raise_concern", "escalation_note", audit.escalation_note, clean, now)
        if audit.escalated_by != ctx.me:
            _log(ctx, s, audit, "raise_concern", "escalated_by", audit.escalated_by, ctx.me, now)
        audit.concern_open = True
        audit.escalated_by = ctx.me
        audit.escalation_note = clean
        s.flush()
        return _of(audit)


def withdraw_concern(ctx: AppContext, audit_id: int, reason: str) -> EscalationStatus:
    """Take back a concern raised in error, before it has been escalated."""
    why = _text(reason, _("the reason for withdrawing the concern"))
    with ctx.db.write() as s:
        audit = _load(s, audit_id)
        if not audit.concern_open:
            raise UserError(_("audit {id} has no open safeguarding concern").format(id=audit.id))
        if audit.escalated_to is not None:
            raise UserError(
                _("the concern on audit {id} was escalated to {whom}: it stays on record").format(
                    id=audit.id, whom=audit.escalated_to
                )
            )
        now = utcnow()
        log_event(
            s,
            ctx.actor,
            "withdraw_concern",
            "audit",
            audit.id,
            audit_id=audit.id,
            field="concern_open",
            old=True,
            new=False,
            reason=why,
            at=now,
        )
        audit.concern_open = False
        audit.updated_at = now
        s.flush()
        return _of(audit)


def record_escalation(
    ctx: AppContext,
    audit_id: int,
    to_whom: str,
    when: datetime | date,
    note: str | None = None,
) -> EscalationStatus:
    """Record to whom and when the concern was escalated. On an audit with no concern raised
    yet, this raises it too (an escalation is always about a concern)."""
    who = _text(to_whom, _("to whom it was escalated"))
    if len(who) > 120:
        raise UserError(_("to whom it was escalated: at most 120 characters"))
    at = _utc(when)
    if at.astimezone().date() > ctx.today():
        raise UserError(
            _("the escalation date {date} is in the future").format(
                date=f"{at.astimezone():%Y-%m-%d}"
            )
        )
    extra = " ".join((note or "").split()) or None
    with ctx.db.write() as s:
        audit = _load(s, audit_id)
        if audit.escalated_to is not None:
            raise UserError(
                _("audit {id} was already escalated to {whom} on {date}").format(
                    id=audit.id, whom=audit.escalated_to, date=f"{audit.escalated_at:%Y-%m-%d}"
                )
            )
        raised_now = not audit.concern_open
        # Set together before any flush: a finalised audit may never hold an open concern
        # without its escalation (a CHECK constraint says so too).
        audit.concern_open = True
        audit.escalated_to = who
        audit.escalated_at = at
        now = utcnow()
        # Who escalated it: nobody acknowledges their own escalation.
        if audit.escalated_by != ctx.me:
            _log(ctx, s, audit, "escalate", "escalated_by", audit.escalated_by, ctx.me, now)
        audit.escalated_by = ctx.me
        if raised_now:
            _log(ctx, s, audit, "raise_concern", "concern_open", False, True, now)
        _log(ctx, s, audit, "escalate", "escalated_to", None, who, now)
        _log(ctx, s, audit, "escalate", "escalated_at", None, at.isoformat(), now)
        if extra:
            joined = f"{audit.escalation_note}\n{extra}" if audit.escalation_note else extra
            _log(ctx, s, audit, "escalate", "escalation_note", audit.escalation_note, joined, now)
            audit.escalation_note = joined
        s.flush()
        return _of(audit)


def acknowledge_escalation(
    ctx: AppContext, audit_id: int, by: str | None = None
) -> EscalationStatus:
    """Whoever received the escalation confirms it; the audit then leaves Home's list. It is
    acknowledged by the person using the tool (`by` may only repeat their name): separation of
    duties, nobody acknowledges an escalation they raised."""
    who = _text(by if by is not None else ctx.me, _("who acknowledged the escalation"))
    if len(who) > 120:
        raise UserError(_("who acknowledged the escalation: at most 120 characters"))
    if who.lower() != " ".join(ctx.me.split()).lower():
        raise UserError(
            _(
                "you are {me}: {who} acknowledges it themselves, as the person who received it"
            ).format(me=ctx.me, who=who)
        )
    with ctx.db.write() as s:
        audit = _load(s, audit_id)
        if audit.escalated_to is None:
            raise UserError(_("audit {id} has no escalation to acknowledge").format(id=audit.id))
        if audit.escalated_by and audit.escalated_by.lower() == who.lower():
            raise UserError(
                _(
                    "you escalated the concern on audit {id} yourself: the person who "
                    "received it ({whom}) or another colleague acknowledges it"
                ).format(id=audit.id, whom=audit.escalated_to)
            )
        if audit.escalation_acknowledged_at is not None:
            raise UserError(
                _("the escalation on audit {id} was already acknowledged by {who}").format(
                    id=audit.id, who=audit.escalation_acknowledged_by
                )
            )
        now = utcnow()
        # The acknowledgement's time is its log entry's.
        _log(ctx, s, audit, "acknowledge", "escalation_acknowledged_by", None, who, now)
        audit.escalation_acknowledged_at = now
        audit.escalation_acknowledged_by = who
        s.flush()
        return _of(audit)


def open_escalations(ctx: AppContext) -> list[EscalationStatus]:
    """What Home shows at the top: open concerns not yet escalated (first), then escalations
    nobody has acknowledged, oldest first."""
    auditor_name = Worker.name
    q = (
        select(Audit, Case.reference, Team.name, auditor_name)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Audit.team_id)
        .join(Worker, Worker.id == Audit.auditor_id)
        .where(
            or_(
                and_(Audit.concern_open.is_(True), Audit.escalated_to.is_(None)),
                and_(
                    Audit.escalated_to.is_not(None),
                    Audit.escalation_acknowledged_at.is_(None),
                ),
            )
        )
    )
    with ctx.db.read() as s:
        items = [_status(a, ref, team, auditor) for a, ref, team, auditor in s.execute(q)]
    return sorted(
        items,
        key=lambda e: (
            e.state != "not_escalated",
            e.escalated_at or datetime.min.replace(tzinfo=UTC),
            e.audit_id,
        ),
    )


def record_practitioner_response(
    ctx: AppContext, audit_id: int, response: str, comment: str | None = None
) -> PractitionerResponse:
    """The case-holder's response to the audit, recorded by the auditor. A disagreement needs
    a comment saying what the practitioner disagrees with."""
    code = (response or "").strip().lower()
    if code not in ("agree", "disagree"):
        raise UserError(
            _("practitioner response '{response}' must be agree or disagree").format(
                response=response
            )
        )
    clean = (comment or "").strip() or None
    if code == "disagree" and clean is None:
        raise UserError(_("a disagreement needs a comment saying what the practitioner disputes"))
    with ctx.db.write() as s:
        audit = _load(s, audit_id)
        old = {"response": audit.practitioner_response, "comment": audit.practitioner_comment}
        new = {"response": code, "comment": clean}
        if old != new:
            now = utcnow()
            log_event(
                s,
                ctx.actor,
                "practitioner_response",
                "audit",
                audit.id,
                audit_id=audit.id,
                field="practitioner_response",
                old=old if audit.practitioner_response else None,
                new=new,
                at=now,
            )
            audit.practitioner_response = code
            audit.practitioner_comment = clean
            audit.updated_at = now
        return PractitionerResponse(audit_id=audit.id, response=code, comment=clean)
