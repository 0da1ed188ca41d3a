"""What every question-by-question screen shares: the auditor's walkthrough and the moderator's
blind re-answer both show one question at a time and commit each answer as it is given.

Keyboard focus rests on the question (not on a text field), so number and letter keys answer;
while the note field has focus they type into it instead (the Input consumes printable keys
before any screen binding sees them).

The text fields (the note, and the walkthrough's N/A reason) belong to one question: showing a
question loads them from its answer (empty when it has none) and records whose they are
(`fields_for`), and whatever saves them - Enter, leaving the field, moving, answering, a
late blur event after a move - saves them to that question. So text typed for one question
can never be stored against another, by any key sequence.

A screen built on this says where its answers are saved (`save_answer`, `save_fields`),
what it shows beyond the shared layout (the `compose_*` and `show_answer_details` hooks) and
what v does. It sees only the answers it is given, so the moderator's screen, given nothing but
the moderator's own answers, cannot show the first auditor's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Generic

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.keys import WALK_COMMANDS
from audit_tui.domain.scales import AnswerOption, AnswerScale
from audit_tui.i18n import N_, _, format_number, shown_language
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.format import NOTE_HELP, option_text
from audit_tui.ui.walk import A, Walk
from audit_tui.ui.widgets.answer_options import AnswerOptions
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.guidance import GuidancePanel
from audit_tui.ui.widgets.saved_indicator import SavedIndicator
from audit_tui.ui.widgets.section_sidebar import LEGEND, SectionSidebar

# The walkthrough's own command keys (domain/keys.py): an answer option never takes one -
# `frameworks check` refuses it, naming the command.
NAV_KEYS = set(WALK_COMMANDS)
DIGITS = "0123456789"


def bind_answer_keys(bindings: BindingsMap, fw: Framework, questions: list[Question]) -> set[str]:
    """Number keys choose by position (1-9), or on a scale whose options have digit keys of
    their own (a 0-10 scale), by those keys; each option's own letter chooses it too. Returns
    the letters bound (all of them: a command key is refused by `frameworks check`; only a
    version stored before that rule could have one, and its option is answered by number)."""
    # Each question's own words for its options (Welsh answers follow the verb: Oes/Nac oes).
    scales = [fw.answer_scale(q) for q in questions]
    for d in DIGITS:
        bindings.bind(d, f"answer_digit('{d}')", N_("Answer by number"), show=False)
    labels: dict[str, list[str]] = {}
    for o in (o for scale in scales for o in scale.options):
        if o.key in DIGITS or o.key in NAV_KEYS:
            continue
        if o.label not in labels.setdefault(o.key, []):
            labels[o.key].append(o.label)
    for key, names in sorted(labels.items()):
        # Made in the current language (option labels are the framework's, in that language);
        # the help screen's _() leaves a text that is not in the catalogue as it is.
        description = _("Answer {options}").format(options="/".join(names))
        bindings.bind(key, f"answer_key('{key}')", description, show=False)
    return set(labels)


def unbind_answer_keys(bindings: BindingsMap) -> None:
    """Take away the answer keys `bind_answer_keys` bound (to bind them again after a
    language switch: the options' names change)."""
    for key, bound in list(bindings.key_to_bindings.items()):
        kept = [b for b in bound if not b.action.startswith(("answer_digit", "answer_key"))]
        if kept:
            bindings.key_to_bindings[key] = kept
        else:
            del bindings.key_to_bindings[key]


def option_by_digit(scale: AnswerScale, digit: str) -> AnswerOption | None:
    """The option a number key chooses: by its own key on a scale with digit keys, else by
    position (1 the first)."""
    if scale.digit_keys:
        return next((o for o in scale.options if o.key == digit), None)
    n = int(digit)
    return scale.options[n - 1] if 1 <= n <= len(scale.options) else None


def option_keys(scale: AnswerScale, position: int, letter_keys: set[str]) -> str:
    """The keys that choose an option, as shown beside it: '1 y', '0', '2 ' (no letter)."""
    option = scale.options[position - 1]
    if scale.digit_keys:
        return option.key if option.key in DIGITS or option.key in letter_keys else " "
    letter = option.key if option.key in letter_keys else " "
    return f"{position} {letter}" if position <= 9 else f"  {letter}"


class QuestionView(Static, can_focus=True):
    """The current question. It holds keyboard focus while answering."""


class MainColumn(VerticalScroll, can_focus=False, inherit_bindings=False):
    """Scrolls (mouse) when a long question does not fit, without taking the arrow keys: up and
    down always move between questions."""


class QuestionWalkScreen(AuditScreen[None], Generic[A]):
    """One question at a time, over saved answers of type `A`. Subclasses add v (and their
    own keys) and esc's wording to BINDINGS, and do their mount-time work in `mounted`, not
    in an on_mount of their own (Textual would run both)."""

    # The palette offers the current question's options by name instead of the raw key bindings.
    PALETTE_HIDE = ("answer_digit", "answer_key")
    AUTO_FOCUS = "#wt-question"
    # The walkthrough's and the moderator's blind re-answer's alike (subclasses inherit it).
    # Scoped to this class; Textual does not prefix a selector that already begins with it.
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #wt-body { height: 1fr; }
    #wt-sidebar { width: 30; height: 1fr; border-right: vkey $primary 50%; }
    #wt-legend { color: $text-muted; padding: 0 1; height: auto; }
    #wt-main { width: 1fr; height: 1fr; padding: 0 1; }
    #wt-status { height: auto; }
    #wt-position { width: 1fr; height: auto; color: $text-secondary; }
    #wt-question { height: auto; padding: 1 1 0 1; }
    #wt-question:focus { background: $boost; }
    #wt-note-label, #wt-na-label { margin: 1 0 0 0; color: $text-secondary; }
    #wt-na { height: auto; display: none; }
    #wt-guidance { display: none; width: 40%; height: 1fr; }
    QuestionWalkScreen.-guidance #wt-guidance { display: block; }
    /* Narrow terminals: a slimmer sidebar, and the guidance panel takes the sidebar's room. */
    QuestionWalkScreen.-narrow #wt-sidebar { width: 24; }
    QuestionWalkScreen.-narrow.-guidance #wt-sidebar { display: none; }
    QuestionWalkScreen.-narrow #wt-guidance { width: 1fr; }
    """
    BINDINGS = [
        Binding("down,j", "next", N_("Next"), key_display="↓/j"),
        Binding("up,k", "previous", N_("Prev"), key_display="↑/k"),
        Binding(
            "right_square_bracket", "next_section", N_("Next section"), key_display="]", show=False
        ),
        Binding(
            "left_square_bracket",
            "previous_section",
            N_("Previous section"),
            key_display="[",
            show=False,
        ),
        Binding("u", "next_unanswered", N_("Unanswered")),
        Binding("g", "toggle_guidance", N_("Guidance")),
        Binding("e", "edit_note", N_("Note")),
        # The guidance panel scrolls by keyboard wherever the focus is (and takes the focus
        # with Tab, where the arrow keys scroll it too).
        Binding(
            "pagedown", "scroll_guidance(1)", N_("Guidance down"), key_display="PgDn", show=False
        ),
        Binding("pageup", "scroll_guidance(-1)", N_("Guidance up"), key_display="PgUp", show=False),
    ]
    # Said when there is nowhere left to go: what v does on this screen. These three are
    # marked with N_ and translated where shown.
    ALL_ANSWERED = N_("Every question is answered.")
    NOTE_LABEL = N_("Note")
    POSITION_ANSWERED = N_("answered")  # after "12/30"; in Welsh "atebwyd", short to fit
    SHOW_WEIGHT = True

    fw: Framework  # as shown in the interface language
    framework_read: Framework  # as stored
    case_type: str
    walk: Walk[A]
    letter_keys: set[str]
    # The question whose text the note (and N/A reason) fields hold now.
    fields_for: str | None = None
    # The question a note typed before answering was last mentioned for (said once).
    _note_kept_for: str | None = None

    def start_walk(self, fw: Framework, case_type: str, answers: Mapping[str, A]) -> None:
        """Open at the first unanswered question, with the answer keys this framework needs."""
        self.framework_read, self.case_type = fw, case_type
        self._walk_in_language(answers)
        self.walk.first_unanswered()

    def _walk_in_language(self, answers: Mapping[str, A], index: int = 0) -> None:
        """The framework as the interface language shows it (`shown_in`: the other
        language, marked, where it has no translation), walked from question `index`."""
        self.fw = self.framework_read.shown_in(shown_language())
        self.walk = Walk(self.fw, self.case_type, answers)
        self.walk.index = index
        unbind_answer_keys(self._bindings)
        self.letter_keys = bind_answer_keys(self._bindings, self.fw, self.walk.questions)

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield from self.compose_above_body()
        with Horizontal(id="wt-body"):
            with Vertical(id="wt-sidebar"):
                yield Static(_("Sections"), classes="panel-title")
                yield SectionSidebar(id="wt-sections")
                yield Static(_(LEGEND), id="wt-legend")
            with MainColumn(id="wt-main"):
                yield from self.compose_above_question()
                with Horizontal(id="wt-status"):
                    yield Static(id="wt-position")
                    yield SavedIndicator(id="wt-saved")
                yield QuestionView(id="wt-question")
                yield AnswerOptions(id="wt-options")
                yield Static(f"{_(self.NOTE_LABEL)} - {_(NOTE_HELP)}", id="wt-note-label")
                yield Input(placeholder=_("e - add a note (initials only)"), id="wt-note")
                yield from self.compose_below_note()
            yield GuidancePanel(id="wt-guidance")
        yield AppFooter()

    def compose_above_body(self) -> ComposeResult:
        return ()

    def compose_above_question(self) -> ComposeResult:
        return ()

    def compose_below_note(self) -> ComposeResult:
        return ()

    def on_mount(self) -> None:
        self.set_class(self.audit_app.show_guidance, "-guidance")
        self.mounted()
        self.show_question()

    def mounted(self) -> None:
        """Titles and anything else to do once the widgets exist, before the first question."""

    def language_changed(self) -> None:
        """Composed again in another language: the same question, drawn anew (the text
        fields' typing is put back by the caller, bases/screen.py `redraw_in_language`)."""
        self.set_class(self.audit_app.show_guidance, "-guidance")
        self._walk_in_language(self.walk.answers, self.walk.index)
        self.titles()
        self.show_question()

    def titles(self) -> None:
        """The title and sub-title (on mounting and after a language switch). Screens that
        set them in `mounted` and do nothing else there need not override it."""
        self.mounted()

    # --- showing ----------------------------------------------------------------------

    @property
    def question(self) -> Question:
        return self.walk.question

    def _options(self, q: Question) -> list[AnswerOption]:
        return self.fw.answer_scale(q).options

    def show_question(self) -> None:
        walk, q = self.walk, self.walk.question
        answer = walk.answer()
        number, of = walk.position_in_section()
        self.query_one("#wt-position", Static).update(
            Content.assemble(
                (walk.section.title, "bold"),
                " · ",
                _("{number} of {total}").format(number=number, total=of),
                " · ",
                f"{walk.answered}/{len(walk.questions)} {_(self.POSITION_ANSWERED)}",
            )
        )
        tags = []
        if q.critical:
            tags.append(("  ! " + _("CRITICAL"), "bold $text-error"))
        if self.SHOW_WEIGHT and q.weight != 1:
            weight = _("weight {weight}").format(weight=format_number(q.weight))
            tags.append(("  " + weight, "$text-muted"))
        self.query_one("#wt-question", QuestionView).update(
            Content.assemble((q.id, "bold $text-accent"), *tags, "\n", q.text)
        )
        scale = self.fw.answer_scale(q)
        self.query_one("#wt-options", AnswerOptions).show(
            scale.options,
            answer.answer if answer else None,
            [option_keys(scale, n, self.letter_keys) for n in range(1, len(scale.options) + 1)],
            q.na_allowed,
        )
        self.load_text_fields(q)
        self.show_answer_details(q)
        self.query_one("#wt-sections", SectionSidebar).show(walk.progress(), walk.section_index)
        self.query_one("#wt-guidance", GuidancePanel).show(self.fw, q)
        self.query_one("#wt-main", MainColumn).scroll_home(animate=False)

    def show_answer_details(self, q: Question) -> None:
        """Whatever else of the current answer this screen shows (below the note)."""

    def load_text_fields(self, q: Question) -> None:
        """Fill the text fields from `q`'s answer (empty without one): from now on they are
        `q`'s."""
        answer = self.walk.answer(q)
        self.fields_for = q.id
        self.query_one("#wt-note", Input).value = (answer.note or "") if answer else ""

    # --- saving -----------------------------------------------------------------------

    def save_answer(self, q: Question, option: AnswerOption, note: str | None) -> A:
        """Record `option` (with the note typed so far) as the answer to `q`; may raise
        UserError."""
        raise NotImplementedError

    def save_typing(self) -> None:
        self.save_text_fields(leaving=True)

    def save_text_fields(self, *, leaving: bool = False) -> None:
        """Commit the text fields to the question they belong to, if they changed. A note
        typed before the question is answered stays in its field and is saved with the
        answer; `leaving` (moving to another question) says it is not saved."""
        qid = self.fields_for
        if qid is None:
            return
        answer = self.walk.answers.get(qid)
        note = self.query_one("#wt-note", Input).value.strip() or None
        if answer is None:
            if note and leaving:
                self.notify(
                    _(
                        "Note on {question} not saved: answer the question first, then add "
                        "the note."
                    ).format(question=qid),
                    severity="warning",
                )
            elif note and self._note_kept_for != qid:
                self._note_kept_for = qid
                self.notify(
                    _("The note is saved with your answer to {question}.").format(question=qid)
                )
            return
        self.save_fields(qid, answer, note)

    def save_fields(self, question_id: str, answer: A, note: str | None) -> None:
        """Commit the text fields of `question_id` (answered as `answer`) if they changed."""
        raise NotImplementedError

    def stay_after_answer(self, q: Question, option: AnswerOption) -> bool:
        """Whether the answer just stored needs more on this question before moving on."""
        return False

    def store(self, save: Callable[[], A]) -> A | None:
        """Run `save`, keep what it stored (under the question it was stored for) and show it
        saved; a UserError is shown and nothing is kept."""
        try:
            stored = save()
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return None
        self.walk.answers[stored.question_id] = stored
        self.query_one("#wt-saved", SavedIndicator).mark(self.audit_app.clock())
        return stored

    def _answer(self, option: AnswerOption) -> None:
        q = self.question
        if option.is_na and not q.na_allowed:
            self.notify(
                _("{question} must be answered: not applicable is not allowed.").format(
                    question=q.id
                ),
                severity="warning",
            )
            return
        if self.fields_for != q.id:  # never take another question's text
            self.load_text_fields(q)
        note = self.query_one("#wt-note", Input).value.strip() or None
        stored = self.store(partial(self.save_answer, q, option, note))
        if stored is not None and not self.stay_after_answer(q, option):
            self._advance()

    def _advance(self) -> None:
        if not self.walk.next() and not self.walk.next_unanswered():
            self.notify(_(self.ALL_ANSWERED))
        self.show_question()

    def _move(self, move: Callable[[], bool | None]) -> bool | None:
        self.save_text_fields(leaving=True)
        moved = move()
        self.show_question()
        if isinstance(self.focused, Input):
            self.query_one("#wt-question").focus()
        return moved

    def go_to(self, question_id: str) -> None:
        self._move(lambda: self.walk.go_to(question_id))
        self.query_one("#wt-question").focus()

    # --- events -----------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save_text_fields()
        self.text_submitted(event.input)
        self.query_one("#wt-question").focus()

    def text_submitted(self, field: Input) -> None:
        """Enter in a text field, after it is saved and before focus returns to the question."""

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if self.is_attached:  # not while the app is shutting down
            self.save_text_fields()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._move(lambda: self.walk.go_to_section(event.option_index))
        self.query_one("#wt-question").focus()

    # --- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer_digit":
            return (
                option_by_digit(self.fw.answer_scale(self.question), str(parameters[0])) is not None
            )
        if action == "answer_key":
            return any(o.key == parameters[0] for o in self._options(self.question))
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """One palette command per answer option of the current question."""
        q = self.question
        scale = self.fw.answer_scale(q)
        out: list[tuple[str, str, Callable[[], None]]] = []
        for n, option in enumerate(scale.options, start=1):
            if option.is_na and not q.na_allowed:
                continue
            keys = _(" or ").join(option_keys(scale, n, self.letter_keys).split())
            out.append(
                (
                    _("Answer {question}: {option}").format(
                        question=q.id, option=option_text(option)
                    ),
                    _("key {key}").format(key=keys),
                    partial(self._answer, option),
                )
            )
        return out

    def action_answer_digit(self, digit: str) -> None:
        option = option_by_digit(self.fw.answer_scale(self.question), digit)
        if option is not None:
            self._answer(option)

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
            self.notify(_(self.ALL_ANSWERED))

    def action_toggle_guidance(self) -> None:
        show = not self.has_class("-guidance")
        self.audit_app.show_guidance = show
        self.set_class(show, "-guidance")

    def action_scroll_guidance(self, direction: int) -> None:
        panel = self.query_one("#wt-guidance", GuidancePanel)
        if not panel.display:
            self.notify(_("Press g to show the guidance first."))
            return
        if direction > 0:
            panel.scroll_page_down(animate=False)
        else:
            panel.scroll_page_up(animate=False)

    def action_edit_note(self) -> None:
        self.query_one("#wt-note", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            # Esc in a text field returns to the question; only Esc there leaves.
            self.save_text_fields()
            self.query_one("#wt-question").focus()
            return
        self.save_text_fields(leaving=True)
        self.dismiss(None)
