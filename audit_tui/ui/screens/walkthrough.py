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
from audit_tui.domain.framework import Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.services import audits, framework_versions
from audit_tui.services.escalation import EscalationStatus
from audit_tui.services.schemas import AnswerIn, AnswerOut, NoteIn
from audit_tui.ui.screens.action_modals import add_action, warn_unless_actionable
from audit_tui.ui.screens.draft_version import DraftVersionModal
from audit_tui.ui.screens.escalation import STATE_TEXT, EscalationModal, show_concern_banner
from audit_tui.ui.screens.question_walk import QuestionWalkScreen
from audit_tui.ui.screens.review import FINALISED


class WalkthroughScreen(QuestionWalkScreen):
    HELP_TITLE = "Walkthrough"
    BINDINGS = [
        Binding("r", "edit_na_reason", "N/A reason", show=False),
        Binding("v,f2", "review", "Review"),
        Binding("c", "add_action", "Add action (answer short of full marks)", show=False),
        Binding("C", "add_audit_action", "Add action for the whole audit", show=False),
        Binding("exclamation_mark", "concern", "Safeguarding concern", key_display="!", show=False),
        Binding("escape,q", "back", "Home", key_display="esc"),
    ]
    ALL_ANSWERED = "Every question is answered: press v to review and finalise."

    def __init__(self, audit_id: int) -> None:
        super().__init__()
        self.audit_id = audit_id
        ctx = self.ctx
        self.detail = audits.get_audit(ctx, audit_id)
        # The draft's own version, whatever the framework file holds now.
        self.start_walk(
            framework_versions.framework(ctx, self.detail.framework_hash, what=f"audit {audit_id}"),
            self.detail.case_type,
            self.detail.answers,
        )

    # --- layout -----------------------------------------------------------------------

    def compose_above_question(self) -> ComposeResult:
        yield Static(id="wt-concern", classes="concern-banner")

    def compose_below_note(self) -> ComposeResult:
        with Vertical(id="wt-na"):
            yield Static("Why is this not applicable?", id="wt-na-label")
            yield Input(placeholder="r - give the reason", id="wt-na-reason")

    def mounted(self) -> None:
        self.title = f"Audit {self.detail.case_reference}"
        self.sub_title = f"{self.fw.case_type_label(self.detail.case_type)} · {self.fw.title}"
        self.show_concern()
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
        self.notify(
            f"Moved to version {move.to_version}: {len(move.carried)} answers carried over"
            + (f", {len(move.dropped)} removed" if move.dropped else "")
            + ".",
            title="Framework version",
        )
        self.app.switch_screen(WalkthroughScreen(self.audit_id))

    def show_concern(self) -> None:
        show_concern_banner(self.query_one("#wt-concern", Static), self.ctx, self.audit_id)

    # --- showing ----------------------------------------------------------------------

    def _current(self) -> AnswerOut | None:
        return self.walk.answer()

    def show_answer_details(self, q: Question) -> None:
        answer = self._current()
        is_na = answer is not None and answer.points is None
        self.query_one("#wt-na").display = is_na
        if is_na:
            required = " (required)" if q.na_reason_required else " (optional)"
            self.query_one("#wt-na-label", Static).update(f"Why is this not applicable?{required}")

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

    def save_fields(self, question_id: str, answer: AnswerOut, note: str | None) -> None:  # type: ignore[override]
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
                self.notify(STATE_TEXT[status.state].capitalize() + ".", title="Safeguarding")

        self.app.push_screen(EscalationModal(self.ctx, self.audit_id), done)

    def action_review(self) -> None:
        from audit_tui.ui.screens.review import ReviewScreen

        self.save_text_fields()
        self.app.push_screen(ReviewScreen(self.audit_id), self._after_review)

    def _after_review(self, result: str | None) -> None:
        if result == FINALISED:
            self.dismiss(None)
            return
        if result:
            self.go_to(result)
        else:
            # Back from review: answers are unchanged, but the summary may be.
            self.show_concern()
            self.show_question()
