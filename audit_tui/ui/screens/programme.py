"""The audit programme: a round's sampled cases, each auditor's progress, what is overdue.

Enter on a case not yet started opens New audit pre-filled from the assignment (starting it
links the audit to the round); on a started one it resumes the walkthrough; on a finalised
one it opens the read-only view.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from audit_tui import i18n
from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import programme
from audit_tui.services.programme import AssignedCase, ProgrammeStatus
from audit_tui.ui import messages
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.prompts import ChoiceModal
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.tables import Col, fill_table

OVERDUE = N_("! overdue")
# Headings marked here, translated when the table is filled (`columns`).
PROGRESS_COLUMNS = [
    Col(N_("Auditor"), "auditor"),
    Col(N_("Team"), "team"),
    Col(N_("Assigned"), "assigned"),
    Col(N_("Not started"), "not_started"),
    Col(N_("Started"), "started"),
    Col(N_("Finalised"), "finalised"),
    Col(N_("Overdue"), "overdue"),
]
CASE_COLUMNS = [
    Col(N_("Status"), "status"),
    Col(N_("Case"), "case"),
    Col(N_("Type"), "type"),
    Col(N_("Team"), "team"),
    Col(N_("Auditor"), "auditor"),
    Col(N_("Case-holder"), "holder"),
]
STATUS = {
    "not started": N_("not started"),  # not translated: the key is the stored status
    "draft": N_("started (draft)"),
    "finalised": N_("✓ finalised"),
}


def columns(cols: list[Col]) -> list[Col]:
    """The columns with their headings in the interface's language."""
    return [Col(_(c.label), c.key, c.max_width, c.priority) for c in cols]


def short_date(day: date) -> str:
    """5 Dec 2026 / 5 Rhag 2026: the month as the language shortens it (English as it always
    read: Babel's British English would write "Sept")."""
    if i18n.current() == i18n.DEFAULT:
        return f"{day.day} {day:%b %Y}"
    return i18n.format_date(day, "d MMM y")


def status_cell(case: AssignedCase) -> Content:
    word = STATUS.get(case.status)
    text = _(word) if word else case.status
    if case.overdue:
        return Content.styled(f"{_(OVERDUE)}, {text}", "bold $text-error")
    if case.status == "finalised":
        return Content.styled(text, "$text-success")
    return Content(text)


