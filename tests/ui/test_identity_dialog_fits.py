"""The "Who are you?" dialog at 80x24, in English and Welsh: with a full staff directory the
list has the focus, and the heading must stay on screen (it scrolled away) with nothing cut."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import OptionList, Static

from audit_tui import i18n
from audit_tui.services import directory, staff
from audit_tui.services.context import AppContext
from audit_tui.ui.dialogs.session import IdentityModal
from tests.ui.cut_check import cut_widgets
from tests.ui.helpers import app_for


@pytest.fixture
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


@pytest.mark.parametrize("language", ["en", "cy"], indirect=True)
async def test_the_heading_stays_on_screen_at_80x24(sqlite_ctx: AppContext, language: str) -> None:
    ctx = sqlite_ctx
    directory.add_team(ctx, "Safeguarding North")
    for n in range(14):
        staff.add_person(ctx, f"Worker {n:02d}", "Safeguarding North", auditor=True)
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        while not isinstance(app.screen, IdentityModal):
            if len(app.screen_stack) > 2:
                app.pop_screen()
            await app.push_screen(IdentityModal())
            await pilot.pause()
        dialog = app.screen
        people = dialog.query_one("#id-people", OptionList)
        assert people.has_focus
        await pilot.press("end")  # the last person: the list scrolls, the heading stays
        await pilot.pause()
        title = dialog.query_one(".dialog-title", Static)
        geometry = dialog.find_widget(title)
        assert geometry.region.height and geometry.clip.contains_region(geometry.region)
        assert str(title.render()) == ("Pwy ydych chi?" if language == "cy" else "Who are you?")
        for button in ("#id-later", "#id-add"):
            shown = dialog.find_widget(dialog.query_one(button))
            assert shown.clip.contains_region(shown.region), button
        assert not cut_widgets(app)
