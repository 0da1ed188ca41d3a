"""Home: headline figures for the quarter, my drafts, recently finalised audits.

The hook panels (safeguarding escalations at the very top, overdue actions, moderation waiting
for the current user) live in ui/widgets/home_hooks.py; each stays hidden until it has content.

Start-up: the first frame lists the drafts and the recently finalised audits (two indexed
queries) and every key works; the quarter's figures and the hook panels are read in a worker
and filled in when they arrive (`HomeScreen.Loaded`, `HomeScreen.HooksLoaded`). Every other
screen is reached by posting a message (ui/messages.py): Home imports none of them.

Focus rules (docs/tour.md): coming back to Home from any screen puts the focus back on the list
it was on, with the cursor on the same audit (found by its id, wherever the list now puts it);
if that row has gone, on the row now in its place. On first showing, an escalation waiting for
acknowledgement takes the focus; otherwise my drafts, or the finalised list when there are none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _, format_number, ngettext
from audit_tui.ui import messages
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.startup import OPENING, after_open
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.demo_offer import DemoOffer
from audit_tui.ui.widgets.drafts_list import DraftRow, drafts_title, show_drafts
from audit_tui.ui.widgets.home_hooks import (
    EscalationsHook,
    HookRows,
    ModerationHook,
    OverdueActionsHook,
    show_hooks,
)
from audit_tui.ui.widgets.tables import Col, fill_table, table_room
from audit_tui.ui.workers import WorkFailed

if TYPE_CHECKING:
    from textual.widgets import Button

    # The first frame is drawn from Textual alone (ui/startup.py): the services, the domain's
    # models and the formats that need them are imported when there are data to show.
    from audit_tui.services.context import AppContext
    from audit_tui.services.home import HomeSummary
    from audit_tui.services.schemas import AuditSummary

DEMO_AUDITS = 600
DEMO_SEED = 1


class HomeBody(VerticalScroll, can_focus=False):
    """Home's panels; scrolls only when they do not fit."""


