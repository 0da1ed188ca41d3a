"""Moderation: the list of moderation requests, yours first (ui/moderation_rows.py).

Enter opens one: the blind re-answering while it is yours to answer, the side-by-side
comparison once it is submitted. `s` selects finalised audits for moderation (by hand or a
random share), `a` shows the agreement statistics, `x` cancels a moderation not yet agreed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from audit_tui.domain.people import same_person
from audit_tui.i18n import N_, NP_, _, ngettext
from audit_tui.services import moderation
from audit_tui.services.moderation import ModerationSummary, SelectionResult
from audit_tui.ui import messages
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.dialogs.prompts import TextPromptModal
from audit_tui.ui.moderation_rows import STATUS_TEXT, for_whom, ordered
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.tables import Col, fill_table, table_room


class ModerationScreen(AuditScreen[None]):
    HELP_TITLE = N_("Moderation")
    AUTO_FOCUS = "#mod-table"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #mod-body { height: 1fr; }
    #mod-table { height: 1fr; }
    #mod-help { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        # Before the table's own Enter (which opens it too), so the footer, ? and the palette
        # show the key; the context tells its Welsh ("Agor") from a status's ("Ar agor").
        Binding("enter", "open", NP_("verb", "Open"), priority=True),
        Binding("s", "select", N_("Select audits")),
        Binding("a", "agreement", N_("Agreement")),
        Binding("x", "cancel_moderation", N_("Cancel one")),
        Binding("f5", "refresh", N_("Refresh"), show=False),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ModerationSummary] = []

    def compose(self) -> ComposeResult:
        # Titles here, not on mount: a change of language composes the screen again.
        self.title = _("Moderation")
        self.sub_title = _("you are {name}").format(name=self.ctx.me)
        yield AppHeader()
        with Vertical(id="mod-body"):
            yield Static(id="mod-title", classes="panel-title")
            yield DataTable(id="mod-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                _(
                    "The moderator answers blind: the first auditor's answers, notes and "
                    "judgement stay hidden until the moderator submits. Then both are shown "
                    "side by side and the agreed version is what profiles count (the original "
                    "is kept)."
                ),
                id="mod-help",
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def on_resize(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        me = self.ctx.me
        self.rows = ordered(moderation.list_moderations(self.ctx), me)
        todo = sum(1 for m in self.rows if m.status == "requested" and same_person(m.moderator, me))
        waiting = sum(1 for m in self.rows if m.status == "submitted")
        self.query_one("#mod-title", Static).update(
            Content.assemble(
                (_("Moderation requests ({n})").format(n=len(self.rows)), "bold"),
                " · ",
                _("{n} for you to answer blind").format(n=todo),
                " · ",
                _("{n} awaiting agreement").format(n=waiting),
                ("  " + _("s selects audits"), "$text-muted"),
            )
        )
        table = self.query_one("#mod-table", DataTable)
        row = table.cursor_row
        fill_table(
            table,
            [
                Col(_("For"), "for"),
                Col(_("Status"), "status"),
                Col(_("Case"), "case"),
                Col(_("Auditor"), "auditor", priority=1),
                Col(_("Moderator"), "moderator", priority=2),
                Col(_("Team"), "team", priority=3),
                Col(_("Audit date"), "date", priority=4),
            ],
            [
                (
                    [
                        for_whom(m, me),
                        _(STATUS_TEXT.get(m.status, m.status)),
                        m.case_reference,
                        m.auditor,
                        m.moderator,
                        m.team,
                        m.audit_date.isoformat(),
                    ],
                    str(m.id),
                )
                for m in self.rows
            ],
            width=table_room(table),
        )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.refresh_bindings()

    def selected(self) -> ModerationSummary | None:
        tables = list(self.query("#mod-table").results(DataTable))
        # No table while the screen is composed again (a change of language).
        if not self.rows or not tables:
            return None
        return self.rows[min(tables[0].cursor_row, len(self.rows) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return bool(self.rows)
        if action == "cancel_moderation":
            m = self.selected()
            return m is not None and m.status != "agreed"
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        m = self.selected()
        if m is not None:
            self.post_message(messages.OpenModeration(m))

    def action_select(self) -> None:
        def chosen(result: SelectionResult | None) -> None:
            if result is None:
                return
            n = len(result.moderations)
            if result.seed is None:
                text = ngettext(
                    "{n} audit selected for moderation.", "{n} audits selected for moderation.", n
                ).format(n=n)
            else:
                text = ngettext(
                    "{n} audit selected for moderation (seed {seed}).",
                    "{n} audits selected for moderation (seed {seed}).",
                    n,
                ).format(n=n, seed=result.seed)
            self.notify(text, title=_("Moderation"), timeout=8)
            self.refresh_data()

        self.post_message(messages.SelectForModeration(chosen))

    def action_agreement(self) -> None:
        self.post_message(messages.OpenAgreement())

    def action_cancel_moderation(self) -> None:
        m = self.selected()
        if m is None or m.status == "agreed":
            return

        def cancel(reason: str) -> str:
            moderation.cancel_moderation(self.ctx, m.id, reason)
            return reason

        def done(result: str | None) -> None:
            if result is not None:
                self.notify(
                    _("Moderation of {case} cancelled.").format(case=m.case_reference),
                    title=_("Moderation"),
                )
                self.refresh_data()

        self.app.push_screen(
            TextPromptModal(
                _("Cancel the moderation of {case}?").format(case=m.case_reference),
                _("Why? (required, logged)"),
                cancel,
                placeholder=_("e.g. moderator away; picked by mistake"),
            ),
            done,
        )

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        self.dismiss(None)
