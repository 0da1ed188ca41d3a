"""Answer latency in a Pilot-driven session: start a draft, open it from Home, answer every
question with a key press, and time each press until the answer is committed and the next
question is on screen. The draft is deleted afterwards.

The clock stops at the first screen update (the compositor's output handed to the terminal
driver, `App._display`) after the walkthrough moved on from the committed answer: Pilot's own
wait-until-idle polling (50 ms sleeps, longer on a busy machine) is not part of the figure.

    python -m bench.latency_child <db-url>      (prints one JSON line)
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import date


async def _session(url: str) -> dict[str, object]:
    from sqlalchemy import func, select

    from audit_tui.config import Settings
    from audit_tui.services import audits
    from audit_tui.services.context import AppContext
    from audit_tui.services.schemas import NewAudit
    from audit_tui.store.models import Answer, Team
    from audit_tui.ui.app import create_app
    from audit_tui.ui.screens.walkthrough import WalkthroughScreen

    ctx = AppContext.from_settings(Settings(db=url, user="bench-latency"))
    ctx.today = lambda: date(2026, 11, 20)
    # The benchmark database is demo data: its audit is practice (said once, for the run), and
    # the session is bench-latency without Home asking who that is.
    ctx.demo_confirmed = True
    ctx.identity = None
    with ctx.db.read() as s:
        team = s.execute(select(Team.name).order_by(Team.id)).scalars().first()
    assert team is not None
    for d in audits.list_drafts(ctx, auditor=ctx.actor):
        audits.delete_draft(ctx, d.id)  # left by an interrupted run
    draft = audits.start_audit(
        ctx,
        NewAudit(
            framework_id="case-file",
            case_reference="BENCH-LATENCY-1",
            case_type="child_protection",
            team=team,
            case_holder=None,
            auditor=ctx.actor,
            audit_date=date(2026, 11, 20),
        ),
    )
    times: list[float] = []
    try:
        app = create_app(ctx)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("r")  # resume my draft (the only one)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, WalkthroughScreen), screen
            total = len(screen.walk.questions)
            displays: list[float] = []
            advanced: list[float] = []
            show, advance = app._display, screen._advance

            def display(*args: object) -> None:
                show(*args)  # type: ignore[arg-type]
                if args[-1] is not None:
                    displays.append(time.perf_counter())

            def advanced_then() -> None:
                advance()  # moves to the next question, after the answer was committed
                advanced.append(time.perf_counter())

            app._display = display  # type: ignore[method-assign]
            screen._advance = advanced_then  # type: ignore[method-assign]
            for _ in range(total):
                before = screen.walk.question.id
                displays.clear()
                advanced.clear()
                started = time.perf_counter()
                await pilot.press("1")  # the first option: "Yes" on the case-file scale
                await pilot.pause()
                assert before in screen.walk.answers, f"{before} not answered"
                assert advanced, "the walkthrough did not move on"
                shown = next(t for t in displays if t >= advanced[0])
                times.append(shown - started)
            with ctx.db.read() as s:
                stored = s.execute(
                    select(func.count()).select_from(Answer).where(Answer.audit_id == draft.id)
                ).scalar_one()
            assert stored == total, (stored, total)
    finally:
        audits.delete_draft(ctx, draft.id)
        ctx.db.dispose()
    return {"times": times, "questions": len(times)}


def main() -> None:
    print(json.dumps(asyncio.run(_session(sys.argv[1]))))


if __name__ == "__main__":
    main()
