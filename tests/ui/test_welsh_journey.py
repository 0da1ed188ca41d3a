"""The auditor's journey in Welsh at 80x24, by keyboard alone (issue 19): switch to Welsh on
Home (l), start a new audit, answer every question, review, finalise, then open Profiles
and write an export.

On the screens the language helper translated (Home, New audit, the walkthrough, the review
and the "who are you?" dialog) nothing may be cut or run off the screen (tests/ui/cut_check),
no placeholder may be wider than its field, every footer key shown is in Welsh, and the keys
each screen must offer are in its footer. Profiles and the export are translated by another
round: here they must open and work (and the workbook comes out in the interface language).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from textual.app import App
from textual.content import Content
from textual.widgets import Input, Select
from textual.widgets._footer import FooterKey

from audit_tui import i18n
from audit_tui.config import Settings
from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from audit_tui.ui.screens.export import ExportModal
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.new_audit import NewAuditScreen
from audit_tui.ui.screens.profiles import ProfilesScreen
from audit_tui.ui.screens.review import ReviewScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.ui.cut_check import cut_widgets
from tests.ui.demo_template import settle
from tests.ui.helpers import FRAMEWORK, app_for

CASE_TYPE = "child_protection"
SIZE = (80, 24)


def cy(message: str) -> str:
    with i18n.language("cy"):
        return i18n._(message)


def footer(app: App[object]) -> dict[str, str]:
    """key shown -> its words, for the keys in the top screen's footer."""
    return {k.key_display: k.description for k in app.screen.query(FooterKey) if k.display}


def placeholders_cut(app: App[object]) -> list[str]:
    out = []
    for field in app.screen.query(Input):
        if field.value or not field.placeholder or field.content_region.width <= 0:
            continue
        room = field.content_region.width - 1
        if Content(field.placeholder).cell_length > room:
            out.append(f"#{field.id}: placeholder {field.placeholder!r} is wider than {room}")
    return out


def check(app: App[object], keys: dict[str, str]) -> None:
    """Nothing cut on the top screen; `keys` (shown key -> English words) in its footer, in
    Welsh."""
    problems = cut_widgets(app) + placeholders_cut(app)
    assert not problems, f"{type(app.screen).__name__}:\n" + "\n".join(problems)
    shown = footer(app)
    for key, english in keys.items():
        assert shown.get(key) == cy(english), (key, shown)


async def test_the_journey_in_welsh_at_80x24(
    sqlite_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # l writes `lang` to the settings file: this test's own, not the one other tests read.
    monkeypatch.setenv("AUDIT_TUI_SETTINGS", str(tmp_path / "settings.toml"))
    ctx = sqlite_ctx
    ctx.settings = Settings(exports=tmp_path / "exports")
    directory.add_team(ctx, "Safeguarding North")
    fw = ctx.frameworks.get(FRAMEWORK)
    questions = fw.applicable_questions(CASE_TYPE)
    app = app_for(ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("l")
            await pilot.pause()
            assert i18n.current() == "cy"
            check(app, {"n": "New audit", "?": "Help", "l": "Cymraeg"})
            assert footer(app)["l"] == "English"
            assert app.screen.title == "Hafan"

            await pilot.press("n")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, NewAuditScreen)
            check(app, {"^s": "Start audit", "esc": "Cancel", "?": "Help"})
            assert form.query_one(".form-title").render() == cy("Start an audit")
            await pilot.press(*"CP-2026-0101", "tab")
            await pilot.press("enter", "down", "down", "enter")
            assert form.query_one("#case_type", Select).value == CASE_TYPE
            form.query_one("#team", Select).value = "Safeguarding North"
            await pilot.press("ctrl+s")
            await pilot.pause()

            walk = app.screen
            assert isinstance(walk, WalkthroughScreen)
            check(app, {"↓/j": "Next", "v": "Review", "esc": "Home", "?": "Help"})
            assert walk.title == cy("Audit {case}").format(case="CP-2026-0101")
            await pilot.press("g")  # the guidance panel too
            await pilot.pause()
            check(app, {})
            await pilot.press("e", *"AB gartref", "enter")
            for q in questions:
                assert walk.walk.question.id == q.id
                await pilot.press("1")
            assert walk.walk.answered == len(questions)

            await pilot.press("v")
            await pilot.pause()
            review = app.screen
            assert isinstance(review, ReviewScreen)
            check(app, {"^f": "Finalise", "?": "Help"})
            await pilot.press("ctrl+f")
            await pilot.pause()
            check(app, {})  # the confirmation
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            check(app, {"n": "New audit", "l": "Cymraeg"})

            # Profiles and the export: they open and work.
            await pilot.press("p")
            await settle(app, pilot)
            assert isinstance(app.screen, ProfilesScreen)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("x")
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, ExportModal)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            result = modal.result
            assert result is not None and result.path.exists()
            await pilot.press("enter")
    finally:
        i18n.set_language("en")

    detail = audits.get_audit(ctx, audits.list_finalised(ctx, limit=1)[0].id)
    assert detail.status == "finalised" and detail.case_reference == "CP-2026-0101"
    assert detail.answers[questions[0].id].note == "AB gartref"
    # The export follows the interface language: Welsh sheet names.
    book = openpyxl.load_workbook(result.path, read_only=True)
    try:
        assert book.sheetnames[0] == cy("Summary")
    finally:
        book.close()
