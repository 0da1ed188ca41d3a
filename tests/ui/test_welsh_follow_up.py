"""Issue 19, the TUI in Welsh: moderation (selected, answered blind, submitted, compared and
agreed), agreement statistics, actions (added and closed), the staff directory (a person
added), a safeguarding escalation and an amendment - each at 80x24 in Welsh, with the Welsh
on screen and nothing cut (tests/ui/cut_check.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import DataTable, Input, Select

from audit_tui import i18n
from audit_tui.services import audits, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import AnswerIn
from audit_tui.ui.app import AuditApp
from tests.ui import loop_fixtures
from tests.ui.cut_check import cut_widgets, screen_lines
from tests.ui.helpers import FRAMEWORK, app_for
from tests.ui.loop_fixtures import CASE_TYPE, audit_id_of, widget_text

template = loop_fixtures.template
loop_ctx = loop_fixtures.loop_ctx


@pytest.fixture(autouse=True)
def welsh() -> Iterator[None]:
    with i18n.language("cy"):
        yield


def shown(app: AuditApp) -> str:
    """The terminal as text, after checking nothing on it is cut."""
    lines = screen_lines(app)
    print("\n".join(lines))
    assert cut_widgets(app) == [], "\n".join(lines)
    return "\n".join(lines)


async def test_a_moderation_walked_to_agreement_in_welsh(loop_ctx: AppContext) -> None:
    ctx = loop_ctx
    target = audit_id_of(ctx, "CIN-3001")
    original = audits.get_audit(ctx, target)
    questions = ctx.frameworks.get(FRAMEWORK).applicable_questions(CASE_TYPE)
    mine = {q.id: "partly" if q is questions[-1] else "yes" for q in questions}
    differing = [q.id for q in questions if original.answers[q.id].answer != mine[q.id]]
    welsh = ctx.frameworks.get(FRAMEWORK).shown_in("cy")

    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        text = shown(app)
        assert "Ceisiadau cymedroli (0)" in text
        assert "Mae'r cymedrolwr yn ateb yn ddall" in widget_text(app.screen)

        await pilot.press("s")
        text = shown(app)
        assert "Cymedrolwr (a fydd yn ateb yn ddall)" in text
        assert "Archwiliadau terfynol heb eu cymedroli (4)" in text
        sel = app.screen
        listed = [a.case_reference for a in sel.eligible]  # type: ignore[attr-defined]
        await pilot.press(*["down"] * listed.index("CIN-3001"), "space")
        assert "1 wedi'u marcio" in shown(app)
        await pilot.press("ctrl+s")
        text = shown(app)
        assert "Ceisiadau cymedroli (1)" in text and "1 i chi eu hateb yn ddall" in text
        assert "Statws" in text and "Achos" in text  # the columns' headings

        mid = moderation.list_moderations(ctx)[0].id
        for q in questions[2:]:
            moderation.record_moderation_answer(
                ctx, mid, AnswerIn(question_id=q.id, answer=mine[q.id])
            )
        await pilot.press("enter")
        text = shown(app)
        assert "DALL: mae atebion a dyfarniad yr archwilydd cyntaf yn gudd" in text
        assert "Cymedroli CIN-3001" in text
        for q in questions[:2]:
            await pilot.press(mine[q.id][0])

        await pilot.press("v")
        text = shown(app)
        assert "Eich atebion: " in text and "Eich dyfarniad" in text
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = shown(app)
        compare = app.screen
        n = len(differing)
        assert f"{n} ateb yn wahanol (≠)" in text and f"{n} i'w cytuno o hyd." in text
        assert "Cymedroli CIN-3001" in text
        # The answers in the question's own Welsh words (Ydy, Oes, Do...).
        yes = welsh.option(welsh.question(questions[0].id), "yes")
        assert yes is not None and str(yes.label) in widget_text(compare)

        await pilot.press("s")  # too early: says so in Welsh
        await pilot.press("o")
        for _ in range(n - 1):
            await pilot.press("n", "m")
        await pilot.press("s")
        text = shown(app)
        assert f"{n} ateb wedi'u cytuno lle'r oeddent yn wahanol." in widget_text(app.screen)
        assert "Sut y daethpwyd i gytundeb? (gofynnol)" in text
        app.screen.query_one("#agree-judgement", Select).value = "requires_improvement"
        await pilot.press("tab", *"Cytunwyd gydag AA", "ctrl+s")
        await pilot.pause()
        assert app.screen is compare
        text = shown(app)
        assert "✓ Cytunwyd: Rhaid gwella - Cytunwyd gydag AA" in text

        await pilot.press("escape", "a")
        text = shown(app)
        assert "Ystadegau cytundeb" in text and "Pawb: n=1 pâr" in text
        assert "1 Archwilwyr" in text and "Union" in text
    assert audits.get_audit(ctx, target).moderated_judgement == "requires_improvement"
