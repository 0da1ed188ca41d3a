"""A draft whose framework file changed since it was started: the auditor chooses to carry on
with the version it was started on (the default) or to move it to the new one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from audit_tui.i18n import N_, _, ngettext
from audit_tui.services.schemas import DraftMove
from audit_tui.ui.bases.dialog import DialogBody, dialog_css


def _ids(ids: list[str], most: int = 6) -> str:
    shown = ", ".join(ids[:most])
    if len(ids) > most:
        return _("{ids} and {n} more").format(ids=shown, n=len(ids) - most)
    return shown


class DraftVersionModal(ModalScreen[bool]):
    """True: move the draft to the new version; False: carry on with its own."""

    BINDINGS = [
        Binding("c,escape", "choose(False)", N_("Carry on"), key_display="c/esc"),
        Binding("m", "choose(True)", N_("Move to the new version")),
    ]
    DEFAULT_CSS = dialog_css("DraftVersionModal")

    def __init__(self, move: DraftMove) -> None:
        super().__init__()
        self.move = move

    def compose(self) -> ComposeResult:
        m = self.move
        with DialogBody():
            yield Static(
                _("Framework {framework} has changed since this audit was started").format(
                    framework=m.framework_id
                ),
                classes="dialog-title",
                markup=False,
            )
            yield Static(
                _(
                    "This draft was started on version {old}; the framework file now holds "
                    "version {new}. A draft is scored against one version only."
                ).format(old=m.from_version, new=m.to_version),
                markup=False,
            )
            if m.refused:
                yield Static(
                    _("It cannot move: {why}").format(why=m.refused),
                    classes="dialog-error",
                    markup=False,
                )
            else:
                dropped = (
                    ngettext(
                        "{n} would be removed, as version {new} does not ask it (or no longer "
                        "offers the answer given): {ids}.",
                        "{n} would be removed, as version {new} does not ask them (or no longer "
                        "offers the answer given): {ids}.",
                        len(m.dropped),
                    ).format(n=len(m.dropped), new=m.to_version, ids=_ids(m.dropped))
                    if m.dropped
                    else _("None would be removed.")
                )
                yield Static(
                    _(
                        "Moving carries over the {n} answers to questions both versions share. "
                        "{dropped} The move is logged."
                    ).format(n=len(m.carried), dropped=dropped),
                    markup=False,
                )
            with Horizontal(classes="dialog-buttons"):
                if not m.refused:
                    yield Button(_("Move to {version} (m)").format(version=m.to_version), id="move")
                yield Button(
                    _("Carry on with {version} (c)").format(version=m.from_version),
                    id="carry",
                    variant="primary",
                )

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
