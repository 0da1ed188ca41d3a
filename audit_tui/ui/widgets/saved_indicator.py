"""An unobtrusive "Saved HH:MM:SS" after each answer or note is committed."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static

from audit_tui.i18n import N_, _


class SavedIndicator(Static):
    # not translated: CSS
    DEFAULT_CSS = """
    SavedIndicator {
        width: auto;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def mark(self, at: datetime, what: str = N_("Saved")) -> None:
        """`what` is marked with N_ by the caller: translated here."""
        self.update(f"✓ {_(what)} {at:%H:%M:%S}")
