"""Regenerate docs/walkthrough.svg, the README's screenshot: `python -m tests.ui.make_screenshot`.

Seeded data, fixed today and clock, 120x40, guidance open: the same every time it is run.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.loader import FrameworkRegistry
from tests.conftest import REPO, make_context
from tests.ui.helpers import app_for, seed

TARGET = REPO / "docs" / "walkthrough.svg"


async def _shoot(target: Path) -> None:
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


def main() -> None:
    asyncio.run(_shoot(TARGET))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
