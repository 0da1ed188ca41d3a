"""Safeguarding: raise a concern ("a child may be at risk now"), record the escalation (to
whom, when), acknowledge it, or withdraw a concern raised in error - one dialog that offers
what the audit's state allows. The service refuses anything out of order; its message shows
in the dialog."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from audit_tui.domain.errors import UserError
from audit_tui.services import escalation
from audit_tui.services.context import AppContext
from audit_tui.services.escalation import EscalationStatus
from audit_tui.ui.format import NOTE_HELP
from audit_tui.ui.screens.form_modal import FormModal, parse_when
from audit_tui.ui.screens.modals import TextPromptModal
from audit_tui.ui.screens.open_audit import same_person

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


class EscalationModal(FormModal[EscalationStatus | None]):
    TITLE_TEXT = "Safeguarding concern - a child may be at risk now"
    # Wide enough for its three buttons side by side at 80 columns.
    DEFAULT_CSS = "EscalationModal > DialogBody { width: 76; }"

    def __init__(self, ctx: AppContext, audit_id: int) -> None:
        super().__init__()
        self.ctx, self.audit_id = ctx, audit_id
        self.status = escalation.escalation_status(ctx, audit_id)
        # Separation of duties: whoever escalated it is not offered the acknowledgement.
        self.own = self.status.state == "awaiting_acknowledgement" and same_person(
            self.status.escalated_by, ctx.me
        )
        self.SAVE_LABEL = {
            "none": "Raise concern",
            "not_escalated": "Record escalation",
            "awaiting_acknowledgement": "Close" if self.own else "Acknowledge",
            "acknowledged": "Close",
        }[self.status.state]

    def _now(self) -> str:
        clock = getattr(self.app, "clock", datetime.now)
        return f"{clock():%Y-%m-%d %H:%M}"

    def fields(self) -> Iterable[Widget]:
        st = self.status
        yield Static(
            Content.assemble(
                (f"Audit {st.audit_id}, case {st.case_reference}, team {st.team}: ", "bold"),
                STATE_TEXT[st.state],
            ),
            classes="form-info",
        )
        if st.concern_note:
            yield Static(f"Concern: {st.concern_note}", classes="form-info", markup=False)
        if st.state == "none":
            yield Static(
                "Raise it now. The audit cannot be finalised until you record to whom and when "
                "it was escalated; you can record that now as well.",
                classes="form-info",
            )
            yield self.label(f"What is the risk? (required) - {NOTE_HELP}")
            yield Input(id="esc-note")
        if st.state in ("none", "not_escalated"):
            optional = " (leave blank if not escalated yet)" if st.state == "none" else ""
            yield self.label(f"Escalated to (name or role){optional}")
            yield Input(placeholder="e.g. duty team manager", id="esc-to")
            yield self.label("When (YYYY-MM-DD HH:MM)")
            yield Input(value=self._now(), id="esc-when")
        if st.state == "not_escalated":
            yield self.label(f"Note (optional) - {NOTE_HELP}")
            yield Input(id="esc-extra")
        if st.state in ("awaiting_acknowledgement", "acknowledged"):
            yield Static(
                f"Escalated to {st.escalated_to} at {local(st.escalated_at)}.",
                classes="form-info",
                markup=False,
            )
        if st.state == "awaiting_acknowledgement" and self.own:
            yield Static(
                f"You escalated it, so you cannot acknowledge it: {st.escalated_to} (who "
                "received it) or another colleague does, as themselves.",
                classes="form-info",
                markup=False,
            )
        elif st.state == "awaiting_acknowledgement":
            yield Static(
                Content.assemble(
                    "Acknowledging as ",
                    (self.ctx.me, "bold"),
                    f": you confirm the escalation to {st.escalated_to} was received and is "
                    "being acted on.",
                ),
                classes="form-info",
            )
        if st.state == "acknowledged":
            yield Static(
                f"Acknowledged by {st.acknowledged_by} at {local(st.acknowledged_at)}.",
                classes="form-info",
                markup=False,
            )

    def extra_buttons(self) -> Iterable[Widget]:
        if self.status.state == "not_escalated":
            yield Button("Withdraw (in error)", id="esc-withdraw")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "esc-withdraw":
            event.stop()

            def withdraw(reason: str) -> str:
                escalation.withdraw_concern(self.ctx, self.audit_id, reason)
                return "withdrawn"

            self.app.push_screen(
                TextPromptModal(
                    "Withdraw the concern",
                    "Why was it raised in error? (required, logged)",
                    withdraw,
                ),
                self._withdrawn,
            )
            return
        super().on_button_pressed(event)

    def _withdrawn(self, result: str | None) -> None:
        if result is not None:
            self.dismiss(escalation.escalation_status(self.ctx, self.audit_id))

    def save(self) -> EscalationStatus:
        state = self.status.state
        if state == "acknowledged" or (state == "awaiting_acknowledgement" and self.own):
            return self.status
        if state == "awaiting_acknowledgement":
            return escalation.acknowledge_escalation(self.ctx, self.audit_id)
        to_whom = self.value("esc-to").strip()
        if state == "none":
            note = self.value("esc-note")
            if not note.strip():
                raise UserError("say what the risk is (use initials)")
            if not to_whom:
                return escalation.raise_concern(self.ctx, self.audit_id, note)
            # One transaction: the escalation raises the concern with its note.
            when = parse_when(self.value("esc-when"), "when")
            return escalation.record_escalation(self.ctx, self.audit_id, to_whom, when, note)
        when = parse_when(self.value("esc-when"), "when")
        return escalation.record_escalation(
            self.ctx, self.audit_id, to_whom, when, self.value("esc-extra")
        )


def show_concern_banner(banner: Static, ctx: AppContext, audit_id: int) -> EscalationStatus:
    """Show the audit's open concern or unacknowledged escalation in `banner`; hide it when
    there is none."""
    st = escalation.escalation_status(ctx, audit_id)
    shown = st.state in ("not_escalated", "awaiting_acknowledgement")
    banner.set_class(shown, "-shown")
    if shown:
        hint = " - ! records the escalation" if st.state == "not_escalated" else ""
        banner.update(Content.assemble(status_line(st), (hint, "bold")))
    return st
