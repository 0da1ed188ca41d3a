"""Home: headline figures for the quarter, my drafts, recently finalised audits.

The hook panels (safeguarding escalations at the very top, overdue actions, moderation waiting
for the current user) live in ui/widgets/home_hooks.py; each stays hidden until it has content.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, Header, Static
from textual.worker import Worker, WorkerState

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.services import audits, framework_versions
from audit_tui.services.home import HomeSummary, home_summary
from audit_tui.services.schemas import AuditSummary
from audit_tui.ui.format import case_type, judgement_label, percent
from audit_tui.ui.screens.base import AuditScreen
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.home_hooks import (
    EscalationsHook,
    ModerationHook,
    OverdueActionsHook,
    refresh_hooks,
)
from audit_tui.ui.workers import worker_ended

DEMO_AUDITS = 600
DEMO_SEED = 1


class HomeScreen(AuditScreen[None]):
    HELP_TITLE = "Home"
    BINDINGS = [
        Binding("n", "new_audit", "New audit"),
        Binding("r", "resume", "Resume draft"),
        Binding("o", "open_finalised", "Open finalised", show=False),
        Binding("a", "toggle_all_drafts", "All/my drafts"),
        Binding("d", "load_demo", "Load demo data"),
        Binding("p", "profiles", "Profiles"),
        Binding("x", "export", "Export"),
        Binding("g", "programme", "Audit programme", show=False),
        Binding("m", "moderation", "Moderation", show=False),
        Binding("t", "actions", "Actions", show=False),
        Binding("f5", "refresh", "Refresh", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: HomeSummary | None = None
        self.all_drafts = False
        self.loading_demo = False
        # Textual also resumes a screen when it is first shown, right after on_mount has
        # loaded it: skip that one, or every start would run Home's queries twice.
        self._shown_once = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            # Escalated audits and open safeguarding concerns: the very top, until acknowledged.
            yield EscalationsHook(id="home-escalations", classes="hook")
            with Vertical(id="home-empty", classes="panel"):
                yield Static(
                    "This database has no audits yet.\n\n"
                    "Load demo data to look around (made-up teams and audits, marked as demo), "
                    "or start a first audit of a real case file.",
                    id="home-empty-text",
                )
                with Horizontal(id="home-empty-buttons"):
                    yield Button("Load demo data (d)", id="load-demo", variant="primary")
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
        drafts = self.query_one("#drafts-table", DataTable)
        drafts.add_columns("Case", "Answered", "Audit date", "Type", "Team", "Auditor")
        finalised = self.query_one("#finalised-table", DataTable)
        # What counts (the agreed figures of a moderated audit); the auditor's own judgement
        # in a column of its own when the audit was moderated.
        finalised.add_columns(
            "Case", "Judgement", "% met", "Audit date", "Type", "Team", "Before moderation"
        )
        self.refresh_data()

    def on_screen_resume(self) -> None:
        if not self._shown_once:
            self._shown_once = True
            return
        self.refresh_data()

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

    def _my_drafts(self) -> tuple[list[AuditSummary], str]:
        ctx = self.ctx
        if not self.all_drafts:
            mine = audits.list_drafts(ctx, auditor=ctx.actor)
            if mine:
                return mine, f"My drafts ({len(mine)})"
        everyone = audits.list_drafts(ctx)
        if self.all_drafts:
            return everyone, f"All drafts ({len(everyone)})"
        return everyone, f"Drafts ({len(everyone)}; none by {ctx.actor})"

    def _show_drafts(self) -> None:
        drafts, title = self._my_drafts()
        hint = "  r/Enter resume · a all/my drafts" if drafts else "  n starts an audit"
        self.query_one("#home-drafts-title", Static).update(
            Content.assemble((title, "bold"), (hint, "$text-muted"))
        )
        table = self.query_one("#drafts-table", DataTable)
        table.clear()
        for d in drafts:
            table.add_row(
                d.case_reference,
                f"{d.answered}/{d.applicable}",
                d.audit_date.isoformat(),
                case_type(d.case_type),
                d.team,
                d.auditor,
                key=str(d.id),
            )

    def _show_finalised(self) -> None:
        ctx = self.ctx
        done = audits.list_finalised(ctx, limit=20)
        self.query_one("#home-finalised-title", Static).update(
            Content.assemble(
                ("Recently finalised", "bold"), ("  Enter opens (read-only)", "$text-muted")
            )
        )
        table = self.query_one("#finalised-table", DataTable)
        table.clear()
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
            table.add_row(
                a.case_reference,
                grade,
                "–" if a.blind else percent(counted.percent_met if counted else a.percent_met),
                a.audit_date.isoformat(),
                case_type(a.case_type),
                a.team,
                judgement_label(fw, a.judgement) if a.moderated_judgement else "–",
                key=str(a.id),
            )

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
        from audit_tui.ui.screens.walkthrough import WalkthroughScreen

        try:
            screen = WalkthroughScreen(audit_id)
        except UserError as exc:  # deleted meanwhile, or its framework is not installed
            self.notify(str(exc), severity="error")
            self.refresh_data()
            return
        if screen.detail.status != "draft":  # finalised elsewhere since the list was shown
            self.open_finalised(audit_id)
            return
        self.app.push_screen(screen)

    def open_finalised(self, audit_id: int) -> None:
        from audit_tui.ui.screens.audit_view import AuditViewScreen

        try:
            screen = AuditViewScreen(audit_id)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            self.refresh_data()
            return
        self.app.push_screen(screen)

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

    # --- demo data, in a worker so the screen stays responsive ------------------------------

    def action_load_demo(self) -> None:
        if self.loading_demo or (self.summary is not None and not self.summary.empty):
            return
        self.loading_demo = True
        self.query_one("#home-empty").loading = True
        self.refresh_bindings()
        self._generate_demo()

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def _generate_demo(self) -> None:
        from audit_tui.services.demo import generate_demo

        generate_demo(self.ctx, audits=DEMO_AUDITS, seed=DEMO_SEED)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if not worker_ended(event, "demo"):
            return
        self.loading_demo = False
        self.query_one("#home-empty").loading = False
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, ImportError):
                message = "Demo data is not available in this version."
            elif isinstance(error, UserError):
                message = str(error)
            else:
                message = f"Could not load demo data: {error}"
            self.notify(message, title="Demo data", severity="error", timeout=8)
        elif event.state == WorkerState.SUCCESS:
            self.notify("Demo data loaded.", title="Demo data")
        self.refresh_data()
