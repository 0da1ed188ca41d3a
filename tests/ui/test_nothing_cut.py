"""Issue 15: at 80x24 and at 120x40 no screen's or dialog's labels, buttons, table columns,
inputs or footer keys are cut (tests/ui/cut_check.py says what "cut" means), and on the demo
data every screen has something in it.

One app per size walks every screen and dialog on a copy of the demo database, as the demo's
persona (the person with drafts, assignments, moderation and actions), going back to Home
between visits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, OptionList

from audit_tui.services import actions, moderation
from audit_tui.services.context import AppContext
from audit_tui.ui.app import AuditApp
from audit_tui.ui.dialogs.moderation import AgreeModal
from audit_tui.ui.dialogs.session import IdentityModal, SessionModal
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.moderation_compare import ComparisonScreen
from tests.ui.cut_check import cut_widgets
from tests.ui.demo_template import settle
from tests.ui.helpers import app_for
from tests.ui.visits import (
    Visit,
    a_finalised,
    comparison,
    keys,
    my_draft,
    opening,
    pressing,
    someone_elses_draft,
    submitted,
)

SIZES = [(80, 24), (120, 40)]


def pushing(make: Callable[[AuditApp], object]) -> Visit:
    async def visit(app: AuditApp, pilot: Pilot[object]) -> None:
        app.push_screen(make(app))  # type: ignore[arg-type]
        await settle(app, pilot)

    return visit


def clicking(selector: str) -> Visit:
    async def visit(app: AuditApp, pilot: Pilot[object]) -> None:
        app.screen.query_one(selector, Button).press()
        await settle(app, pilot)

    return visit


def from_list(selector: str, index: int) -> Visit:
    """Enter on the `index`th item of one of Home's lists."""

    async def visit(app: AuditApp, pilot: Pilot[object]) -> None:
        box = app.screen.query_one(selector, OptionList)
        box.focus()
        box.highlighted = index
        await keys(app, pilot, "enter")

    return visit


def agree_dialog(app: AuditApp) -> AgreeModal:
    screen = ComparisonScreen.load(app.ctx, submitted(app.ctx))
    return AgreeModal(screen.comparison, screen.fw, {})


async def agree(app: AuditApp, pilot: Pilot[object]) -> None:
    await comparison(app, pilot)
    screen = app.screen
    assert isinstance(screen, ComparisonScreen)
    for row in screen.comparison.questions:  # agree each difference: then s opens the dialog
        if row.differ and row.moderator:
            screen._set(row, row.moderator)
    await keys(app, pilot, "s")


# Each tour starts on Home; every named stop is checked. "esc" closes the dialog just looked
# at (nothing typed, so nothing to confirm), going back to the screen under it.
Stop = tuple[str, Visit]
TOURS: list[list[Stop]] = [
    [("home", pressing()), ("help", pressing("question_mark"))],
    [("session", pushing(lambda app: SessionModal()))],
    [("who are you", pushing(lambda app: IdentityModal(app.ctx.me)))],
    [("new audit", pressing("n")), ("add team", pressing("ctrl+t"))],
    [
        ("walkthrough", opening(my_draft)),
        ("guidance", pressing("g")),
        ("note", pressing("e")),
        ("safeguarding", pressing("escape", "exclamation_mark")),
        ("add action", pressing("escape", "C")),
        ("review", pressing("escape", "v")),
    ],
    [("take over?", opening(someone_elses_draft))],
    [
        ("escalation to record", from_list("#home-escalations-list", 0)),
        ("withdraw", clicking("#esc-withdraw")),
    ],
    [("escalation to acknowledge", from_list("#home-escalations-list", 1))],
    [
        ("audit view", opening(a_finalised)),
        ("amend", pressing("a")),
        ("amend judgement", pressing("escape", "j")),
        ("response", pressing("escape", "r")),
    ],
    [
        ("profiles", pressing("p")),
        ("teams", pressing("t")),
        ("period", pressing("escape", "e")),
        ("compare", pressing("escape", "c")),
        ("questions", pressing("c", "s")),
        ("drill", pressing("enter")),
    ],
    [("export", pressing("x"))],
    [("programme", pressing("g")), ("rounds", pressing("r"))],
    [
        ("moderation", pressing("m")),
        ("select", pressing("s")),
        ("agreement", pressing("escape", "a")),
        ("cancel one", pressing("escape", "x")),
        ("blind", pressing("escape", "enter")),
    ],
    [("comparison", comparison)],
    [("agree", agree)],
    [("actions", pressing("t")), ("not needed", pressing("x"))],
    [
        ("staff", pressing("s")),
        ("add person", pressing("a")),
        ("leaver", pressing("escape", "l")),
        ("import", pressing("escape", "i")),
        ("team", pressing("escape", "t")),
    ],
]


