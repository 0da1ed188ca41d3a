"""An audit's history (h in the audit view): every logged change, in order - when, who, what
changed and why - and, last, whether the log behind it is intact."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from audit_tui.domain.errors import UserError
from audit_tui.services.history import AuditHistory, audit_history
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.widgets.app_footer import AppFooter


class HistoryScreen(AuditScreen[None]):
    HELP_TITLE = "Audit history"
    AUTO_FOCUS = "#hi-table"
    DEFAULT_CSS = """
    HistoryScreen #hi-body { height: 1fr; }
    HistoryScreen #hi-table { height: 1fr; }
    HistoryScreen #hi-verdict { height: auto; padding: 0 1; text-style: bold; }
    HistoryScreen #hi-verdict.-broken { color: $text-error; }
    """
    BINDINGS = [Binding("escape,q,h", "back", "Back", key_display="esc")]

    def __init__(self, audit_id: int) -> None:
        super().__init__()
        self.audit_id = audit_id
        self.history: AuditHistory | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="hi-body"):
            yield DataTable(id="hi-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="hi-verdict", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = f"History of audit {self.audit_id}"
        self.sub_title = "from the event log · times in UTC"
        table = self.query_one("#hi-table", DataTable)
        table.add_columns("When (UTC)", "Who", "What", "Change", "Reason")
        verdict = self.query_one("#hi-verdict", Static)
        try:
            self.history = audit_history(self.ctx, self.audit_id)
        except UserError as exc:
            verdict.update(f"✗ {exc}")
            return
        h = self.history
        self.sub_title = f"{h.case_reference} · from the event log · times in UTC"
        for e in h.entries:
            table.add_row(f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.what, e.change, e.reason or "")
        # Last, in words (✓/✗ and the sentence), never by colour alone.
        verdict.update(("✓ " if not h.problems else "✗ ") + h.verdict)
        verdict.set_class(bool(h.problems), "-broken")
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)

    def action_back(self) -> None:
        self.dismiss(None)
