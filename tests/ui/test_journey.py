"""The auditor's journey, driven by the keyboard only, on a real SQLite file."""

from __future__ import annotations

import random
from datetime import date

from textual.widgets import DataTable, Input, OptionList, Select

from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.new_audit import NewAuditScreen
from audit_tui.ui.screens.review import ReviewScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.conftest import make_context
from tests.ui.helpers import FRAMEWORK, answer_all, app_for, start

CASE_TYPE = "child_protection"


def table_cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_create_answer_everything_finalise_and_find_it_on_home(
    sqlite_ctx: AppContext,
) -> None:
    fw = sqlite_ctx.frameworks.get(FRAMEWORK)
    questions = fw.applicable_questions(CASE_TYPE)
    # N/A with a required reason, on a question somewhere in the middle.
    na_question = next(q for q in questions[1:] if q.na_allowed and q.na_reason_required)

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NewAuditScreen)
        form = app.screen
        assert form.query_one("#framework", Select).value == FRAMEWORK
        assert app.focused is form.query_one("#case_reference", Input)
        await pilot.press(*"CP-2026-0001", "tab")
        # The case type: open the list, move to "Child protection" (after the blank and
        # "Child in need"), choose it.
        await pilot.press("enter", "down", "down", "enter")
        assert form.query_one("#case_type", Select).value == CASE_TYPE
        # No team exists yet: add one from this screen.
        await pilot.press("ctrl+t", *"Safeguarding North", "enter")
        assert form.query_one("#team", Select).value == "Safeguarding North"
        assert app.focused is form.query_one("#case_holder", Input)
        await pilot.press(*"Jo Worker")
        await pilot.press("ctrl+s")
        await pilot.pause()
        walk_screen = app.screen
        assert isinstance(walk_screen, WalkthroughScreen)
        audit_id = walk_screen.audit_id
        shown = [q.id for q in walk_screen.walk.questions]
        assert shown == [q.id for q in questions]  # only the applicable questions

        # A note typed before answering: its letters must not answer the question.
        await pilot.press("e", *"AB seen at home, plan agreed", "enter")
        assert walk_screen.walk.answer() is None
        await pilot.press("y")
        for q in questions[1:]:
            assert walk_screen.walk.question.id == q.id
            if q.id == na_question.id:
                await pilot.press("a")
                # The reason is required: the reason field has focus, the question stays.
                assert isinstance(app.focused, Input) and app.focused.id == "wt-na-reason"
                assert walk_screen.walk.question.id == q.id
                await pilot.press(*"no s47 in period", "enter")
            elif q.critical:
                await pilot.press("1")  # number keys answer too
            else:
                await pilot.press("p" if len(q.id) % 2 else "y")
        assert walk_screen.walk.answered == len(questions)
        assert "Saved 10:30:00" in str(walk_screen.query_one("#wt-saved").render())

        await pilot.press("v")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.review.missing == []
        # Tab from the scores past the judgement (the suggestion is preselected) and the
        # reason to the strengths box; type; finalise; confirm.
        await pilot.press("tab", "tab", "tab")
        assert app.focused is review.query_one("#rv-strengths")
        await pilot.press(*"Clear plan")
        await pilot.press("ctrl+f")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        finalised = table_cells(app.screen.query_one("#finalised-table", DataTable))
        assert finalised[0][0] == "CP-2026-0001"

    detail = audits.get_audit(sqlite_ctx, audit_id)
    assert detail.status == "finalised"
    assert detail.team == "Safeguarding North"
    assert detail.case_holder == "Jo Worker"
    assert detail.auditor == "tester"
    assert detail.audit_date == date(2026, 11, 20)
    assert detail.strengths == "Clear plan"
    assert len(detail.answers) == len(questions)
    first = detail.answers[questions[0].id]
    assert (first.answer, first.note) == ("yes", "AB seen at home, plan agreed")
    na = detail.answers[na_question.id]
    assert (na.answer, na.na_reason) == ("na", "no s47 in period")
    assert detail.judgement == detail.suggested_judgement


async def test_draft_survives_a_restart_with_its_answers(sqlite_url: str, registry) -> None:  # type: ignore[no-untyped-def]
    ctx = make_context(sqlite_url, registry)
    from audit_tui.services import directory

    directory.add_team(ctx, "Looked After Children")
    detail = start(ctx, "LAC-77", "looked_after", "Looked After Children", date(2026, 11, 19))

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # resume the only draft
        screen = app.screen
        assert isinstance(screen, WalkthroughScreen)
        await pilot.press("y", "n", "e", *"CD", "escape", "p")
        await pilot.press("escape")  # back to Home, the draft kept
        assert isinstance(app.screen, HomeScreen)
    ctx.db.dispose()

    # A new process: a new context and a new app on the same database file.
    ctx2 = make_context(sqlite_url, registry)
    questions = ctx2.frameworks.get(FRAMEWORK).applicable_questions("looked_after")

    app = app_for(ctx2)
    async with app.run_test(size=(80, 24)) as pilot:
        drafts = table_cells(app.screen.query_one("#drafts-table", DataTable))
        assert drafts[0][:2] == ["LAC-77", f"3/{len(questions)}"]
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, WalkthroughScreen)
        # Resumes at the first unanswered question, with the answers restored.
        assert screen.walk.question.id == questions[3].id
        answers = {qid: a.answer for qid, a in screen.walk.answers.items()}
        assert answers == {
            questions[0].id: "yes",
            questions[1].id: "no",
            questions[2].id: "partly",
        }
        assert screen.walk.answers[questions[2].id].note == "CD"
        await pilot.press("k")
        assert screen.query_one("#wt-note", Input).value == "CD"
        assert "(•) ~ Partly" in str(screen.query_one("#wt-options").render())
    ctx2.db.dispose()
    assert detail.id == audits.list_drafts(make_context(sqlite_url, registry))[0].id


async def test_finalise_refused_names_the_missing_question_and_goes_to_it(
    sqlite_ctx: AppContext,
) -> None:
    from audit_tui.services import directory

    directory.add_team(sqlite_ctx, "Safeguarding North")
    detail = start(sqlite_ctx, "CP-9", CASE_TYPE, "Safeguarding North", date(2026, 11, 2))
    answer_all(sqlite_ctx, detail.id, CASE_TYPE, random.Random(3), skip=1)
    missing = sqlite_ctx.frameworks.get(FRAMEWORK).applicable_questions(CASE_TYPE)[-1]

    app = app_for(sqlite_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("v", "ctrl+f")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        listed = review.query_one("#rv-missing", OptionList)
        assert app.focused is listed
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any(p.startswith(f"✗ {missing.id} not answered") for p in prompts)
        assert "Not finalised" in str(review.query_one("#rv-error").render())
        await pilot.press("enter")  # go to the missing question
        screen = app.screen
        assert isinstance(screen, WalkthroughScreen)
        assert screen.walk.question.id == missing.id
        assert app.focused is screen.query_one("#wt-question")
    assert audits.get_audit(sqlite_ctx, detail.id).status == "draft"