async def back_home(app: AuditApp, pilot: Pilot[object]) -> None:
    while len(app.screen_stack) > 2:
        app.pop_screen()
        await pilot.pause()
    assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_nothing_is_cut_on_any_screen_or_dialog(
    persona_ctx: AppContext, size: tuple[int, int]
) -> None:
    cuts: dict[str, list[str]] = {}
    shown: dict[str, str] = {}

    app = app_for(persona_ctx)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for tour in TOURS:
            for name, visit in tour:
                await visit(app, pilot)
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                shown[name] = type(app.screen).__name__
                found = cut_widgets(app)
                if found:
                    cuts[f"{name} ({shown[name]})"] = found
            await back_home(app, pilot)
    # Each stop reached a screen of its own (not Home again, but for Home itself).
    assert [n for n, s in shown.items() if s == "HomeScreen"] == ["home"], shown
    assert len(shown) == sum(len(t) for t in TOURS)  # no two stops share a name
    assert not cuts, "\n".join(
        f"{visit}: {line}" for visit, lines in cuts.items() for line in lines
    )


async def test_every_screen_has_content_on_demo_data(persona_ctx: AppContext) -> None:
    """A newcomer on the demo data sees every screen with something in it."""
    filled: dict[str, bool] = {}

    def has_rows(app: AuditApp, selector: str) -> bool:
        widget = app.screen.query_one(selector)
        if isinstance(widget, DataTable):
            return widget.row_count > 0
        assert isinstance(widget, OptionList)
        return widget.option_count > 0

    checks: dict[str, tuple[Visit, list[str]]] = {
        "home": (
            pressing(),
            [
                "#drafts-table",
                "#finalised-table",
                "#home-escalations-list",
                "#home-actions-list",
                "#home-moderation-list",
            ],
        ),
        "profiles": (pressing("p"), ["#pf-grid"]),
        "programme": (pressing("g"), ["#pg-progress", "#pg-cases"]),
        "moderation": (pressing("m"), ["#mod-table"]),
        "agreement": (pressing("m", "a"), ["#ag-tabs DataTable"]),
        "actions": (pressing("t"), ["#actions-table"]),
        "actions, mine": (pressing("t", "f"), ["#actions-table"]),
        "staff": (pressing("s"), ["#sf-table"]),
        "walkthrough": (opening(my_draft), ["#wt-sections"]),
        "audit view": (opening(a_finalised), ["#av-answers"]),
    }

    app = app_for(persona_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for name, (visit, selectors) in checks.items():
            await visit(app, pilot)
            for selector in selectors:
                filled[f"{name} {selector}"] = has_rows(app, selector)
            await back_home(app, pilot)
    assert [k for k, ok in filled.items() if not ok] == []
    # And the states the story promised are there to be seen.
    states = {m.status for m in moderation.list_moderations(persona_ctx)}
    assert states == {"requested", "submitted", "agreed"}
    listed = actions.list_actions(persona_ctx)
    assert {a.status for a in listed} == {"open", "done", "not_needed"}
    assert any(a.overdue for a in listed)
