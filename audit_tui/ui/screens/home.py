"""Home: headline figures for the quarter, my drafts, recently finalised audits.

The hook panels (safeguarding escalations at the very top, overdue actions, moderation waiting
for the current user) live in ui/widgets/home_hooks.py; each stays hidden until it has content.

Focus rules (docs/tour.md): coming back to Home from any screen puts the focus back on the list
it was on, with the cursor on the same audit (found by its id, wherever the list now puts it);
if that row has gone, on the row now in its place. On first showing, an escalation waiting for
acknowledgement takes the focus; otherwise my drafts, or the finalised list when there are none.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Static
from textual.worker import Worker, WorkerState

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.scoring import capped_by_critical
from audit_tui.services import audits, framework_versions
from audit_tui.services.context import AppContext
from audit_tui.services.home import HomeSummary, home_summary
from audit_tui.services.schemas import AuditSummary
from audit_tui.ui.format import judgement_label, percent
from audit_tui.ui.screens.base import AuditScreen
from audit_tui.ui.screens.open_audit import open_audit
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.home_hooks import (
    EscalationsHook,
    ModerationHook,
    OverdueActionsHook,
    refresh_hooks,
)
from audit_tui.ui.widgets.tables import Col, fill_table, table_room
from audit_tui.ui.workers import worker_ended

DEMO_AUDITS = 600
DEMO_SEED = 1
CAPPED = "! capped"  # a critical failure capped the suggested grade


class HomeBody(VerticalScroll, can_focus=False):
    """Home's panels; scrolls only when they do not fit."""