class HomeScreen(AuditScreen[None]):
    HELP_TITLE = N_("Home")
    # Home chooses where the focus goes itself (refresh_data): Textual's would be the first
    # list on the screen, empty or not.
    AUTO_FOCUS = ""
    # The palette has the switch as "Language: Cymraeg".
    PALETTE_HIDE = ("app.switch_language",)
    # At 80 columns the footer has room for the screens Home leads to but Export (x), which
    # is left out first where they do not all fit (then the last ones; l, the language, and
    # ? stay); r, o and a are in the panel titles, d on its button; ? lists every key (q too)
    # and ctrl+p finds each by name.
    FOOTER_LEAVE_OUT_FIRST = ("export",)
    BINDINGS = [
        Binding("n", "new_audit", N_("New audit")),
        Binding("r", "resume", N_("Resume draft"), show=False),
        Binding("o", "open_finalised", N_("Open finalised"), show=False),
        Binding("a", "toggle_all_drafts", N_("All/my drafts"), show=False),
        Binding("d", "load_demo", N_("Open the demo database"), show=False),  # on its button
        Binding("p", "profiles", N_("Profiles")),
        Binding("g", "programme", N_("Programme"), tooltip=N_("The audit programme: rounds")),
        Binding("m", "moderation", N_("Moderate"), tooltip=N_("Moderation")),
        Binding("t", "actions", N_("Actions")),
        Binding("s", "staff", N_("Staff")),
        Binding("x", "export", N_("Export")),
        # The switch reads as the language it switches to: "l Cymraeg", "l English".
        Binding("l", "app.switch_language", N_("Cymraeg"), tooltip=N_("Language")),
        Binding("f5", "refresh", N_("Refresh"), show=False),
        Binding("q", "app.quit", N_("Quit"), show=False),  # ? lists it; ctrl+q quits too
    ]

    class Loaded(Message):
        """The quarter's figures, read in the worker."""

        def __init__(self, summary: HomeSummary) -> None:
            super().__init__()
            self.summary = summary

    class HooksLoaded(Message):
        """What the hook panels list, read in the worker before the figures."""

        def __init__(self, rows: HookRows) -> None:
            super().__init__()
            self.rows = rows

    class DemoOpened(Message):
        """The demo database, open (and filled the first time) in the worker."""

        def __init__(self, ctx: AppContext) -> None:
            super().__init__()
            self.ctx = ctx

    def __init__(self) -> None:
        super().__init__()
        # The quarter's figures: None until the worker has read them.
        self.summary: HomeSummary | None = None
        # Nothing in the database at all (no draft, nothing finalised): the demo offer.
        self.empty = False
        self.all_drafts = False
        self.loading_demo = False
        # The lists as last read, so a resize lays them out again without reading again.
        self._drafts: tuple[Sequence[DraftRow], str, bool] = ([], "", False)
        self._drafts_room = 0  # the width the drafts were laid out for
        self._finalised: list[AuditSummary] = []
        # Until the hook panels first arrive, an escalation may take the focus from the table
        # Home chose (not from one the user chose).
        self._hooks_shown = False
        self._default_focus: DataTable[object] | None = None
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
            # Mounted only when the database turns out to be empty (its `show`).
            yield DemoOffer(id="home-empty", classes="panel")
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
        self.title = _("Home")
        if not self.audit_app.opened:  # the first frame; the database opens after it
            self.query_one(DemoOffer).display = False
            self.query_one("#home-figures-body", Static).update(
                Content.styled(_(OPENING), "$text-muted")
            )
            early = self.audit_app.read_early_drafts()  # None: listed once the database is open
            if early is not None:
                self._drafts = (
                    early.drafts,
                    drafts_title(len(early.drafts), early.everyone, False),
                    early.everyone,
                )
                self._show_drafts()
            self._default_focus = self.query_one("#drafts-table", DataTable)
            self._default_focus.focus()
            self.call_after_refresh(self.audit_app.start_opening)
            return
        self.refresh_data()
        self.call_after_refresh(self._ask_who)

    def context_opened(self) -> None:
        """The database is open: show it; then ask who you are (if need be) and run the keys
        pressed meanwhile."""
        self.refresh_data()
        self.query_one(AppHeader).show()
        self.call_after_refresh(self._after_open)

    def _after_open(self) -> None:
        if not self._ask_who():
            self.audit_app.run_waiting()

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
        if not self.audit_app.opened:  # back from Help before the database is open
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

    def _ask_who(self) -> bool:
        """The first time this session opens a database where you are not yet in its staff
        directory, ask who you are (pick yourself or add yourself)."""
        from audit_tui.services.database_info import describe, is_demo
        from audit_tui.ui.dialogs.session import IdentityModal

        ctx, app = self.ctx, self.audit_app
        identity = ctx.identity
        where = describe(ctx).where
        if identity is None or identity.linked or identity.proven or where in app.identity_asked:
            return False
        app.identity_asked.add(where)
        persona = None
        if is_demo(ctx):
            from audit_tui.demo.story import PERSONA_KEY
            from audit_tui.services.database_info import info

            persona = info(ctx, PERSONA_KEY)

        def chosen(name: str | None) -> None:
            if name:
                self.notify(
                    _("You are {name} in this database.").format(name=name), title=_("Welcome")
                )
            self.refresh_data()
            self.query_one(AppHeader).show()
            app.run_waiting()

        self.app.push_screen(IdentityModal(persona), chosen)
        return True

    # --- data -------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """The lists now (what the first frame shows); the figures and hook panels from the
        worker, a moment later."""
        from audit_tui.services import audits

        ctx = self.ctx
        self._drafts = self._my_drafts()
        self._finalised = audits.list_finalised(ctx, limit=20)
        # Nothing anywhere (no draft of mine means everyone's were read: none either).
        self.empty = not self._drafts[0] and not self._finalised
        self.query_one(DemoOffer).show(self.empty)
        for panel in ("#home-figures", "#home-drafts", "#home-finalised"):
            self.query_one(panel).display = not self.empty
        self._show_figures(self.summary)
        self._show_drafts()
        self._show_finalised()
        self.refresh_bindings()
        if self.empty:
            self.query_one("#load-demo").focus()
        elif not isinstance(self.focused, DataTable) or (
            self.focused is self._default_focus and self.focused.row_count == 0
        ):
            # Off the lists, or on an empty one Home chose (my drafts, in the first frame,
            # before the database said there are none; Textual's auto focus is off, above):
            # my drafts, or the finalised list when there are none. A list the user chose
            # keeps the focus.
            table = self.query_one("#drafts-table", DataTable)
            if table.row_count == 0:
                table = self.query_one("#finalised-table", DataTable)
            table.focus()
            if not self._hooks_shown:
                self._default_focus = table
        self._read(ctx)

    @work(
        thread=True,
        exclusive=True,
        group="home",
        exit_on_error=False,
        description=N_("Could not read this quarter's figures"),
    )
    def _read(self, ctx: AppContext) -> HomeScreen.Loaded | None:
        from audit_tui.services.home import home_summary

        hooks = HookRows.read(ctx)  # the urgent part first
        if get_current_worker().is_cancelled:
            return None
        self.post_message(self.HooksLoaded(hooks))
        return self.Loaded(home_summary(ctx))

    @on(HooksLoaded)
    async def _hooks_loaded(self, message: HooksLoaded) -> None:
        untouched = not self._hooks_shown
        self._hooks_shown = True
        await show_hooks(
            self,
            message.rows,
            first=lambda: untouched and self.focused in (None, self._default_focus),
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.summary = message.summary
        self._show_figures(message.summary)

    def _show_figures(self, summary: HomeSummary | None) -> None:
        from audit_tui.domain.periods import current_quarter
        from audit_tui.ui.format import day, judgement_label, percent, shown

        period = current_quarter(self.ctx.today())
        start, end = period.start, period.end
        drafts = format_number(summary.drafts_n) if summary is not None else "…"
        self.query_one("#home-figures-title", Static).update(
            _("This quarter: {period} ({start} - {end}) · drafts in progress: {n}").format(
                period=period.label, start=day(start), end=day(end), n=drafts
            )
        )
        lines: list[Content] = []
        if summary is None:
            lines.append(Content.styled(_("Reading this quarter's figures…"), "$text-muted"))
        elif not summary.frameworks:
            lines.append(Content(_("No audits finalised this quarter yet.")))
        for f in summary.frameworks if summary is not None else []:
            fw = (
                self.ctx.frameworks.get(f.framework_id)
                if f.framework_id in self.ctx.frameworks
                else None
            )
            lines.append(
                Content.assemble(
                    (shown(fw.title) if fw is not None else f.title, "bold"),
                    ": ",
                    _("{n} finalised").format(n=format_number(f.audits_n)),
                    " · ",
                    (percent(f.percent_met), "bold"),
                    " ",
                    ngettext(
                        "met (n={n} scored answer)", "met (n={n} scored answers)", f.scored_n
                    ).format(n=format_number(f.scored_n)),
                )
            )
            grades = " · ".join(
                f"{judgement_label(fw, j.code) if fw else j.label} {format_number(j.n)}"
                for j in f.judgements
            )
            lines.append(
                Content("  " + _("Judgements: {grades}").format(grades=grades or _("none")))
            )
        self.query_one("#home-figures-body", Static).update(Content("\n").join(lines))

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        if message.group == "demo":
            self.loading_demo = False
            self.query_one("#home-empty").loading = False
            self.notify(message.text, title=_("Demo database"), severity="error", timeout=8)
            self.refresh_data()
        else:
            self.query_one("#home-figures-body", Static).update(f"✗ {message.text}")

    def _my_drafts(self) -> tuple[Sequence[DraftRow], str, bool]:
        """(drafts, title, whether they are everyone's)."""
        from audit_tui.services import audits

        ctx = self.ctx
        if not self.all_drafts:
            mine = audits.list_drafts(ctx, auditor=ctx.me)
            if mine:
                return mine, drafts_title(len(mine), False, False), False
        everyone = audits.list_drafts(ctx)
        return everyone, drafts_title(len(everyone), True, self.all_drafts), True

    def _show_drafts(self) -> None:
        self._drafts_room = show_drafts(self, *self._drafts)

    def _show_finalised(self) -> None:
        from audit_tui.ui.widgets.finalised_rows import CAPPED, finalised_rows

        rows, capped = finalised_rows(self.ctx, self._finalised)
        legend = (
            "  " + _("{mark}: a critical failure capped the grade").format(mark=_(CAPPED))
            if capped
            else ""
        )
        self.query_one("#home-finalised-title", Static).update(
            Content.assemble(
                (_("Recently finalised"), "bold"),
                ("  " + _("Enter opens (read-only)"), "$text-muted"),
                (legend, "$text-muted"),
            )
        )
        table = self.query_one("#finalised-table", DataTable)
        fill_table(
            table,
            [
                Col(_("Case"), "case"),
                Col(_("Judgement"), "judgement"),
                Col(_("% met"), "percent"),
                Col(_("Audit date"), "date", priority=2),
                Col(_("Type"), "type", priority=3),
                Col(_("Team"), "team", priority=1),
                # The auditor's own judgement, when the agreed one differs by moderation.
                Col(_("Before moderation"), "before", priority=4),
            ],
            rows,
            width=table_room(table),
        )

    def on_resize(self) -> None:
        # Laid out again for the new width, from the rows already read.
        table = self.query_one("#drafts-table", DataTable)
        # Listed (perhaps by the early read, before the database opens), for another width.
        if self._drafts[1] and table_room(table) != self._drafts_room:
            self._show_drafts()
        if self.audit_app.opened:
            self._show_finalised()

    # --- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "load_demo":  # before the database is open: it may be empty
            return not self.audit_app.opened or (self.empty and not self.loading_demo)
        if action in ("resume", "toggle_all_drafts", "open_finalised"):
            return not self.empty
        return True

    @after_open
    def action_new_audit(self) -> None:
        self.post_message(messages.StartAudit())

    @after_open
    def action_profiles(self) -> None:
        self.post_message(messages.OpenProfiles())

    @after_open
    def action_export(self) -> None:
        self.post_message(messages.OpenExport())

    @after_open
    def action_staff(self) -> None:
        self.post_message(messages.OpenStaff())

    @after_open
    def action_programme(self) -> None:
        self.post_message(messages.OpenProgramme())

    @after_open
    def action_moderation(self) -> None:
        self.post_message(messages.OpenModerations())

    @after_open
    def action_actions(self) -> None:
        self.post_message(messages.OpenActions())

    def _selected(self, table_id: str) -> int | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    @after_open
    def action_resume(self) -> None:
        audit_id = self._selected("#drafts-table")
        if audit_id is None:
            self.notify(_("No draft to resume: press n to start an audit."))
            return
        self.post_message(messages.OpenAudit(audit_id))

    @after_open
    def action_open_finalised(self) -> None:
        audit_id = self._selected("#finalised-table")
        if audit_id is not None:
            self.post_message(messages.OpenAudit(audit_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:  # an early-listed draft waits for the database
            opening = messages.OpenAudit(int(event.row_key.value))
            self.audit_app.when_open(lambda: self.post_message(opening))

    @on(EscalationsHook.Chosen)
    def _escalation(self, message: EscalationsHook.Chosen) -> None:
        from audit_tui.ui.dialogs.escalation import EscalationModal

        try:
            dialog = EscalationModal.for_audit(self.ctx, message.audit_id)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            self.refresh_data()
            return
        # Home reads its lists again when the dialog closes (on_screen_resume).
        self.app.push_screen(dialog)

    @after_open
    def action_toggle_all_drafts(self) -> None:
        self.all_drafts = not self.all_drafts
        self._drafts = self._my_drafts()
        self._show_drafts()

    @after_open
    def action_refresh(self) -> None:
        self.refresh_data()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "load-demo":
            self.action_load_demo()
        elif event.button.id == "first-audit":
            self.action_new_audit()

    # --- the demo database, opened (and filled the first time) in a worker ---------------------

    @after_open
    def action_load_demo(self) -> None:
        """Open the demo database instead of this one: demo data never goes in here."""
        if self.loading_demo or not self.empty:
            return
        self.loading_demo = True
        self.query_one("#home-empty").loading = True
        self.refresh_bindings()
        self._open_demo(self.ctx)

    @work(
        thread=True,
        exclusive=True,
        group="demo",
        exit_on_error=False,
        description=N_("Could not open the demo database"),
    )
    def _open_demo(self, ctx: AppContext) -> HomeScreen.DemoOpened:
        from audit_tui.demo import generate_demo
        from audit_tui.services.database_info import database_kind

        demo = ctx.for_database(ctx.settings.demo_db)
        try:
            if database_kind(demo) != "demo":  # new or empty: made once, kept for next time
                generate_demo(demo, audits=DEMO_AUDITS, seed=DEMO_SEED)
        except BaseException:
            demo.db.dispose()
            raise
        return self.DemoOpened(demo)

    @on(DemoOpened)
    def _demo_opened(self, message: DemoOpened) -> None:
        self.loading_demo = False
        self.query_one("#home-empty").loading = False
        self.post_message(messages.UseDatabase(message.ctx))
        self.app.notify(
            _(
                "This is the demo database: made-up data, apart from your own. "
                "Quit and start audit-tui again to go back to yours."
            ),
            title=_("Demo database"),
            timeout=10,
        )
