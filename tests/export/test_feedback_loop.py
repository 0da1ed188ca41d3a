"""The feedback document closes the loop: it lists the actions agreed on the audit (what, who,
by when, where it stands) and the practitioner's response once recorded. Today is FIXED_TODAY
(20 November 2026); mini framework, child_in_need: M-01, M-02, M-03."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.export import render_feedback
from audit_tui.services import actions, escalation
from audit_tui.services.actions import NewAction
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from tests import builders


@pytest.fixture
def fctx(ctx: AppContext, frameworks: FrameworkRegistry) -> Iterator[AppContext]:
    c = dataclasses.replace(ctx, frameworks=frameworks)
    add_team(c, "Intake")
    yield c


def finalised_audit(c: AppContext) -> int:
    return builders.finalised(
        c,
        "CMS-200",
        {"M-01": "yes", "M-02": "no", "M-03": "partly"},
        date(2026, 11, 2),
        "Intake",
        case_holder="Alun Price",
        judgement="good",
        reason="as seen",
    )


def section(text: str, title: str) -> str:
    """The body of a `## title` section, up to the next `##` heading."""
    body = text.split(f"## {title}\n", 1)[1]
    return body.split("\n## ", 1)[0]


def test_feedback_lists_the_agreed_actions(fctx: AppContext) -> None:
    audit_id = finalised_audit(fctx)
    before = section(render_feedback(fctx, audit_id), "Agreed actions")
    assert "No actions recorded yet" in before

    def act(description: str, due: date, qid: str | None = None) -> int:
        new = NewAction(
            audit_id=audit_id,
            description=description,
            owner="Alun Price",
            due_date=due,
            question_id=qid,
        )
        return actions.create_action(fctx, new).id

    act("Write down the analysis of risk with AB's family", date(2026, 12, 4), "M-02")
    late = act("Bring the chronology up to date", date(2026, 11, 10))
    done = act("Put the supervision record on file", date(2026, 11, 30))
    actions.complete_action(fctx, done)
    dropped = act("Update the plan", date(2026, 12, 1), "M-03")
    actions.mark_not_needed(fctx, dropped, "Plan already reviewed at conference")

    body = section(render_feedback(fctx, audit_id), "Agreed actions")
    assert max(len(line) for line in body.splitlines()) <= 88
    flat = " ".join(body.split())  # lines are wrapped at 88 characters
    assert "No actions recorded yet" not in flat
    assert "- Action (question M-02): Write down the analysis of risk with AB's family" in flat
    assert "Owner: Alun Price. Due: 4 December 2026. Status: open." in flat
    # Overdue is said in words, as on Home and in the workbook.
    assert "- Action: Bring the chronology up to date" in flat
    assert "Due: 10 November 2026. Status: open, OVERDUE." in flat
    assert "Due: 30 November 2026. Status: done." in flat
    assert "Status: not needed (Plan already reviewed at conference)." in flat
    assert body.count("- Action") == len(actions.list_actions(fctx, audit_id=audit_id)) == 4
    assert actions.get_action(fctx, late).overdue


def test_feedback_shows_the_practitioner_response_once_recorded(fctx: AppContext) -> None:
    audit_id = finalised_audit(fctx)
    blank = section(render_feedback(fctx, audit_id), "Your response")
    assert "[ ] Agree   [ ] Disagree" in blank and "Response recorded" not in blank

    escalation.record_practitioner_response(
        fctx, audit_id, "disagree", "The risk analysis was in the strategy discussion notes."
    )
    body = section(render_feedback(fctx, audit_id), "Your response")
    assert "Response recorded: **Disagree**" in body
    assert "The risk analysis was in the strategy discussion notes." in body
    assert "[ ] Agree" not in body

    escalation.record_practitioner_response(fctx, audit_id, "agree")
    body = section(render_feedback(fctx, audit_id), "Your response")
    assert "Response recorded: **Agree**" in body and "_No comment recorded._" in body
