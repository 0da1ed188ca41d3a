"""The session: which database is open and who you are (`ctrl+p` "Database"), and, the first
time you open a database, telling it who you are (pick yourself or add yourself)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from audit_tui import i18n
from audit_tui.config import settings_file
from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _
from audit_tui.services import directory, staff
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import describe
from audit_tui.services.identity import link_identity
from audit_tui.services.staff import StaffMember
from audit_tui.ui.bases.dialog import DialogBody, GuardTyped, dialog_css
from audit_tui.ui.bases.screen import InApp


def session_lines(ctx: AppContext) -> list[Content]:
    info = describe(ctx)
    kind = {
        "demo": _("DEMO DATABASE - made-up data, kept apart from real audits"),
        "live": _("your audits"),
        "empty": _("no audits yet"),
    }[info.kind]
    who = ctx.identity.describe() if ctx.identity is not None else ctx.me
    rows = [
        (_("Database"), info.where),
        ("", kind),
        (_("You"), who),
        (_("Exports"), str(ctx.settings.exports)),
        (_("Settings"), str(settings_file())),
        (_("Language"), i18n.LANGUAGES.get(i18n.current(), i18n.current())),
    ]
    # The headings in one column, as wide as the widest in this language.
    width = max(len(name) for name, _value in rows) + 2
    return [Content.assemble((name.ljust(width), "bold"), value) for name, value in rows]


class SessionModal(InApp, ModalScreen[None]):
    """Where the data is, who you are, where files go."""

    BINDINGS = [Binding("escape,enter", "close", N_("Close"), key_display="esc")]
    # not translated: CSS
    DEFAULT_CSS = dialog_css("SessionModal") + "SessionModal > DialogBody { width: 90; }"

    def compose(self) -> ComposeResult:
        with DialogBody():
            yield Static(_("This session"), classes="dialog-title")
            for line in session_lines(self.ctx):
                yield Static(line, classes="session-line")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close (esc)"), id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class IdentityModal(InApp, GuardTyped, ModalScreen[str | None]):
    """Who are you? Pick yourself from this database's staff directory, or add yourself.
    Returns the name chosen (the session is then that person), or None for later."""

    BINDINGS = [
        Binding("escape", "later", N_("Later"), key_display="esc"),
        Binding("ctrl+s", "add", N_("Add me")),
    ]
    # The heading is docked, so it stays when the body scrolls to the list or the fields;
    # below 32 rows the list is shorter, so at 80x24 nothing needs to scroll at all.
    # not translated: CSS
    DEFAULT_CSS = (
        dialog_css("IdentityModal")  # not translated: CSS
        + """
    IdentityModal > DialogBody { width: 76; }
    IdentityModal .dialog-title { dock: top; background: $surface; width: 1fr; }
    IdentityModal OptionList { height: auto; max-height: 9; }
    IdentityModal.-short OptionList { max-height: 5; }
    IdentityModal Input, IdentityModal Select { width: 1fr; }
    IdentityModal .id-row { height: auto; }
    IdentityModal .id-label { color: $text-secondary; margin: 1 0 0 0; }
    """
    )

    def __init__(self, persona: str | None = None) -> None:
        super().__init__()
        self.persona = persona
        self.people: list[StaffMember] = []

    def compose(self) -> ComposeResult:
        ctx = self.ctx
        self.people = staff.list_staff(ctx, include_leavers=False)
        if self.persona is not None:
            self.people.sort(key=lambda p: p.name != self.persona)
        declared = ctx.identity.declared if ctx.identity is not None else ctx.me
        with DialogBody():
            yield Static(_("Who are you?"), classes="dialog-title")
            yield Static(
                _(
                    "audit-tui records who does what. To this computer you are '{name}'. "
                    "Choose yourself from this database's staff directory, or add yourself. "
                    "It is remembered for this database."
                ).format(name=declared),
                markup=False,
            )
            if self.people:
                yield Static(_("Staff directory (Enter chooses)"), classes="id-label")
                yield OptionList(*(self._option(p) for p in self.people), id="id-people")
            yield Static(_("Not listed? Add yourself"), classes="id-label")
            with Horizontal(classes="id-row"):
                yield Input(
                    value=declared if not self.people else "",
                    placeholder=_("Your name"),
                    id="id-name",
                )
                yield Select(
                    [(t.name, t.name) for t in directory.list_teams(ctx)],
                    prompt=_("Team (optional)"),
                    id="id-team",
                    compact=True,
                )
            yield Static("", classes="dialog-error", id="id-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Later (esc)"), id="id-later")
                yield Button(_("Add me (ctrl+s)"), id="id-add", variant="primary")

    def _option(self, p: StaffMember) -> Option:
        role = _("manager") if p.is_manager else _("auditor") if p.is_auditor else _("staff")
        where = f"{p.team}, {role}" if p.team else role
        hint = (
            "  - " + _("the demo's guide: drafts, moderation, actions")
            if p.name == self.persona
            else ""
        )
        return Option(f"{p.name} ({where}){hint}", id=p.name)

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.compact = True
        if self.people:
            self.query_one("#id-people", OptionList).focus()
        else:
            self.query_one("#id-name", Input).focus()
        self.remember_typed()

    def _done(self, name: str) -> None:
        try:
            link_identity(self.ctx, name)
        except UserError as exc:
            self.query_one("#id-error", Static).update(f"✗ {exc}")
            return
        self.dismiss(self.ctx.me)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._done(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_add()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "id-add":
            self.action_add()
        else:
            self.action_later()

    def action_add(self) -> None:
        name = self.query_one("#id-name", Input).value
        team = self.query_one("#id-team", Select).value
        try:
            person = staff.add_person(
                self.ctx, name, None if team is Select.NULL else str(team), auditor=True
            )
        except UserError as exc:
            self.query_one("#id-error", Static).update(f"✗ {exc}")
            return
        self._done(person.name)

    def action_later(self) -> None:
        self.leave(lambda: self.dismiss(None))
