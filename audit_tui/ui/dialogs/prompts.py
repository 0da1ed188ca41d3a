"""Dialogs that ask for one thing: a line of text (checked as it is saved), one item of a list
(Enter), or several (Space toggles, Enter confirms)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _
from audit_tui.ui.bases.dialog import DialogBody, GuardTyped, dialog_css


class TextPromptModal(GuardTyped, ModalScreen[str | None]):
    """One line of text, checked by `submit` (which may raise UserError, shown inline)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), key_display="esc")]
    DEFAULT_CSS = dialog_css("TextPromptModal")

    def __init__(
        self,
        title: str,
        label: str,
        submit: Callable[[str], str],
        placeholder: str = "",
    ) -> None:
        super().__init__()
        self.title_text, self.label, self.submit, self.placeholder = (
            title,
            label,
            submit,
            placeholder,
        )

    def compose(self) -> ComposeResult:
        with DialogBody():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.label, markup=False)  # wraps: a long hint is never cut
            yield Input(placeholder=self.placeholder, id="prompt-input")
            yield Static("", classes="dialog-error", id="prompt-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Cancel (esc)"), id="cancel")
                yield Button(_("Save (enter)"), id="save", variant="primary")

    def on_mount(self) -> None:
        self.remember_typed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._save()
        else:
            self.action_cancel()

    def _save(self) -> None:
        value = self.query_one("#prompt-input", Input).value
        try:
            result = self.submit(value)
        except UserError as exc:
            self.query_one("#prompt-error", Static).update(f"✗ {exc}")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))


class ChoiceModal(ModalScreen[str | None]):
    """Choose one of (label, value); Esc chooses nothing."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), key_display="esc")]
    DEFAULT_CSS = (
        dialog_css("ChoiceModal")  # not translated: CSS
        + """
    ChoiceModal OptionList { height: auto; max-height: 16; }
    ChoiceModal .dialog-hint { color: $text-muted; }
    """
    )

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], current: str | None = None
    ) -> None:
        super().__init__()
        self.title_text, self.choices, self.current = title, list(choices), current

    def compose(self) -> ComposeResult:
        with DialogBody():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(
                *(Option(label, id=value) for label, value in self.choices), id="choices"
            )
            yield Static(_("Enter chooses · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        values = [value for _label, value in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


TICKED = "[✓]"
UNTICKED = "[ ]"


class MultiChoiceModal(ModalScreen[list[str] | None]):
    """Tick any of (label, value) with Space; Enter confirms (none ticked means all). A tick is
    a mark in its box ([✓] / [ ]), never a colour alone."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), key_display="esc"),
        Binding("enter", "confirm", N_("Confirm"), priority=True),
        Binding("space", "tick", N_("Tick/untick"), key_display="space"),
        Binding("ctrl+a", "clear", N_("All (clear ticks)")),
    ]
    DEFAULT_CSS = (
        dialog_css("MultiChoiceModal")  # not translated: CSS
        + """
    MultiChoiceModal OptionList { height: auto; max-height: 16; }
    MultiChoiceModal .dialog-hint { color: $text-muted; }
    """
    )

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], chosen: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.title_text, self.choices = title, list(choices)
        wanted = {c.lower() for c in chosen}
        self.ticked = {value for _label, value in self.choices if value.lower() in wanted}

    def _prompt(self, label: str, value: str) -> str:
        return f"{TICKED if value in self.ticked else UNTICKED} {label}"

    def compose(self) -> ComposeResult:
        with DialogBody():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(
                *(Option(self._prompt(label, value), id=value) for label, value in self.choices),
                id="choices",
            )
            yield Static(
                _(
                    "Space ticks · Enter confirms (nothing ticked: all) · ctrl+a clears · "
                    "Esc cancels"
                ),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            choices.highlighted = 0
        choices.focus()

    @property
    def selected(self) -> list[str]:
        return [value for _label, value in self.choices if value in self.ticked]

    def _redraw(self) -> None:
        box = self.query_one("#choices", OptionList)
        for label, value in self.choices:
            box.replace_option_prompt(value, self._prompt(label, value))

    def action_tick(self) -> None:
        box = self.query_one("#choices", OptionList)
        if box.highlighted is None:
            return
        value = self.choices[box.highlighted][1]
        self.ticked ^= {value}
        self._redraw()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter confirms (its binding); a click ticks
        self.action_tick()

    def action_confirm(self) -> None:
        self.dismiss(self.selected)

    def action_clear(self) -> None:
        self.ticked.clear()
        self._redraw()

    def action_cancel(self) -> None:
        self.dismiss(None)
