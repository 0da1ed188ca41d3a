"""The screens one by one: Home's empty state and demo data, New audit validation, walkthrough
navigation and marks, help and command palette, the read-only view and amending, themes."""

from __future__ import annotations

import random
import sqlite3
from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Input, Select

from audit_tui.config import Settings
from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn, Finalise
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.dialogs.amend import AmendModal
from audit_tui.ui.dialogs.session import IdentityModal
from audit_tui.ui.screens.audit_view import AuditViewScreen
from audit_tui.ui.screens.help import HelpScreen, key_table
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.new_audit import NewAuditScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from audit_tui.ui.widgets.app_header import AppHeader
from tests.ui.helpers import FRAMEWORK, answer_all, app_for, start, table_counts
from tests.ui.loop_fixtures import widget_text


def _draft(ctx: AppContext, case_type: str = "child_protection") -> int:
    directory.add_team(ctx, "Team A")
    return start(ctx, "CP-1", case_type, "Team A", date(2026, 11, 2)).id


async def test_empty_home_opens_the_demo_database_and_this_one_gains_no_rows(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    """Issue 15: `d` on an empty database used to fill it with demo data (then a real audit
    could be filed under a demo team). Now it opens the demo database, made in a worker; the
    database the user opened gains no row at all."""
    demo_path = tmp_path / "demo.db"
    sqlite_ctx.settings = Settings(demo_db=f"sqlite:///{demo_path}", user="Tess Ter")
    live = sqlite_ctx.db.path
    assert live is not None
    before = table_counts(live)

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#home-empty").display
        assert not home.query_one("#home-drafts").display
        assert "Open the demo database" in str(home.query_one("#load-demo").label)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        demo_home = app.screen
        if isinstance(demo_home, IdentityModal):  # the demo directory: who are you?
            await pilot.press("escape")
            demo_home = app.screen
        assert isinstance(demo_home, HomeScreen) and demo_home is not home
        assert app.ctx.db.path == demo_path
        assert not demo_home.query_one("#home-empty").display
        assert demo_home.query_one("#finalised-table", DataTable).row_count > 0
        assert "DEMO DATABASE" in widget_text(demo_home.query_one(AppHeader))
        # Demo data is offered only on an empty database.
        assert demo_home.check_action("load_demo", ()) is False

        # A real audit cannot go into the demo database unnoticed: New audit lists demo
        # teams only, and starting asks first.
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, NewAuditScreen)
        teams = [str(v) for _, v in form.query_one("#team", Select)._options]
        assert teams and all(t.endswith("(demo)") for t in teams[1:])
        await pilot.press(*"REAL-1")
        form.query_one("#case_type", Select).value = "child_protection"
        form.query_one("#team", Select).value = "Child Protection (demo)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        assert "This is the demo database" in widget_text(confirm)
        await pilot.press("n")
        assert app.screen is form
    assert table_counts(live) == before  # not one row in the database the user opened
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("SELECT value FROM database_info WHERE key = 'kind'").fetchone() == (
            "demo",
        )
        assert conn.execute("SELECT count(*) FROM audits WHERE NOT is_demo").fetchone() == (0,)


async def test_new_audit_shows_validation_inline_and_creates_nothing(
    sqlite_ctx: AppContext,
) -> None:
    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, NewAuditScreen)
        assert "never a child's name" in str(form.query_one(".field-help").render())
        await pilot.press(*"Jane Smith")  # a name, with a space: refused
        date_input = form.query_one("#date", Input)
        date_input.value = "2027-01-01"
        await pilot.press("ctrl+s")
        errors = {
            name: str(form.query_one(f"#error-{name}").render())
            for name in ("case_reference", "case_type", "team", "date")
        }
        assert "letters, digits" in errors["case_reference"]
        assert "choose one" in errors["case_type"]
        assert "add one with ctrl+t" in errors["team"]
        assert "future" in errors["date"]
        assert isinstance(app.screen, NewAuditScreen)
        # Adding a team: a duplicate is refused inside the dialog, not with a crash.
        directory.add_team(sqlite_ctx, "Team A")
        await pilot.press("ctrl+t", *"team a", "enter")
        assert "already exists" in str(app.screen.query_one("#prompt-error").render())
        # Esc with typed text asks before throwing it away (issue 15).
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep typing
        assert app.screen.query_one("#prompt-input", Input).value == "team a"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, NewAuditScreen)
        await pilot.press("escape", "y")
        assert isinstance(app.screen, HomeScreen)
    assert audits.list_drafts(sqlite_ctx) == []


async def test_walkthrough_navigation_marks_and_guidance(sqlite_ctx: AppContext) -> None:
    audit_id = _draft(sqlite_ctx)
    fw = sqlite_ctx.frameworks.get(FRAMEWORK)
    sections = fw.applicable_sections("child_protection")
    first_critical = next(q for _, qs in sections for q in qs if q.critical)

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, WalkthroughScreen)
        walk = screen.walk
        assert walk.question.id == sections[0][1][0].id
        await pilot.press("right_square_bracket")
        assert walk.question.id == sections[1][1][0].id
        await pilot.press("down", "j")
        assert walk.question.id == sections[1][1][2].id
        await pilot.press("left_square_bracket")  # to the start of this section
        assert walk.question.id == sections[1][1][0].id
        await pilot.press("left_square_bracket")  # and then to the one before
        assert walk.question.id == sections[0][1][0].id
        # u goes to the next question still unanswered, skipping answered ones.
        await pilot.press("y", "left_square_bracket")
        assert walk.question.id == sections[0][1][0].id
        await pilot.press("u")
        assert walk.question.id == sections[0][1][1].id
        # Answer the first critical question "No": its section gets the "!" mark.
        walk.go_to(first_critical.id)
        screen.show_question()
        await pilot.press("n")
        assert audits.get_audit(sqlite_ctx, audit_id).answers[first_critical.id].answer == "no"
        index = next(i for i, (s, qs) in enumerate(sections) if first_critical in qs)
        sidebar = screen.query_one("#wt-sections")
        prompt = str(sidebar.get_option_at_index(index).prompt)  # type: ignore[attr-defined]
        assert prompt.startswith("! ")
        # The guidance panel: what good looks like, and the report citations.
        guidance = screen.query_one("#wt-guidance")
        assert not guidance.display
        await pilot.press("g")
        assert guidance.display
        q = walk.question
        assert str(screen.query_one("#guidance-good").render()) == q.guidance.good
        citations = str(screen.query_one("#guidance-citations").render())
        assert fw.citation_text(q.evidence[0]) in citations
        # Not applicable is refused where the question does not allow it.
        no_na = next(
            (q for q in walk.questions if not q.na_allowed and q.id not in walk.answers), None
        )
        if no_na is not None:
            walk.go_to(no_na.id)
            screen.show_question()
            await pilot.press("a")
            assert no_na.id not in walk.answers


