"""A finalised audit, read-only. Changing it is an amendment with a reason (the service logs it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.messages import plain_error
from audit_tui.services import audits, framework_versions
from audit_tui.services.escalation import PractitionerResponse
from audit_tui.services.schemas import Amend, AuditDetail
from audit_tui.ui.format import NOTE_HELP, answer_content, option_text, percent
from audit_tui.ui.screens.action_modals import add_action, warn_unless_actionable
from audit_tui.ui.screens.audit_loop import loop_lines
from audit_tui.ui.screens.base import AuditScreen
from audit_tui.ui.screens.escalation import EscalationModal, show_concern_banner
from audit_tui.ui.screens.modals import DialogBody, GuardTyped, dialog_css
from audit_tui.ui.screens.practitioner import ResponseModal, write_feedback
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.tables import Col, fill_table, table_room


class AmendModal(GuardTyped, ModalScreen[AuditDetail | None]):
    """Amend one answer (and its note) or the judgement. The reason is required."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", key_display="esc"),
        Binding("ctrl+s", "save", "Save amendment"),
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
        q = self.question
        with DialogBody():
            if q is not None:
                answer = self.detail.answers.get(q.id)
                yield Static(f"Amend {q.id}", classes="dialog-title")
                yield Static(q.text, markup=False)
                yield Label("Answer")
                yield Select(
                    [(option_text(o), o.code) for o in self.fw.scale(q.scale).options],
                    value=answer.answer if answer else Select.NULL,
                    allow_blank=answer is None,
                    id="amend-choice",
                )
                yield Label(f"Note - {NOTE_HELP}")
                yield Input(value=(answer.note or "") if answer else "", id="amend-note")
            else:
                yield Static("Amend the judgement", classes="dialog-title")
                yield Label("Judgement")
                yield Select(
                    [(label, code) for code, label in self.fw.judgements.choices],
                    value=self.detail.judgement or Select.NULL,
                    id="amend-choice",
                )
            yield Label("Reason for the amendment (required, logged)")
            yield Input(placeholder="e.g. moderation found the plan was on file", id="amend-reason")
            yield Static("", classes="dialog-error", id="amend-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

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
            error.update("✗ Nothing changed.")
            return
        if len(reason) < 3:
            error.update("✗ Give a reason for the amendment (at least 3 characters).")
            return
        try:
            detail = self.submit(Amend.model_validate(fields))
        except ValidationError as exc:
            error.update(f"✗ {plain_error(exc, {'reason': 'Reason'})}")
            return
        except UserError as exc:
            error.update(f"✗ {exc}")
            return
        self.dismiss(detail)


class AuditViewScreen(AuditScreen[None]):
    HELP_TITLE = "Finalised audit (read-only)"
    AUTO_FOCUS = "#av-answers"
    BINDINGS = [
        # Short words, so the footer fits 80 columns (a and c are in the answers' title);
        # ? and ctrl+p say them all in full.
        Binding("a", "amend_answer", "Amend answer", show=False),
        Binding("j", "amend_judgement", "Judgement", tooltip="Amend the judgement"),
        Binding("c", "add_action", "Add action", show=False),
        Binding("C", "add_audit_action", "Add action for the whole audit", show=False),
        Binding("t", "actions", "Actions of this audit", show=False),
        Binding("exclamation_mark", "concern", "Concern", key_display="!"),
        Binding("r", "response", "Response", tooltip="The practitioner's response"),
        Binding("f", "feedback", "Feedback", tooltip="Write the feedback document"),
        Binding("p", "previous_audit", "Open the previous audit", show=False),
        Binding("h", "history", "History"),
        Binding("escape,q", "back", "Back", key_display="esc"),
    ]

    def __init__(self, audit_id: int) -> None:
        super().__init__()
        self.audit_id = audit_id
        self.detail = audits.get_audit(self.ctx, audit_id)
        self.fw = framework_versions.framework(self.ctx, self.detail.framework_hash)
        self.feedback_path: Path | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="av-body"):
            yield Static(id="av-concern", classes="concern-banner")
            yield Static(id="av-summary")
            yield Static(
                "Answers  (a amends one, with a reason · c adds an action on one short of full marks)",
                classes="panel-title",
            )
            yield DataTable(id="av-answers", cursor_type="row", zebra_stripes=True)
            # The highlighted question in full: its text, note and N/A reason (never cut in a
            # table cell).
            yield Static(id="av-question")
        yield AppFooter()

    @property
    def moderated(self) -> bool:
        return self.detail.moderated_judgement is not None

    def on_mount(self) -> None:
        self.show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_question(str(event.row_key.value))

    def _show_question(self, qid: str | None) -> None:
        d, fw = self.detail, self.fw
        box = self.query_one("#av-question", Static)
        if not qid or not fw.has_question(qid):
            box.update("")
            return
        q = fw.question(qid)
        a = d.answers.get(qid)
        lines = [Content.assemble((qid, "bold"), f" {q.text}")]
        if a and a.na_reason:
            lines.append(Content(f"Not applicable because: {a.na_reason}"))
        if a and a.note:
            lines.append(Content(f"Note: {a.note}"))
        box.update(Content("\n").join(lines))

    def show_detail(self) -> None:
        d, fw = self.detail, self.fw
        self.title = f"Audit {d.case_reference}"
        self.sub_title = f"{d.status} · read-only"
        lines = [
            Content.assemble(
                (f"{d.case_reference}", "bold"),
                f" · {d.case_type_label} · team {d.team} · case-holder {d.case_holder or '-'}",
            ),
            Content(
                f"Audited by {d.auditor} on {d.audit_date.isoformat()} · {fw.title} "
                f"v{d.framework_version} · status: {d.status}"
            ),
            *self._figure_lines(),
        ]
        if d.judgement_reason:
            lines.append(Content(f"Reason for the judgement: {d.judgement_reason}"))
        lines.append(Content(f"Strengths: {d.strengths or '-'}"))
        lines.append(Content(f"Areas for development: {d.areas_for_development or '-'}"))
        lines.extend(loop_lines(self.ctx, fw, d))
        if self.feedback_path is not None:
            lines.append(Content(f"Feedback written to {self.feedback_path}"))
        self.query_one("#av-summary", Static).update(Content("\n").join(lines))
        show_concern_banner(self.query_one("#av-concern", Static), self.ctx, self.audit_id)
        table = self.query_one("#av-answers", DataTable)
        row = table.cursor_row
        rows: list[tuple[list[object], str]] = []
        for section, questions in fw.applicable_sections(d.case_type):
            for q in questions:
                a = d.answers.get(q.id)
                marks = [
                    m for m, on in (("note", a and a.note), ("N/A reason", a and a.na_reason)) if on
                ]
                before: object = ""
                if self.moderated:
                    was = d.original_answers.get(q.id)
                    if was is not None:
                        before = Content.assemble(
                            ("changed from ", "$text-warning"), answer_content(fw, q, was.answer)
                        )
                rows.append(
                    (
                        [
                            q.id,
                            answer_content(fw, q, a.answer if a else None),
                            before,
                            "✎ " + ", ".join(marks) if marks else "",
                            section.title,
                        ],
                        q.id,
                    )
                )
        columns = [
            Col("Question", "q"),
            Col("Answer", "a"),
            # Beside each answer moderation changed: the auditor's original, in words.
            Col("Before moderation", "b"),
            Col("Note", "n"),
            Col("Section", "s", priority=1),
        ]
        if not self.moderated:
            columns.pop(2)
            rows = [([c for i, c in enumerate(cells) if i != 2], key) for cells, key in rows]
        fill_table(table, columns, rows, width=table_room(table))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
            key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self._show_question(str(key.value))

    def _figure_lines(self) -> list[Content]:
        """The figures that count; for a moderated audit the agreed ones, then the auditor's
        own before moderation, each said in words."""
        d, label = self.detail, self.fw.judgements.label

        def line(
            title: str, pct: float | None, suggested: str | None, grade: str | None
        ) -> Content:
            return Content.assemble(
                title,
                (percent(pct, fw=self.fw), "bold"),
                " · suggested ",
                label(suggested),
                " · judgement ",
                (label(grade), "bold"),
            )

        counted = d.counted
        if counted is None or not self.moderated:
            return [line("Percent met ", d.percent_met, d.suggested_judgement, d.judgement)]
        changed = len(d.original_answers)
        return [
            line(
                "Agreed at moderation: percent met ",
                counted.percent_met,
                counted.suggested_judgement,
                counted.judgement,
            ),
            Content(
                f"Before moderation: percent met {percent(d.percent_met, fw=self.fw)} · suggested "
                f"{label(d.suggested_judgement)} · auditor's judgement {label(d.judgement)} · "
                f"{changed} answer{'s' if changed != 1 else ''} changed"
            ),
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("amend") or action == "feedback":
            return self.detail.status == "finalised"
        if action == "previous_audit":
            return self.detail.previous_audit_id is not None
        return True

    def _reload(self) -> None:
        self.detail = audits.get_audit(self.ctx, self.audit_id)
        self.show_detail()
        self.refresh_bindings()

    def _selected_question(self) -> Question | None:
        table = self.query_one("#av-answers", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.fw.question(str(row_key.value))

    def action_add_action(self) -> None:
        q = self._selected_question()
        if q is None:
            return
        answer = self.detail.answers.get(q.id)
        if warn_unless_actionable(self, self.fw, q, answer.answer if answer else None):
            add_action(self, self.detail, self.fw, q, then=self.show_detail)

    def action_add_audit_action(self) -> None:
        add_action(self, self.detail, self.fw, None, then=self.show_detail)

    def action_actions(self) -> None:
        from audit_tui.ui.screens.actions import ActionsScreen

        self.app.push_screen(ActionsScreen(audit_id=self.audit_id), lambda _: self._reload())

    def action_concern(self) -> None:
        self.app.push_screen(EscalationModal(self.ctx, self.audit_id), lambda _: self._reload())

    def action_response(self) -> None:
        def saved(result: PractitionerResponse | None) -> None:
            if result is not None:
                self.notify(f"Practitioner response recorded: {result.response}.")
                self._reload()

        self.app.push_screen(ResponseModal(self.ctx, self.detail), saved)

    def action_feedback(self) -> None:
        try:
            path = write_feedback(self.ctx, self.app, self.audit_id)
        except UserError as exc:
            self.notify(str(exc), severity="error", title="Feedback")
            return
        self.feedback_path = path
        self.notify(f"Feedback written to {path}", title="Feedback", timeout=10)
        self.show_detail()

    def action_history(self) -> None:
        from audit_tui.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.audit_id))

    def action_previous_audit(self) -> None:
        if self.detail.previous_audit_id is not None:
            self.app.push_screen(AuditViewScreen(self.detail.previous_audit_id))

    def _amend(self, question: Question | None) -> None:
        def submit(change: Amend) -> AuditDetail:
            return audits.amend(self.ctx, self.audit_id, change)

        def done(detail: AuditDetail | None) -> None:
            if detail is not None:
                self.detail = detail
                self.show_detail()
                self.notify("Amendment saved and logged.", title="Amended")

        self.app.push_screen(AmendModal(self.fw, self.detail, submit, question), done)

    def action_amend_answer(self) -> None:
        q = self._selected_question()
        if q is not None:
            self._amend(q)

    def action_amend_judgement(self) -> None:
        self._amend(None)

    def action_back(self) -> None:
        self.dismiss(None)
