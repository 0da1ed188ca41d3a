"""Dialogs that pick from a list: one item (Enter), or several (Space toggles, Enter confirms)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from audit_tui.ui.screens.modals import DialogBody, dialog_css


class ChoiceModal(ModalScreen[str | None]):
    """Choose one of (label, value); Esc chooses nothing."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", key_display="esc")]
    DEFAULT_CSS = (
        dialog_css("ChoiceModal")
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
            yield Static("Enter chooses · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        values = [value for _, value in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MultiChoiceModal(ModalScreen[list[str] | None]):
    """Tick any of (label, value) with Space; Enter confirms (none ticked means all)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", key_display="esc"),
        Binding("enter", "confirm", "Confirm", priority=True),
        Binding("ctrl+a", "clear", "All (clear ticks)"),
    ]
    DEFAULT_CSS = (
        dialog_css("MultiChoiceModal")
        + """
    MultiChoiceModal SelectionList { height: auto; max-height: 16; }
    MultiChoiceModal .dialog-hint { color: $text-muted; }
    """
    )

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], chosen: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.title_text, self.choices = title, list(choices)
        self.chosen = {c.lower() for c in chosen}

    def compose(self) -> ComposeResult:
        with DialogBody():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield SelectionList[str](
                *((label, value, value.lower() in self.chosen) for label, value in self.choices),
                id="choices",
            )
            yield Static(
                "Space ticks · Enter confirms (nothing ticked: all) · ctrl+a clears · Esc cancels",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        choices = self.query_one("#choices", SelectionList)
        if choices.option_count:
            choices.highlighted = 0
        choices.focus()

    def action_confirm(self) -> None:
        self.dismiss(list(self.query_one("#choices", SelectionList).selected))

    def action_clear(self) -> None:
        self.query_one("#choices", SelectionList).deselect_all()

    def action_cancel(self) -> None:
        self.dismiss(None)
