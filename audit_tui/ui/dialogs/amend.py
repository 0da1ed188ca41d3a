"""Amending a finalised audit: one answer (and its note) or the judgement, with a reason the
service logs."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.messages import plain_error
from audit_tui.i18n import N_, _
from audit_tui.services.schemas import Amend, AuditDetail
from audit_tui.ui.bases.dialog import DialogBody, GuardTyped, dialog_css
from audit_tui.ui.format import NOTE_HELP, option_text
from audit_tui.ui.words import shown_framework


class AmendModal(GuardTyped, ModalScreen[AuditDetail | None]):
    """Amend one answer (and its note) or the judgement. The reason is required."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), key_display="esc"),
        Binding("ctrl+s", "save", N_("Save amendment")),
    ]
    DEFAULT_CSS = dialog_css("AmendModal")

    def __init__(
        self,
        fw: Framework,
        detail: AuditDetail,
        submit: Callable[[Amend], AuditDetail],
        question: Question | None = None,
    ) -> None:
        super().__init__()
        self.fw, self.detail, self.submit, self.question = fw, detail, submit, question

    def compose(self) -> ComposeResult:
        # The framework's words in the interface language (question, answers, grades).
        fw = shown_framework(self.fw)
        q = fw.question(self.question.id) if self.question is not None else None
        with DialogBody():
            if q is not None:
                answer = self.detail.answers.get(q.id)
                yield Static(_("Amend {id}").format(id=q.id), classes="dialog-title")
                yield Static(q.text, markup=False)
                yield Label(_("Answer"))
                yield Select(
                    [(option_text(o), o.code) for o in fw.answer_scale(q).options],
                    value=answer.answer if answer else Select.NULL,
                    allow_blank=answer is None,
                    id="amend-choice",
                )
                yield Label(_("Note - {help}").format(help=_(NOTE_HELP)))
                yield Input(value=(answer.note or "") if answer else "", id="amend-note")
            else:
                yield Static(_("Amend the judgement"), classes="dialog-title")
                yield Label(_("Judgement"))
                yield Select(
                    [(label, code) for code, label in fw.judgements.choices],
                    value=self.detail.judgement or Select.NULL,
                    id="amend-choice",
                )
            yield Label(_("Reason for the amendment (required, logged)"))
            yield Input(
                placeholder=_("e.g. moderation found the plan was on file"), id="amend-reason"
            )
            yield Static("", classes="dialog-error", id="amend-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Cancel (esc)"), id="cancel")
                yield Button(_("Save (ctrl+s)"), id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#amend-reason", Input).focus()
        self.remember_typed()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "amend-reason":
            self.action_save()
        else:
            self.focus_next()

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))

    def action_save(self) -> None:
        choice = self.query_one("#amend-choice", Select).value
        value = None if choice is Select.NULL else str(choice)
        reason = self.query_one("#amend-reason", Input).value.strip()
        error = self.query_one("#amend-error", Static)
        fields: dict[str, object] = {"reason": reason, "expected_version": self.detail.version}
        if self.question is not None:
            old = self.detail.answers.get(self.question.id)
            note = self.query_one("#amend-note", Input).value.strip()
            fields["question_id"] = self.question.id
            if value and (old is None or value != old.answer):
                fields["answer"] = value
            if old is None or note != (old.note or ""):
                fields["note"] = note
            changed = "answer" in fields or "note" in fields
        else:
            if value and value != self.detail.judgement:
                fields["judgement"] = value
            changed = "judgement" in fields
        if not changed:
            error.update("✗ " + _("Nothing changed."))
            return
        if len(reason) < 3:
            error.update("✗ " + _("Give a reason for the amendment (at least 3 characters)."))
            return
        try:
            detail = self.submit(Amend.model_validate(fields))
        except ValidationError as exc:
            error.update(f"✗ {plain_error(exc, {'reason': _('Reason')})}")
            return
        except UserError as exc:
            error.update(f"✗ {exc}")
            return
        self.dismiss(detail)
