"""Gaps found by mutating the code (issue 13), each pinned by a test, on SQLite and PostgreSQL
where a database is involved: agreement statistics use the blind grade and the original
answers, not the agreed ones; an amendment's reason is a real reason; an audit dated on the
last day of a quarter or of a financial year counts in that period."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest
from pydantic import ValidationError

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.periods import parse_period
from audit_tui.services import agreement, audits, moderation, profiles
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.services.schemas import Amend, AnswerIn
from tests.builders import finalised_mini, registry_with

TEAM = "Intake"


@pytest.fixture
def mctx(ctx: AppContext, registry: FrameworkRegistry) -> Iterator[AppContext]:
    c = dataclasses.replace(ctx, frameworks=registry_with(registry))
    add_team(c, TEAM)
    yield c


def finalised(ctx: AppContext, ref: str, answers: dict[str, str], when: date, grade: str) -> int:
    return finalised_mini(ctx, ref, answers, when, TEAM, judgement=grade)


def test_agreeing_other_answers_and_grade_leaves_the_agreement_figures_alone(
    mctx: AppContext,
) -> None:
    """Kappa, n and answer agreement compare the first auditor with the moderator's BLIND
    answers and grade. Agreeing a version unlike both must not move them."""
    first = finalised(
        mctx, "CMS-1", {"M-01": "yes", "M-02": "yes", "M-03": "partly"}, date(2026, 11, 2), "good"
    )
    second = finalised(
        mctx, "CMS-2", {"M-01": "yes", "M-02": "no", "M-03": "no"}, date(2026, 11, 3), "inadequate"
    )
    mids = []
    for audit_id, blind, grade in (
        (first, {"M-01": "yes", "M-02": "no", "M-03": "partly"}, "requires_improvement"),
        (second, {"M-01": "yes", "M-02": "no", "M-03": "yes"}, "inadequate"),
    ):
        sel = ModerationSelection(moderator="Dana Moss", audit_ids=[audit_id])
        mid = moderation.select_for_moderation(mctx, sel).moderations[0].id
        for qid, code in blind.items():
            moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id=qid, answer=code))
        moderation.submit_moderation(mctx, mid, grade)
        mids.append(mid)
    before = agreement.agreement_report(mctx, "mini")
    assert before.overall.n == 2 and before.overall.answers_n == 6
    # Agree answers and grades that neither side gave.
    moderation.agree(
        mctx,
        mids[0],
        AgreeIn(
            answers={"M-02": "partly", "M-03": "no"},
            judgement="outstanding",
            comment="panel decided",
        ),
    )
    moderation.agree(
        mctx,
        mids[1],
        AgreeIn(
            answers={"M-01": "no", "M-03": "partly"}, judgement="good", comment="panel decided"
        ),
    )
    after = agreement.agreement_report(mctx, "mini")
    assert after == before
    assert after.overall.kappa == before.overall.kappa
    assert (after.overall.n, after.overall.answers_n) == (2, 6)
    assert after.overall.answers_agree_percent == pytest.approx(100 * 4 / 6)
    # ...while the audits themselves now count the agreed version.
    counted = audits.get_audit(mctx, first).counted
    assert counted is not None and counted.judgement == "outstanding"


@pytest.mark.parametrize("reason", ["a", "ab", "  ab  ", "\tab\n"])
def test_an_amend_reason_of_one_or_two_characters_is_refused(reason: str) -> None:
    with pytest.raises(ValidationError, match="at least 3 characters"):
        Amend(reason=reason, question_id="M-03", answer="no")
    assert Amend(reason="abc", question_id="M-03", answer="no").reason == "abc"


@pytest.mark.parametrize(
    ("when", "inside", "outside"),
    [
        # The last day of quarter 1 (June) and of the financial year (31 March).
        (date(2026, 6, 30), ["2026-27 Q1", "2026-27", "2026-06"], ["2026-27 Q2", "2026-07"]),
        (date(2027, 3, 31), ["2026-27 Q4", "2026-27", "2027-03"], ["2027-28", "2027-28 Q1"]),
        (date(2026, 4, 1), ["2026-27 Q1", "2026-27"], ["2025-26", "2025-26 Q4"]),
    ],
)
def test_an_audit_on_the_last_day_of_a_period_counts_in_it(
    mctx: AppContext, when: date, inside: list[str], outside: list[str]
) -> None:
    finalised(mctx, "CMS-EDGE", {"M-01": "yes", "M-02": "no", "M-03": "yes"}, when, "good")
    for label in inside:
        p = profiles.profile(mctx, "mini", parse_period(label), trend=1)
        assert p.authority.audits == 1, label
        assert p.authority.percent_met.n == 3, label
        assert [(v.version, v.audits) for v in p.framework_versions] == [("0.1", 1)], label
    for label in outside:
        p = profiles.profile(mctx, "mini", parse_period(label), trend=1)
        assert p.authority.audits == 0, label
