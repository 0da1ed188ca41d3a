"""A table's headings and cells show their text as it is: DataTable reads a str as Rich
markup, so a team called "[b]North[/b]" lost its brackets and ":cross_mark:" became an
emoji. fill_table (every table's one road) gives them as plain Text."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from audit_tui.ui.widgets.tables import Col, fill_table


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def test_headings_and_cells_are_shown_as_written() -> None:
    app = OneTable()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(DataTable)
        fill_table(
            table,
            [Col("[i]Team[/i]", "team"), Col("Note", "note")],
            [(["[b]North[/b]", "see :cross_mark: [red]x"], "r1")],
        )
        await pilot.pause()
        assert [str(c.label) for c in table.columns.values()] == ["[i]Team[/i]", "Note"]
        shown = [
            cell.plain if isinstance(cell, Text) else str(cell)
            for cell in table._get_row_renderables(0).cells
        ]
        assert shown == ["[b]North[/b]", "see :cross_mark: [red]x"]
