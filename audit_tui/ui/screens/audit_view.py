"""A finalised audit, read-only. Changing it is an amendment with a reason (the service logs it).

Below its figures, the learning loop: its actions, the practitioner's response, an
acknowledged escalation, and the link between an audit and its re-audit with the change in
grade.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.services import actions, audits, framework_versions
from audit_tui.services.context import AppContext
from audit_tui.services.escalation import PractitionerResponse
from audit_tui.services.schemas import Amend, AuditDetail
from audit_tui.ui import messages
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.actions import add_action, warn_unless_actionable
from audit_tui.ui.dialogs.amend import AmendModal
from audit_tui.ui.dialogs.escalation import EscalationModal
from audit_tui.ui.dialogs.practitioner import ResponseModal, write_feedback
from audit_tui.ui.format import answer_content, grade_change_text, percent
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.concern_banner import ConcernBanner
from audit_tui.ui.widgets.tables import Col, fill_table, table_room


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

    def __init__(self, detail: AuditDetail, fw: Framework) -> None:
        super().__init__()
        self.audit_id = detail.id
        self.detail, self.fw = detail, fw
        self.feedback_path: Path | None = None

    @classmethod
    def load(cls, ctx: AppContext, detail: AuditDetail) -> AuditViewScreen:
        """The audit `detail` read against the framework version it was done on."""
        return cls(detail, framework_versions.framework(ctx, detail.framework_hash))

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="av-body"):
            yield ConcernBanner(id="av-concern")
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
        d = self.detail
        self.title = f"Audit {d.case_reference}"
        self.sub_title = f"{d.status} · read-only"
        self.query_one("#av-summary", Static).update(Content("\n").join(self._summary_lines()))
        self.query_one("#av-concern", ConcernBanner).show_for(self.ctx, self.audit_id)
        table = self.query_one("#av-answers", DataTable)
        row = table.cursor_row
        columns = [
            Col("Question", "q"),
            Col("Answer", "a"),
            # Beside each answer moderation changed: the auditor's original, in words.
            Col("Before moderation", "b"),
            Col("Note", "n"),
            Col("Section", "s", priority=1),
        ]
        rows = self._answer_rows()
        if not self.moderated:
            columns.pop(2)
            rows = [([c for i, c in enumerate(cells) if i != 2], key) for cells, key in rows]
        fill_table(table, columns, rows, width=table_room(table))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
            key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
            self._show_question(str(key.value))

    def _summary_lines(self) -> list[Content]:
        d, fw = self.detail, self.fw
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
        return lines

    def _answer_rows(self) -> list[tuple[list[object], str]]:
        """One row per applicable question: id, answer, the answer before moderation (always
        present; dropped by the caller when the audit was not moderated), marks, section."""
        d, fw = self.detail, self.fw
        rows: list[tuple[list[object], str]] = []
        for section, questions in fw.applicable_sections(d.case_type):
            for q in questions:
                a = d.answers.get(q.id)
                marks = [
                    m for m, on in (("note", a and a.note), ("N/A reason", a and a.na_reason)) if on
                ]
                rows.append(
                    (
                        [
                            q.id,
                            answer_content(fw, q, a.answer if a else None),
                            self._before_moderation(q),
                            "✎ " + ", ".join(marks) if marks else "",
                            section.title,
                        ],
                        q.id,
                    )
                )
        return rows

    def _before_moderation(self, q: Question) -> object:
        """The auditor's original answer where moderation changed it, in words."""
        if not self.moderated:
            return ""
        was = self.detail.original_answers.get(q.id)
        if was is None:
            return ""
        return Content.assemble(
            ("changed from ", "$text-warning"), answer_content(self.fw, q, was.answer)
        )

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
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
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
        self.post_message(
            messages.OpenActions(audit_id=self.audit_id, done=lambda _result: self._reload())
        )

    def action_concern(self) -> None:
        self.app.push_screen(
            EscalationModal.for_audit(self.ctx, self.audit_id), lambda _result: self._reload()
        )

    def action_response(self) -> None:
        def saved(result: PractitionerResponse | None) -> None:
            if result is not None:
                self.notify(f"Practitioner response recorded: {result.response}.")
                self._reload()

        self.app.push_screen(ResponseModal(self.detail), saved)

    def action_feedback(self) -> None:
        try:
            path = write_feedback(self.ctx, self.audit_id)
        except UserError as exc:
            self.notify(str(exc), severity="error", title="Feedback")
            return
        self.feedback_path = path
        self.notify(f"Feedback written to {path}", title="Feedback", timeout=10)
        self.show_detail()

    def action_history(self) -> None:
        self.post_message(messages.OpenHistory(self.audit_id))

    def action_previous_audit(self) -> None:
        if self.detail.previous_audit_id is not None:
            self.post_message(messages.OpenAudit(self.detail.previous_audit_id))

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


