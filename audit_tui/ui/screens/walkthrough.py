"""The walkthrough: one question at a time, every answer committed the moment it is given.

What it shares with the moderator's blind re-answer (layout, keys, moving about) is in
question_walk; this screen adds the N/A reason, the concern banner, actions and the review.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import audits, framework_versions
from audit_tui.services.context import AppContext
from audit_tui.services.escalation import EscalationStatus
from audit_tui.services.schemas import AnswerIn, AnswerOut, AuditDetail, NoteIn
from audit_tui.ui import messages
from audit_tui.ui.bases.question_walk import QuestionWalkScreen
from audit_tui.ui.dialogs.actions import add_action, warn_unless_actionable
from audit_tui.ui.dialogs.draft_version import DraftVersionModal
from audit_tui.ui.dialogs.escalation import EscalationModal
from audit_tui.ui.widgets.concern_banner import ConcernBanner, state_text


class WalkthroughScreen(QuestionWalkScreen[AnswerOut]):
    HELP_TITLE = N_("Walkthrough")
    BINDINGS = [
        Binding("r", "edit_na_reason", N_("N/A reason"), show=False),
        Binding("v,f2", "review", N_("Review")),
        Binding("c", "add_action", N_("Add action (answer short of full marks)"), show=False),
        Binding("C", "add_audit_action", N_("Add action for the whole audit"), show=False),
        Binding(
            "exclamation_mark", "concern", N_("Safeguarding concern"), key_display="!", show=False
        ),
        Binding("escape,q", "back", N_("Home"), key_display="esc"),
    ]
    ALL_ANSWERED = N_("Every question is answered: press v to review and finalise.")

    def __init__(self, detail: AuditDetail, fw: Framework) -> None:
        super().__init__()
        self.audit_id = detail.id
        self.detail = detail
        self.start_walk(fw, detail.case_type, detail.answers)

    @classmethod
    def load(cls, ctx: AppContext, detail: AuditDetail) -> WalkthroughScreen:
        """The walkthrough of the draft `detail` on the draft's own framework version,
        whatever the framework file holds now (UserError: that version is not stored)."""
        fw = framework_versions.framework(ctx, detail.framework_hash, what=f"audit {detail.id}")
        return cls(detail, fw)

    # --- layout -----------------------------------------------------------------------

    def compose_above_question(self) -> ComposeResult:
        yield ConcernBanner(id="wt-concern")

    def compose_below_note(self) -> ComposeResult:
        with Vertical(id="wt-na"):
            yield Static(_("Why is this not applicable?"), id="wt-na-label")
            yield Input(placeholder=_("r - give the reason"), id="wt-na-reason")

    def titles(self) -> None:
        self.title = _("Audit {case}").format(case=self.detail.case_reference)
        self.sub_title = f"{self.fw.case_type_label(self.detail.case_type)} · {self.fw.title}"
        self.show_concern()

    def mounted(self) -> None:
        self.titles()
        move = audits.draft_move(self.ctx, self.audit_id)
        if move is not None:
            self.app.push_screen(DraftVersionModal(move), self._version_chosen)

    def _version_chosen(self, move_it: bool | None) -> None:
        """Carry on with the draft's own version (nothing to do), or move it and reopen."""
        move = audits.draft_move(self.ctx, self.audit_id)
        if not move_it or move is None:
            return
        try:
            audits.move_draft(self.ctx, self.audit_id, move.to_hash)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        carried = ngettext(
            "Moved to version {version}: {n} answer carried over",
            "Moved to version {version}: {n} answers carried over",
            len(move.carried),
        ).format(version=move.to_version, n=len(move.carried))
        if move.dropped:
            dropped = ngettext("{n} removed", "{n} removed", len(move.dropped))
            carried += ", " + dropped.format(n=len(move.dropped))
        self.notify(carried + ".", title=_("Framework version"))
        self.post_message(messages.OpenAudit(self.audit_id, replace=True))

    def show_concern(self) -> None:
        self.query_one("#wt-concern", ConcernBanner).show_for(self.ctx, self.audit_id)

    # --- showing ----------------------------------------------------------------------

    def _current(self) -> AnswerOut | None:
        return self.walk.answer()

    def show_answer_details(self, q: Question) -> None:
        answer = self._current()
        is_na = answer is not None and answer.points is None
        self.query_one("#wt-na").display = is_na
        if is_na:
            label = (
                _("Why is this not applicable? (required)")
                if q.na_reason_required
                else _("Why is this not applicable? (optional)")
            )
            self.query_one("#wt-na-label", Static).update(label)

    def load_text_fields(self, q: Question) -> None:
        # The reason too, always: a hidden field keeping another question's reason is how a
        # reason once landed on the next N/A answer.
        super().load_text_fields(q)
        answer = self.walk.answer(q)
        self.query_one("#wt-na-reason", Input).value = (
            (answer.na_reason or "") if answer is not None and answer.points is None else ""
        )

    # --- saving -----------------------------------------------------------------------

    def save_answer(self, q: Question, option: AnswerOption, note: str | None) -> AnswerOut:
        # The fields are q's (QuestionWalkScreen._answer makes sure of it).
        reason = self.query_one("#wt-na-reason", Input).value.strip() if option.is_na else ""
        # The note field as it stands goes with the answer (cleared with it when emptied).
        return audits.record_answer(
            self.ctx,
            self.audit_id,
            AnswerIn(question_id=q.id, answer=option.code, note=note, na_reason=reason or None),
        )

    def stay_after_answer(self, q: Question, option: AnswerOption) -> bool:
        answer = self._current()
        if option.is_na and q.na_reason_required and answer is not None and not answer.na_reason:
            # Stay here: the reason is part of the answer.
            self.show_question()
            self.edit_na_reason()
            return True
        return False

    def save_fields(self, question_id: str, answer: AnswerOut, note: str | None) -> None:
        """Commit the note and N/A reason of `question_id` if they changed."""
        is_na = answer.points is None
        reason = (self.query_one("#wt-na-reason", Input).value.strip() or None) if is_na else None
        if note == answer.note and reason == (answer.na_reason if is_na else None):
            return
        self.store(
            lambda: audits.record_note(
                self.ctx,
                self.audit_id,
                NoteIn(
                    question_id=question_id,
                    note=note,
                    na_reason=(reason or "") if is_na else None,
                ),
            )
        )

    # --- events -----------------------------------------------------------------------

    def text_submitted(self, field: Input) -> None:
        answer = self._current()
        if field.id == "wt-na-reason" and answer is not None and answer.na_reason:
            self._advance()

    # --- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_na_reason":
            answer = self._current()
            return answer is not None and answer.points is None
        return super().check_action(action, parameters)

    def action_edit_na_reason(self) -> None:
        self.edit_na_reason()

    def edit_na_reason(self) -> None:
        """Focus the reason box and, once the layout has it, scroll it into view: at 80x24 it
        sits below the fold, and only its label showed while typing."""
        field = self.query_one("#wt-na-reason", Input)
        field.focus(scroll_visible=False)
        self.call_after_refresh(self._show_na_reason)

    def _show_na_reason(self) -> None:
        self.query_one("#wt-main").scroll_to_widget(
            self.query_one("#wt-na"), animate=False, top=False
        )

    def action_add_action(self) -> None:
        q, answer = self.question, self.walk.answer()
        if warn_unless_actionable(self, self.fw, q, answer.answer if answer else None):
            self._new_action(q)

    def action_add_audit_action(self) -> None:
        self._new_action(None)

    def _new_action(self, question: Question | None) -> None:
        self.save_text_fields()
        add_action(self, audits.get_audit(self.ctx, self.audit_id), self.fw, question)

    def action_concern(self) -> None:
        self.save_text_fields()

        def done(status: EscalationStatus | None) -> None:
            self.show_concern()
            if status is not None:
                text = state_text(status.state).capitalize()
                self.notify(text + ".", title=_("Safeguarding"))

        self.app.push_screen(EscalationModal.for_audit(self.ctx, self.audit_id), done)

    def action_review(self) -> None:
        self.save_text_fields()
        self.post_message(messages.OpenReview(self.audit_id, self._after_review))

    def _after_review(self, outcome: messages.ReviewOutcome | None) -> None:
        if outcome is not None and outcome.finalised:
            self.dismiss(None)
            return
        if outcome is not None and outcome.go_to:
            self.go_to(outcome.go_to)
        else:
            # Back from review: answers are unchanged, but the summary may be.
            self.show_concern()
            self.show_question()
