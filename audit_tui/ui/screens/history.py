"""An audit's history (h in the audit view): every logged change, in order - when, who, what
changed and why - and, last, whether the log behind it is intact.

The table fits the screen's width, never scrolling sideways: at 80 columns the long texts
are shortened (…) so the change always shows beside what changed, and the highlighted entry
is shown whole below the table."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.widgets import DataTable, Header, Static

from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _
from audit_tui.services.history import AuditHistory, HistoryEntry, audit_history
from audit_tui.ui.bases.screen import AuditScreen
from audit_tui.ui.widgets.app_footer import AppFooter
from audit_tui.ui.widgets.tables import Col, cell_width, fill_table, table_room

ELLIPSIS = "…"
REASON_FROM = 100  # the reason has a column of its own from this width; below, under the table
# At 80 columns, the least room who, what and the change keep: the change at least
# "Ydy -> Nac ydy", what happened at least "Practitioner's response recorded".
NARROW_FLOORS = (8, 32, 14)


def shorten(text: str, width: int) -> str:
    """`text` in `width` columns: whole when it fits, else cut with an ellipsis."""
    if cell_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_width(out + ch) > width - 1:
            break
        out += ch
    return out + ELLIPSIS


def share_widths(natural: list[int], room: int) -> list[int]:
    """Widths for columns whose natural widths add up to more than `room`: the widest are
    cut to one cap, the largest that fits, so short texts stay whole."""
    if sum(natural) <= room:
        return natural
    cap = max(natural)
    while cap > 1 and sum(min(w, cap) for w in natural) > room:
        cap -= 1
    return [min(w, cap) for w in natural]


class HistoryScreen(AuditScreen[None]):
    HELP_TITLE = N_("Audit history")
    AUTO_FOCUS = "#hi-table"
    # not translated: CSS
    DEFAULT_CSS = """
    HistoryScreen #hi-body { height: 1fr; }
    HistoryScreen #hi-table { height: 1fr; }
    HistoryScreen #hi-entry { height: auto; max-height: 6; padding: 0 1; }
    HistoryScreen #hi-verdict { height: auto; padding: 0 1; text-style: bold; }
    HistoryScreen #hi-verdict.-broken { color: $text-error; }
    """
    BINDINGS = [Binding("escape,q,h", "back", N_("Back"), key_display="esc")]

    def __init__(self, audit_id: int) -> None:
        super().__init__()
        self.audit_id = audit_id
        self.history: AuditHistory | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="hi-body"):
            yield DataTable(id="hi-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="hi-entry", markup=False)
            yield Static(id="hi-verdict", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("History of audit {id}").format(id=self.audit_id)
        self.sub_title = _("from the event log")
        verdict = self.query_one("#hi-verdict", Static)
        try:
            # Read here, when shown: its descriptions come in the language of the moment.
            self.history = audit_history(self.ctx, self.audit_id)
        except UserError as exc:
            verdict.update(f"✗ {exc}")
            return
        h = self.history
        # Short, so the header holds it at 80 columns: the times say UTC in their heading.
        self.sub_title = _("{case} · from the event log").format(case=h.case_reference)
        self._fill()
        table = self.query_one("#hi-table", DataTable)
        # Last, in words (✓/✗ and the sentence), never by colour alone.
        verdict.update(("✓ " if not h.problems else "✗ ") + h.verdict)
        verdict.set_class(bool(h.problems), "-broken")
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)
            self._show_entry(table.row_count - 1)

    def on_resize(self, event: Resize) -> None:
        if self.history is not None:
            self._fill()

    def _fill(self) -> None:
        """The entries in columns that fit the width: when, who, what, the change (and the
        reason where there is room), the longest texts shortened to fit."""
        h = self.history
        if h is None:
            return
        table = self.query_one("#hi-table", DataTable)
        row = table.cursor_row
        room = table_room(table)
        wide = room >= REASON_FROM
        # Narrow: the day (the entry below gives the time to the second); wide: the minute.
        when = "%Y-%m-%d %H:%M" if wide else "%Y-%m-%d"
        labels = [_("When (UTC)"), _("Who"), _("What"), _("Change")]
        texts = [[f"{e.at:{when}}", e.actor, e.what, e.change] for e in h.entries]
        if wide:
            labels.append(_("Reason"))
            for cells, e in zip(texts, h.entries, strict=True):
                cells.append(e.reason or "")
        natural = [
            max([cell_width(label), *(cell_width(cells[i]) for cells in texts)])
            for i, label in enumerate(labels)
        ]
        pad = 2 * table.cell_padding
        # The time is never cut; the others share what is left. Narrow, the change keeps its
        # room first: it is what the screen is for.
        rest = room - natural[0] - pad * len(labels)
        if wide:
            widths = [natural[0], *share_widths(natural[1:], rest)]
        else:
            # Each keeps a floor (what happened and the change first; who is named in full
            # below the table), and what is left goes to the widest.
            floors = [min(w, f) for w, f in zip(natural[1:], NARROW_FLOORS, strict=True)]
            extra = share_widths(
                [w - f for w, f in zip(natural[1:], floors, strict=True)],
                max(rest - sum(floors), 0),
            )
            widths = [natural[0], *(f + e for f, e in zip(floors, extra, strict=True))]
        columns = [Col(label, f"c{i}") for i, label in enumerate(labels)]
        rows: list[tuple[list[object], str]] = [
            ([shorten(t, w) for t, w in zip(cells, widths, strict=True)], str(i))
            for i, cells in enumerate(texts)
        ]
        fill_table(table, columns, rows)
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show_entry(int(event.row_key.value))

    def _show_entry(self, index: int) -> None:
        """The highlighted entry whole: nothing the table shortened is lost."""
        h = self.history
        box = self.query_one("#hi-entry", Static)
        if h is None or not 0 <= index < len(h.entries):
            box.update("")
            return
        e: HistoryEntry = h.entries[index]
        change = f": {e.change}" if e.change else ""
        lines = [Content(f"{e.at:%Y-%m-%d %H:%M:%S} · {e.actor} · {e.what}{change}")]
        if e.reason:
            lines.append(Content(_("Reason: {reason}").format(reason=e.reason)))
        box.update(Content("\n").join(lines))

    def action_back(self) -> None:
        self.dismiss(None)
