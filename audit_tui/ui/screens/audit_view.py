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

from audit_tui import i18n
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.i18n import N_, _, ngettext
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
from audit_tui.ui.words import shown_framework


class AuditViewScreen(AuditScreen[None]):
    HELP_TITLE = N_("Finalised audit (read-only)")
    AUTO_FOCUS = "#av-answers"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #av-body { height: 1fr; }
    #av-summary { padding: 0 1; height: auto; max-height: 50%; }
    #av-answers { height: 1fr; }
    #av-question { height: auto; padding: 0 1; border-top: hkey $primary 50%; }
    """
    BINDINGS = [
        # Short words, so the footer fits 80 columns (a and c are in the answers' title);
        # ? and ctrl+p say them all in full.
        Binding("a", "amend_answer", N_("Amend answer"), show=False),
        Binding("j", "amend_judgement", N_("Judgement"), tooltip=N_("Amend the judgement")),
        Binding("c", "add_action", N_("Add action"), show=False),
        Binding("C", "add_audit_action", N_("Add action for the whole audit"), show=False),
        Binding("t", "actions", N_("Actions of this audit"), show=False),
        Binding("exclamation_mark", "concern", N_("Concern"), key_display="!"),
        Binding("r", "response", N_("Response"), tooltip=N_("The practitioner's response")),
        Binding("f", "feedback", N_("Feedback"), tooltip=N_("Write the feedback document")),
        Binding("p", "previous_audit", N_("Open the previous audit"), show=False),
        Binding("h", "history", N_("History")),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    def __init__(self, detail: AuditDetail, fw: Framework) -> None:
        super().__init__()
        self.audit_id = detail.id
        self.detail, self.fw = detail, fw
        self.feedback_path: Path | None = None
        self._shown: tuple[str, Framework] | None = None

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
                _(
                    "Answers  (a amends one, with a reason · c adds an action on one short of "
                    "full marks)"
                ),
                classes="panel-title",
            )
            yield DataTable(id="av-answers", cursor_type="row", zebra_stripes=True)
            # The highlighted question in full: its text, note and N/A reason (never cut in a
            # table cell).
            yield Static(id="av-question")
        yield AppFooter()

    @property
    def shown(self) -> Framework:
        """The audit's framework version as the reader sees it: its questions, answers and
        grades in the interface's language (the other behind a mark where it has none)."""
        lang = i18n.current()
        if self._shown is None or self._shown[0] != lang:
            # A copy per language (milliseconds): made when the language is first shown.
            self._shown = (lang, shown_framework(self.fw))
        return self._shown[1]

    @property
    def moderated(self) -> bool:
        return self.detail.moderated_judgement is not None

    def on_mount(self) -> None:
        self.show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_question(str(event.row_key.value))

    def _show_question(self, qid: str | None) -> None:
        d, fw = self.detail, self.shown
        box = self.query_one("#av-question", Static)
        if not qid or not fw.has_question(qid):
            box.update("")
            return
        q = fw.question(qid)
        a = d.answers.get(qid)
        lines = [Content.assemble((qid, "bold"), f" {q.text}")]
        if a and a.na_reason:
            lines.append(Content(_("Not applicable because: {reason}").format(reason=a.na_reason)))
        if a and a.note:
            lines.append(Content(_("Note: {note}").format(note=a.note)))
        box.update(Content("\n").join(lines))

    def show_detail(self) -> None:
        d = self.detail
        self.title = _("Audit {case}").format(case=d.case_reference)
        self.sub_title = _("{status} · read-only").format(status=status_word(d.status))
        self.query_one("#av-summary", Static).update(Content("\n").join(self._summary_lines()))
        self.query_one("#av-concern", ConcernBanner).show_for(self.ctx, self.audit_id)
        table = self.query_one("#av-answers", DataTable)
        row = table.cursor_row
        columns = [
            Col(_("Question"), "q"),
            Col(_("Answer"), "a"),
            # Beside each answer moderation changed: the auditor's original, in words.
            Col(_("Before moderation"), "b"),
            Col(_("Note"), "n"),
            Col(_("Section"), "s", priority=1),
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
        d, fw = self.detail, self.shown
        # The service words it in English; another language from the framework's own words.
        case_type = d.case_type_label if fw is self.fw else fw.case_type_label(d.case_type)
        lines = [
            Content.assemble(
                (f"{d.case_reference}", "bold"),
                " · "
                + _("{case_type} · team {team} · case-holder {holder}").format(
                    case_type=case_type, team=d.team, holder=d.case_holder or "-"
                ),
            ),
            Content(
                _(
                    "Audited by {auditor} on {date} · {framework} v{version} · status: {status}"
                ).format(
                    auditor=d.auditor,
                    date=d.audit_date.isoformat(),
                    framework=fw.title,
                    version=d.framework_version,
                    status=status_word(d.status),
                )
            ),
            *self._figure_lines(),
        ]
        if d.judgement_reason:
            lines.append(
                Content(_("Reason for the judgement: {reason}").format(reason=d.judgement_reason))
            )
        lines.append(Content(_("Strengths: {text}").format(text=d.strengths or "-")))
        lines.append(
            Content(_("Areas for development: {text}").format(text=d.areas_for_development or "-"))
        )
        lines.extend(loop_lines(self.ctx, fw, d))
        if self.feedback_path is not None:
            lines.append(Content(_("Feedback written to {path}").format(path=self.feedback_path)))
        return lines

    def _answer_rows(self) -> list[tuple[list[object], str]]:
        """One row per applicable question: id, answer, the answer before moderation (always
        present; dropped by the caller when the audit was not moderated), marks, section."""
        d, fw = self.detail, self.shown
        rows: list[tuple[list[object], str]] = []
        for section, questions in fw.applicable_sections(d.case_type):
            for q in questions:
                a = d.answers.get(q.id)
                marks = [
                    m
                    for m, on in ((_("note"), a and a.note), (_("N/A reason"), a and a.na_reason))
                    if on
                ]
                rows.append(
                    (
                        [
                            q.id,
                            answer_content(fw, q, a.answer if a else None),
                            self._before_moderation(fw, q),
                            "✎ " + ", ".join(marks) if marks else "",
                            section.title,
                        ],
                        q.id,
                    )
                )
        return rows

    def _before_moderation(self, fw: Framework, q: Question) -> object:
        """The auditor's original answer where moderation changed it, in words."""
        if not self.moderated:
            return ""
        was = self.detail.original_answers.get(q.id)
        if was is None:
            return ""
        return Content.assemble(
            (_("changed from "), "$text-warning"), answer_content(fw, q, was.answer)
        )

    def _figure_lines(self) -> list[Content]:
        """The figures that count; for a moderated audit the agreed ones, then the auditor's
        own before moderation, each said in words."""
        d, label = self.detail, self.shown.judgements.label

        def line(
            title: str, pct: float | None, suggested: str | None, grade: str | None
        ) -> Content:
            return Content.assemble(
                title,
                (percent(pct, fw=self.fw), "bold"),
                " · " + _("suggested") + " ",
                label(suggested),
                " · " + _("judgement") + " ",
                (label(grade), "bold"),
            )

        counted = d.counted
        if counted is None or not self.moderated:
            return [line(_("Percent met "), d.percent_met, d.suggested_judgement, d.judgement)]
        changed = len(d.original_answers)
        return [
            line(
                _("Agreed at moderation: percent met "),
                counted.percent_met,
                counted.suggested_judgement,
                counted.judgement,
            ),
            Content(
                ngettext(
                    "Before moderation: percent met {percent} · suggested {suggested} · "
                    "auditor's judgement {judgement} · {n} answer changed",
                    "Before moderation: percent met {percent} · suggested {suggested} · "
                    "auditor's judgement {judgement} · {n} answers changed",
                    changed,
                ).format(
                    percent=percent(d.percent_met, fw=self.fw),
                    suggested=label(d.suggested_judgement),
                    judgement=label(d.judgement),
                    n=changed,
                )
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
                self.notify(
                    _("Practitioner response recorded: {response}.").format(
                        response=response_word(result.response)
                    )
                )
                self._reload()

        self.app.push_screen(ResponseModal(self.detail), saved)

    def action_feedback(self) -> None:
        try:
            path = write_feedback(self.ctx, self.audit_id)
        except UserError as exc:
            self.notify(str(exc), severity="error", title=_("Feedback"))
            return
        self.feedback_path = path
        self.notify(
            _("Feedback written to {path}").format(path=path), title=_("Feedback"), timeout=10
        )
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
                self.notify(_("Amendment saved and logged."), title=_("Amended"))

        self.app.push_screen(AmendModal(self.fw, self.detail, submit, question), done)

    def action_amend_answer(self) -> None:
        q = self._selected_question()
        if q is not None:
            self._amend(q)

    def action_amend_judgement(self) -> None:
        self._amend(None)

    def action_back(self) -> None:
        self.dismiss(None)


# --- words ------------------------------------------------------------------------------

STATUS_WORDS = {"finalised": N_("finalised"), "draft": N_("draft")}


def status_word(status: str) -> str:
    """An audit's status in words (a status the screen does not know, as it is stored)."""
    word = STATUS_WORDS.get(status)
    return _(word) if word else status


def response_word(response: str) -> str:
    return _("agrees") if response == "agree" else _("DISAGREES")


# --- the learning loop ------------------------------------------------------------------


def _actions_line(ctx: AppContext, d: AuditDetail) -> list[Content]:
    rows = actions.list_actions(ctx, audit_id=d.id)
    if not rows:
        return [Content(_("Actions: none yet (c adds one from an answer short of full marks)"))]
    count = {s: sum(1 for a in rows if a.status == s) for s in ("open", "done", "not_needed")}
    overdue = sum(1 for a in rows if a.overdue)
    out = [
        Content.assemble(
            _("Actions: {n} open").format(n=count["open"]),
            (_(" ({n} OVERDUE)").format(n=overdue) if overdue else "", "bold $text-error"),
            _(", {done} done, {not_needed} not needed - t lists them").format(
                done=count["done"], not_needed=count["not_needed"]
            ),
        )
    ]
    for a in rows:
        if a.reaudit_audit_id is not None:
            out.append(
                Content(
                    _("Re-audited in audit {audit} (action {action})").format(
                        audit=a.reaudit_audit_id, action=a.id
                    )
                )
            )
        elif a.reaudit_by is not None and a.status != "not_needed":
            out.append(
                Content(
                    _("Re-audit asked for by {who} (action {action})").format(
                        who=a.reaudit_by, action=a.id
                    )
                )
            )
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
    head = _("Re-audit of audit {audit} (p opens it)").format(audit=d.previous_audit_id)
    if asked:
        out = actions.reaudit_outcome(ctx, asked[0].id)
        if out.reaudit_status != "finalised":
            return [
                Content(
                    _("{head}: then {judgement}, {percent} met").format(
                        head=head,
                        judgement=label(out.previous_judgement),
                        percent=percent(out.previous_percent_met),
                    )
                )
            ]
        return [
            Content.assemble(
                f"{head}: ",
                (f"{label(out.previous_judgement)} → {label(out.reaudit_judgement)}", "bold"),
                grade_change_text(out.grade_change),
                ", "
                + _("{before} → {after} met").format(
                    before=percent(out.previous_percent_met),
                    after=percent(out.reaudit_percent_met),
                ),
            )
        ]
    try:
        before = audits.get_audit(ctx, d.previous_audit_id)
    except UserError:
        return [
            Content(
                _("Follows audit {audit} (no longer on record)").format(audit=d.previous_audit_id)
            )
        ]
    then = before.moderated_judgement or before.judgement
    now = d.moderated_judgement or d.judgement
    return [Content(f"{head}: {label(then)} → {label(now)}")]


def loop_lines(ctx: AppContext, fw: Framework, d: AuditDetail) -> list[Content]:
    lines: list[Content] = []
    if d.practitioner_response:
        word = response_word(d.practitioner_response)
        comment = f" - {d.practitioner_comment}" if d.practitioner_comment else ""
        lines.append(
            Content(_("Practitioner response: {response}").format(response=word) + comment)
        )
    else:
        lines.append(Content(_("Practitioner response: not recorded (r records it)")))
    if d.escalated_to and d.escalation_acknowledged:
        lines.append(
            Content(_("Safeguarding: escalated to {who}, acknowledged").format(who=d.escalated_to))
        )
    lines.extend(_actions_line(ctx, d))
    lines.extend(_previous_line(ctx, fw, d))
    return lines
