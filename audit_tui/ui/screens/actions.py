"""Actions: open (OVERDUE marked in words), done and not needed, with their re-audits.

`d` marks the selected action done, `x` closes it as not needed with a reason, `r` starts the
re-audit it asked for (or opens it), Enter opens the audit it came from.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _
from audit_tui.services import actions, audits, framework_versions
from audit_tui.services.actions import ActionOut
from audit_tui.services.schemas import AuditDetail
from audit_tui.ui import messages
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.actions import NotNeededModal, ReauditModal
from audit_tui.ui.format import grade_change_text, percent
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.tables import Col, fill_table, table_room
from audit_tui.ui.words import shown_framework

FILTERS: list[tuple[str, str]] = [
    ("open", N_("open (OVERDUE first)")),
    ("mine", N_("mine, open")),
    ("overdue", N_("OVERDUE only")),
    ("done", N_("done")),
    ("not_needed", N_("not needed")),
    ("all", N_("all")),
]

# A re-audit's state in words while it is not finalised.
AUDIT_STATES = {"draft": N_("draft"), "finalised": N_("finalised")}


def status_text(a: ActionOut) -> Content:
    if a.overdue:
        return Content.assemble((_("OVERDUE"), "bold $text-error"))
    if a.status == "done":
        return Content.assemble(("✓ " + _("done"), "$text-success"))
    if a.status == "not_needed":
        return Content("– " + _("not needed"))
    return Content(_("open"))


def reaudit_text(a: ActionOut) -> str:
    if a.reaudit_audit_id is not None:
        return _("audit {id}").format(id=a.reaudit_audit_id)
    if a.reaudit_by is not None:
        return _("by {date}").format(date=a.reaudit_by.isoformat())
    return ""


class ActionsScreen(AuditScreen[None]):
    HELP_TITLE = N_("Actions")
    AUTO_FOCUS = "#actions-table"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #actions-body { height: 1fr; }
    #actions-table { height: 1fr; }
    #actions-detail { height: auto; padding: 0 1; border-top: hkey $primary 50%; }
    """
    BINDINGS = [
        Binding("enter,o", "open_audit", N_("Open audit"), key_display="enter"),
        Binding("d", "done", N_("Done")),
        Binding("x", "not_needed", N_("Not needed")),
        Binding("r", "reaudit", N_("Re-audit")),
        Binding("f", "cycle_filter", N_("Filter")),
        Binding("f5", "refresh", N_("Refresh"), show=False),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    def __init__(self, focus_action: int | None = None, audit_id: int | None = None) -> None:
        super().__init__()
        self.focus_action = focus_action
        self.audit_id = audit_id  # only this audit's actions, when given
        self.filter = "all" if audit_id is not None else "open"
        self.rows: list[ActionOut] = []

    def compose(self) -> ComposeResult:
        # The titles here, not on mount: a change of language composes the screen again.
        self.title = _("Actions")
        self.sub_title = (
            _("audit {id}").format(id=self.audit_id) if self.audit_id else _("all audits")
        )
        yield AppHeader()
        with Vertical(id="actions-body"):
            yield Static(id="actions-title", classes="panel-title")
            yield DataTable(id="actions-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="actions-detail")
        yield AppFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def on_resize(self) -> None:
        self.refresh_data()

    # --- data -------------------------------------------------------------------------

    def _load(self) -> list[ActionOut]:
        ctx = self.ctx
        if self.filter == "overdue":
            rows = actions.overdue_actions(ctx)
            return [a for a in rows if self.audit_id is None or a.audit_id == self.audit_id]
        if self.filter == "mine":  # the open actions I own
            rows = actions.list_actions(ctx, status="open", audit_id=self.audit_id)
            rows = [a for a in rows if actions.owned_by(a, ctx.me)]
            return sorted(rows, key=lambda a: not a.overdue)
        status = None if self.filter == "all" else self.filter
        rows = actions.list_actions(ctx, status=status, audit_id=self.audit_id)
        # Overdue first, then by due date (the service's order).
        return sorted(rows, key=lambda a: not a.overdue)

    def refresh_data(self) -> None:
        self.rows = self._load()
        label = _(dict(FILTERS)[self.filter])
        overdue = sum(1 for a in self.rows if a.overdue)
        self.query_one("#actions-title", Static).update(
            Content.assemble(
                (_("Actions: {filter}").format(filter=label) + f" ({len(self.rows)}", "bold"),
                (
                    ", " + _("{n} OVERDUE").format(n=overdue) if overdue else "",
                    "bold $text-error",
                ),
                (")", "bold"),
                ("  " + _("f changes the filter"), "$text-muted"),
            )
        )
        table = self.query_one("#actions-table", DataTable)
        keep = self.focus_action
        if keep is None and table.row_count:
            row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
            keep = int(row_key.value) if row_key.value is not None else None
        # The description where it fits whole; the highlighted action's is below in full.
        fill_table(
            table,
            [
                Col(_("Status"), "status"),
                Col(_("Due"), "due"),
                Col(_("Case"), "case"),
                Col(_("From"), "from", priority=2),
                Col(_("Owner"), "owner", priority=1),
                Col(_("Re-audit"), "reaudit", priority=3),
                Col(_("Description"), "description", priority=4),
            ],
            [
                (
                    [
                        status_text(a),
                        a.due_date.isoformat(),
                        a.case_reference,
                        a.question_id or _("whole audit"),
                        a.owner,
                        reaudit_text(a),
                        a.description,
                    ],
                    str(a.id),
                )
                for a in self.rows
            ],
            width=table_room(table),
        )
        index = next((i for i, a in enumerate(self.rows) if a.id == keep), 0)
        if table.row_count:
            table.move_cursor(row=index)
        self.focus_action = None
        self._show_detail()
        self.refresh_bindings()

    def selected(self) -> ActionOut | None:
        tables = list(self.query("#actions-table").results(DataTable))
        # No table while the screen is composed again (a change of language).
        if not self.rows or not tables:
            return None
        table = tables[0]
        if table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _show_detail(self) -> None:
        detail = self.query_one("#actions-detail", Static)
        a = self.selected()
        if a is None:
            detail.update(
                _(
                    "No actions here. Actions are added from an audit: c on an answer short of "
                    "full marks."
                )
            )
            return
        lines = [
            Content.assemble(
                (_("Action {id}").format(id=a.id), "bold"),
                " ",
                _("on audit {id} ({case}, {team}) · owner {owner} · due {due}").format(
                    id=a.audit_id,
                    case=a.case_reference,
                    team=a.team,
                    owner=a.owner,
                    due=a.due_date.isoformat(),
                ),
                " · ",
                status_text(a),
            ),
            Content(a.description),
        ]
        if a.status_reason:
            lines.append(Content(_("Not needed because: {reason}").format(reason=a.status_reason)))
        if a.reaudit_by is not None or a.reaudit_audit_id is not None:
            lines.append(Content(self._reaudit_line(a)))
        detail.update(Content("\n").join(lines))

    def _reaudit_line(self, a: ActionOut) -> str:
        if a.reaudit_audit_id is None:
            return _("Re-audit asked for by {date}: r starts it.").format(date=a.reaudit_by)
        try:
            out = actions.reaudit_outcome(self.ctx, a.id)
        except UserError as exc:
            return str(exc)
        fw = shown_framework(
            framework_versions.framework(
                self.ctx, audits.get_audit(self.ctx, a.audit_id).framework_hash
            )
        )
        if out.reaudit_status != "finalised":
            state = out.reaudit_status or ""
            status = _(AUDIT_STATES[state]) if state in AUDIT_STATES else state
            return _("Re-audit: audit {id} ({status}); r opens it.").format(
                id=out.reaudit_audit_id, status=status
            )
        label = fw.judgements.label
        return _(
            "Re-audit: audit {id}: {before} → {after}{change}, {before_met} → {after_met} met"
        ).format(
            id=out.reaudit_audit_id,
            before=label(out.previous_judgement),
            after=label(out.reaudit_judgement),
            change=grade_change_text(out.grade_change),
            before_met=percent(out.previous_percent_met),
            after_met=percent(out.reaudit_percent_met),
        )

    # --- events -----------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_audit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        a = self.selected()
        if action in ("done", "not_needed"):
            return a is not None and a.status == "open"
        if action == "reaudit":
            return a is not None and (a.reaudit_by is not None or a.reaudit_audit_id is not None)
        if action == "open_audit":
            return a is not None
        return True

    # --- actions ----------------------------------------------------------------------

    def action_cycle_filter(self) -> None:
        names = [f for f, _ in FILTERS]
        self.filter = names[(names.index(self.filter) + 1) % len(names)]
        self.refresh_data()

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_done(self) -> None:
        a = self.selected()
        if a is None or a.status != "open":
            return

        def confirmed(ok: bool | None) -> None:
            if not ok:
                return
            try:
                actions.complete_action(self.ctx, a.id)
            except UserError as exc:
                self.notify(str(exc), severity="error")
            else:
                self.notify(_("Action {id} marked done.").format(id=a.id), title=_("Actions"))
            self.focus_action = a.id
            self.refresh_data()

        self.app.push_screen(
            ConfirmModal(_("Mark the action done?"), a.description, yes=_("Done")), confirmed
        )

    def action_not_needed(self) -> None:
        a = self.selected()
        if a is None or a.status != "open":
            return

        def closed(result: ActionOut | None) -> None:
            if result is not None:
                self.notify(
                    _("Action {id} closed as not needed.").format(id=a.id), title=_("Actions")
                )
                self.focus_action = a.id
                self.refresh_data()

        self.app.push_screen(NotNeededModal(a), closed)

    def _open(self, audit_id: int) -> None:
        self.post_message(messages.OpenAudit(audit_id))

    def action_open_audit(self) -> None:
        a = self.selected()
        if a is not None:
            self._open(a.audit_id)

    def action_reaudit(self) -> None:
        a = self.selected()
        if a is None:
            return
        if a.reaudit_audit_id is not None:
            self._open(a.reaudit_audit_id)
            return
        if a.reaudit_by is None:
            self.notify(_("This action did not ask for a re-audit."))
            return
        first = audits.get_audit(self.ctx, a.audit_id)

        def started(detail: AuditDetail | None) -> None:
            if detail is None:
                return
            self.notify(
                _("Re-audit of {case} started (audit {id}).").format(
                    case=detail.case_reference, id=detail.id
                ),
                title=_("Re-audit"),
            )
            self.focus_action = a.id
            self.refresh_data()
            self._open(detail.id)

        self.app.push_screen(ReauditModal(a, first), started)

    def action_back(self) -> None:
        self.dismiss(None)
