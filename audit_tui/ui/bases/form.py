"""A small form in a dialog: labelled fields, ctrl+s saves, Esc cancels, one error line.

Subclasses yield their fields from `fields()` and turn them into a result in `save()`, raising
UserError or ValueError with a message the user can act on; the dialog stays open and shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from audit_tui.domain.errors import UserError
from audit_tui.domain.messages import plain_error
from audit_tui.i18n import N_, _
from audit_tui.services.database_info import DemoDatabaseRefused
from audit_tui.ui.bases.dialog import ConfirmModal, DialogBody, GuardTyped, dialog_css
from audit_tui.ui.bases.screen import InApp

ResultT = TypeVar("ResultT")


def parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            _("{what}: write the date as YYYY-MM-DD, e.g. 2026-12-18").format(what=what)
        ) from None


def parse_optional_date(text: str, what: str) -> date | None:
    return parse_date(text, what) if text.strip() else None


def parse_when(text: str, what: str) -> datetime:
    """A local date and time as YYYY-MM-DD HH:MM (or a date alone, meaning midnight)."""
    clean = " ".join(text.split())
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(clean, fmt)
        except ValueError:
            continue
    raise UserError(
        _("{what}: write it as YYYY-MM-DD HH:MM, e.g. 2026-11-20 14:30").format(what=what)
    )


def first_error(exc: ValidationError, labels: dict[str, str] | None = None) -> str:
    """The first problem in plain words, never pydantic's own message."""
    return plain_error(exc, labels)


class FormModal(InApp, GuardTyped, ModalScreen[ResultT]):
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), key_display="esc"),
        Binding("ctrl+s", "save", N_("Save")),
    ]
    # not translated: CSS
    DEFAULT_CSS = (
        dialog_css("FormModal")
        # not translated: CSS
        + """
    FormModal Input, FormModal Select { width: 100%; }
    FormModal Input.-textual-compact { background: $boost; padding: 0 1; }
    FormModal Input.-textual-compact:focus { background: $primary 30%; }
    FormModal .form-label { color: $text-secondary; margin: 1 0 0 0; }
    FormModal .form-info { height: auto; }
    """
    )
    # Marked with N_ by each form, translated where shown.
    TITLE_TEXT = ""
    SAVE_LABEL = N_("Save")
    # How the form names the fields of the model it validates, for plain-word errors.
    LABELS: dict[str, str] = {}

    def fields(self) -> Iterable[Widget]:
        return ()

    def save(self) -> ResultT:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with DialogBody():
            yield Static(_(self.TITLE_TEXT), classes="dialog-title", markup=False)
            yield from self.fields()
            yield Static("", classes="dialog-error", id="form-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield from self.extra_buttons()
                yield Button(_("Cancel (esc)"), id="cancel")
                yield Button(f"{_(self.SAVE_LABEL)} (ctrl+s)", id="save", variant="primary")

    def extra_buttons(self) -> Iterable[Widget]:
        return ()

    def on_mount(self) -> None:
        # One line per field, so a whole form fits an 80x24 terminal without scrolling.
        fields = [
            f
            # not translated: a selector
            for f in self.query("Input, Select")
            if isinstance(f, (Input, Select))  # not translated: a selector
        ]
        for field in fields:
            field.compact = True
        first = next(iter(fields), None)
        if first is not None:
            first.focus()
        self.remember_typed()

    @staticmethod
    def label(text: str) -> Static:
        return Static(text, classes="form-label", markup=False)

    def value(self, field_id: str) -> str:
        widget = self.query_one(f"#{field_id}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(f"✗ {message}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(None))

    def action_save(self) -> None:
        try:
            result = self.save()
        except ValidationError as exc:
            labels = {name: _(label) for name, label in self.LABELS.items()}
            self.show_error(first_error(exc, labels))
            return
        except DemoDatabaseRefused as exc:
            self._confirm_practice(str(exc))
            return
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(result)

    def _confirm_practice(self, why: str) -> None:
        """In the demo database: say so, and save only if the user means to practise (as New
        audit asks; the services refuse real work there until the user has confirmed)."""

        def answered(practise: bool | None) -> None:
            if practise:
                self.ctx.demo_confirmed = True
                self.action_save()

        self.app.push_screen(
            ConfirmModal(
                _("This is the demo database"),
                _(
                    "{why}. Save it here anyway, as practice? It will be marked as demo data."
                ).format(why=why),
                yes=_("Practise here"),
                no=_("Cancel"),
            ),
            answered,
        )
