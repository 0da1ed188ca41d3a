"""The moderator's blind walkthrough: the audit's questions answered again, one at a time.

Everything shown comes from `moderation_view`, which carries nothing of the first auditor's
grading before submission (the service enforces it, so this screen cannot leak what it never
receives). Keys are the walkthrough's: 1-4 or the option letters answer, j/k move, e writes a
note, g shows guidance; v submits with the moderator's judgement and opens the comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Input, OptionList, Select, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.services import moderation
from audit_tui.services.moderation import ModerationSummary, ModerationView
from audit_tui.services.schemas import AnswerIn
from audit_tui.ui.format import NOTE_HELP, case_type, option_text, percent
from audit_tui.ui.screens.base import AuditScreen
from audit_tui.ui.screens.form_modal import FormModal
from audit_tui.ui.screens.walkthrough import MainColumn, QuestionView, bind_answer_keys
from audit_tui.ui.walk import Walk
from audit_tui.ui.widgets.answer_options import AnswerOptions
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.guidance import GuidancePanel
from audit_tui.ui.widgets.saved_indicator import SavedIndicator
from audit_tui.ui.widgets.section_sidebar import LEGEND, SectionSidebar

BLIND_NOTE = "BLIND: the first auditor's answers and judgement stay hidden until you submit (v)."


class SubmitModal(FormModal[ModerationSummary | None]):
    """The moderator's own judgement, then submission (which closes the blind answers)."""

    TITLE_TEXT = "Submit the moderation"
    SAVE_LABEL = "Submit"

    def __init__(self, view: ModerationView, fw_labels: list[tuple[str, str]]) -> None:
        super().__init__()
        self.view, self.grades = view, fw_labels

    def fields(self) -> Iterable[Widget]:
        v = self.view
        label = dict(self.grades)
        missing = v.applicable - v.answered
        yield Static(
            f"Your answers: {v.answered} of {v.applicable} questions"
            + (f" ({missing} still to answer)" if missing else "")
            + f" · {percent(v.percent_met)} met · suggested "
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


class ModerationWalkScreen(AuditScreen[None]):
    HELP_TITLE = "Moderation: answering blind"
    PALETTE_HIDE = ("answer_number", "answer_key")
    AUTO_FOCUS = "#wt-question"
    BINDINGS = [
        Binding("down,j", "next", "Next", key_display="↓/j"),
        Binding("up,k", "previous", "Prev", key_display="↑/k"),
        Binding(
            "right_square_bracket", "next_section", "Next section", key_display="]", show=False
        ),
        Binding(
            "left_square_bracket",
            "previous_section",
            "Previous section",
            key_display="[",
            show=False,
        ),
        Binding("u", "next_unanswered", "Unanswered"),
        Binding("g", "toggle_guidance", "Guidance"),
        Binding("e", "edit_note", "Note"),
        Binding("v,f2", "submit", "Submit"),
        Binding("escape,q", "back", "Back", key_display="esc"),
    ]

    def __init__(self, moderation_id: int) -> None:
        super().__init__()
        self.moderation_id = moderation_id
        ctx = self.ctx
        self.view: ModerationView = moderation.moderation_view(ctx, moderation_id, ctx.actor)
        if self.view.status != "requested":
            raise UserError(
                f"moderation {moderation_id} is already {self.view.status}: open its comparison"
            )
        self.fw = ctx.frameworks.get(self.view.framework_id)
        # The moderator's own answers only; Walk needs nothing but each answer's points.
        self.walk = Walk(self.fw, self.view.case_type, self.view.answers)  # type: ignore[arg-type]
        self.walk.first_unanswered()
        self.letter_keys = bind_answer_keys(self._bindings, self.fw, self.walk.questions)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(BLIND_NOTE, id="mw-blind")
        with Horizontal(id="wt-body"):
            with Vertical(id="wt-sidebar"):
                yield Static("Sections", classes="panel-title")
                yield SectionSidebar(id="wt-sections")
                yield Static(LEGEND, id="wt-legend")
            with MainColumn(id="wt-main"):
                with Horizontal(id="wt-status"):
                    yield Static(id="wt-position")
                    yield SavedIndicator(id="wt-saved")
                yield QuestionView(id="wt-question")
                yield AnswerOptions(id="wt-options")
                yield Static(f"Your note - {NOTE_HELP}", id="wt-note-label")
                yield Input(placeholder="e - add a note (initials only)", id="wt-note")
            yield GuidancePanel(id="wt-guidance")
        yield AppFooter()

    def on_mount(self) -> None:
        v = self.view
        self.title = f"Moderating {v.case_reference}"
        self.sub_title = f"{case_type(v.case_type)} · {v.team} · {self.fw.title} · blind"
        self.set_class(self.audit_app.show_guidance, "-guidance")
        self.show_question()

    # --- showing ----------------------------------------------------------------------

    @property
    def question(self) -> Question:
        return self.walk.question

    def _options(self, q: Question) -> list[AnswerOption]:
        return self.fw.scale(q.scale).options

    def show_question(self) -> None:
        walk, q = self.walk, self.walk.question
        answer = walk.answer()
        number, of = walk.position_in_section()
        self.query_one("#wt-position", Static).update(
            Content.assemble(
                (walk.section.title, "bold"),
                f" · {number} of {of} · ",
                f"{walk.answered}/{len(walk.questions)} answered by you",
            )
        )
        tags = [("  ! CRITICAL", "bold $text-error")] if q.critical else []
        self.query_one("#wt-question", QuestionView).update(
            Content.assemble((q.id, "bold $text-accent"), *tags, "\n", q.text)
        )
        self.query_one("#wt-options", AnswerOptions).show(
            self._options(q), answer.answer if answer else None, self.letter_keys, q.na_allowed
        )
        self.query_one("#wt-note", Input).value = (answer.note or "") if answer else ""
        self.query_one("#wt-sections", SectionSidebar).show(walk.progress(), walk.section_index)
        self.query_one("#wt-guidance", GuidancePanel).show(self.fw, q)
        self.query_one("#wt-main", MainColumn).scroll_home(animate=False)

    # --- saving -----------------------------------------------------------------------

    def _record(self, code: str, note: str | None) -> bool:
        try:
            stored = moderation.record_moderation_answer(
                self.ctx,
                self.moderation_id,
                AnswerIn(question_id=self.question.id, answer=code, note=note),
            )
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return False
        self.walk.answers[self.question.id] = stored  # type: ignore[assignment]
        self.query_one("#wt-saved", SavedIndicator).mark(self.audit_app.clock())
        return True

    def _answer(self, option: AnswerOption) -> None:
        q = self.question
        if option.is_na and not q.na_allowed:
            self.notify(
                f"{q.id} must be answered: not applicable is not allowed.", severity="warning"
            )
            return
        note = self.query_one("#wt-note", Input).value.strip() or None
        if not self._record(option.code, note):
            return
        if not self.walk.next() and not self.walk.next_unanswered():
            self.notify("Every question is answered: press v to submit.")
        self.show_question()

    def save_text_fields(self) -> None:
        """Commit the note of the current question if it changed."""
        answer = self.walk.answer()
        note = self.query_one("#wt-note", Input).value.strip() or None
        if answer is None:
            if note:
                self.notify(
                    f"Note on {self.question.id} not saved: answer the question first.",
                    severity="warning",
                )
            return
        if note == answer.note:
            return
        if note is None:
            self.notify("A note can be changed but not emptied.", severity="warning")
            return
        self._record(answer.answer, note)

    def _move(self, move: Callable[[], bool | None]) -> bool | None:
        self.save_text_fields()
        moved = move()
        self.show_question()
        if isinstance(self.focused, Input):
            self.query_one("#wt-question").focus()
        return moved

    # --- events -----------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save_text_fields()
        self.query_one("#wt-question").focus()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if self.is_attached:
            self.save_text_fields()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._move(lambda: self.walk.go_to_section(event.option_index))
        self.query_one("#wt-question").focus()

    # --- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer_number":
            return int(str(parameters[0])) <= len(self._options(self.question))
        if action == "answer_key":
            return any(o.key == parameters[0] for o in self._options(self.question))
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        q = self.question
        out = []
        for n, option in enumerate(self._options(q), start=1):
            if option.is_na and not q.na_allowed:
                continue
            keys = f"{n} or {option.key}" if option.key in self.letter_keys else str(n)
            out.append(
                (
                    f"Answer {q.id}: {option_text(option)}",
                    f"key {keys}",
                    partial(self._answer, option),
                )
            )
        return out

    def action_answer_number(self, n: int) -> None:
        options = self._options(self.question)
        if 1 <= n <= len(options):
            self._answer(options[n - 1])

    def action_answer_key(self, key: str) -> None:
        option = next((o for o in self._options(self.question) if o.key == key), None)
        if option is not None:
            self._answer(option)

    def action_next(self) -> None:
        self._move(self.walk.next)

    def action_previous(self) -> None:
        self._move(self.walk.previous)

    def action_next_section(self) -> None:
        self._move(self.walk.next_section)

    def action_previous_section(self) -> None:
        self._move(self.walk.previous_section)

    def action_next_unanswered(self) -> None:
        if not self._move(self.walk.next_unanswered):
            self.notify("Every question is answered: press v to submit.")

    def action_toggle_guidance(self) -> None:
        show = not self.has_class("-guidance")
        self.audit_app.show_guidance = show
        self.set_class(show, "-guidance")

    def action_edit_note(self) -> None:
        self.query_one("#wt-note", Input).focus()

    def action_submit(self) -> None:
        from audit_tui.ui.screens.moderation_compare import ComparisonScreen

        self.save_text_fields()
        # Fresh figures for the dialog: the moderator's own percent and suggestion.
        self.view = moderation.moderation_view(self.ctx, self.moderation_id, self.ctx.actor)

        def submitted(result: ModerationSummary | None) -> None:
            if result is not None:
                self.notify("Submitted: the two gradings are now side by side.", title="Moderation")
                self.app.switch_screen(ComparisonScreen(self.moderation_id))

        self.app.push_screen(SubmitModal(self.view, self.fw.judgements.grades), submitted)

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.save_text_fields()
            self.query_one("#wt-question").focus()
            return
        self.save_text_fields()
        self.dismiss(None)
