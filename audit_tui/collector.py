"""The garbage collector during the UI's start-up: held until Home's first frame is drawn.

Importing Textual and building the first frame allocate many objects that live as long as
the app, and the cyclic collector's passes over them were about a tenth of the CPU time to
that frame (bench/RESULTS.md, fix 10). The command line holds collection as it starts
(released at once for every command but the UI); the UI releases it after its first frame
(ui/startup.py), freezing what was made so far (`gc.freeze`: it lives as long as the app) so
later collections skip it. Nothing here imports anything heavy: it runs before Textual.
"""

from __future__ import annotations

import gc


def hold() -> None:
    gc.disable()


def release(*, freeze: bool = False) -> None:
    """Collect again; with `freeze`, after moving every object made so far out of the
    collector's sight (the UI's, which live as long as the app)."""
    if not gc.isenabled():
        if freeze:
            gc.freeze()
        gc.enable()
