"""The footer: compact key hints; the command-palette hint only where there is room for it."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

PALETTE_HINT_MIN_WIDTH = 100


class AppFooter(Footer):
    # A group's label ("[ ] Period") keeps a space before the next key, or it reads as one
    # word with it ("Periodt Teams").
    DEFAULT_CSS = """
    AppFooter.-compact FooterLabel { margin: 0 1 0 0; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        # At 80 columns the screen's own keys need the room; ctrl+p still opens the palette
        # and the help screen (?) says so.
        wide = event.size.width >= PALETTE_HINT_MIN_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.refresh(recompose=True)
