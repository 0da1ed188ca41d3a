"""The staff directory's dialogs: add a person, mark a leaver, import a staff list."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input, Select, Static

from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import directory, staff
from audit_tui.services.case_import import ImportRejected
from audit_tui.services.staff import StaffImportReport, StaffMember
from audit_tui.ui.bases.form import FormModal, parse_date

ROLES = [
    (N_("Staff (holds cases)"), "staff"),
    (N_("Auditor"), "auditor"),
    (N_("Manager of the team"), "manager"),
]


class AddPersonModal(FormModal[StaffMember | None]):
    TITLE_TEXT = N_("Add a person to the staff directory")
    SAVE_LABEL = N_("Add")

    def fields(self) -> Iterable[Widget]:
        yield self.label(_("Name (as colleagues know them)"))
        yield Input(id="sf-name")
        yield self.label(_("Team"))
        yield Select(
            [(t.name, t.name) for t in directory.list_teams(self.ctx)],
            prompt=_("No team (e.g. a QA officer)"),
            id="sf-team",
        )
        yield self.label(_("Role"))
        yield Select(
            [(_(text), code) for text, code in ROLES],
            value="staff",
            allow_blank=False,
            id="sf-role",
        )
        yield self.label(_("Database login (PostgreSQL, optional)"))
        yield Input(id="sf-login")

    def save(self) -> StaffMember:
        role = self.value("sf-role")
        return staff.add_person(
            self.ctx,
            self.value("sf-name"),
            self.value("sf-team") or None,
            manager=role == "manager",
            auditor=role == "auditor",
            login=self.value("sf-login") or None,
        )


class LeaverModal(FormModal[StaffMember | None]):
    TITLE_TEXT = N_("Mark as a leaver")
    SAVE_LABEL = N_("Mark as left")

    def __init__(self, person: StaffMember) -> None:
        super().__init__()
        self.person = person

    def fields(self) -> Iterable[Widget]:
        yield Static(
            _(
                "{name} keeps their history (audits, cases, actions) but gets no new audits, "
                "moderations or samples."
            ).format(name=self.person.name),
            classes="form-info",
            markup=False,
        )
        yield self.label(_("Left on (YYYY-MM-DD)"))
        yield Input(value=self.ctx.today().isoformat(), id="sf-left")

    def save(self) -> StaffMember:
        return staff.mark_leaver(
            self.ctx, self.person.name, parse_date(self.value("sf-left"), _("left on"))
        )


class ImportStaffModal(FormModal[StaffImportReport | None]):
    TITLE_TEXT = N_("Import a staff list")
    SAVE_LABEL = N_("Import")

    def fields(self) -> Iterable[Widget]:
        yield Static(
            _(
                "A CSV or Excel file with a name column; team, manager (yes/no), auditor "
                "(yes/no), login and left (a date) are optional. All or nothing: any problem "
                "means nothing is imported."
            ),
            classes="form-info",
            markup=False,
        )
        yield self.label(_("File"))
        yield Input(placeholder=_("e.g. ~/Documents/staff.xlsx"), id="sf-file")

    def save(self) -> StaffImportReport:
        path = Path(self.value("sf-file").strip()).expanduser()
        try:
            return staff.import_staff(self.ctx, path)
        except ImportRejected as exc:
            first = exc.errors[0]
            more = len(exc.errors) - 1
            message = (
                ngettext(
                    "nothing imported: {first} (and {n} more)",
                    "nothing imported: {first} (and {n} more)",
                    more,
                )
                if more
                else _("nothing imported: {first}")
            )
            raise UserError(message.format(first=first, n=more)) from None
