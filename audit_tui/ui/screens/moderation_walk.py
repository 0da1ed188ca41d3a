"""The moderator's blind walkthrough: the audit's questions answered again, one at a time.

Everything shown comes from `moderation_view`, which carries nothing of the first auditor's
grading before submission (the service enforces it, so this screen cannot leak what it never
receives). Keys are the walkthrough's: 1-4 or the option letters answer, j/k move, e writes a
note, g shows guidance; v submits with the moderator's judgement and opens the comparison.
"""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.i18n import N_, _
from audit_tui.services import framework_versions, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.moderation import ModerationSummary, ModerationView, ModeratorAnswerOut
from audit_tui.services.schemas import AnswerIn
from audit_tui.ui import messages
from audit_tui.ui.bases.question_walk import QuestionWalkScreen
from audit_tui.ui.dialogs.moderation import SubmitModal
from audit_tui.ui.words import shown_framework

BLIND_NOTE = N_(
    "BLIND: the first auditor's answers and judgement stay hidden until you submit (v)."
)
# Why the blind walk will not open again, by the state the moderation is in now.
ALREADY = {
    "submitted": N_("moderation {id} is already submitted: open its comparison"),
    "agreed": N_("moderation {id} is already agreed: open its comparison"),
}


class ModerationWalkScreen(QuestionWalkScreen[ModeratorAnswerOut]):
    HELP_TITLE = N_("Moderation: answering blind")
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    /* The rest of its layout (#wt-*) is QuestionWalkScreen's. */
    #mw-blind { height: auto; padding: 0 1; text-style: bold; background: $boost; }
    """
    BINDINGS = [
        Binding("v,f2", "submit", N_("Submit")),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]
    ALL_ANSWERED = N_("Every question is answered: press v to submit.")
    NOTE_LABEL = N_("Your note")
    POSITION_ANSWERED = N_("answered by you")
    SHOW_WEIGHT = False

    def __init__(self, view: ModerationView, fw: Framework) -> None:
        super().__init__()
        self.moderation_id = view.id
        self.view = view
        # The moderator's own answers only: the walk never holds the first auditor's.
        self.start_walk(fw, view.case_type, view.answers)

    @classmethod
    def load(cls, ctx: AppContext, moderation_id: int) -> ModerationWalkScreen:
        """The blind walk of `moderation_id` for the session's person (the service refuses
        anyone but its moderator); UserError once it has been submitted."""
        view = moderation.moderation_view(ctx, moderation_id, ctx.me)
        if view.status != "requested":
            already = ALREADY.get(
                view.status, N_("moderation {id} is already {state}: open its comparison")
            )
            raise UserError(_(already).format(id=moderation_id, state=view.status))
        return cls(view, framework_versions.framework(ctx, view.framework_hash))

    def compose_above_body(self) -> ComposeResult:
        yield Static(_(BLIND_NOTE), id="mw-blind")

    def mounted(self) -> None:
        v = self.view
        fw = shown_framework(self.fw)
        self.title = _("Moderating {case}").format(case=v.case_reference)
        self.sub_title = " · ".join([fw.case_type_label(v.case_type), v.team, fw.title, _("blind")])

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

    def save_fields(self, question_id: str, answer: ModeratorAnswerOut, note: str | None) -> None:
        """Commit the note of `question_id` if it changed."""
        if note == answer.note:
            return
        if note is None:
            self.notify(_("A note can be changed but not emptied."), severity="warning")
            return
        self.store(partial(self._record, question_id, answer.answer, note))

    # --- actions ----------------------------------------------------------------------

    def action_submit(self) -> None:
        self.save_text_fields()
        # Fresh figures for the dialog: the moderator's own percent and suggestion.
        self.view = moderation.moderation_view(self.ctx, self.moderation_id, self.ctx.me)

        def submitted(result: ModerationSummary | None) -> None:
            if result is not None:
                self.notify(
                    _("Submitted: the two gradings are now side by side."), title=_("Moderation")
                )
                self.post_message(messages.OpenModeration(result, replace=True))

        self.app.push_screen(SubmitModal(self.view, self.fw), submitted)
