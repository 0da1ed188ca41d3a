"""The moderator's blind walkthrough: the audit's questions answered again, one at a time.

Everything shown comes from `moderation_view`, which carries nothing of the first auditor's
grading before submission (the service enforces it, so this screen cannot leak what it never
receives). Keys are the walkthrough's: 1-4 or the option letters answer, j/k move, e writes a
note, g shows guidance; v submits with the moderator's judgement and opens the comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Select, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.services import framework_versions, moderation
from audit_tui.services.moderation import ModerationSummary, ModerationView, ModeratorAnswerOut
from audit_tui.services.schemas import AnswerIn
from audit_tui.ui.format import percent
from audit_tui.ui.screens.form_modal import FormModal
from audit_tui.ui.screens.question_walk import QuestionWalkScreen

BLIND_NOTE = "BLIND: the first auditor's answers and judgement stay hidden until you submit (v)."


class SubmitModal(FormModal[ModerationSummary | None]):
    """The moderator's own judgement, then submission (which closes the blind answers)."""

    TITLE_TEXT = "Submit the moderation"
    SAVE_LABEL = "Submit"

    def __init__(self, view: ModerationView, fw: Framework) -> None:
        super().__init__()
        self.view, self.fw = view, fw
        self.grades = fw.judgements.choices

    def fields(self) -> Iterable[Widget]:
        v = self.view
        label = dict(self.grades)
        missing = v.applicable - v.answered
        yield Static(
            f"Your answers: {v.answered} of {v.applicable} questions"
            + (f" ({missing} still to answer)" if missing else "")
            + f" · {percent(v.percent_met, fw=self.fw)} met · suggested "
            + (label.get(v.suggested_judgement or "", "none")),
            classes="form-info",
            markup=False,
        )
        yield Static(
            "After submitting, your answers are closed and the first auditor's grading is "
            "shown beside yours.",
            classes="form-info",
        )
        yield self.label("Your judgement")
        yield Select(
            [(text, code) for code, text in self.grades],
            value=v.moderator_judgement or v.suggested_judgement or Select.NULL,
            prompt="Choose your judgement",
            id="sub-judgement",
        )

    def save(self) -> ModerationSummary:
        judgement = self.value("sub-judgement")
        if not judgement:
            raise UserError("choose your judgement")
        ctx = self.app.ctx  # type: ignore[attr-defined]
        return moderation.submit_moderation(ctx, self.view.id, judgement)


class ModerationWalkScreen(QuestionWalkScreen):
    HELP_TITLE = "Moderation: answering blind"
    BINDINGS = [
        Binding("v,f2", "submit", "Submit"),
        Binding("escape,q", "back", "Back", key_display="esc"),
    ]
    ALL_ANSWERED = "Every question is answered: press v to submit."
    NOTE_LABEL = "Your note"
    POSITION_ANSWERED = "answered by you"
    SHOW_WEIGHT = False

    def __init__(self, moderation_id: int) -> None:
        super().__init__()
        self.moderation_id = moderation_id
        ctx = self.ctx
        self.view: ModerationView = moderation.moderation_view(ctx, moderation_id, ctx.me)
        if self.view.status != "requested":
            raise UserError(
                f"moderation {moderation_id} is already {self.view.status}: open its comparison"
            )
        # The moderator's own answers only: the walk never holds the first auditor's.
        self.start_walk(
            framework_versions.framework(ctx, self.view.framework_hash),
            self.view.case_type,
            self.view.answers,
        )

    def compose_above_body(self) -> ComposeResult:
        yield Static(BLIND_NOTE, id="mw-blind")

    def mounted(self) -> None:
        v = self.view
        self.title = f"Moderating {v.case_reference}"
        self.sub_title = (
            f"{self.fw.case_type_label(v.case_type)} · {v.team} · {self.fw.title} · blind"
        )

    # --- saving -----------------------------------------------------------------------

    def _record(self, question_id: str, code: str, note: str | None) -> ModeratorAnswerOut:
        return moderation.record_moderation_answer(
            self.ctx,
            self.moderation_id,
            AnswerIn(question_id=question_id, answer=code, note=note),
        )

    def save_answer(
        self, q: Question, option: AnswerOption, note: str | None
    ) -> ModeratorAnswerOut:
        return self._record(q.id, option.code, note)

    def save_fields(self, question_id: str, answer: ModeratorAnswerOut, note: str | None) -> None:  # type: ignore[override]
        """Commit the note of `question_id` if it changed."""
        if note == answer.note:
            return
        if note is None:
            self.notify("A note can be changed but not emptied.", severity="warning")
            return
        self.store(partial(self._record, question_id, answer.answer, note))

    # --- actions ----------------------------------------------------------------------

    def action_submit(self) -> None:
        from audit_tui.ui.screens.moderation_compare import ComparisonScreen

        self.save_text_fields()
        # Fresh figures for the dialog: the moderator's own percent and suggestion.
        self.view = moderation.moderation_view(self.ctx, self.moderation_id, self.ctx.me)

        def submitted(result: ModerationSummary | None) -> None:
            if result is not None:
                self.notify("Submitted: the two gradings are now side by side.", title="Moderation")
                self.app.switch_screen(ComparisonScreen(self.moderation_id))

        self.app.push_screen(SubmitModal(self.view, self.fw), submitted)
