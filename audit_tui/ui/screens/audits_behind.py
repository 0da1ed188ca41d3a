"""The audits behind one profile figure (a team, a section or a question in a period); Enter
opens one, read-only."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from audit_tui import i18n
from audit_tui.domain.periods import Period
from audit_tui.domain.versions import VersionSet
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import profiles
from audit_tui.services.context import AppContext
from audit_tui.services.profile_schemas import AUTHORITY, AuditBehind
from audit_tui.ui import messages
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.format import answer_content, judgement_label, percent
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.tables import Col, fill_table
from audit_tui.ui.words import shown_framework
from audit_tui.ui.workers import WorkFailed

LIMIT = 2_000  # the most recent; a whole authority's year can be thousands


class AuditsBehindScreen(AuditScreen[None]):
    HELP_TITLE = N_("Audits behind a figure")
    AUTO_FOCUS = "#ab-table"
    # not translated: CSS; parsed when the screen is first shown, not at start-up (issue 16)
    DEFAULT_CSS = """
    #ab-body { height: 1fr; }
    #ab-title { height: auto; padding: 0 1; background: $boost; }
    #ab-table { height: 1fr; }
    #ab-hint { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("o", "open", N_("Open audit"), show=False),
        Binding("escape,q", "back", N_("Back"), key_display="esc"),
    ]

    class Loaded(Message):
        """The audits behind the figure, and the framework versions they were done on."""

        def __init__(self, versions: VersionSet, rows: list[AuditBehind]) -> None:
            super().__init__()
            self.versions = versions
            self.rows = rows

    def __init__(
        self,
        framework_id: str,
        period: Period,
        team: str | None = None,
        section_id: str | None = None,
        question_id: str | None = None,
        *,
        area_title: str | None = None,
    ) -> None:
        super().__init__()
        self.framework_id, self.period, self.team = framework_id, period, team
        self.section_id, self.question_id = section_id, question_id
        self.area_title = area_title
        self.rows: list[AuditBehind] = []

    @property
    def is_cell(self) -> bool:
        return self.section_id is not None or self.question_id is not None

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="ab-body"):
            yield Static(id="ab-title")
            # The case stays put while the rest scrolls sideways (nothing is cut short).
            yield DataTable(id="ab-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)
            yield Static(_("Enter opens the audit (read-only) · Esc goes back"), id="ab-hint")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Audits behind the figure")
        self.sub_title = f"{self.team or _(AUTHORITY)} · {self.period.label}"
        self._show_title()
        table = self.query_one("#ab-table", DataTable)
        table.loading = True
        self._fetch(self.ctx)

    def _show_title(self, count: int | None = None) -> None:
        area = self.area_title or _("all audits")
        found = ""
        if count is not None:
            found = " · " + ngettext("{n} audit", "{n} audits", count).format(
                n=i18n.format_number(count)
            )
            if count >= LIMIT:
                found += " " + _("(the most recent {n})").format(n=i18n.format_number(LIMIT))
            elif self.is_cell:
                found += " " + _("with a scored answer here")
        self.query_one("#ab-title", Static).update(
            Content.assemble(
                (self.team or _(AUTHORITY), "bold"),
                f" · {area} · ",
                (self.period.label, "bold"),
                found,
            )
        )

    @work(
        thread=True,
        exclusive=True,
        group="drill",
        exit_on_error=False,
        description=N_("Could not read the audits behind the figure"),
    )
    def _fetch(self, ctx: AppContext) -> AuditsBehindScreen.Loaded:
        # The versions the period's audits were done on: a question in its newest words.
        versions = profiles.versions_in(ctx, self.framework_id, self.period)
        rows = profiles.audits_behind(
            ctx,
            self.framework_id,
            self.period,
            self.team,
            self.section_id,
            self.question_id,
            limit=LIMIT,
        )
        return self.Loaded(versions, rows)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.query_one("#ab-table", DataTable).loading = False
        self.query_one("#ab-title", Static).update(f"✗ {message.text}")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        table = self.query_one("#ab-table", DataTable)
        table.loading = False
        self.rows = message.rows
        self._show_title(len(self.rows))
        vs, qid = message.versions, self.question_id
        fw = shown_framework(vs.newest)
        holder = vs.holder(qid) if qid is not None and vs.has_question(qid) else None
        if holder is not None:
            holder = shown_framework(holder)
        question = holder.question(qid) if holder is not None and qid is not None else None
        rows: list[tuple[list[object], str]] = []
        for a in self.rows:
            cells: list[object] = [a.case_reference, a.audit_date.isoformat()]
            if self.is_cell:
                cells.append(percent(a.cell_percent, a.cell_scored))
            if self.question_id is not None:
                cells.append(answer_content(holder, question, a.answer))
                cells.append(a.note or "")
            grade = judgement_label(fw, a.judgement_counted)
            if a.moderated_judgement:
                grade += " " + _("(moderated)")
            case_type = a.case_type_label if fw is vs.newest else fw.case_type_label(a.case_type)
            cells += [grade, percent(a.percent_met, fw=fw), case_type]
            if self.team is None:
                cells.append(a.team)
            cells.append(a.auditor)
            rows.append((cells, str(a.id)))
        fill_table(table, self._columns(), rows)

    def _columns(self) -> list[Col]:
        columns = [Col(_("Case"), "case"), Col(_("Audit date"), "date")]
        if self.is_cell:
            columns.append(Col(_("% met here"), "cell"))
        if self.question_id is not None:
            columns += [Col(_("Answer"), "answer"), Col(_("Note"), "note")]
        columns += [
            Col(_("Judgement"), "judgement"),
            Col(_("Audit % met"), "audit_percent"),
            Col(_("Type"), "type"),
        ]
        if self.team is None:
            columns.append(Col(_("Team"), "team"))
        columns.append(Col(_("Auditor"), "auditor"))
        return columns

    def action_open(self) -> None:
        table = self.query_one("#ab-table", DataTable)
        if table.row_count == 0:
            return
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        self.open(int(str(row_key.value)))

    def open(self, audit_id: int) -> None:
        self.post_message(messages.OpenAudit(audit_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open(int(event.row_key.value))

    def action_back(self) -> None:
        self.dismiss(None)