# --- the learning loop ------------------------------------------------------------------


def _actions_line(ctx: AppContext, d: AuditDetail) -> list[Content]:
    rows = actions.list_actions(ctx, audit_id=d.id)
    if not rows:
        return [Content("Actions: none yet (c adds one from an answer short of full marks)")]
    count = {s: sum(1 for a in rows if a.status == s) for s in ("open", "done", "not_needed")}
    overdue = sum(1 for a in rows if a.overdue)
    out = [
        Content.assemble(
            "Actions: ",
            f"{count['open']} open",
            (f" ({overdue} OVERDUE)" if overdue else "", "bold $text-error"),
            f", {count['done']} done, {count['not_needed']} not needed - t lists them",
        )
    ]
    for a in rows:
        if a.reaudit_audit_id is not None:
            out.append(Content(f"Re-audited in audit {a.reaudit_audit_id} (action {a.id})"))
        elif a.reaudit_by is not None and a.status != "not_needed":
            out.append(Content(f"Re-audit asked for by {a.reaudit_by} (action {a.id})"))
    return out


def _previous_line(ctx: AppContext, fw: Framework, d: AuditDetail) -> list[Content]:
    if d.previous_audit_id is None:
        return []
    label = fw.judgements.label
    asked = [
        a
        for a in actions.list_actions(ctx, audit_id=d.previous_audit_id)
        if a.reaudit_audit_id == d.id
    ]
    head = f"Re-audit of audit {d.previous_audit_id} (p opens it)"
    if asked:
        out = actions.reaudit_outcome(ctx, asked[0].id)
        if out.reaudit_status != "finalised":
            return [
                Content(
                    f"{head}: then {label(out.previous_judgement)}, "
                    f"{percent(out.previous_percent_met)} met"
                )
            ]
        return [
            Content.assemble(
                f"{head}: ",
                (f"{label(out.previous_judgement)} → {label(out.reaudit_judgement)}", "bold"),
                grade_change_text(out.grade_change),
                f", {percent(out.previous_percent_met)} → {percent(out.reaudit_percent_met)} met",
            )
        ]
    try:
        before = audits.get_audit(ctx, d.previous_audit_id)
    except UserError:
        return [Content(f"Follows audit {d.previous_audit_id} (no longer on record)")]
    then = before.moderated_judgement or before.judgement
    now = d.moderated_judgement or d.judgement
    return [Content(f"{head}: {label(then)} → {label(now)}")]


def loop_lines(ctx: AppContext, fw: Framework, d: AuditDetail) -> list[Content]:
    lines: list[Content] = []
    if d.practitioner_response:
        word = "agrees" if d.practitioner_response == "agree" else "DISAGREES"
        comment = f" - {d.practitioner_comment}" if d.practitioner_comment else ""
        lines.append(Content(f"Practitioner response: {word}{comment}"))
    else:
        lines.append(Content("Practitioner response: not recorded (r records it)"))
    if d.escalated_to and d.escalation_acknowledged:
        lines.append(Content(f"Safeguarding: escalated to {d.escalated_to}, acknowledged"))
    lines.extend(_actions_line(ctx, d))
    lines.extend(_previous_line(ctx, fw, d))
    return lines