async def test_help_screen_and_command_palette_list_the_walkthrough_actions(
    sqlite_ctx: AppContext,
) -> None:
    _draft(sqlite_ctx)

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, WalkthroughScreen)
        table = dict((what, keys) for keys, what in key_table(screen))
        assert table["Answer Yes"] == "y"
        assert table["Answer Not applicable"] == "a"
        assert table["Answer by number"].split() == ["1", "2", "3", "4"]
        assert {"Guidance", "Unanswered", "Review", "Home", "Next section"} <= set(table)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is screen
        names = {c.title for c in app.get_system_commands(screen)}
        assert {"Guidance", "Review", "Unanswered", "Next section", "Help"} <= names
        q = screen.walk.question
        assert f"Answer {q.id}: ✓ Yes" in names  # the current question's options by name
        # Run an action from the palette by keyboard.
        await pilot.press("ctrl+p", *"Guidance")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.has_class("-guidance")


async def test_finalised_audit_is_read_only_and_amended_with_a_reason(
    sqlite_ctx: AppContext,
) -> None:
    audit_id = _draft(sqlite_ctx, "child_in_need")
    answer_all(sqlite_ctx, audit_id, "child_in_need", random.Random(5))
    rv = audits.review(sqlite_ctx, audit_id)
    audits.finalise(sqlite_ctx, audit_id, Finalise(judgement=rv.suggested_judgement or "good"))
    first = sqlite_ctx.frameworks.get(FRAMEWORK).applicable_questions("child_in_need")[0]
    before = audits.get_audit(sqlite_ctx, audit_id).answers[first.id].answer
    after = "no" if before != "no" else "yes"

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # the only finalised audit
        view = app.screen
        assert isinstance(view, AuditViewScreen)
        answers = view.query_one("#av-answers", DataTable)
        assert str(answers.get_row_at(0)[0]) == first.id
        # Answering keys do nothing here: the audit is locked.
        await pilot.press("y", "n")
        assert audits.get_audit(sqlite_ctx, audit_id).answers[first.id].answer == before
        await pilot.press("a")
        modal = app.screen
        assert isinstance(modal, AmendModal)
        modal.query_one("#amend-choice", Select).value = after
        await pilot.press("enter")  # no reason yet: refused in the dialog
        assert "reason" in str(modal.query_one("#amend-error").render())
        await pilot.press(*"moderation found it", "enter")
        assert app.screen is view
        assert audits.get_audit(sqlite_ctx, audit_id).answers[first.id].answer == after
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert audits.get_audit(sqlite_ctx, audit_id).status == "finalised"


async def test_builtin_themes_render_the_walkthrough(sqlite_ctx: AppContext) -> None:
    audit_id = _draft(sqlite_ctx)
    q = sqlite_ctx.frameworks.get(FRAMEWORK).applicable_questions("child_protection")[0]
    audits.record_answer(sqlite_ctx, audit_id, AnswerIn(question_id=q.id, answer="partly"))

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "k", "g")
        # Light, dark, high-contrast-ish and the terminal's own ANSI colours.
        themes = ["textual-light", "ansi-dark", "ansi-light", "nord", "solarized-light"]
        assert set(themes) <= set(app.available_themes)
        for name in themes:
            app.theme = name
            await pilot.pause()
            # The chosen answer reads without colour: a radio mark, a symbol, a word.
            assert "(•) ~ Partly" in str(app.screen.query_one("#wt-options").render())


async def test_a_note_being_typed_is_saved_when_the_app_quits(sqlite_ctx: AppContext) -> None:
    audit_id = _draft(sqlite_ctx)
    first = sqlite_ctx.frameworks.get(FRAMEWORK).applicable_questions("child_protection")[0]

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "y", "k", "e", *"GH seen", "ctrl+q")
    answer = audits.get_audit(sqlite_ctx, audit_id).answers[first.id]
    assert (answer.answer, answer.note) == ("yes", "GH seen")


async def test_home_loads_once_at_start_and_again_on_return(sqlite_ctx: AppContext) -> None:
    """Start-up runs Home's queries once (not twice); coming back from a screen refreshes."""

    calls: list[int] = []
    original = HomeScreen.refresh_data

    def counting(self: HomeScreen) -> None:
        calls.append(1)
        original(self)

    HomeScreen.refresh_data = counting  # type: ignore[method-assign]
    try:
        app = app_for(sqlite_ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert len(calls) == 1
            await pilot.press("question_mark")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert len(calls) == 2
    finally:
        HomeScreen.refresh_data = original  # type: ignore[method-assign]
