"""What good looks like, what to look for, and the inspection findings behind a question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from audit_tui.domain.framework import Framework, Question
from audit_tui.i18n import _


class GuidancePanel(VerticalScroll, can_focus=True):
    """Focusable (Tab) while shown, so its report passages below the fold can be read by
    keyboard: the arrow keys and PgUp/PgDn scroll it."""

    # not translated: CSS
    DEFAULT_CSS = """
    GuidancePanel {
        border-left: vkey $primary 50%;
        padding: 0 1;
        & > .guidance-heading { text-style: bold; color: $text-primary; margin: 1 0 0 0; }
        & > .guidance-heading.first { margin: 0; }
        & > .guidance-text { margin: 0 0 0 0; }
        &:focus { background: $boost; }
    }
    """

    def compose(self) -> ComposeResult:
        # not translated: CSS classes or a selector
        yield Static(_("What good looks like"), classes="guidance-heading first")
        yield Static(id="guidance-good", classes="guidance-text", markup=False)
        yield Static(_("Look for"), classes="guidance-heading")
        yield Static(id="guidance-look-for", classes="guidance-text", markup=False)
        yield Static(_("Where it comes from"), classes="guidance-heading")
        yield Static(id="guidance-citations", classes="guidance-text")

    def show(self, fw: Framework, question: Question) -> None:
        self.query_one("#guidance-good", Static).update(question.guidance.good)
        self.query_one("#guidance-look-for", Static).update(question.guidance.look_for)
        citations = [
            Content.assemble(("• " + fw.citation_text(c), "bold"), "\n  “", c.quote.strip(), "”")
            for c in question.evidence
        ]
        self.query_one("#guidance-citations", Static).update(Content("\n").join(citations))
        self.scroll_home(animate=False)
