"""What every dialog is built on: its body and look, the guard against losing typed text, and
the one question any dialog may ask (confirm)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from audit_tui.i18n import N_, _

# not translated: CSS
DIALOG_CSS = """
%s { align: center middle; }
%s > DialogBody {
    width: 68; max-width: 100%%; height: auto; max-height: 100%%;
    border: round $primary; background: $surface; padding: 0 1;
}
%s .dialog-title { text-style: bold; margin: 0 0 1 0; }
%s .dialog-error { color: $text-error; height: auto; }
%s .dialog-buttons { height: auto; margin: 1 0 0 0; align-horizontal: right; }
%s .dialog-buttons Button { margin: 0 0 0 1; }
"""


class DialogBody(VerticalScroll, can_focus=False):
    """A dialog's contents: scrolls on a small terminal, never takes focus from its fields."""


def dialog_css(name: str) -> str:
    return DIALOG_CSS % ((name,) * 6)


class GuardTyped(DOMNode):
    """Esc on a form with typed text asks before throwing the text away. `remember_typed` is
    called once the fields hold their starting values; `leave(then)` runs `then` at once when
    nothing was typed since, or after the user confirms discarding it."""

    # By the field's id where it has one: a language switch composes the fields again, and
    # what was typed before it still counts as typed (bases/screen.py redraw_in_language).
    _typed_start: dict[str | int, str] | None = None

    def _typed_now(self) -> dict[str | int, str]:
        typed: dict[str | int, str] = {}
        for w in self.query("Input, TextArea"):  # not translated: a selector
            if isinstance(w, Input):
                typed[w.id or id(w)] = w.value
            elif isinstance(w, TextArea):
                typed[w.id or id(w)] = w.text
        return typed

    def remember_typed(self) -> None:
        self._typed_start = self._typed_now()

    def typed_since(self) -> bool:
        start = self._typed_start or {}
        return any(
            value.strip() and value != start.get(key, "")
            for key, value in self._typed_now().items()
        )

    def leave(self, then: Callable[[], object]) -> None:
        if not self.typed_since():
            then()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                then()

        self.app.push_screen(
            ConfirmModal(
                _("Discard what you typed?"),
                _("What you typed here has not been saved. Throw it away?"),
                yes=_("Discard"),
                no=_("Keep typing"),
            ),
            answered,
        )


class ConfirmModal(ModalScreen[bool]):
    """Yes (y/Enter) or no (n/Esc)."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n,escape", "answer(False)", N_("No"), key_display="n/esc"),
    ]
    DEFAULT_CSS = dialog_css("ConfirmModal")

    def __init__(
        self, title: str, body: str, yes: str | None = None, no: str | None = None
    ) -> None:
        """`title`, `body` and the buttons' words come translated (the defaults: Yes, Cancel)."""
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with DialogBody():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.body, markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.no or _('Cancel')} (n)", id="no")
                yield Button(f"{self.yes or _('Yes')} (y)", id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
