"""Safeguarding: raise a concern ("a child may be at risk now"), record the escalation (to
whom, when), acknowledge it, or withdraw a concern raised in error - one dialog that offers
what the audit's state allows. The service refuses anything out of order; its message shows
in the dialog."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.people import same_person
from audit_tui.i18n import N_, _
from audit_tui.services import escalation
from audit_tui.services.context import AppContext
from audit_tui.services.escalation import EscalationStatus
from audit_tui.ui.bases.form import FormModal, parse_when
from audit_tui.ui.dialogs.moderation import styled
from audit_tui.ui.dialogs.prompts import TextPromptModal
from audit_tui.ui.format import NOTE_HELP
from audit_tui.ui.widgets.concern_banner import STATE_TEXT, local


class EscalationModal(FormModal[EscalationStatus | None]):
    TITLE_TEXT = N_("Safeguarding concern - a child may be at risk now")
    # Wide enough for its three buttons side by side at 80 columns.
    DEFAULT_CSS = "EscalationModal > DialogBody { width: 76; }"

    def __init__(self, status: EscalationStatus, me: str) -> None:
        super().__init__()
        self.status = status
        self.audit_id = status.audit_id
        # Separation of duties: whoever escalated it is not offered the acknowledgement.
        self.own = status.state == "awaiting_acknowledgement" and same_person(
            status.escalated_by, me
        )
        # Marked only: the dialog translates its button's label when it draws it.
        self.SAVE_LABEL = {
            "none": N_("Raise concern"),
            "not_escalated": N_("Record escalation"),
            "awaiting_acknowledgement": N_("Close") if self.own else N_("Acknowledge"),
            "acknowledged": N_("Close"),
        }[status.state]

    @classmethod
    def for_audit(cls, ctx: AppContext, audit_id: int) -> EscalationModal:
        """The dialog for `audit_id` in the state its concern is in now."""
        return cls(escalation.escalation_status(ctx, audit_id), ctx.me)

    def _now(self) -> str:
        return f"{self.audit_app.clock():%Y-%m-%d %H:%M}"

    def fields(self) -> Iterable[Widget]:
        st = self.status
        yield Static(
            Content.assemble(
                (
                    _("Audit {id}, case {case}, team {team}:").format(
                        id=st.audit_id, case=st.case_reference, team=st.team
                    )
                    + " ",
                    "bold",
                ),
                _(STATE_TEXT[st.state]),
            ),
            classes="form-info",
        )
        if st.concern_note:
            yield Static(
                _("Concern: {note}").format(note=st.concern_note), classes="form-info", markup=False
            )
        if st.state == "none":
            yield Static(
                _(
                    "Raise it now. The audit cannot be finalised until you record to whom and "
                    "when it was escalated; you can record that now as well."
                ),
                classes="form-info",
            )
            yield self.label(_("What is the risk? (required) - {help}").format(help=_(NOTE_HELP)))
            yield Input(id="esc-note")
        if st.state in ("none", "not_escalated"):
            yield self.label(
                _("Escalated to (name or role) (leave blank if not escalated yet)")
                if st.state == "none"
                else _("Escalated to (name or role)")
            )
            yield Input(placeholder=_("e.g. duty team manager"), id="esc-to")
            yield self.label(_("When (YYYY-MM-DD HH:MM)"))
            yield Input(value=self._now(), id="esc-when")
        if st.state == "not_escalated":
            yield self.label(_("Note (optional) - {help}").format(help=_(NOTE_HELP)))
            yield Input(id="esc-extra")
        if st.state in ("awaiting_acknowledgement", "acknowledged"):
            yield Static(
                _("Escalated to {whom} at {when}.").format(
                    whom=st.escalated_to, when=local(st.escalated_at)
                ),
                classes="form-info",
                markup=False,
            )
        if st.state == "awaiting_acknowledgement" and self.own:
            yield Static(
                _(
                    "You escalated it, so you cannot acknowledge it: {whom} (who received it) "
                    "or another colleague does, as themselves."
                ).format(whom=st.escalated_to),
                classes="form-info",
                markup=False,
            )
        elif st.state == "awaiting_acknowledgement":
            yield Static(
                styled(
                    _(
                        "Acknowledging as {me}: you confirm the escalation to {whom} was "
                        "received and is being acted on."
                    ),
                    me=(self.ctx.me, "bold"),
                    whom=st.escalated_to or "",
                ),
                classes="form-info",
            )
        if st.state == "acknowledged":
            yield Static(
                _("Acknowledged by {who} at {when}.").format(
                    who=st.acknowledged_by, when=local(st.acknowledged_at)
                ),
                classes="form-info",
                markup=False,
            )

    def extra_buttons(self) -> Iterable[Widget]:
        if self.status.state == "not_escalated":
            yield Button(_("Withdraw (in error)"), id="esc-withdraw")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "esc-withdraw":
            event.stop()

            def withdraw(reason: str) -> str:
                escalation.withdraw_concern(self.ctx, self.audit_id, reason)
                return "withdrawn"

            self.app.push_screen(
                TextPromptModal(
                    _("Withdraw the concern"),
                    _("Why was it raised in error? (required, logged)"),
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
                raise UserError(_("say what the risk is (use initials)"))
            if not to_whom:
                return escalation.raise_concern(self.ctx, self.audit_id, note)
            # One transaction: the escalation raises the concern with its note.
            when = parse_when(self.value("esc-when"), _("when"))
            return escalation.record_escalation(self.ctx, self.audit_id, to_whom, when, note)
        when = parse_when(self.value("esc-when"), _("when"))
        return escalation.record_escalation(
            self.ctx, self.audit_id, to_whom, when, self.value("esc-extra")
        )
