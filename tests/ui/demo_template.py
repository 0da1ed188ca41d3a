"""A demo database built once per test module and copied for each test: 400 demo audits over
three financial years (seed 1, today fixed at 2026-11-20) and one sampled audit round."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from audit_tui.demo import generate_demo
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services.context import AppContext
from audit_tui.services.sampling import SampleRequest, draw_sample
from tests.conftest import make_context

DEMO_AUDITS = 400
ROUND_PER_TEAM = 2


def build_template(folder: Path, registry: FrameworkRegistry) -> Path:
    path = folder / "template.db"
    ctx = make_context(f"sqlite:///{path}", registry)
    generate_demo(ctx, audits=DEMO_AUDITS, seed=1)
    ctx.demo_confirmed = True  # a round in the demo database is practice: said so, as a user would
    draw_sample(ctx, SampleRequest(per_team=ROUND_PER_TEAM, seed=1))
    ctx.db.dispose()  # the last connection closing checkpoints the WAL into the file
    return path


def copy_context(template: Path, folder: Path, registry: FrameworkRegistry) -> AppContext:
    target = folder / "audits.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copyfile(source, Path(f"{target}{suffix}"))
    return make_context(f"sqlite:///{target}", registry)


async def settle(app: App[object], pilot: Pilot[object]) -> None:
    """Let the screen's workers finish and their results be shown."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(0)
    await pilot.pause()


def persona_copy(template: Path, folder: Path, registry: FrameworkRegistry) -> AppContext:
    """A copy of the demo database as the demo's persona (the person with drafts,
    assignments, moderation and actions), with a short exports folder: the export dialog's
    folder field then fits, as a real one does."""
    import tempfile

    from audit_tui.config import Settings
    from audit_tui.demo.story import PERSONA_KEY
    from audit_tui.services.database_info import info

    ctx = copy_context(template, folder, registry)
    persona = info(ctx, PERSONA_KEY)
    assert persona
    ctx.actor = persona
    ctx.settings = Settings(exports=Path(tempfile.mkdtemp(prefix="x")))
    return ctx
