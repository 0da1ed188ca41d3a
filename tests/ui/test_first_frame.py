"""Home's first frame (issue 16): what it shows and what it does not build.

The frame is the one Textual hands to the terminal (`App._display`, watched as bench/
startup_child.py does), taken while the database is still opening (held by a gate), so these
tests see what a user sees first, not the screen a moment later.

- The footer shows Home's keys in that frame. Textual's Footer draws none until the screen
  first announces its bindings, a frame or more later.
- Nothing hidden is built for it: the hook panels and the empty-database offer are mounted when
  they have something to show.
- The footer is built again only when the keys it shows change, not on every move of the focus.
- Once the database is open, the focus is on a list with something in it.
- The CSS parsed for it holds no rule for another screen's widgets: each other screen's rules
  are its class's DEFAULT_CSS, parsed when it is first shown.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual.css.model import SelectorType
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from audit_tui.services import directory
from audit_tui.services.context import AppContext
from audit_tui.ui.app import AuditApp
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.staff import StaffScreen
from audit_tui.ui.widgets.demo_offer import DemoOffer
from audit_tui.ui.widgets.home_hooks import HookPanel
from tests.builders import finalise
from tests.ui.helpers import answer_all, app_for, start
from tests.ui.test_startup import _gated, _release


def on_first_home_frame(app: AuditApp, look: Callable[[HomeScreen], Any]) -> dict[str, Any]:
    """`look` at Home as it is in the first frame drawn of it; the result under "frame"."""
    seen: dict[str, Any] = {}
    display = app._display

    def spy(screen: Screen[Any], renderable: Any) -> None:
        display(screen, renderable)
        # As the benchmark counts it: Home mounted, its title set and its keys bound.
        if (
            renderable is not None
            and "frame" not in seen
            and isinstance(screen, HomeScreen)
            and screen.title == "Home"
            and "n" in screen.active_bindings
        ):
            seen["frame"] = look(screen)

    app._display = spy  # type: ignore[method-assign]  # the test's probe, nothing else
    return seen


def footer_keys(screen: Screen[Any]) -> list[str]:
    return [key.key for key in screen.query(FooterKey)]


def shown(widget: Widget) -> bool:
    """Displayed, and so is every container around it."""
    return widget.display and all(
        getattr(a, "display", True) for a in widget.ancestors if isinstance(a, Widget)
    )


def _with_a_draft(ctx: AppContext) -> None:
    if "Team A" not in {t.name for t in directory.list_teams(ctx)}:
        directory.add_team(ctx, "Team A")
    start(ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2))


def _with_one_finalised(ctx: AppContext) -> None:
    if "Team A" not in {t.name for t in directory.list_teams(ctx)}:
        directory.add_team(ctx, "Team A")
    audit_id = start(ctx, "CIN-1", "child_in_need", "Team A", date(2026, 11, 2)).id
    answer_all(ctx, audit_id, "child_in_need", random.Random(5))
    finalise(ctx, audit_id)  # on the suggested judgement


async def test_the_first_frame_shows_homes_keys_in_the_footer(sqlite_ctx: AppContext) -> None:
    _with_a_draft(sqlite_ctx)
    app, gate = _gated(sqlite_ctx)
    seen = on_first_home_frame(app, footer_keys)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "frame" in seen and not app.opened
        keys = seen["frame"]
        for key in ("n", "p", "g", "m", "t", "s", "x", "l"):
            assert key in keys, (key, keys)
        await _release(gate, app, pilot)
        # The same keys once the database is open.
        assert footer_keys(app.screen) == keys


async def test_the_first_frame_builds_nothing_it_does_not_show(sqlite_ctx: AppContext) -> None:
    _with_a_draft(sqlite_ctx)
    app, gate = _gated(sqlite_ctx)

    def hidden_built(home: HomeScreen) -> list[str]:
        # Hidden places for what may come are fine; widgets built inside them are not.
        return [repr(w) for w in home.walk_children(Widget) if not shown(w) and w.children]

    seen = on_first_home_frame(app, hidden_built)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert seen["frame"] == []
        home = app.screen
        assert isinstance(home, HomeScreen)
        # The panels are there, empty and hidden, for the database to fill.
        assert len(home.query(HookPanel)) == 3
        assert not home.query_one(DemoOffer).display
        await _release(gate, app, pilot)


async def test_the_footer_is_not_built_again_while_its_keys_stay_the_same(
    sqlite_ctx: AppContext,
) -> None:
    _with_a_draft(sqlite_ctx)
    _with_one_finalised(sqlite_ctx)
    app, gate = _gated(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await _release(gate, app, pilot)
        home = app.screen
        before = list(home.query(FooterKey))
        assert before
        # The focus moves between the two lists: each brings its own (unshown) keys.
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
        assert isinstance(app.focused, DataTable)
        assert list(home.query(FooterKey)) == before  # the same widgets, not new ones
        # A narrower terminal leaves keys out: then it is built again.
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        after = list(home.query(FooterKey))
        assert after and after[0] is not before[0]
        assert "x" not in footer_keys(home)  # Export, left out first at 80 columns


async def test_with_no_draft_the_focus_is_on_the_finalised_list_once_open(
    sqlite_ctx: AppContext,
) -> None:
    """The first frame focuses my drafts (the early read may list them); with none, the
    finalised list takes the focus when the database opens, so Enter opens an audit."""
    _with_one_finalised(sqlite_ctx)
    app, gate = _gated(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _release(gate, app, pilot)
        focused = app.focused
        assert isinstance(focused, DataTable) and focused.id == "finalised-table"
        assert focused.row_count == 1


async def test_a_screen_has_its_size_classes_before_it_is_first_styled(
    sqlite_ctx: AppContext,
) -> None:
    """Made with the app's size classes, as Textual would set them at the first resize (it
    then styled every widget of the screen a second time); Textual keeps them right after."""
    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        made = HomeScreen()
        assert made.has_class("-narrow", "-short")
        assert not made.has_class("-wide") and not made.has_class("-tall")
        home = app.screen
        assert home.has_class("-narrow", "-short")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert home.has_class("-wide", "-tall") and not home.has_class("-narrow")
        assert HomeScreen().has_class("-wide", "-tall")


UI = Path(__file__).parents[2] / "audit_tui" / "ui"


def ids_made_off_home() -> set[str]:
    """The ids (`id="..."`) the other screens and the dialogs give their widgets."""
    modules = [*(UI / "screens").glob("*.py"), *(UI / "dialogs").glob("*.py")]
    modules += [UI / "bases" / "question_walk.py"]
    ids = set()
    for module in modules:
        if module.name == "home.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "id"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                ids.add(node.value.value)
    return ids


def styled_ids(stylesheet: Stylesheet) -> set[str]:
    """Every id a rule of the stylesheet names."""
    return {
        selector.name
        for rule in stylesheet.rules
        for selector_set in rule.selector_set
        for selector in selector_set.selectors
        if selector.type == SelectorType.ID
    }


async def test_the_first_frame_parses_no_other_screens_css(sqlite_ctx: AppContext) -> None:
    """Textual parses the app's CSS file before Home's first frame: it holds the rules shared
    by several screens and Home's own; every other screen's are in its class's DEFAULT_CSS,
    added to the stylesheet (not parsed again with every other source) when first shown."""
    others = ids_made_off_home()
    assert {"sf-table", "wt-sidebar", "new-audit", "rv-form", "mw-blind"} <= others
    app = app_for(sqlite_ctx)

    def ids_and_home(home: HomeScreen) -> tuple[set[str], set[str]]:
        return styled_ids(app.stylesheet), {w.id for w in home.walk_children(Widget) if w.id}

    seen = on_first_home_frame(app, ids_and_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        styled, on_home = seen["frame"]
        assert styled & (others - on_home) == set()
        assert "drafts-table" in styled  # Home's own rules are there
        # The staff screen's rules come with it, and still style its widgets.
        await app.push_screen(StaffScreen())
        await pilot.pause()
        assert "sf-table" in styled_ids(app.stylesheet)
        table = app.screen.query_one("#sf-table", DataTable)
        assert str(table.styles.height) == "1fr"


async def test_a_list_the_user_is_on_keeps_the_focus_when_home_reads_again(
    sqlite_ctx: AppContext,
) -> None:
    """Home's choice of list is made only where nobody chose: on F5 (read again), the list
    the user is on keeps the focus, even when the other one now has something in it."""
    _with_one_finalised(sqlite_ctx)
    _with_a_draft(sqlite_ctx)
    app, gate = _gated(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await _release(gate, app, pilot)
        assert getattr(app.focused, "id", None) == "drafts-table"  # my draft: Home's choice
        await pilot.press("tab")  # the user moves to the finalised list
        await pilot.pause()
        assert getattr(app.focused, "id", None) == "finalised-table"
        await pilot.press("f5")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert getattr(app.focused, "id", None) == "finalised-table"
