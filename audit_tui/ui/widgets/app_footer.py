"""The footer: compact key hints; the command-palette hint only where there is room for it.

Binding descriptions are written at import time in English (marked with N_): the footer
translates them as it draws each key, so a language switch only has to redraw it.

Keys that do not fit the width are left out whole, the last first, never cut (Welsh is
longer than English): ? (every key of the screen) and the language switch always stay, and
the help screen and the palette (ctrl+p) list what was left out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from audit_tui import i18n
from audit_tui.i18n import _, translate

PALETTE_HINT_MIN_WIDTH = 100
# Room the command-palette hint takes on the right where it shows ("^p palette" and a rule).
PALETTE_HINT_ROOM = 14
# Actions whose key the footer never leaves out.
ALWAYS_SHOWN = ("help", "app.help", "app.switch_language", "switch_language")


def translated(widget: Widget) -> Widget:
    """A footer key or group label with its words in the interface language."""
    if isinstance(widget, FooterKey):
        # With its context where it was marked with one (NP_).
        widget.description = translate(widget.description) if widget.description else ""
        if widget.tooltip and isinstance(widget.tooltip, str):
            widget.tooltip = translate(widget.tooltip)
    elif isinstance(widget, FooterLabel) and isinstance(widget.content, str):
        widget.update(_(widget.content))
    return widget


def widget_width(widget: Widget) -> int:
    """Cells a footer widget takes among the keys (the palette's hint has its own room)."""
    if isinstance(widget, FooterKey):
        return 0 if "-command-palette" in widget.classes else key_width(widget)
    if isinstance(widget, FooterLabel):
        return Content(str(widget.content)).cell_length + 2
    return 0


def wide_enough(width: int) -> bool:
    """Whether a footer `width` cells wide has room for the command palette's hint."""
    return width >= PALETTE_HINT_MIN_WIDTH


def _position_in(order: list[str]) -> Callable[[FooterKey], int]:
    return lambda key: order.index(key.action)


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
        # The palette's hint as the first layout will have it (on_resize keeps it so): the
        # keys are then built once, not again at the first resize.
        super().__init__(compact=True, show_command_palette=wide_enough(self.app.size.width))
        self._laid_out_for = 0  # the width the keys were last chosen for
        self._composed_for: Hashable = None  # what the keys shown were built from
        # Textual's Footer shows no key until the screen first announces its bindings, a
        # frame or more after the screen's own first frame; Home's first frame shows its keys.
        self.set_reactive(Footer._bindings_ready, True)

    def compose(self) -> ComposeResult:
        # Textual's Footer builds a FooterKey per binding from `binding.description` (and a
        # FooterLabel per key group): the same widgets, with the words in the current language.
        self._composed_for = self._built_from()
        widgets = [translated(w) for w in super().compose()]
        for key in widgets:
            if isinstance(key, FooterKey):
                # Each key is bound to `compact` and sets this class when mounted; with it set
                # already, mounting does not style the key a second time.
                key.set_class(self.compact, "-compact", update=False)
        yield from self._fitting(widgets)

    async def recompose(self) -> None:
        # Textual's Footer rebuilds every key whenever the screen's bindings change, and they
        # change on each move of the focus (a table's own keys come and go) though the keys
        # shown do not: seven rebuilds of ten keys in Home's first second. Rebuild only when
        # what the keys are built from has changed.
        if self._built_from() != self._composed_for:
            await super().recompose()

    def _built_from(self) -> Hashable:
        """Everything `compose` reads: the shown bindings (and the palette's), the room and
        the language."""
        if not self._bindings_ready or not self.is_attached:
            return None
        active = self.screen.active_bindings
        shown = tuple(
            (b.key, b.action, b.description, b.key_display, b.group, b.tooltip, enabled, tip)
            for _node, b, enabled, tip in active.values()
            if b.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return (
            shown,
            palette[2] if palette else None,
            self.show_command_palette,
            self._room(),
            i18n.current(),
        )

    def _room(self) -> int:
        width = self.size.width or self.app.size.width
        return width - PALETTE_HINT_ROOM if self.show_command_palette else width

    def _fitting(self, widgets: list[Widget]) -> list[Widget]:
        """The keys that fit the width, leaving the others out whole (grouped keys, as in
        Profiles' "[ ] Period", are inside their group and always kept)."""
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        used = sum(widget_width(w) for w in widgets) - 1  # no gap after the last key
        dropped: set[int] = set()
        for key in self._leave_out_order(keys):
            if used <= self._room():
                break
            dropped.add(id(key))
            used -= key_width(key)
        return [w for w in widgets if id(w) not in dropped]

    def _leave_out_order(self, keys: list[FooterKey]) -> list[FooterKey]:
        """The keys that may be left out, in the order they go: those the screen names
        (FOOTER_LEAVE_OUT_FIRST), then the last ones first."""
        first = list(getattr(self.screen, "FOOTER_LEAVE_OUT_FIRST", ()))
        optional = [k for k in keys if k.action not in ALWAYS_SHOWN and widget_width(k)]
        named = sorted((k for k in optional if k.action in first), key=_position_in(first))
        return named + [k for k in reversed(optional) if k not in named]

    def on_resize(self, event: events.Resize) -> None:
        # At 80 columns the screen's own keys need the room; ctrl+p still opens the palette
        # and the help screen (?) says so.
        wide = wide_enough(event.size.width)
        if wide != self.show_command_palette:
            self.show_command_palette = wide
        # Which keys fit depends on the width.
        if event.size.width != self._laid_out_for:
            self._laid_out_for = event.size.width
            self.refresh(recompose=True)
