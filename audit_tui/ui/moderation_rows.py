"""Moderation requests in the order a person works through them: theirs to moderate first,
then their own audits, open before agreed, oldest request first (Home's hook and the
Moderation screen list them the same way)."""

from __future__ import annotations

from audit_tui.domain.people import same_person
from audit_tui.i18n import N_, _
from audit_tui.services.moderation import ModerationSummary

# Marked here; shown with `status_text` (or `_()` where it is shown).
STATUS_TEXT = {
    "requested": N_("to answer blind"),
    "submitted": N_("submitted: agree"),
    "agreed": N_("✓ agreed"),
}
STATUS_ORDER = {"requested": 0, "submitted": 1, "agreed": 2}


def status_text(status: str) -> str:
    """A moderation's status in words, in the interface's language."""
    word = STATUS_TEXT.get(status)
    return _(word) if word else status


def for_whom(m: ModerationSummary, me: str) -> str:
    if same_person(m.moderator, me):
        return _("YOU moderate")
    if same_person(m.auditor, me):
        return _("your audit")
    return ""


def ordered(rows: list[ModerationSummary], me: str) -> list[ModerationSummary]:
    """Mine first (to moderate, then my audits), open before agreed, oldest request first."""

    def key(m: ModerationSummary) -> tuple[int, int, float, int]:
        mine = 0 if same_person(m.moderator, me) else 1 if same_person(m.auditor, me) else 2
        return (mine, STATUS_ORDER.get(m.status, 3), m.requested_at.timestamp(), m.id)

    return sorted(rows, key=key)


def waiting_for(rows: list[ModerationSummary], me: str) -> list[ModerationSummary]:
    """Mine to answer blind, then mine awaiting agreement. Not my own audits: their auditor
    never records the agreement (separation of duties)."""
    mine = [
        m
        for m in rows
        if m.status in ("requested", "submitted")
        and same_person(m.moderator, me)
        and not same_person(m.auditor, me)
    ]
    return ordered(mine, me)