class HomeScreen(AuditScreen[None]):
    HELP_TITLE = "Home"
    # At 80 columns the footer has room for the screens Home leads to; r, o and a are in the
    # panel titles, d on its button; ? lists every key (q too) and ctrl+p finds each by name.
    BINDINGS = [
        Binding("n", "new_audit", "New audit"),
        Binding("r", "resume", "Resume draft", show=False),
        Binding("o", "open_finalised", "Open finalised", show=False),
        Binding("a", "toggle_all_drafts", "All/my drafts", show=False),
        Binding("d", "load_demo", "Open the demo database", show=False),  # on its button
        Binding("p", "profiles", "Profiles"),
        Binding("g", "programme", "Programme", tooltip="The audit programme: rounds"),
        Binding("m", "moderation", "Moderate", tooltip="Moderation"),
        Binding("t", "actions", "Actions"),
        Binding("s", "staff", "Staff"),
        Binding("x", "export", "Export"),
        Binding("f5", "refresh", "Refresh", show=False),
        Binding("q", "app.quit", "Quit", show=False),  # ? lists it; ctrl+q quits too
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: HomeSummary | None = None
        self.all_drafts = False
        self.loading_demo = False
        # Textual also resumes a screen when it is first shown, right after on_mount has
        # loaded it: skip that one, or every start would run Home's queries twice.
        self._shown_once = False
        # Where the user was when they left Home: the focused widget and each list's row.
        self._left_focus: str | None = None
        self._left_rows: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield AppHeader()
        # Scrolls when a short terminal cannot show every panel: Tab to a list brings it
        # into view.
        with HomeBody(id="home"):
            # Escalated audits and open safeguarding concerns: the very top, until acknowledged.
            yield EscalationsHook(id="home-escalations", classes="hook")
            with Vertical(id="home-empty", classes="panel"):
                yield Static(
                    "This database has no audits yet.\n\n"
                    "Open the demo database to look around: made-up teams, audits, moderation "
                    "and actions, kept in a database of their own (nothing goes into this "
                    "one). Or start a first audit of a real case file.",
                    id="home-empty-text",
                )
                with Horizontal(id="home-empty-buttons"):
                    yield Button("Open the demo database (d)", id="load-demo", variant="primary")
                    yield Button("Start a first audit (n)", id="first-audit")
            with Vertical(id="home-figures", classes="panel"):
                yield Static(id="home-figures-title", classes="panel-title")
                yield Static(id="home-figures-body")
            with Vertical(id="home-drafts", classes="panel"):
                yield Static(id="home-drafts-title", classes="panel-title")
                yield DataTable(id="drafts-table", cursor_type="row", zebra_stripes=True)
            # Overdue actions and moderation for me: above the finalised list, which shrinks.
            yield OverdueActionsHook(id="home-actions", classes="hook")
            yield ModerationHook(id="home-moderation", classes="hook")
            with Vertical(id="home-finalised", classes="panel"):
                yield Static(id="home-finalised-title", classes="panel-title")
                yield DataTable(id="finalised-table", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = "Home"
        self.refresh_data()
        self.call_after_refresh(self._ask_who)

    def on_screen_suspend(self) -> None:
        """Leaving Home for another screen: remember where the user was."""
        focused = self.focused
        self._left_focus = focused.id if focused is not None else None
        self._left_rows = {}
        for table_id in ("#drafts-table", "#finalised-table"):
            key = self._selected(table_id)
            if key is not None:
                self._left_rows[table_id] = str(key)

    def on_screen_resume(self) -> None:
        if not self._shown_once:
            self._shown_once = True
            return
        self.refresh_data()
        self._restore_place()

    def _restore_place(self) -> None:
        """Back on Home: the cursor on the row left (by audit id), the focus where it was."""
        for table_id, key in self._left_rows.items():
            table = self.query_one(table_id, DataTable)
            if key in table.rows:  # else that audit has left the list: the row in its place
                table.move_cursor(row=table.get_row_index(key), animate=False)
        if self._left_focus:
            for widget in self.query(f"#{self._left_focus}"):
                if widget.focusable:
                    widget.focus()

    def _ask_who(self) -> None:
        """The first time this session opens a database where you are not yet in its staff
        directory, ask who you are (pick yourself or add yourself)."""
        from audit_tui.services.database_info import describe, is_demo
        from audit_tui.ui.screens.session import IdentityModal

        ctx, app = self.ctx, self.audit_app
        identity = ctx.identity
        where = describe(ctx).where
        if identity is None or identity.linked or identity.proven or where in app.identity_asked:
            return
        app.identity_asked.add(where)
        persona = None
        if is_demo(ctx):
            from audit_tui.demo.story import PERSONA_KEY
            from audit_tui.services.database_info import info

            persona = info(ctx, PERSONA_KEY)

        def chosen(name: str | None) -> None:
            if name:
                self.notify(f"You are {name} in this database.", title="Welcome")
            self.refresh_data()
            self.query_one(AppHeader).show()

        self.app.push_screen(IdentityModal(ctx, persona), chosen)

    # --- data -------------------------------------------------------------------------

    def refresh_data(self) -> None:
        ctx = self.ctx
        self.summary = home_summary(ctx)
        empty = self.summary.empty
        self.query_one("#home-empty").display = empty
        for panel in ("#home-figures", "#home-drafts", "#home-finalised"):
            self.query_one(panel).display = not empty
        self._show_figures(self.summary)
        self._show_drafts()
        self._show_finalised()
        self.refresh_bindings()
        if empty:
            self.query_one("#load-demo", Button).focus()
        elif not isinstance(self.focused, DataTable):
            table = self.query_one("#drafts-table", DataTable)
            if table.row_count == 0:
                table = self.query_one("#finalised-table", DataTable)
            table.focus()
        refresh_hooks(self)

    def _show_figures(self, summary: HomeSummary) -> None:
        start, end = summary.period_start, summary.period_end
        self.query_one("#home-figures-title", Static).update(
            f"This quarter: {summary.period_label} "
            f"({start.day} {start:%b %Y} - {end.day} {end:%b %Y}) · drafts in progress: {summary.drafts_n}"
        )
        lines: list[Content] = []
        if not summary.frameworks:
            lines.append(Content("No audits finalised this quarter yet."))
        for f in summary.frameworks:
            lines.append(
                Content.assemble(
                    (f.title, "bold"),
                    f": {f.audits_n} finalised · ",
                    (percent(f.percent_met), "bold"),
                    f" met (n={f.scored_n} scored answers)",
                )
            )
            grades = " · ".join(f"{j.label} {j.n}" for j in f.judgements)
            lines.append(Content(f"  Judgements: {grades or 'none'}"))
        self.query_one("#home-figures-body", Static).update(Content("\n").join(lines))

    def _my_drafts(self) -> tuple[list[AuditSummary], str, bool]:
        """(drafts, title, whether they are everyone's)."""
        ctx = self.ctx
        if not self.all_drafts:
            mine = audits.list_drafts(ctx, auditor=ctx.me)
            if mine:
                return mine, f"My drafts ({len(mine)})", False
        everyone = audits.list_drafts(ctx)
        if self.all_drafts:
            return everyone, f"All drafts ({len(everyone)})", True
        return everyone, f"Drafts ({len(everyone)}; none yours)", True

    def _show_drafts(self) -> None:
        drafts, title, everyone = self._my_drafts()
        hint = "  Enter resumes · a all/mine" if drafts else "  n starts an audit"
        self.query_one("#home-drafts-title", Static).update(
            Content.assemble((title, "bold"), (hint, "$text-muted"))
        )
        table = self.query_one("#drafts-table", DataTable)
        fill_table(
            table,
            [
                Col("Case", "case"),
                Col("Answered", "answered"),
                Col("Audit date", "date", priority=2),
                Col("Type", "type", priority=3),
                Col("Team", "team", priority=1),
                Col("Auditor", "auditor", priority=1 if everyone else 4),
            ],
            [
                (
                    (
                        d.case_reference,
                        f"{d.answered}/{d.applicable}",
                        d.audit_date.isoformat(),
                        d.case_type_label,
                        d.team,
                        d.auditor,
                    ),
                    str(d.id),
                )
                for d in drafts
            ],
            width=table_room(table),
        )

    def _show_finalised(self) -> None:
        ctx = self.ctx
        done = audits.list_finalised(ctx, limit=20)
        capped = False
        rows = []
        for a in done:
            try:
                fw: Framework | None = framework_versions.framework(ctx, a.framework_hash)
            except UserError:
                fw = None
            counted = a.counted
            grade = judgement_label(fw, counted.judgement if counted else a.judgement)
            if a.moderated_judgement:
                grade += " (moderated)"
            if a.blind:
                grade = "hidden: you moderate it"
            elif (
                # The auditor's own grade against a capped suggestion (a moderated grade was
                # agreed by people, not suggested).
                fw is not None
                and counted is not None
                and not a.moderated_judgement
                and capped_by_critical(fw, counted.percent_met, counted.suggested_judgement)
            ):
                grade += f" {CAPPED}"
                capped = True
            rows.append(
                (
                    (
                        a.case_reference,
                        grade,
                        "–"
                        if a.blind
                        else percent(counted.percent_met if counted else a.percent_met, fw=fw),
                        a.audit_date.isoformat(),
                        a.case_type_label,
                        a.team,
                        judgement_label(fw, a.judgement) if a.moderated_judgement else "–",
                    ),
                    str(a.id),
                )
            )
        legend = f"  {CAPPED}: a critical failure capped the grade" if capped else ""
        self.query_one("#home-finalised-title", Static).update(
            Content.assemble(
                ("Recently finalised", "bold"),
                ("  Enter opens (read-only)", "$text-muted"),
                (legend, "$text-muted"),
            )
        )
        table = self.query_one("#finalised-table", DataTable)
        fill_table(
            table,
            [
                Col("Case", "case"),
                Col("Judgement", "judgement"),
                Col("% met", "percent"),
                Col("Audit date", "date", priority=2),
                Col("Type", "type", priority=3),
                Col("Team", "team", priority=1),
                # The auditor's own judgement, when the agreed one differs by moderation.
                Col("Before moderation", "before", priority=4),
            ],
            rows,
            width=table_room(table),
        )

    def on_resize(self) -> None:
        if self.summary is not None:
            self._show_drafts()
            self._show_finalised()

    # --- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        empty = self.summary is None or self.summary.empty
        if action == "load_demo":
            return empty and not self.loading_demo
        if action in ("resume", "toggle_all_drafts", "open_finalised"):
            return not empty
        return True

    def action_new_audit(self) -> None:
        from audit_tui.ui.screens.new_audit import NewAuditScreen

        self.app.push_screen(NewAuditScreen())

    def action_profiles(self) -> None:
        from audit_tui.ui.screens.profiles import ProfilesScreen

        self.app.push_screen(ProfilesScreen())

    def action_export(self) -> None:
        from audit_tui.ui.screens.export import ExportModal

        self.app.push_screen(ExportModal())

    def action_staff(self) -> None:
        from audit_tui.ui.screens.staff import StaffScreen

        self.app.push_screen(StaffScreen())

    def action_programme(self) -> None:
        from audit_tui.ui.screens.programme import ProgrammeScreen

        self.app.push_screen(ProgrammeScreen())

    def action_moderation(self) -> None:
        self._push_optional("moderation", "ModerationScreen", "Moderation")

    def action_actions(self) -> None:
        self._push_optional("actions", "ActionsScreen", "Actions")

    def _push_optional(self, module: str, name: str, title: str) -> None:
        """Screens that arrive with later features: a notice, not a crash, until they exist."""
        import importlib

        path = f"audit_tui.ui.screens.{module}"
        try:
            screen_class = getattr(importlib.import_module(path), name)
        except ModuleNotFoundError as exc:
            if exc.name != path:  # the module is there but broken: that is a bug to see
                raise
            self.notify(f"{title} is not available in this version.", title=title)
            return
        self.app.push_screen(screen_class())

    def _selected(self, table_id: str) -> int | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    def action_resume(self) -> None:
        audit_id = self._selected("#drafts-table")
        if audit_id is None:
            self.notify("No draft to resume: press n to start an audit.")
            return
        self.open_draft(audit_id)

    def action_open_finalised(self) -> None:
        audit_id = self._selected("#finalised-table")
        if audit_id is not None:
            self.open_finalised(audit_id)

    def open_draft(self, audit_id: int) -> None:
        """Mine resumes; someone else's says whose it is and asks (open_audit)."""
        open_audit(self, audit_id, self.refresh_data)

    def open_finalised(self, audit_id: int) -> None:
        open_audit(self, audit_id, self.refresh_data)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None:
            return
        if event.data_table.id == "drafts-table":
            self.open_draft(int(event.row_key.value))
        else:
            self.open_finalised(int(event.row_key.value))

    def action_toggle_all_drafts(self) -> None:
        self.all_drafts = not self.all_drafts
        self._show_drafts()

    def action_refresh(self) -> None:
        self.refresh_data()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "load-demo":
            self.action_load_demo()
        elif event.button.id == "first-audit":
            self.action_new_audit()

    # --- the demo database, opened (and filled the first time) in a worker ---------------------

    def action_load_demo(self) -> None:
        """Open the demo database instead of this one: demo data never goes in here."""
        if self.loading_demo or (self.summary is not None and not self.summary.empty):
            return
        self.loading_demo = True
        self.query_one("#home-empty").loading = True
        self.refresh_bindings()
        self._open_demo(self.ctx)

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def _open_demo(self, ctx: AppContext) -> AppContext:
        from audit_tui.demo import generate_demo
        from audit_tui.services.database_info import database_kind

        demo = ctx.for_database(ctx.settings.demo_db)
        try:
            if database_kind(demo) != "demo":  # new or empty: made once, kept for next time
                generate_demo(demo, audits=DEMO_AUDITS, seed=DEMO_SEED)
        except BaseException:
            demo.db.dispose()
            raise
        return demo

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if not worker_ended(event, "demo"):
            return
        self.loading_demo = False
        self.query_one("#home-empty").loading = False
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, AppContext):
            self.audit_app.use_context(event.worker.result)
            self.app.notify(
                "This is the demo database: made-up data, apart from your own. "
                "Quit and start audit-tui again to go back to yours.",
                title="Demo database",
                timeout=10,
            )
            return
        error = event.worker.error
        if isinstance(error, ImportError):
            message = "Demo data is not available in this version."
        elif isinstance(error, UserError):
            message = str(error)
        else:
            message = f"Could not open the demo database: {error}"
        self.notify(message, title="Demo database", severity="error", timeout=8)
        self.refresh_data()
