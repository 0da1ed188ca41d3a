"""A safeguarding concern in words: the marker and state of an audit's escalation, and the
banner the walkthrough, the review and the audit view show while one needs action."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:  # Home's first frame imports MARK without the services (ui/startup.py)
    from audit_tui.services.context import AppContext
    from audit_tui.services.escalation import EscalationStatus

MARK = "⚠ ESCALATION"
STATE_TEXT = {
    "not_escalated": "concern open, NOT ESCALATED yet",
    "awaiting_acknowledgement": "escalated, awaiting acknowledgement",
    "acknowledged": "escalated and acknowledged",
    "none": "no concern raised",
}


def local(t: datetime | None) -> str:
    return t.astimezone().strftime("%Y-%m-%d %H:%M") if t else "-"


def status_line(st: EscalationStatus) -> Content:
    """One line for a banner or a list: the marker in words, never colour alone."""
    text = f"{MARK} {st.case_reference}: {STATE_TEXT[st.state]}"
    if st.escalated_to:
        text += f" - to {st.escalated_to} at {local(st.escalated_at)}"
    if st.state == "acknowledged":
        text += f", acknowledged by {st.acknowledged_by}"
    return Content.assemble((text, "bold $text-error" if st.state != "acknowledged" else "bold"))


class ConcernBanner(Static):
    """Shows the audit's open concern or unacknowledged escalation; hidden when there is none
    (the app's CSS shows `.concern-banner.-shown`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="concern-banner")

    def show_for(self, ctx: AppContext, audit_id: int) -> EscalationStatus:
        from audit_tui.services import escalation

        st = escalation.escalation_status(ctx, audit_id)
        shown = st.state in ("not_escalated", "awaiting_acknowledgement")
        self.set_class(shown, "-shown")
        if shown:
            hint = " - ! records the escalation" if st.state == "not_escalated" else ""
            self.update(Content.assemble(status_line(st), (hint, "bold")))
        return st
