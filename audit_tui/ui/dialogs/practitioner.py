"""The practitioner's side of an audit: their response (agree / disagree with a comment),
recorded by the auditor, and the feedback document written for them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input, Select, Static

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
    TITLE_TEXT = "Practitioner's response to the audit"

    def __init__(self, detail: AuditDetail) -> None:
        super().__init__()
        self.detail = detail

    def fields(self) -> Iterable[Widget]:
        d = self.detail
        yield Static(
            f"What {d.case_holder or 'the case-holder'} said about the audit of "
            f"{d.case_reference}. A disagreement needs a comment saying what is disputed.",
            classes="form-info",
            markup=False,
        )
        yield self.label("Response")
        yield Select(
            [("Agrees with the audit", "agree"), ("Disagrees with the audit", "disagree")],
            value=d.practitioner_response or Select.NULL,
            prompt="Choose agree or disagree",
            id="resp-choice",
        )
        yield self.label(f"Comment - {NOTE_HELP}")
        yield Input(value=d.practitioner_comment or "", id="resp-comment")

    def save(self) -> PractitionerResponse:
        return escalation.record_practitioner_response(
            self.ctx, self.detail.id, self.value("resp-choice"), self.value("resp-comment")
        )
