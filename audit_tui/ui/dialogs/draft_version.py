"""A draft whose framework file changed since it was started: the auditor chooses to carry on
with the version it was started on (the default) or to move it to the new one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from audit_tui.services.schemas import DraftMove
from audit_tui.ui.bases.dialog import DialogBody, dialog_css


def _ids(ids: list[str], most: int = 6) -> str:
    more = f" and {len(ids) - most} more" if len(ids) > most else ""
    return ", ".join(ids[:most]) + more


class DraftVersionModal(ModalScreen[bool]):
    """True: move the draft to the new version; False: carry on with its own."""

    BINDINGS = [
        Binding("c,escape", "choose(False)", "Carry on", key_display="c/esc"),
        Binding("m", "choose(True)", "Move to the new version"),
    ]
    DEFAULT_CSS = dialog_css("DraftVersionModal")

    def __init__(self, move: DraftMove) -> None:
        super().__init__()
        self.move = move

    def compose(self) -> ComposeResult:
        m = self.move
        with DialogBody():
            yield Static(
                f"Framework {m.framework_id} has changed since this audit was started",
                classes="dialog-title",
                markup=False,
            )
            yield Static(
                f"This draft was started on version {m.from_version}; the framework file now "
                f"holds version {m.to_version}. A draft is scored against one version only.",
                markup=False,
            )
            if m.refused:
                yield Static(f"It cannot move: {m.refused}", classes="dialog-error", markup=False)
            else:
                dropped = (
                    f"{len(m.dropped)} would be removed, as version {m.to_version} does not "
                    f"ask them (or no longer offers the answer given): {_ids(m.dropped)}."
                    if m.dropped
                    else "None would be removed."
                )
                yield Static(
                    f"Moving carries over the {len(m.carried)} answers to questions both "
                    f"versions share. {dropped} The move is logged.",
                    markup=False,
                )
            with Horizontal(classes="dialog-buttons"):
                if not m.refused:
                    yield Button(f"Move to {m.to_version} (m)", id="move")
                yield Button(f"Carry on with {m.from_version} (c)", id="carry", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#carry", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "move")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters and parameters[0] is True:
            return not self.move.refused
        return True

    def action_choose(self, move: bool) -> None:
        self.dismiss(move)
