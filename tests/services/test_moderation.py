"""Moderation on SQLite and PostgreSQL: selection, the blind stage enforced by the service,
comparison, agreement, and profiles counting the agreed version.

Uses tests/fixtures/mini.yaml (Ofsted scale, thresholds 90/75/50/0). For child_in_need three
questions apply: M-01 (critical, N/A not allowed), M-02, M-03, each weight 1.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.periods import parse_period
from audit_tui.services import audits, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.services.schemas import AnswerIn, NewAudit
from audit_tui.store.models import Answer, Audit, Event, Moderation
from tests import builders

TEAM = "Intake & Assessment"
SECRET = "XQ-auditor-note"  # an auditor's note the blind view must never carry


@pytest.fixture
def mctx(ctx: AppContext, frameworks: FrameworkRegistry) -> Iterator[AppContext]:
    c = dataclasses.replace(ctx, frameworks=frameworks)
    add_team(c, TEAM)
    add_team(c, "Disabled Children")
    yield c


def finalised(
    ctx: AppContext,
    ref: str,
    answers: dict[str, str] | None = None,
    judgement: str = "good",
    auditor: str = "Ceri Jones",
    team: str = TEAM,
) -> int:
    # yes, yes, partly: 100 x 2.5 / 3 = 83.3% -> suggested good; M-03 carries the secret note
    return builders.finalised(
        ctx,
        ref,
        answers or {"M-01": "yes", "M-02": "yes", "M-03": "partly"},
        date(2026, 11, 2),
        team,
        judgement=judgement,
        reason="as seen",
        notes={"M-03": SECRET},
        auditor=auditor,
    )


def select_one(ctx: AppContext, audit_id: int, moderator: str = "Dana Moss") -> int:
    res = moderation.select_for_moderation(
        ctx, ModerationSelection(moderator=moderator, audit_ids=[audit_id])
    )
    return res.moderations[0].id


def moderate(ctx: AppContext, mid: int, answers: dict[str, str], judgement: str) -> None:
    for qid, code in answers.items():
        moderation.record_moderation_answer(
            ctx, mid, AnswerIn(question_id=qid, answer=code, note=f"mod {qid}")
        )
    moderation.submit_moderation(ctx, mid, judgement)


# --- selection ------------------------------------------------------------------------------


def test_select_by_hand_and_refusals(mctx: AppContext) -> None:
    a = finalised(mctx, "CMS-1")
    b = finalised(mctx, "CMS-2")
    draft = audits.start_audit(
        mctx,
        NewAudit(
            framework_id="mini",
            case_reference="CMS-3",
            case_type="child_in_need",
            team=TEAM,
            auditor="Ceri Jones",
            audit_date=date(2026, 11, 2),
        ),
    )
    with pytest.raises(UserError, match="nobody moderates their own audit"):
        select_one(mctx, a, moderator="ceri jones")
    with pytest.raises(UserError, match="is a draft"):
        select_one(mctx, draft.id)
    with pytest.raises(UserError, match="no audit 999"):
        select_one(mctx, 999)
    # All or nothing: a good id listed with a bad one creates nothing.
    with pytest.raises(UserError, match="is a draft"):
        moderation.select_for_moderation(
            mctx, ModerationSelection(moderator="Dana Moss", audit_ids=[a, draft.id])
        )
    assert moderation.list_moderations(mctx) == []

    mid = select_one(mctx, a)
    listed = moderation.list_moderations(mctx)
    assert [(m.id, m.audit_id, m.moderator, m.status) for m in listed] == [
        (mid, a, "Dana Moss", "requested")
    ]
    with pytest.raises(UserError, match=f"already in moderation {mid}"):
        select_one(mctx, a, moderator="Eli Ford")
    assert moderation.list_moderations(mctx, moderator="eli ford") == []
    assert select_one(mctx, b, moderator="Eli Ford") != mid


def test_selection_needs_ids_or_share() -> None:
    with pytest.raises(ValidationError):
        ModerationSelection(moderator="Dana Moss")
    with pytest.raises(ValidationError):
        ModerationSelection(moderator="Dana Moss", audit_ids=[1], share=0.5)
    with pytest.raises(ValidationError):
        ModerationSelection(moderator="Dana Moss", share=1.5)
    with pytest.raises(ValidationError):
        ModerationSelection(moderator="   ", share=0.5)


def test_share_is_per_auditor_seeded_and_reproducible(mctx: AppContext) -> None:
    ceri = [finalised(mctx, f"CMS-C{i}") for i in range(4)]
    alun = [finalised(mctx, f"CMS-A{i}", auditor="Alun Price") for i in range(2)]
    own = finalised(mctx, "CMS-D1", auditor="Dana Moss")
    sel = ModerationSelection(moderator="Dana Moss", share=0.5, seed=7)

    first = moderation.select_for_moderation(mctx, sel)
    picked = sorted(m.audit_id for m in first.moderations)
    assert first.seed == 7
    # ceil(0.5 x 4) = 2 of Ceri's, ceil(0.5 x 2) = 1 of Alun's, never the moderator's own.
    assert len([i for i in picked if i in ceri]) == 2
    assert len([i for i in picked if i in alun]) == 1
    assert own not in picked

    # The same seed on the same audits picks the same ones again.
    for m in first.moderations:
        moderation.cancel_moderation(mctx, m.id, "testing reproducibility")
    again = moderation.select_for_moderation(mctx, sel)
    assert sorted(m.audit_id for m in again.moderations) == picked

    # Audits already in moderation are not picked twice; with none left it says so.
    rest = moderation.select_for_moderation(
        mctx, ModerationSelection(moderator="Dana Moss", share=1.0, seed=1)
    )
    assert sorted(m.audit_id for m in rest.moderations) == sorted(set(ceri + alun) - set(picked))
    with pytest.raises(UserError, match="no finalised audits"):
        moderation.select_for_moderation(mctx, sel)


def test_share_per_team_and_unseeded_reports_its_seed(mctx: AppContext) -> None:
    for i in range(3):
        finalised(mctx, f"CMS-T{i}")
    finalised(mctx, "CMS-X1", team="Disabled Children", auditor="Alun Price")
    with pytest.raises(UserError, match="no finalised audits"):
        moderation.select_for_moderation(
            mctx, ModerationSelection(moderator="Dana Moss", share=0.5, period="2025-26")
        )
    with pytest.raises(UserError, match="unknown framework"):
        moderation.select_for_moderation(
            mctx, ModerationSelection(moderator="Dana Moss", share=0.5, framework_id="nope")
        )
    res = moderation.select_for_moderation(
        mctx, ModerationSelection(moderator="Dana Moss", share=0.1, per="team")
    )
    # ceil(0.1 x 3) = 1 from Intake, ceil(0.1 x 1) = 1 from Disabled Children.
    assert sorted(m.team for m in res.moderations) == ["Disabled Children", TEAM]
    assert isinstance(res.seed, int)


# --- the blind stage ------------------------------------------------------------------------


def test_blind_until_submitted(mctx: AppContext) -> None:
    a = finalised(mctx, "CMS-1", judgement="good")
    mid = select_one(mctx, a)

    view = moderation.moderation_view(mctx, mid, "Dana Moss")
    assert view.original is None
    assert [q.question_id for q in view.questions] == ["M-01", "M-02", "M-03"]
    assert view.answers == {} and view.moderator_judgement is None
    dumped = view.model_dump_json()
    assert SECRET not in dumped and "83.3" not in dumped and "as seen" not in dumped
    # Nothing else on the moderation API gives the grading away either.
    assert SECRET not in str([m.model_dump() for m in moderation.list_moderations(mctx)])
    with pytest.raises(UserError, match="hidden until the moderator submits"):
        moderation.comparison(mctx, mid)
    with pytest.raises(UserError, match="hidden until the moderator submits"):
        moderation.agree(mctx, mid, AgreeIn(answers={}, judgement="good", comment="agreed"))
    with pytest.raises(UserError, match="assigned to Dana Moss"):
        moderation.moderation_view(mctx, mid, "Ceri Jones")

    moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-01", answer="yes"))
    moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-02", answer="no"))
    view = moderation.moderation_view(mctx, mid, "dana moss")
    # The moderator's own suggestion: yes, no -> 100 x 1 / 2 = 50% -> requires improvement.
    assert (view.answered, view.applicable, view.percent_met) == (2, 3, 50.0)
    assert view.suggested_judgement == "requires_improvement"
    assert view.original is None

    with pytest.raises(UserError, match="not answered: M-03"):
        moderation.submit_moderation(mctx, mid, "requires_improvement")
    moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-03", answer="partly"))
    with pytest.raises(UserError, match="give the moderator's judgement"):
        moderation.submit_moderation(mctx, mid)
    moderation.record_moderator_judgement(mctx, mid, "requires_improvement")
    summary = moderation.submit_moderation(mctx, mid)
    assert summary.status == "submitted"

    view = moderation.moderation_view(mctx, mid, "Dana Moss")
    assert view.original is not None
    assert view.original.answers == {"M-01": "yes", "M-02": "yes", "M-03": "partly"}
    assert view.original.notes == {"M-03": SECRET}
    assert view.original.judgement == "good"


def test_moderator_answers_are_validated_like_audit_answers(mctx: AppContext) -> None:
    mid = select_one(mctx, finalised(mctx, "CMS-1"))
    with pytest.raises(UserError, match="'maybe' is not an answer to M-01"):
        moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-01", answer="maybe"))
    with pytest.raises(UserError, match="not applicable is not allowed"):
        moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-01", answer="na"))
    with pytest.raises(UserError, match="does not apply"):
        moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-04", answer="yes"))
    with pytest.raises(UserError, match="not in framework mini"):
        moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="Q-9", answer="yes"))
    with pytest.raises(UserError, match="judgement 'great'"):
        moderation.record_moderator_judgement(mctx, mid, "great")
    # Changing a blind answer keeps one row per question.
    moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-02", answer="no"))
    moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-02", answer="na"))
    view = moderation.moderation_view(mctx, mid, "Dana Moss")
    assert {k: a.answer for k, a in view.answers.items()} == {"M-02": "na"}

    moderate(mctx, mid, {"M-01": "yes", "M-02": "yes", "M-03": "yes"}, "good")
    with pytest.raises(UserError, match="already submitted"):
        moderation.record_moderation_answer(mctx, mid, AnswerIn(question_id="M-01", answer="no"))


# --- comparison and agreement ---------------------------------------------------------------


def test_comparison_agreement_and_profiles_count_the_agreed_version(mctx: AppContext) -> None:
    a = finalised(mctx, "CMS-1", judgement="good")
    mid = select_one(mctx, a)
    moderate(mctx, mid, {"M-01": "yes", "M-02": "no", "M-03": "partly"}, "requires_improvement")

    cmp = moderation.comparison(mctx, mid)
    assert [(q.question_id, q.original, q.moderator, q.differ) for q in cmp.questions] == [
        ("M-01", "yes", "yes", False),
        ("M-02", "yes", "no", True),
        ("M-03", "partly", "partly", False),
    ]
    assert cmp.differences == 1
    assert (cmp.original_judgement, cmp.moderator_judgement) == ("good", "requires_improvement")
    assert cmp.judgements_differ
    # auditor 2.5/3 = 83.3%; moderator yes, no, partly = 1.5/3 = 50%
    assert cmp.original_percent_met == pytest.approx(250 / 3)
    assert cmp.moderator_percent_met == pytest.approx(50.0)

    with pytest.raises(UserError, match="agree an answer for M-02"):
        moderation.agree(
            mctx, mid, AgreeIn(answers={}, judgement="requires_improvement", comment="discussed")
        )
    with pytest.raises(UserError, match="give a comment"):
        moderation.agree(
            mctx,
            mid,
            AgreeIn(answers={"M-02": "partly"}, judgement="requires_improvement", comment="  "),
        )
    with pytest.raises(UserError, match="'sometimes' is not an answer"):
        moderation.agree(
            mctx,
            mid,
            AgreeIn(
                answers={"M-02": "sometimes"}, judgement="requires_improvement", comment="discussed"
            ),
        )
    with pytest.raises(UserError, match="judgement 'meh'"):
        moderation.agree(
            mctx, mid, AgreeIn(answers={"M-02": "partly"}, judgement="meh", comment="discussed")
        )
    # Refusals wrote nothing.
    with mctx.db.read() as s:
        assert s.execute(select(func.count()).where(Answer.kind == "agreed")).scalar() == 0

    before = audits.get_audit(mctx, a)
    result = moderation.agree(
        mctx,
        mid,
        AgreeIn(
            answers={"M-02": "partly"},
            judgement="requires_improvement",
            comment="risk analysis partly explicit",
        ),
    )
    assert result.status == "agreed"
    assert [q.agreed for q in result.questions] == ["yes", "partly", "partly"]
    assert result.agreed_judgement == "requires_improvement"
    with pytest.raises(UserError, match="already agreed"):
        moderation.agree(
            mctx, mid, AgreeIn(answers={"M-02": "no"}, judgement="inadequate", comment="again")
        )

    after = audits.get_audit(mctx, a)
    # The original is kept: percent and judgement unchanged, the changed answer beside the
    # agreed one; what counts is the agreed version, scored against the audit's own version.
    assert {k: v.answer for k, v in after.answers.items()} == {
        "M-01": "yes",
        "M-02": "partly",
        "M-03": "partly",
    }
    assert {k: v.answer for k, v in after.original_answers.items()} == {"M-02": "yes"}
    assert before.answers["M-02"].answer == "yes"
    assert (after.percent_met, after.judgement) == (before.percent_met, "good")
    assert after.moderated_judgement == "requires_improvement"
    assert after.counted is not None
    assert after.counted.judgement == "requires_improvement"
    assert after.counted.percent_met == pytest.approx(200 / 3)
    assert after.counted.suggested_judgement == "requires_improvement"  # 66.7%: 50 to 75

    with mctx.db.read() as s:
        rows = s.execute(
            select(Answer.question_id, Answer.kind, Answer.counted, Answer.answer)
            .where(Answer.audit_id == a)
            .order_by(Answer.question_id, Answer.kind)
        ).all()
        assert [tuple(r) for r in rows] == [
            ("M-01", "agreed", True, "yes"),
            ("M-01", "original", False, "yes"),
            ("M-02", "agreed", True, "partly"),
            ("M-02", "original", False, "yes"),
            ("M-03", "agreed", True, "partly"),
            ("M-03", "original", False, "partly"),
        ]
        # What a profile computes: counted answers and the moderated judgement first.
        # agreed yes, partly, partly -> 100 x (1 + 0.5 + 0.5) / 3 = 66.7%
        num, den = s.execute(
            select(func.sum(Answer.weight * Answer.points), func.sum(Answer.weight)).where(
                Answer.audit_id == a, Answer.counted.is_(True), Answer.points.is_not(None)
            )
        ).one()
        assert 100 * num / den == pytest.approx(200 / 3)
        grade = s.execute(
            select(func.coalesce(Audit.moderated_judgement, Audit.judgement)).where(Audit.id == a)
        ).scalar()
        assert grade == "requires_improvement"
        # The agreed note comes from the side the agreed answer came from.
        notes = dict(
            s.execute(
                select(Answer.question_id, Answer.note).where(
                    Answer.audit_id == a, Answer.kind == "agreed"
                )
            ).all()
        )
        assert notes == {"M-01": None, "M-02": None, "M-03": SECRET}
        logged = s.execute(
            select(Event.action, Event.field, Event.old_value, Event.new_value)
            .where(Event.audit_id == a, Event.action == "moderate_agree")
            .order_by(Event.id)
        ).all()
        assert [tuple(e) for e in logged] == [
            ("moderate_agree", "M-01", "yes", "yes"),
            ("moderate_agree", "M-02", "yes", "partly"),
            ("moderate_agree", "M-03", "partly", "partly"),
            ("moderate_agree", "moderated_judgement", None, "requires_improvement"),
        ]


def test_profiles_service_counts_agreed_answers(mctx: AppContext) -> None:
    profiles = pytest.importorskip("audit_tui.services.profiles")
    a = finalised(mctx, "CMS-1", judgement="good")
    period = parse_period("2026-27")
    before = profiles.profile(mctx, "mini", period).authority
    assert before.percent_met.percent == pytest.approx(250 / 3)
    mid = select_one(mctx, a)
    moderate(mctx, mid, {"M-01": "yes", "M-02": "no", "M-03": "partly"}, "requires_improvement")
    moderation.agree(
        mctx,
        mid,
        AgreeIn(
            answers={"M-02": "no"}, judgement="requires_improvement", comment="agreed after talk"
        ),
    )
    # agreed yes, no, partly -> 100 x 1.5 / 3 = 50%
    after = profiles.profile(mctx, "mini", period).authority
    assert after.percent_met.percent == pytest.approx(50.0)
    counts = {g.code: g.n for g in after.judgements}
    assert counts["requires_improvement"] == 1 and counts["good"] == 0


def test_cancel_and_moderation_rows(mctx: AppContext) -> None:
    a = finalised(mctx, "CMS-1")
    b = finalised(mctx, "CMS-2", auditor="Alun Price")
    ma = select_one(mctx, a)
    mb = select_one(mctx, b)
    moderate(mctx, ma, {"M-01": "yes", "M-02": "no", "M-03": "no"}, "inadequate")

    rows = {r.moderation_id: r for r in moderation_rows_for(mctx)}
    # Submitted: M-01 agrees, M-02 and M-03 differ -> 1 of 3 = 33.3%.
    assert (rows[ma].questions_compared, rows[ma].questions_agreeing) == (3, 1)
    assert rows[ma].answer_agreement_percent == pytest.approx(100 / 3)
    assert (rows[ma].original_judgement, rows[ma].moderator_judgement) == ("good", "inadequate")
    # Still blind: nothing of the grading shows.
    assert rows[mb].original_judgement is None and rows[mb].answer_agreement_percent is None
    assert moderation.moderation_rows(mctx, "mini", "2025-26") == []

    with pytest.raises(UserError, match="give a reason"):
        moderation.cancel_moderation(mctx, mb, " ")
    moderation.cancel_moderation(mctx, mb, "picked by mistake")
    with mctx.db.read() as s:
        assert s.execute(select(Moderation.id)).scalars().all() == [ma]
        assert s.execute(select(Event.id).where(Event.action == "cancel")).scalar() is not None
    moderation.agree(
        mctx,
        ma,
        AgreeIn(
            answers={"M-02": "no", "M-03": "partly"}, judgement="requires_improvement", comment="ok"
        ),
    )
    with pytest.raises(UserError, match="is agreed"):
        moderation.cancel_moderation(mctx, ma, "too late")


def moderation_rows_for(ctx: AppContext) -> list[moderation.ModerationRow]:
    return moderation.moderation_rows(ctx, "mini", "2026-27")


def test_amend_is_refused_once_the_agreed_version_counts(mctx: AppContext) -> None:
    from audit_tui.services.schemas import Amend

    a = finalised(mctx, "CMS-9", judgement="good")
    audits.amend(mctx, a, Amend(reason="typo on the file", question_id="M-03", answer="yes"))
    mid = select_one(mctx, a)
    moderate(mctx, mid, {"M-01": "yes", "M-02": "yes", "M-03": "yes"}, "outstanding")
    moderation.agree(mctx, mid, AgreeIn(answers={}, judgement="outstanding", comment="agreed"))
    with pytest.raises(UserError, match="has been moderated"):
        audits.amend(mctx, a, Amend(reason="second thoughts", question_id="M-03", answer="no"))
    with mctx.db.read() as s:
        original = s.execute(
            select(Answer.answer).where(
                Answer.audit_id == a, Answer.question_id == "M-03", Answer.kind == "original"
            )
        ).scalar_one()
    assert original == "yes"
