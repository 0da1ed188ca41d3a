"""Audits made through the services, for the reliability tests (framework: tests/fixtures/mini)."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from functools import cache

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry, load_framework_file
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.store.migrate import open_database
from tests import builders
from tests.reliability.procs import MINI

TEAM = "Reliability Team"  # the writer's team too
TODAY = date(2026, 11, 20)


@cache
def mini_registry() -> FrameworkRegistry:
    fw = load_framework_file(MINI)
    return FrameworkRegistry({fw.id: fw})


def context(url: str, actor: str = "tester") -> AppContext:
    return AppContext(
        db=open_database(url), frameworks=mini_registry(), actor=actor, today=lambda: TODAY
    )


def draft(ctx: AppContext, reference: str, case_type: str = "child_in_need") -> int:
    with suppress(UserError):  # the team exists already
        add_team(ctx, TEAM)
    return builders.draft(ctx, reference, TODAY, TEAM, case_type, auditor=ctx.actor)


def finalised(ctx: AppContext, reference: str, answers: dict[str, str] | None = None) -> int:
    """A child-in-need audit with every question answered, finalised on the suggestion."""
    audit_id = draft(ctx, reference)
    builders.answer_all(ctx, audit_id, answers or {"M-01": "yes", "M-02": "partly", "M-03": "yes"})
    assert audits.review(ctx, audit_id).suggested_judgement is not None
    builders.finalise(ctx, audit_id)
    return audit_id
