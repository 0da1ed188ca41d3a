"""Regenerate the README's screenshots, docs/walkthrough.svg and its Welsh twin
docs/walkthrough-cy.svg: `python -m tests.ui.make_screenshot`.

Seeded data, fixed today and clock, 120x40, guidance open: the same every time it is run.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from audit_tui import i18n
from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.loader import FrameworkRegistry
from tests.conftest import REPO, make_context
from tests.ui.helpers import app_for, seed

TARGET = REPO / "docs" / "walkthrough.svg"
# The same screen in Welsh (issue 19).
TARGET_CY = REPO / "docs" / "walkthrough-cy.svg"


async def _shoot(target: Path, lang: str = "en") -> None:
    i18n.set_language(lang)
    registry = FrameworkRegistry.from_dirs([builtin_frameworks_dir()])
    with tempfile.TemporaryDirectory() as tmp:
        ctx = make_context(f"sqlite:///{tmp}/audits.db", registry)
        seed(ctx)
        app = app_for(ctx)
        async with app.run_test(size=(120, 40)) as pilot:
            # The part-answered draft, back one question to an answered one, guidance open.
            await pilot.press("down", "enter", "k", "g")
            await pilot.pause()
            app.save_screenshot(filename=target.name, path=str(target.parent))
        ctx.db.dispose()
    i18n.set_language("en")


def main() -> None:
    for target, lang in ((TARGET, "en"), (TARGET_CY, "cy")):
        asyncio.run(_shoot(target, lang))
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
