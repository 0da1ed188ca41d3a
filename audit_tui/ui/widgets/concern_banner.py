"""A safeguarding concern in words: the marker and state of an audit's escalation, and the
banner the walkthrough, the review and the audit view show while one needs action."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from audit_tui.i18n import N_, _

if TYPE_CHECKING:  # Home's first frame imports MARK without the services (ui/startup.py)
    from audit_tui.services.context import AppContext
    from audit_tui.services.escalation import EscalationStatus

# Marked with N_, translated where shown (`state_text`, `_(MARK)`).
MARK = N_("⚠ ESCALATION")
STATE_TEXT = {
    "not_escalated": N_("concern open, NOT ESCALATED yet"),
    "awaiting_acknowledgement": N_("escalated, awaiting acknowledgement"),
    "acknowledged": N_("escalated and acknowledged"),
    "none": N_("no concern raised"),
}


def state_text(state: str) -> str:
    """An escalation's state in words, in the interface language."""
    return _(STATE_TEXT[state])


def local(t: datetime | None) -> str:
    return t.astimezone().strftime("%Y-%m-%d %H:%M") if t else "-"


def status_line(st: EscalationStatus) -> Content:
    """One line for a banner or a list: the marker in words, never colour alone."""
    text = f"{_(MARK)} {st.case_reference}: {state_text(st.state)}"
    if st.escalated_to:
        text += " - " + _("to {person} at {time}").format(
            person=st.escalated_to, time=local(st.escalated_at)
        )
    if st.state == "acknowledged":
        text += ", " + _("acknowledged by {person}").format(person=st.acknowledged_by)
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
            hint = " - " + _("! records the escalation") if st.state == "not_escalated" else ""
            self.update(Content.assemble(status_line(st), (hint, "bold")))
        return st
