"""A newcomer's first day in the terminal UI (issue 15): who you are, which database, the
focus rules on Home, and the smaller findings, each reproduced as it was met."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, Input, OptionList, Static

from audit_tui.config import Settings
from audit_tui.services import audits, directory, staff
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn, Finalise
from audit_tui.store.models import Event
from audit_tui.ui.bases.dialog import ConfirmModal
from audit_tui.ui.dialogs.prompts import TICKED, UNTICKED, MultiChoiceModal
from audit_tui.ui.dialogs.session import IdentityModal, SessionModal
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.moderation_select import ModerationSelectScreen
from audit_tui.ui.screens.new_audit import NewAuditScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from audit_tui.ui.widgets.app_header import AppHeader
from audit_tui.ui.widgets.finalised_rows import CAPPED
from audit_tui.ui.widgets.guidance import GuidancePanel
from tests.ui.cut_check import screen_lines
from tests.ui.helpers import FRAMEWORK, app_for, seed, start
from tests.ui.loop_fixtures import screen_text, widget_text


@pytest.fixture
def seeded_ctx(sqlite_ctx: AppContext) -> AppContext:
    seed(sqlite_ctx)  # tester's 4 drafts and 8 finalised audits
    return sqlite_ctx


def drafts_shown(home: HomeScreen) -> list[str]:
    table = home.query_one("#drafts-table", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def footer_line(app: object) -> str:
    return [line for line in screen_lines(app) if line.strip()][-1]  # type: ignore[arg-type]


def cursor_key(table: DataTable[object]) -> str:
    key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    return str(key.value)


# --- Home keeps its place -----------------------------------------------------------------


async def test_home_keeps_the_cursor_on_the_row_left_when_coming_back(
    seeded_ctx: AppContext,
) -> None:
    """The finding: after Esc from a walkthrough, Enter on Home opened a different audit from
    the one left - the draft just worked on moved to the top of the list, the cursor did not
    follow it. Now the cursor is on the same audit, whichever row it is on."""
    ctx = seeded_ctx

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#drafts-table", DataTable)
        assert app.focused is table
        await pilot.press("down", "down")  # the third draft, not the newest
        left = cursor_key(table)
        assert table.cursor_row == 2
        # Opened and left without a change: the list is as it was, the cursor too (it
        # went back to the first row, another audit, when the list was filled again).
        await pilot.press("enter", "escape")
        assert app.screen is home and app.focused is table
        assert (table.cursor_row, cursor_key(table)) == (2, left)
        await pilot.press("enter")
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen) and walk.audit_id == int(left)
        await pilot.press("y")  # answering moves this draft to the top of the list
        await pilot.press("escape")
        assert app.screen is home
        assert app.focused is table
        assert table.get_row_index(left) == 0  # it did move...
        assert cursor_key(table) == left  # ...and the cursor went with it
        await pilot.press("enter")
        assert isinstance(app.screen, WalkthroughScreen)
        assert app.screen.audit_id == int(left)

        # From any screen: the finalised list, Profiles and back, the same row.
        await pilot.press("escape", "tab")
        finalised = home.query_one("#finalised-table", DataTable)
        assert app.focused is finalised
        await pilot.press("down", "down", "down")
        kept = cursor_key(finalised)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        assert app.focused is finalised and cursor_key(finalised) == kept


async def test_g_m_t_and_s_are_in_homes_footer_at_80_columns(seeded_ctx: AppContext) -> None:
    app = app_for(seeded_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = footer_line(app)
        for key, word in [("g", "Programme"), ("m", "Moderate"), ("t", "Actions"),
                          ("s", "Staff"), ("n", "New audit"), ("?", "Help")]:  # fmt: skip
            assert f"{key} {word}" in footer, footer


async def test_home_says_when_a_critical_no_capped_the_grade(sqlite_ctx: AppContext) -> None:
    """96% met but 'Requires improvement': Home now says a critical No capped it."""
    ctx = sqlite_ctx
    directory.add_team(ctx, "Team A")
    fw = ctx.frameworks.get(FRAMEWORK)
    detail = start(ctx, "CAP-1", "child_protection", "Team A", date(2026, 11, 2))
    questions = fw.applicable_questions("child_protection")
    critical = next(q for q in questions if q.critical)
    for q in questions:
        code = "no" if q is critical else "na" if q.na_reason_required else "yes"
        audits.record_answer(
            ctx, detail.id, AnswerIn(question_id=q.id, answer=code, na_reason="none")
        )
    rv = audits.review(ctx, detail.id)
    assert rv.percent_met is not None and rv.percent_met > 90
    assert rv.suggested_judgement == fw.critical_cap
    audits.finalise(ctx, detail.id, Finalise(judgement=fw.critical_cap))

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        table = home.query_one("#finalised-table", DataTable)
        grade = str(table.get_row_at(0)[1])
        assert grade == f"{fw.judgements.label(fw.critical_cap)} {CAPPED}"
        title = str(home.query_one("#home-finalised-title", Static).render())
        assert "! capped: a critical failure capped the grade" in title


# --- who you are ----------------------------------------------------------------------------


async def test_new_audit_prefills_you_never_the_last_auditor(seeded_ctx: AppContext) -> None:
    ctx = seeded_ctx
    # Someone else started the most recent audit in this database.
    start(ctx, "OTHER-1", "child_protection", "Safeguarding North", date(2026, 11, 20), "Rhys Bell")
    ctx.actor = "Alex Morgan"

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, NewAuditScreen)
        assert form.query_one("#auditor", Input).value == "Alex Morgan"


async def test_opening_someone_elses_draft_asks_and_taking_it_over_is_logged(
    seeded_ctx: AppContext,
) -> None:
    """The finding: Tab Enter on Home resumed a colleague's draft with no word that it was
    not mine. Now it says whose it is and asks; taking it over is in the log."""
    ctx = seeded_ctx
    ctx.actor = "Alex Morgan"  # the seeded drafts are tester's
    opened: list[int] = []

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        title = str(home.query_one("#home-drafts-title", Static).render())
        assert title.startswith("Drafts (4; none yours)")
        table = home.query_one("#drafts-table", DataTable)
        draft = int(cursor_key(table))
        opened.append(draft)
        await pilot.press("enter")
        ask = app.screen
        assert isinstance(ask, ConfirmModal)
        assert "This draft is tester's" in widget_text(ask)
        await pilot.press("n")  # leave it
        assert app.screen is home
        assert audits.get_audit(ctx, draft).auditor == "tester"
        await pilot.press("enter", "y")  # take it over
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("escape")
        title = str(home.query_one("#home-drafts-title", Static).render())
        assert title.startswith("My drafts (1)")
    assert audits.get_audit(ctx, opened[0]).auditor == "Alex Morgan"
    with ctx.db.read() as s:
        e = s.execute(select(Event).where(Event.action == "take_over")).scalar_one()
    # The auditor from and to, by id and name (the history shows the names).
    old, new = json.loads(e.old_value or "{}"), json.loads(e.new_value or "{}")
    assert (e.actor, old["name"], new["name"]) == ("Alex Morgan", "tester", "Alex Morgan")


async def test_first_use_asks_who_you_are_and_the_header_and_palette_say_it(
    tmp_path: Path, registry: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "root")
    url = f"sqlite:///{tmp_path / 'audits.db'}"
    admin = AppContext.from_settings(Settings(db=url, user="Admin"))
    directory.add_team(admin, "North")
    staff.add_person(admin, "Alex Morgan", "North", manager=True)
    admin.db.dispose()
    ctx = AppContext.from_settings(Settings(db=url))  # no --user: the login name, "root"
    ctx.today = lambda: date(2026, 11, 20)
    assert ctx.me == "root"

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, IdentityModal)
        people = ask.query_one("#id-people", OptionList)
        assert people.get_option_at_index(0).id == "Alex Morgan"
        await pilot.press("enter")
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert ctx.me == "Alex Morgan"
        header = widget_text(home.query_one(AppHeader))
        assert "Alex Morgan" in header and "audits.db" in header
        assert "DEMO" not in header
        # ctrl+p "Database": the full path and who you are.
        app.action_session()
        await pilot.pause()
        info = app.screen
        assert isinstance(info, SessionModal)
        text = widget_text(info)
        assert str(tmp_path / "audits.db") in text
        assert "Alex Morgan (declared" in text
        commands = [c.title for c in app.get_system_commands(home)]
        assert "Database" in commands
    # Remembered for this database: asked once.
    again = AppContext.from_settings(Settings(db=url))
    assert again.me == "Alex Morgan"
    again.db.dispose()
    ctx.db.dispose()


# --- the smaller findings -------------------------------------------------------------------


async def test_guidance_passages_are_reachable_by_keyboard(sqlite_ctx: AppContext) -> None:
    """The finding: the guidance panel could not be scrolled by keyboard (Tab only moved
    between question and note; PageDown did nothing), so report passages below the fold were
    out of reach at 80x24."""
    directory.add_team(sqlite_ctx, "Team A")
    start(sqlite_ctx, "CP-1", "child_protection", "Team A", date(2026, 11, 2))

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "g")
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        panel = walk.query_one("#wt-guidance", GuidancePanel)
        await pilot.pause()
        assert panel.max_scroll_y > 0  # the citations are below the fold
        await pilot.press("pagedown")
        await pilot.pause()
        assert panel.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert panel.scroll_y == 0
        # Tab reaches the panel itself; the arrow keys then scroll it.
        for _ in range(6):
            if app.focused is panel:
                break
            await pilot.press("tab")
        assert app.focused is panel
        await pilot.press("end")
        await pilot.pause()
        assert panel.scroll_y == panel.max_scroll_y


async def test_moderation_selection_marks_with_space_and_shows_a_refusal(
    seeded_ctx: AppContext,
) -> None:
    """The finding: ctrl+s seemed to do nothing (its error was off screen), and the first
    Space went into the ids box instead of marking a row."""

    app = app_for(seeded_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "s")
        sel = app.screen
        assert isinstance(sel, ModerationSelectScreen)
        await pilot.press("space")
        assert len(sel.marked) == 1
        assert sel.query_one("#ms-ids", Input).value == ""
        # tester audited them all: the refusal says so where it can be seen.
        await pilot.press("ctrl+s")
        error = sel.query_one("#ms-error", Static)
        assert error.display and "nobody moderates their own audit" in str(error.render())
        region = error.region
        assert region.height and 0 < region.y < 24  # on screen, not below the fold


async def test_team_picker_ticks_are_not_colour_only(seeded_ctx: AppContext) -> None:
    """The finding: every row of the Profiles team picker read '▐X▌', ticked or not."""

    app = app_for(seeded_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.press("t")
        picker = app.screen
        assert isinstance(picker, MultiChoiceModal)
        box = picker.query_one("#choices", OptionList)
        prompts = [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]
        assert all(p.startswith(UNTICKED) for p in prompts)
        await pilot.press("down", "space")
        prompts = [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]
        assert [p[:3] for p in prompts] == [UNTICKED, TICKED, UNTICKED]
        assert TICKED in screen_text(app)  # the mark is on screen, in characters
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert app.screen.teams == [prompts[1][4:]]  # type: ignore[attr-defined]


async def test_profiles_footer_reads_as_words_and_a_part_year_is_said(
    seeded_ctx: AppContext,
) -> None:
    """The findings: the footer read '[] Periodt Teams'; comparing a year in progress with a
    whole year did not say it was a part year (the year to date is now compared with the same
    months a year before, and says so)."""

    app = app_for(seeded_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        footer = footer_line(app)
        assert "Periodt" not in footer and "Period t Teams" in footer
        scope = str(app.screen.query_one("#pf-scope", Static).render())
        assert "2026-27 to date (8 months)" in scope  # it runs to 31 March
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        compare = app.screen.query_one("#pf-compare", DataTable)
        headings = [str(c.label) for c in compare.ordered_columns]
        assert "2026-27 (8 mo)" in headings


async def test_a_past_due_date_is_said_and_then_accepted(seeded_ctx: AppContext) -> None:
    ctx = seeded_ctx
    done = audits.list_finalised(ctx, limit=1)[0]

    from audit_tui.ui.dialogs.actions import NewActionModal

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        fw = ctx.frameworks.get(FRAMEWORK)
        modal = NewActionModal(audits.get_audit(ctx, done.id), fw, None)
        app.push_screen(modal)
        await pilot.pause()
        modal.query_one("#act-due", Input).value = "2026-10-01"
        await pilot.press(*"Add the plan", "ctrl+s")
        assert app.screen is modal
        assert "is already past" in str(modal.query_one("#form-error").render())
        await pilot.press("ctrl+s")  # the same date again: meant
        assert app.screen is not modal
    from audit_tui.services import actions

    [added] = actions.list_actions(ctx, audit_id=done.id)
    assert added.due_date == date(2026, 10, 1) and added.overdue


async def test_the_auditor_is_not_offered_the_agreement_of_their_own_audit(
    seeded_ctx: AppContext,
) -> None:
    from audit_tui.services import moderation
    from audit_tui.services.moderation import ModerationSelection
    from audit_tui.ui.screens.moderation_compare import ComparisonScreen

    ctx = seeded_ctx
    target = audits.list_finalised(ctx, limit=1)[0]
    dana = dataclasses.replace(ctx, actor="Dana Moss")
    mod = moderation.select_for_moderation(
        dana, ModerationSelection(moderator="Dana Moss", audit_ids=[target.id])
    ).moderations[0]
    fw = ctx.frameworks.get(FRAMEWORK)
    for q in fw.applicable_questions(target.case_type):
        moderation.record_moderation_answer(dana, mod.id, AnswerIn(question_id=q.id, answer="no"))
    moderation.submit_moderation(dana, mod.id, "requires_improvement")

    app = app_for(ctx)  # tester: the audit's own auditor
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert "AGREE" not in widget_text(home)  # not on tester's list on Home
        app.push_screen(ComparisonScreen.load(ctx, mod.id))
        await pilot.pause()
        compare = app.screen
        assert "This is your own audit" in widget_text(compare)
        assert compare.check_action("agree", ()) is False
        await pilot.press("s")
        assert app.screen is compare  # nothing opened
        footer = footer_line(app)
        assert "Agree" not in footer
    assert moderation.comparison(ctx, mod.id).status == "submitted"
