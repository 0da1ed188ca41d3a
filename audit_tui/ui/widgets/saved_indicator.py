"""An unobtrusive "Saved HH:MM:SS" after each answer or note is committed."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static


class SavedIndicator(Static):
    DEFAULT_CSS = """
    SavedIndicator {
        width: auto;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def mark(self, at: datetime, what: str = "Saved") -> None:
        self.update(f"✓ {what} {at:%H:%M:%S}")
