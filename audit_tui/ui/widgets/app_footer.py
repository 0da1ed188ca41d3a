"""The footer: compact key hints; the command-palette hint only where there is room for it.

Binding descriptions are written at import time in English (marked with N_): the footer
translates them as it draws each key, so a language switch only has to redraw it.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from audit_tui.i18n import _

PALETTE_HINT_MIN_WIDTH = 100


class AppFooter(Footer):
    # A group's label ("[ ] Period") keeps a space before the next key, or it reads as one
    # word with it ("Periodt Teams").
    DEFAULT_CSS = """
    AppFooter.-compact FooterLabel { margin: 0 1 0 0; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        # Textual's Footer builds a FooterKey per binding from `binding.description` (and a
        # FooterLabel per key group): the same widgets, with the words in the current language.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description) if widget.description else ""
                if widget.tooltip and isinstance(widget.tooltip, str):
                    widget.tooltip = _(widget.tooltip)
            elif isinstance(widget, FooterLabel) and isinstance(widget.content, str):
                widget.update(_(widget.content))
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        # At 80 columns the screen's own keys need the room; ctrl+p still opens the palette
        # and the help screen (?) says so.
        wide = event.size.width >= PALETTE_HINT_MIN_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.refresh(recompose=True)
