"""Visits for UI tests on a copy of the demo database: each gets from Home to one screen the
way a user does (keys, or the app's own messages), waiting for the screen's workers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from audit_tui.services import audits, moderation
from audit_tui.services.context import AppContext
from audit_tui.ui import messages
from audit_tui.ui.app import AuditApp
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.moderation_compare import ComparisonScreen
from tests.ui.demo_template import settle

Visit = Callable[[AuditApp, Pilot[object]], Awaitable[None]]


async def keys(app: AuditApp, pilot: Pilot[object], *pressed: str) -> None:
    # The screen first finishes what it is loading (Home's lists, figures and panels come
    # from workers): a key pressed before that would make the picture depend on timing.
    await settle(app, pilot)
    await pilot.wait_for_scheduled_animations()  # Home scrolls its first panel into view
    for key in pressed:
        await pilot.press(key)
        await settle(app, pilot)


def pressing(*pressed: str) -> Visit:
    async def visit(app: AuditApp, pilot: Pilot[object]) -> None:
        await keys(app, pilot, *pressed)

    return visit


def opening(find: Callable[[AppContext], int], *then: str) -> Visit:
    """Open an audit as Home does (the app decides: draft or finalised), then press `then`."""

    async def visit(app: AuditApp, pilot: Pilot[object]) -> None:
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.post_message(messages.OpenAudit(find(app.ctx)))
        await settle(app, pilot)
        await keys(app, pilot, *then)

    return visit


def my_draft(ctx: AppContext) -> int:
    return audits.list_drafts(ctx, auditor=ctx.me)[0].id


def someone_elses_draft(ctx: AppContext) -> int:
    return next(d.id for d in audits.list_drafts(ctx, limit=None) if d.auditor != ctx.me)


def a_finalised(ctx: AppContext) -> int:
    return audits.list_finalised(ctx, limit=1)[0].id


def submitted(ctx: AppContext) -> int:
    return next(m.id for m in moderation.list_moderations(ctx) if m.status == "submitted")


async def comparison(app: AuditApp, pilot: Pilot[object]) -> None:
    app.push_screen(ComparisonScreen.load(app.ctx, submitted(app.ctx)))
    await settle(app, pilot)
