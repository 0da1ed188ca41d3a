"""Switching the language at any time (issue 19): from the command palette or l on Home,
every screen on the stack is drawn again in the other language, the walkthrough keeps the
typed note, the N/A reason being typed, the current question and the cursor in the field,
and the choice is remembered in the user settings file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from audit_tui import config, i18n
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.ui.app import AuditApp
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.helpers import app_for
from tests.ui.test_walkthrough_text_fields import new_draft

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _english_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The switch writes `lang` to the settings file: this test's own, never the session's
    # (the other tests read that one, and must not start in Welsh).
    monkeypatch.setenv("AUDIT_TUI_SETTINGS", str(tmp_path / "settings.toml"))
    yield
    i18n.set_language("en")


def text(widget: Static) -> str:
    return str(widget.render())


async def palette_switch(app: AuditApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """ctrl+p, type the command's name, Enter: as a user would."""
    name = "Iaith" if i18n.current() == "cy" else "Language"
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*name)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.3)


async def open_walk(app: AuditApp, pilot, audit_id: int, question_id: str) -> WalkthroughScreen:  # type: ignore[no-untyped-def]
    walk = WalkthroughScreen.load(app.ctx, audits.get_audit(app.ctx, audit_id))
    await app.push_screen(walk)
    walk.go_to(question_id)
    await pilot.pause()
    return walk


async def test_the_palette_switch_keeps_the_typed_note_and_the_question(
    sqlite_ctx: AppContext,
) -> None:
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0101")
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        walk = await open_walk(app, pilot, audit_id, "CF-PL-07")
        await pilot.press("e", *"half typed", "left", "left")
        await pilot.pause()
        assert "Sections" in text(walk.query_one(".panel-title", Static))
        await palette_switch(app, pilot)
        assert i18n.current() == "cy"
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        assert walk.question.id == "CF-PL-07"
        note = walk.query_one("#wt-note", Input)
        assert note.value == "half typed" and note.cursor_position == len("half typed") - 2
        assert note.has_focus
        assert "Adrannau" in text(walk.query_one(".panel-title", Static))
        # Typing carries on where it was, and back to English keeps it all again.
        await pilot.press("X")
        note.blur()
        await pilot.pause()
        await palette_switch(app, pilot)
        assert i18n.current() == "en"
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen) and walk.question.id == "CF-PL-07"
        assert walk.query_one("#wt-note", Input).value == "half typXed"
        assert "Sections" in text(walk.query_one(".panel-title", Static))


async def test_the_switch_keeps_a_typed_na_reason(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0102")
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        walk = await open_walk(app, pilot, audit_id, "CF-PL-06")
        await pilot.press("a")  # N/A: a required reason takes the focus
        await pilot.pause()
        await pilot.press(*"no plan yet")
        await pilot.pause()
        await palette_switch(app, pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen) and walk.question.id == "CF-PL-06"
        reason = walk.query_one("#wt-na-reason", Input)
        assert reason.value == "no plan yet" and reason.has_focus
        assert walk.query_one("#wt-na").display


async def test_l_on_home_switches_every_screen_and_remembers_it(sqlite_ctx: AppContext) -> None:
    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0103")
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("l")
        await pilot.pause(0.3)
        assert i18n.current() == "cy"
        assert tomllib.loads(config.settings_file().read_text())["lang"] == "cy"
        walk = await open_walk(app, pilot, audit_id, "CF-PL-07")
        await pilot.press("e", *"typed in Welsh")
        await pilot.pause()
        walk.query_one("#wt-note", Input).blur()
        await pilot.press("escape")  # back to Home: the walkthrough stays
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause(0.3)
        assert i18n.current() == "en"
        assert tomllib.loads(config.settings_file().read_text())["lang"] == "en"


async def test_footer_help_and_palette_translate_binding_descriptions(
    sqlite_ctx: AppContext,
) -> None:
    """Descriptions are English at import time (N_): the footer, the help screen and the
    palette show them in the interface language, and in English again after switching."""
    from textual.widgets._footer import FooterKey

    from audit_tui.ui.screens.help import HelpScreen

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.use_language("cy")
        await pilot.pause()
        footer = {k.key_display: k.description for k in app.screen.query(FooterKey)}
        assert footer["n"] == "Archwiliad newydd" and footer["?"] == "Cymorth"
        assert footer["l"] == "English"
        titles = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert titles["Archwiliad newydd"] == "bysell n"
        assert "Gadael" in titles and "Cronfa ddata" in titles
        # The switch, written in the language it switches to.
        assert titles["Iaith: English"].startswith("English: show audit-tui in this language")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert text(app.screen.query_one("#help-title", Static)) == "Bysellau - Hafan"
        assert "Archwiliad newydd" in text(app.screen.query_one("#help-keys", Static))
        await app.use_language("en")  # with the help screen open: it is drawn again too
        await pilot.pause()
        assert text(app.screen.query_one("#help-title", Static)) == "Keys - Home"
        assert "New audit" in text(app.screen.query_one("#help-keys", Static))
        titles = {c.title: c.help for c in app.get_system_commands(app.screen.under)}
        assert "Language: Cymraeg" in titles and "New audit" in titles


async def test_switching_on_the_review_keeps_its_typing_and_the_walkthrough_under_it(
    sqlite_ctx: AppContext,
) -> None:
    """From the review (the walkthrough under it): strengths typed and a judgement chosen
    stay; both screens come out in Welsh; back in the walkthrough, the same question."""
    import random

    from textual.widgets import Select, TextArea

    from audit_tui.ui.screens.review import ReviewScreen
    from tests.ui.helpers import answer_all

    ctx = sqlite_ctx
    audit_id = new_draft(ctx, "CL-0104")
    answer_all(ctx, audit_id, "care_leaver", random.Random(4))
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        walk = await open_walk(app, pilot, audit_id, "CF-PL-07")
        await pilot.press("v")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        options = review.query_one("#rv-judgement", Select)
        codes = ctx.frameworks.get("case-file").judgements.codes
        choice = next(c for c in codes if c != options.value)
        options.value = choice
        review.query_one("#rv-strengths", TextArea).text = "Cynllun clir"
        await pilot.pause()
        await palette_switch(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.query_one("#rv-judgement", Select).value == choice
        assert review.query_one("#rv-strengths", TextArea).text == "Cynllun clir"
        assert str(review.query_one("#rv-back").render()).strip() == "Yn ôl (esc)"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is walk and walk.question.id == "CF-PL-07"
        assert "Adrannau" in text(walk.query_one(".panel-title", Static))