class ProgrammeScreen(AuditScreen[None]):
    HELP_TITLE = N_("Audit programme")
    AUTO_FOCUS = "#pg-cases"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #pg-body { height: 1fr; }
    #pg-round { height: auto; padding: 0 1; }
    #pg-empty { height: auto; padding: 1 2; margin: 1 2; border: round $primary; }
    #pg-progress-box { height: auto; }
    #pg-progress { height: auto; max-height: 7; }
    #pg-cases-box { height: 1fr; min-height: 6; }
    #pg-cases { height: 1fr; }
    """
    BINDINGS = [
        Binding("o", "open_case", N_("Start/open case"), show=False),
        Binding("r", "choose_round", N_("Choose round")),
        Binding("a", "toggle_mine", N_("All/my cases")),
        Binding("f5", "refresh", N_("Refresh"), show=False),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    def __init__(self, round_id: int | None = None) -> None:
        super().__init__()
        self.round_id = round_id
        self.status: ProgrammeStatus | None = None
        self.cases: list[AssignedCase] = []
        self.mine_only: bool | None = None  # None: mine when I have any, else everyone's

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="pg-body"):
            yield Static(id="pg-round")
            yield Static(
                _(
                    "No audit round yet. Draw a sample of case files with\n"
                    "  audit-tui sample --per-team N\n"
                    "(see docs/import-and-sampling.md); it appears here with each auditor's "
                    "cases."
                ),
                id="pg-empty",
                markup=False,
            )
            with Vertical(id="pg-progress-box"):
                yield Static(
                    Content.assemble((_("Progress by auditor and team"), "bold")),
                    classes="panel-title",
                )
                # Who and which team stay put while the figures scroll sideways.
                yield DataTable(
                    id="pg-progress", cursor_type="row", zebra_stripes=True, fixed_columns=2
                )
            with Vertical(id="pg-cases-box"):
                yield Static(id="pg-cases-title", classes="panel-title")
                yield DataTable(
                    id="pg-cases", cursor_type="row", zebra_stripes=True, fixed_columns=2
                )
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Audit programme")
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    # --- data -------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        ctx = self.ctx
        try:
            self.status = programme.programme_status(ctx, self.round_id)
        except UserError:
            self.status = None
        has_round = self.status is not None
        self.query_one("#pg-empty").display = not has_round
        for box in ("#pg-round", "#pg-progress-box", "#pg-cases-box"):
            self.query_one(box).display = has_round
        if self.status is None:
            self.sub_title = _("no round yet")
            return
        self.round_id = self.status.round.id
        self._show_round(self.status)
        self._show_progress(self.status)
        self._show_cases()
        self.refresh_bindings()

    def _show_round(self, st: ProgrammeStatus) -> None:
        r, t = st.round, st.total
        self.sub_title = _("{round} · framework {framework}").format(
            round=r.name, framework=r.framework_id
        )
        due = _("due {date}").format(date=short_date(r.due_date))
        days = (r.due_date - st.today).days
        if st.is_overdue:
            ago = ngettext("{due}, {n} day ago", "{due}, {n} days ago", -days).format(
                due=due, n=-days
            )
            when = Content.styled(f"{_(OVERDUE)}: {ago}", "bold $text-error")
        elif days == 0:
            when = Content(_("{due} (today)").format(due=due))
        else:
            when = Content(
                ngettext("{due} (in {n} day)", "{due} (in {n} days)", days).format(due=due, n=days)
            )
        lines = [
            Content.assemble((r.name, "bold"), " · ", when),
            Content.assemble(
                _(
                    "{assigned} assigned · {not_started} not started · {started} started · "
                    "{finalised} finalised · "
                ).format(
                    assigned=t.assigned,
                    not_started=t.not_started,
                    started=t.started,
                    finalised=t.finalised,
                ),
                (
                    _("{n} overdue").format(n=t.overdue),
                    "bold $text-error" if t.overdue else "",
                ),
            ),
        ]
        self.query_one("#pg-round", Static).update(Content("\n").join(lines))

    def _show_progress(self, st: ProgrammeStatus) -> None:
        rows: list[tuple[list[object], str]] = []
        for i, row in enumerate(st.rows):
            overdue = (
                Content.styled(f"{_(OVERDUE)} {row.overdue}", "bold $text-error")
                if row.overdue
                else Content("0")
            )
            cells: list[object] = [
                row.auditor,
                row.team,
                str(row.assigned),
                str(row.not_started),
                str(row.started),
                str(row.finalised),
                overdue,
            ]
            rows.append((cells, str(i)))
        fill_table(self.query_one("#pg-progress", DataTable), columns(PROGRESS_COLUMNS), rows)

    def _show_cases(self) -> None:
        ctx = self.ctx
        mine = programme.assigned_cases(ctx, auditor=ctx.me, round_id=self.round_id)
        if self.mine_only is None:
            self.mine_only = bool(mine)
        if self.mine_only:
            self.cases = mine
            title = _("My cases ({n}, {me})").format(n=len(mine), me=ctx.me)
        else:
            self.cases = programme.assigned_cases(ctx, round_id=self.round_id)
            title = _("All assigned cases ({n})").format(n=len(self.cases))
        hint = "  " + _("Enter starts or opens · a all/mine · r another round")
        self.query_one("#pg-cases-title", Static).update(
            Content.assemble((title, "bold"), (hint, "$text-muted"))
        )
        table = self.query_one("#pg-cases", DataTable)
        row = table.cursor_row
        rows: list[tuple[list[object], str]] = [
            (
                [
                    status_cell(c),
                    c.reference,
                    c.case_type_label,
                    c.team,
                    c.auditor,
                    c.case_holder or "-",
                ],
                str(c.round_case_id),
            )
            for c in self.cases
        ]
        fill_table(table, columns(CASE_COLUMNS), rows)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    # --- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_case", "toggle_mine"):
            return self.status is not None
        return True

    def _selected(self) -> AssignedCase | None:
        table = self.query_one("#pg-cases", DataTable)
        if table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((c for c in self.cases if str(c.round_case_id) == row_key.value), None)

    def action_open_case(self) -> None:
        case = self._selected()
        if case is not None:
            self.open_case(case)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "pg-cases":
            return
        event.stop()
        self.action_open_case()

    def open_case(self, case: AssignedCase) -> None:
        if case.audit_id is None:
            self.post_message(messages.StartAudit(case))
        else:
            self.post_message(messages.OpenAudit(case.audit_id))

    def action_choose_round(self) -> None:
        rounds = programme.list_rounds(self.ctx)
        if not rounds:
            self.notify(_("No audit round yet: draw one with `audit-tui sample`."))
            return

        def chosen(value: str | None) -> None:
            if value:
                self.round_id = int(value)
                self.refresh_data()

        self.app.push_screen(
            ChoiceModal(
                _("Audit round"),
                [
                    (
                        ngettext(
                            "{round} · due {date} · {n} case",
                            "{round} · due {date} · {n} cases",
                            r.cases,
                        ).format(round=r.name, date=r.due_date.isoformat(), n=r.cases),
                        str(r.id),
                    )
                    for r in rounds
                ],
                current=str(self.round_id) if self.round_id is not None else None,
            ),
            chosen,
        )

    def action_toggle_mine(self) -> None:
        self.mine_only = not self.mine_only
        self._show_cases()

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        self.dismiss(None)
