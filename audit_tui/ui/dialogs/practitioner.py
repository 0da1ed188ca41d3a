"""The practitioner's side of an audit: their response (agree / disagree with a comment),
recorded by the auditor, and the feedback document written for them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input, Select, Static

from audit_tui.i18n import N_, _
from audit_tui.services import escalation
from audit_tui.services.context import AppContext
from audit_tui.services.escalation import PractitionerResponse
from audit_tui.services.schemas import AuditDetail
from audit_tui.ui.bases.form import FormModal
from audit_tui.ui.format import NOTE_HELP


def write_feedback(ctx: AppContext, audit_id: int) -> Path:
    """The feedback document for the case-holder, under a name never taken before, in the
    session's exports folder (the `exports` setting: AUDIT_TUI_EXPORTS, the settings file, or
    the documents folder's audit-tui folder)."""
    from audit_tui.export.feedback import write_feedback as write

    return write(ctx, audit_id, Path(ctx.settings.exports).expanduser())


class ResponseModal(FormModal[PractitionerResponse | None]):
    # Translated where the form shows it (bases/form.py).
    TITLE_TEXT = N_("Practitioner's response to the audit")

    def __init__(self, detail: AuditDetail) -> None:
        super().__init__()
        self.detail = detail

    def fields(self) -> Iterable[Widget]:
        d = self.detail
        text = (
            _(
                "What {who} said about the audit of {case}. A disagreement needs a comment "
                "saying what is disputed."
            ).format(who=d.case_holder, case=d.case_reference)
            if d.case_holder
            else _(
                "What the case-holder said about the audit of {case}. A disagreement needs a "
                "comment saying what is disputed."
            ).format(case=d.case_reference)
        )
        yield Static(text, classes="form-info", markup=False)
        yield self.label(_("Response"))
        yield Select(
            [(_("Agrees with the audit"), "agree"), (_("Disagrees with the audit"), "disagree")],
            value=d.practitioner_response or Select.NULL,
            prompt=_("Choose agree or disagree"),
            id="resp-choice",
        )
        yield self.label(_("Comment - {help}").format(help=_(NOTE_HELP)))
        yield Input(value=d.practitioner_comment or "", id="resp-comment")

    def save(self) -> PractitionerResponse:
        return escalation.record_practitioner_response(
            self.ctx, self.detail.id, self.value("resp-choice"), self.value("resp-comment")
        )
