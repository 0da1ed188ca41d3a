"""The walkthrough: one question at a time, every answer committed the moment it is given.

Keyboard focus rests on the question (not on a text field), so number and letter keys answer;
while the note field has focus they type into it instead (the Input consumes printable keys
before any screen binding sees them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, OptionList, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.services import audits
from audit_tui.services.actions import ActionOut
from audit_tui.services.escalation import EscalationStatus
from audit_tui.services.schemas import AnswerIn
from audit_tui.ui.format import NOTE_HELP, case_type, option_text
from audit_tui.ui.screens.action_modals import NewActionModal, actionable
from audit_tui.ui.screens.base import AuditScreen
from audit_tui.ui.screens.escalation import STATE_TEXT, EscalationModal, show_concern_banner
from audit_tui.ui.screens.review import FINALISED
from audit_tui.ui.walk import Walk
from audit_tui.ui.widgets.answer_options import AnswerOptions
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.guidance import GuidancePanel
from audit_tui.ui.widgets.saved_indicator import SavedIndicator
from audit_tui.ui.widgets.section_sidebar import LEGEND, SectionSidebar

# Keys the walkthrough uses for moving about; an answer option never takes one of these.
NAV_KEYS = set("jkuvgeqrc")


def bind_answer_keys(bindings: BindingsMap, fw: Framework, questions: list[Question]) -> set[str]:
    """Number keys choose by position; each option's mnemonic letter chooses it too (unless a
    navigation key owns that letter). Returns the letters bound."""
    scales = {q.scale for q in questions}
    options = [o for name in scales for o in fw.scale(name).options]
    most = max((len(fw.scale(name).options) for name in scales), default=0)
    for n in range(1, most + 1):
        bindings.bind(str(n), f"answer_number({n})", "Answer by number", show=False)
    labels: dict[str, list[str]] = {}
    for o in options:
        if o.key not in NAV_KEYS and o.label not in labels.setdefault(o.key, []):
            labels[o.key].append(o.label)
    for key, names in sorted(labels.items()):
        bindings.bind(key, f"answer_key('{key}')", f"Answer {'/'.join(names)}", show=False)
    return set(labels)


class QuestionView(Static, can_focus=True):
    """The current question. It holds keyboard focus while answering."""


class MainColumn(VerticalScroll, can_focus=False, inherit_bindings=False):
    """Scrolls (mouse) when a long question does not fit, without taking the arrow keys: up and
    down always move between questions."""


class WalkthroughScreen(AuditScreen[None]):
    HELP_TITLE = "Walkthrough"
    # The palette offers the current question's options by name instead of the raw key bindings.
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
        Binding("r", "edit_na_reason", "N/A reason", show=False),
        Binding("v,f2", "review", "Review"),
        Binding("c", "add_action", "Add action (No/Partly)", show=False),
        Binding("C", "add_audit_action", "Add action for the whole audit", show=False),
        Binding("exclamation_mark", "concern", "Safeguarding concern", key_display="!", show=False),
        Binding("escape,q", "back", "Home", key_display="esc"),
    ]

    def __init__(self, audit_id: int) -> None:
        super().__init__()
        self.audit_id = audit_id
        ctx = self.ctx
        self.detail = audits.get_audit(ctx, audit_id)
        self.fw = ctx.frameworks.get(self.detail.framework_id)
        self.walk = Walk(self.fw, self.detail.case_type, self.detail.answers)
        self.walk.first_unanswered()
        self._bind_answer_keys()

    def _bind_answer_keys(self) -> None:
        self.letter_keys = bind_answer_keys(self._bindings, self.fw, self.walk.questions)

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="wt-body"):
            with Vertical(id="wt-sidebar"):
                yield Static("Sections", classes="panel-title")
                yield SectionSidebar(id="wt-sections")
                yield Static(LEGEND, id="wt-legend")
            with MainColumn(id="wt-main"):
                yield Static(id="wt-concern", classes="concern-banner")
                with Horizontal(id="wt-status"):
                    yield Static(id="wt-position")
                    yield SavedIndicator(id="wt-saved")
                yield QuestionView(id="wt-question")
                yield AnswerOptions(id="wt-options")
                yield Static(f"Note - {NOTE_HELP}", id="wt-note-label")
                yield Input(placeholder="e - add a note (initials only)", id="wt-note")
                with Vertical(id="wt-na"):
                    yield Static("Why is this not applicable?", id="wt-na-label")
                    yield Input(placeholder="r - give the reason", id="wt-na-reason")
            yield GuidancePanel(id="wt-guidance")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = f"Audit {self.detail.case_reference}"
        self.sub_title = f"{case_type(self.detail.case_type)} · {self.fw.title}"
        self.set_class(self.audit_app.show_guidance, "-guidance")
        if self.detail.framework_hash != self.fw.content_hash:
            self.notify(
                f"Framework {self.fw.id} has changed since this audit was started "
                f"(now v{self.fw.version}); answers already given are kept.",
                severity="warning",
                timeout=8,
            )
        self.show_concern()
        self.show_question()

    def show_concern(self) -> None:
        show_concern_banner(self.query_one("#wt-concern", Static), self.ctx, self.audit_id)

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
                f"{walk.answered}/{len(walk.questions)} answered",
            )
        )
        tags = []
        if q.critical:
            tags.append(("  ! CRITICAL", "bold $text-error"))
        if q.weight != 1:
            tags.append((f"  weight {q.weight:g}", "$text-muted"))
        self.query_one("#wt-question", QuestionView).update(
            Content.assemble((q.id, "bold $text-accent"), *tags, "\n", q.text)
        )
        self.query_one("#wt-options", AnswerOptions).show(
            self._options(q), answer.answer if answer else None, self.letter_keys, q.na_allowed
        )
        note = self.query_one("#wt-note", Input)
        note.value = (answer.note or "") if answer else ""
        is_na = answer is not None and answer.points is None
        self.query_one("#wt-na").display = is_na
        if is_na:
            required = " (required)" if q.na_reason_required else " (optional)"
            self.query_one("#wt-na-label", Static).update(f"Why is this not applicable?{required}")
            self.query_one("#wt-na-reason", Input).value = (
                (answer.na_reason or "") if answer else ""
            )
        self.query_one("#wt-sections", SectionSidebar).show(walk.progress(), walk.section_index)
        self.query_one("#wt-guidance", GuidancePanel).show(self.fw, q)
        self.query_one("#wt-main", MainColumn).scroll_home(animate=False)

    # --- saving -----------------------------------------------------------------------

    def _saved(self) -> None:
        self.query_one("#wt-saved", SavedIndicator).mark(self.audit_app.clock())

    def _answer(self, option: AnswerOption) -> None:
        q = self.question
        if option.is_na and not q.na_allowed:
            self.notify(
                f"{q.id} must be answered: not applicable is not allowed.", severity="warning"
            )
            return
        note = self.query_one("#wt-note", Input).value.strip()
        reason = self.query_one("#wt-na-reason", Input).value.strip() if option.is_na else ""
        try:
            stored = audits.record_answer(
                self.ctx,
                self.audit_id,
                AnswerIn(
                    question_id=q.id,
                    answer=option.code,
                    note=note or None,
                    na_reason=reason or None,
                ),
            )
            if (note or None) != stored.note:  # the note field was cleared
                stored = audits.record_note(self.ctx, self.audit_id, q.id, note or None)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        self.walk.answers[q.id] = stored
        self._saved()
        if option.is_na and q.na_reason_required and not stored.na_reason:
            # Stay here: the reason is part of the answer.
            self.show_question()
            self.query_one("#wt-na-reason", Input).focus()
            return
        self._advance()

    def _advance(self) -> None:
        if not self.walk.next() and not self.walk.next_unanswered():
            self.notify("Every question is answered: press v to review and finalise.")
        self.show_question()

    def save_text_fields(self) -> None:
        """Commit the note and N/A reason of the current question if they changed."""
        q = self.question
        answer = self.walk.answer()
        note = self.query_one("#wt-note", Input).value.strip() or None
        reason_input = self.query_one("#wt-na-reason", Input)
        if answer is None:
            if note:
                self.notify(
                    f"Note on {q.id} not saved: answer the question first, then add the note.",
                    severity="warning",
                )
            return
        reason = reason_input.value.strip() or None if answer.points is None else None
        if note == answer.note and reason == (answer.na_reason if answer.points is None else None):
            return
        try:
            stored = audits.record_note(
                self.ctx,
                self.audit_id,
                q.id,
                note,
                na_reason=(reason or "") if answer.points is None else None,
            )
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        self.walk.answers[q.id] = stored
        self._saved()

    def _move(self, move: Callable[[], bool | None]) -> bool | None:
        self.save_text_fields()
        moved = move()
        self.show_question()
        if self.focused is not None and isinstance(self.focused, Input):
            self.query_one("#wt-question").focus()
        return moved

    # --- events -----------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save_text_fields()
        answer = self.walk.answer()
        if event.input.id == "wt-na-reason" and answer is not None and answer.na_reason:
            self._advance()
        self.query_one("#wt-question").focus()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if self.is_attached:  # not while the app is shutting down
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
        if action == "edit_na_reason":
            answer = self.walk.answer()
            return answer is not None and answer.points is None
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """One palette command per answer option of the current question."""
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
            self.notify("Every question is answered: press v to review and finalise.")

    def action_toggle_guidance(self) -> None:
        show = not self.has_class("-guidance")
        self.audit_app.show_guidance = show
        self.set_class(show, "-guidance")

    def action_edit_note(self) -> None:
        self.query_one("#wt-note", Input).focus()

    def action_edit_na_reason(self) -> None:
        self.query_one("#wt-na-reason", Input).focus()

    def go_to(self, question_id: str) -> None:
        self._move(lambda: self.walk.go_to(question_id))
        self.query_one("#wt-question").focus()

    def action_add_action(self) -> None:
        q, answer = self.question, self.walk.answer()
        if not actionable(self.fw, q, answer.answer if answer else None):
            self.notify(
                f"An action comes from a No or Partly answer; {q.id} is not one. "
                "C (shift+c) adds an action for the whole audit.",
                severity="warning",
            )
            return
        self._new_action(q)

    def action_add_audit_action(self) -> None:
        self._new_action(None)

    def _new_action(self, question: Question | None) -> None:
        self.save_text_fields()
        detail = audits.get_audit(self.ctx, self.audit_id)

        def added(action: ActionOut | None) -> None:
            if action is not None:
                self.notify(
                    f"Action added: due {action.due_date.isoformat()}, owner {action.owner}.",
                    title="Action",
                )

        self.app.push_screen(NewActionModal(self.ctx, detail, self.fw, question), added)

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

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.save_text_fields()
            self.query_one("#wt-question").focus()
            return
        self.save_text_fields()
        self.dismiss(None)
