"""One English word, two meanings (issue 19, message context): "Open" is the Moderation
screen's Enter key (a verb, Welsh "Agor") and an action's status ("is open", Welsh "Ar
agor"). With one msgid both had the status's Welsh, so the Welsh Moderation screen's Enter
read "Ar agor". Each is now marked with its context (NP_), and every place a binding's
description is shown - the footer, the help screen (?), the command palette - translates it
with its context."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from audit_tui import i18n
from audit_tui.services import moderation
from audit_tui.services.context import AppContext
from audit_tui.services.moderation import ModerationSelection
from audit_tui.ui.screens.help import HelpScreen, key_table
from audit_tui.ui.screens.moderation import ModerationScreen
from tests.ui.cut_check import screen_lines
from tests.ui.helpers import app_for
from tests.ui.loop_fixtures import audit_id_of


def _request_one(ctx: AppContext) -> None:
    """A moderation request, so Enter (open it) is a key of the screen."""
    moderation.select_for_moderation(
        ctx, ModerationSelection(moderator="tester", audit_ids=[audit_id_of(ctx, "CIN-3001")])
    )


def _footer(app: object) -> dict[str, str]:
    screen = app.screen  # type: ignore[attr-defined]
    return {k.key_display: k.description for k in screen.query(FooterKey) if k.display}


async def test_the_welsh_moderation_screen_opens_with_agor_not_ar_agor(
    loop_ctx: AppContext,
) -> None:
    i18n.set_language("cy")  # English again after the test (tests/conftest.py)
    _request_one(loop_ctx)
    app = app_for(loop_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ModerationScreen)
        enter = app.get_key_display(next(b for b in screen.BINDINGS if b.action == "open"))
        # The footer, at 80x24 (on main it showed no Enter at all: the table's own Enter
        # hid the screen's; and its words were "Ar agor").
        assert _footer(app)[enter] == "Agor"
        # The help screen's list of keys.
        assert (enter, "Agor") in key_table(screen)
        # The command palette lists the key by its description.
        titles = {str(c.title) for c in app.get_system_commands(screen)}
        assert "Agor" in titles and "Ar agor" not in titles
        # And the help screen as drawn (?).
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = [" ".join(line.split()) for line in screen_lines(app)]
        assert any(f"{enter} Agor" in line for line in lines), "\n".join(lines)
        assert not any("Ar agor" in line for line in lines)


async def test_in_english_both_read_open(loop_ctx: AppContext) -> None:
    _request_one(loop_ctx)
    app = app_for(loop_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert _footer(app)[app.get_key_display(app.screen.BINDINGS[0])] == "Open"
