"""Staff: the directory of people - their team, manager or not, auditor or not, left or not.
A leaver keeps their history but gets no new work. Reached from Home (s).

Keys: a adds a person, t moves the selected one to a team, m marks or unmarks a manager,
u an auditor, l marks a leaver (or brings them back), i imports a staff list (CSV or XLSX).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _
from audit_tui.services import directory, staff
from audit_tui.services.staff import StaffImportReport, StaffMember
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.prompts import ChoiceModal
from audit_tui.ui.dialogs.staff import AddPersonModal, ImportStaffModal, LeaverModal
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.tables import Col, fill_table, table_room

NO_TEAM = "__none__"


def yes(flag: bool) -> str:
    return _("yes") if flag else ""


class StaffScreen(AuditScreen[None]):
    HELP_TITLE = N_("Staff")
    AUTO_FOCUS = "#sf-table"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #sf-body { height: 1fr; }
    #sf-table { height: 1fr; }
    #sf-help { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "add", N_("Add")),
        Binding("t", "team", N_("Team")),
        Binding("m", "manager", N_("Manager")),
        Binding("u", "auditor", N_("Auditor")),
        Binding("l", "leaver", N_("Leaver")),
        Binding("i", "import_list", N_("Import")),
        Binding("c", "toggle_leavers", N_("Leavers"), show=False),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.people: list[StaffMember] = []
        self.show_leavers = True

    def compose(self) -> ComposeResult:
        # The title here, not on mount: a change of language composes the screen again.
        self.title = _("Staff")
        yield AppHeader()
        with Vertical(id="sf-body"):
            yield Static(id="sf-title", classes="panel-title")
            yield DataTable(id="sf-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                _(
                    "A leaver keeps their history but gets no new work. Managers are their "
                    "team's auditors when a sample is drawn."
                ),
                id="sf-help",
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    def on_resize(self) -> None:
        self.refresh_data()

    def refresh_data(self, focus: str | None = None) -> None:
        table = self.query_one("#sf-table", DataTable)
        current = focus or self._selected_name()
        self.people = staff.list_staff(self.ctx, include_leavers=self.show_leavers)
        leavers = sum(1 for p in self.people if p.left_on)
        self.query_one("#sf-title", Static).update(
            Content.assemble(
                (_("Staff directory ({n})").format(n=len(self.people)), "bold"),
                " · "
                + (
                    _("{n} left").format(n=leavers)
                    if self.show_leavers
                    else _("leavers hidden (c)")
                ),
            )
        )
        fill_table(
            table,
            [
                Col(_("Name"), "name"),
                Col(_("Team"), "team"),
                Col(_("Manager"), "manager"),
                Col(_("Auditor"), "auditor"),
                Col(_("Left"), "left", priority=1),
                Col(_("Login"), "login", priority=2),
            ],
            [
                (
                    (
                        p.name,
                        p.team or "-",
                        yes(p.is_manager),
                        yes(p.is_auditor),
                        p.left_on.isoformat() if p.left_on else "",
                        p.login or "",
                    ),
                    p.name,
                )
                for p in self.people
            ],
            width=table_room(table),
        )
        if current and current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)

    def _selected_name(self) -> str | None:
        table = self.query_one("#sf-table", DataTable)
        if not table.row_count:
            return None
        key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(key.value) if key.value is not None else None

    def selected(self) -> StaffMember | None:
        name = self._selected_name()
        return next((p for p in self.people if p.name == name), None)

    def _done(self, result: object, message: str, focus: str | None = None) -> None:
        if result is not None:
            self.notify(message, title=_("Staff"))
            self.refresh_data(focus)

    def _run(self, change: Callable[..., StaffMember], *args: object) -> None:
        """Make one change to a person (a service function of ctx and `args`), then show
        them; a refusal is said in one line."""
        try:
            person = change(self.ctx, *args)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_data(person.name)

    def action_add(self) -> None:
        self.app.push_screen(
            AddPersonModal(),
            lambda p: self._done(
                p, _("{name} added.").format(name=p.name) if p else "", p.name if p else None
            ),
        )

    def action_team(self) -> None:
        p = self.selected()
        if p is None:
            return
        teams = [(t.name, t.name) for t in directory.list_teams(self.ctx)]

        def chosen(value: str | None) -> None:
            if value is not None:
                self._run(staff.set_team, p.name, None if value == NO_TEAM else value)

        self.app.push_screen(
            ChoiceModal(
                _("Team for {name}").format(name=p.name), [*teams, (_("No team"), NO_TEAM)], p.team
            ),
            chosen,
        )

    def action_manager(self) -> None:
        p = self.selected()
        if p is not None:
            self._run(staff.set_manager, p.name, not p.is_manager)

    def action_auditor(self) -> None:
        p = self.selected()
        if p is not None:
            self._run(staff.set_auditor, p.name, not p.is_auditor)

    def action_leaver(self) -> None:
        p = self.selected()
        if p is None:
            return
        if p.left_on is not None:
            self._run(staff.mark_leaver, p.name, None)
            return
        self.app.push_screen(
            LeaverModal(p),
            lambda r: self._done(r, _("{name} marked as a leaver.").format(name=p.name), p.name),
        )

    def action_import_list(self) -> None:
        def imported(report: StaffImportReport | None) -> None:
            if report is not None:
                self._done(
                    report,
                    _("{file}: {added} added, {updated} updated, {unchanged} unchanged.").format(
                        file=report.file,
                        added=len(report.created),
                        updated=len(report.updated),
                        unchanged=report.unchanged,
                    ),
                )

        self.app.push_screen(ImportStaffModal(), imported)

    def action_toggle_leavers(self) -> None:
        self.show_leavers = not self.show_leavers
        self.refresh_data()

    def action_back(self) -> None:
        self.dismiss(None)
