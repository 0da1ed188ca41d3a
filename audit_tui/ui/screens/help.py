"""The keys of the screen underneath, listed with what they do (? or F1)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from audit_tui.i18n import N_, _, translate


def key_table(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do) for the screen's own bindings, then the app's; keys grouped.
    Descriptions are written in English at import time (N_, NP_): translated here."""
    app = screen.app
    rows: dict[tuple[int, str], list[str]] = {}
    actives = [a for a in screen.active_bindings.values() if a.node is screen]
    actives += [a for a in screen.active_bindings.values() if a.node is app]
    for active in actives:
        binding = active.binding
        if not binding.description:
            continue
        keys = rows.setdefault((id(active.node), binding.description), [])
        shown = app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    out = [(" ".join(keys), translate(description)) for (__, description), keys in rows.items()]
    # not translated: key names
    out.append(("tab shift+tab", _("Move between fields and lists")))
    out.append(("ctrl+p", _("Command palette: every action by name")))
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", N_("Close"), key_display="esc"),
    ]
    # not translated: CSS
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; margin: 0 0 1 0; }
    HelpScreen VerticalScroll { height: auto; max-height: 1fr; }
    HelpScreen #help-footer { color: $text-muted; margin: 1 0 0 0; dock: bottom; }
    """

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        # HELP_TITLE is marked with N_ where the screen is defined.
        marked = getattr(self.under, "HELP_TITLE", None)
        title = _(marked) if marked else type(self.under).__name__
        rows = key_table(self.under)
        width = max((len(k) for k, __ in rows), default=4) + 2
        lines = [
            Content.assemble((keys.ljust(width), "bold $text-accent"), what) for keys, what in rows
        ]
        with Vertical():
            yield Static(_("Keys - {screen}").format(screen=title), id="help-title", markup=False)
            with VerticalScroll():
                yield Static(Content("\n").join(lines), id="help-keys")
            yield Static(_("Esc closes this help."), id="help-footer")

    def action_close(self) -> None:
        self.dismiss(None)
