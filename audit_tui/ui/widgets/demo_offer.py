"""Home's offer on an empty database: open the demo database, or start a first audit.

Composed empty: its words and buttons are mounted the first time Home finds the database
empty (`show`). Home's first frame is drawn before the database is open, and a database with
audits in it never needs them; the two Buttons would cost that frame their styling for
nothing (bench/RESULTS.md, start-up).
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from audit_tui.i18n import N_, _

TEXT = (
    N_("This database has no audits yet."),
    N_(
        "Open the demo database to look around: made-up teams, audits, "
        "moderation and actions, kept in a database of their own (nothing "
        "goes into this one). Or start a first audit of a real case file."
    ),
)


class DemoOffer(Vertical):
    """Shown only while the database holds no audit at all. The buttons post
    `Button.Pressed` with ids "load-demo" and "first-audit"; Home acts on them."""

    def show(self, shown: bool) -> None:
        if shown and not self.children:
            buttons = Horizontal(id="home-empty-buttons")  # not translated: widget ids
            self.mount_all(
                [Static(_(TEXT[0]) + "\n\n" + _(TEXT[1]), id="home-empty-text"), buttons]
            )
            # Mounted here rather than given to the Horizontal, which would mount them only
            # when it is composed: Home focuses the first button straight away.
            buttons.mount_all(
                [
                    Button(_("Open the demo database (d)"), id="load-demo", variant="primary"),
                    Button(_("Start a first audit (n)"), id="first-audit"),
                ]
            )
        self.display = shown
