"""The footer: compact key hints; the command-palette hint only where there is room for it.

Binding descriptions are written at import time in English (marked with N_): the footer
translates them as it draws each key, so a language switch only has to redraw it.

Keys that do not fit the width are left out whole, the last first, never cut (Welsh is
longer than English): ? (every key of the screen) and the language switch always stay, and
the help screen and the palette (ctrl+p) list what was left out.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from audit_tui.i18n import _

PALETTE_HINT_MIN_WIDTH = 100
# Room the command-palette hint takes on the right where it shows ("^p palette" and a rule).
PALETTE_HINT_ROOM = 14
# Actions whose key the footer never leaves out.
ALWAYS_SHOWN = ("help", "app.help", "app.switch_language", "switch_language")


def key_width(key: FooterKey) -> int:
    """Cells a compact key takes: its key, a space, its words and the gap after it."""
    words = f" {key.description}" if key.description else ""
    return Content(f"{key.key_display}{words}").cell_length + 1


class AppFooter(Footer):
    # A group's label ("[ ] Period") keeps a space before the next key, or it reads as one
    # word with it ("Periodt Teams").
    # not translated: CSS
    DEFAULT_CSS = """
    AppFooter.-compact FooterLabel { margin: 0 1 0 0; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        # Textual's Footer builds a FooterKey per binding from `binding.description` (and a
        # FooterLabel per key group): the same widgets, with the words in the current language.
        widgets: list[Widget] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description) if widget.description else ""
                if widget.tooltip and isinstance(widget.tooltip, str):
                    widget.tooltip = _(widget.tooltip)
            elif isinstance(widget, FooterLabel) and isinstance(widget.content, str):
                widget.update(_(widget.content))
            widgets.append(widget)
        yield from self._fitting(widgets)

    def _fitting(self, widgets: list[Widget]) -> list[Widget]:
        """The keys that fit the width, leaving out the last ones first (grouped keys, as
        in Profiles' "[ ] Period", are inside their group and always kept)."""
        width = self.size.width or self.app.size.width
        if self.show_command_palette:
            width -= PALETTE_HINT_ROOM
        keys = [
            w for w in widgets if isinstance(w, FooterKey) and "-command-palette" not in w.classes
        ]
        used = sum(key_width(k) for k in keys) + sum(
            Content(str(w.content)).cell_length + 2 for w in widgets if isinstance(w, FooterLabel)
        )
        # A screen may name the keys to leave out first (FOOTER_LEAVE_OUT_FIRST); then the
        # last ones go first.
        first = list(getattr(self.screen, "FOOTER_LEAVE_OUT_FIRST", ()))
        order = sorted(
            (k for k in keys if k.action not in ALWAYS_SHOWN),
            key=lambda k: first.index(k.action) if k.action in first else len(first),
        )
        named = [k for k in order if k.action in first]
        candidates = named + [k for k in reversed(keys) if k in order and k not in named]
        dropped: set[int] = set()
        for key in candidates:
            # No gap after the last key.
            if used - 1 <= width:
                break
            dropped.add(id(key))
            used -= key_width(key)
        return [w for w in widgets if id(w) not in dropped]

    def on_resize(self, event: events.Resize) -> None:
        # At 80 columns the screen's own keys need the room; ctrl+p still opens the palette
        # and the help screen (?) says so.
        wide = event.size.width >= PALETTE_HINT_MIN_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
        # Which keys fit depends on the width.
        self.refresh(recompose=True)
