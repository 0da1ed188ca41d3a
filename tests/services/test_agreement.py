"""Agreement statistics against hand-worked examples, on SQLite and PostgreSQL.

mini uses the Ofsted scale, ranked best first: outstanding 0, good 1, requires_improvement 2,
inadequate 3. Linear kappa weights are |i - j| / 3. Every first audit answers yes, yes, partly
(M-01..M-03, child_in_need).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.services import audits, moderation
from audit_tui.services.agreement import AGREEMENT_MIN_PAIRS, agreement_report
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit

INTAKE, DISABLED = "Intake", "Disabled Children"
ALL_AGREE = {"M-01": "yes", "M-02": "yes", "M-03": "partly"}
M02_DIFFERS = {"M-01": "yes", "M-02": "no", "M-03": "partly"}


@pytest.fixture
def gctx(ctx: AppContext, frameworks: FrameworkRegistry) -> Iterator[AppContext]:
    c = dataclasses.replace(ctx, frameworks=frameworks)
    add_team(c, INTAKE)
    add_team(c, DISABLED)
    yield c


_refs = iter(range(1, 10_000))


def pair(
    ctx: AppContext,
    auditor: str,
    team: str,
    mine: str,
    theirs: str,
    answers: dict[str, str] = ALL_AGREE,
    submit: bool = True,
) -> None:
    """A finalised audit graded `mine`, moderated blind by Dana Moss as `theirs`."""
    audit = audits.start_audit(
        ctx,
        NewAudit(
            framework_id="mini",
            case_reference=f"CMS-{next(_refs)}",
            case_type="child_in_need",
            team=team,
            auditor=auditor,
            audit_date=date(2026, 10, 1),
        ),
    )
    for qid, code in ALL_AGREE.items():
        audits.record_answer(ctx, audit.id, AnswerIn(question_id=qid, answer=code))
    audits.finalise(ctx, audit.id, Finalise(judgement=mine, judgement_reason="graded on file"))
    mid = (
        moderation.select_for_moderation(
            ctx, ModerationSelection(moderator="Dana Moss", audit_ids=[audit.id])
        )
        .moderations[0]
        .id
    )
    for qid, code in answers.items():
        moderation.record_moderation_answer(ctx, mid, AnswerIn(question_id=qid, answer=code))
    if submit:
        moderation.submit_moderation(ctx, mid, theirs)


def test_hand_worked_agreement(gctx: AppContext) -> None:
    # Ceri (Intake): (auditor, moderator) ranks (1,1) (0,1) (1,2) (0,2)
    pair(gctx, "Ceri Jones", INTAKE, "good", "good")
    pair(gctx, "Ceri Jones", INTAKE, "outstanding", "good")
    pair(gctx, "Ceri Jones", INTAKE, "good", "requires_improvement")
    pair(gctx, "Ceri Jones", INTAKE, "outstanding", "requires_improvement")
    # Alun (Disabled Children): (1,1) (2,2) (1,2); his moderator said No to M-02 each time.
    pair(gctx, "Alun Price", DISABLED, "good", "good", M02_DIFFERS)
    pair(gctx, "Alun Price", DISABLED, "requires_improvement", "requires_improvement", M02_DIFFERS)
    pair(gctx, "Alun Price", DISABLED, "good", "requires_improvement", M02_DIFFERS)
    # Still blind (not submitted): counts nowhere, however different.
    pair(gctx, "Ceri Jones", INTAKE, "good", "inadequate", {"M-01": "no", "M-02": "no"}, False)

    # The hand-worked figures below rest on a few pairs: ask for them with min_pairs=1 (by
    # default they are withheld, test_too_few_pairs_give_no_kappa_or_ac1).
    report = agreement_report(gctx, "mini", "2026-27", min_pairs=1)
    assert report.period == "2026-27"
    ceri = next(r for r in report.auditors if r.name == "Ceri Jones")
    alun = next(r for r in report.auditors if r.name == "Alun Price")

    # Ceri: exact 1/4 = 25%; |diff| 0,1,1,2 -> within one 3/4 = 75%;
    # mean (0 - 1 - 1 - 2) / 4 = -1.0; 3 of 4 pairs more generous -> flagged.
    # kappa: rows (auditor) [2,2,0,0], cols (moderator) [0,2,2,0];
    #   po = (0 + 1/3 + 1/3 + 2/3) / 4 = 1/3
    #   pe = (4 x 1/3 + 4 x 2/3 + 4 x 0 + 4 x 1/3) / 16 = (16/3) / 16 = 1/3
    #   kappa = 1 - (1/3) / (1/3) = 0
    assert ceri.n == 4
    assert ceri.exact_percent == pytest.approx(25.0)
    assert ceri.within_one_percent == pytest.approx(75.0)
    assert ceri.mean_difference == pytest.approx(-1.0)
    assert ceri.kappa == pytest.approx(0.0)
    # AC1, 4 grades: exact 1/4; the 8 ratings: outstanding 2, good 4, RI 2 -> pi 2/8, 4/8, 2/8;
    #   pe = (2/8 x 6/8 + 4/8 x 4/8 + 2/8 x 6/8) / 3 = (12 + 16 + 12) / 64 / 3 = 5/24
    #   AC1 = (1/4 - 5/24) / (1 - 5/24) = (1/24) / (19/24) = 1/19
    assert ceri.ac1 == pytest.approx(1 / 19)
    assert (ceri.more_generous, ceri.harsher, ceri.generous) == (3, 0, True)

    # Alun: exact 2/3; within one 3/3; mean (0 + 0 - 1) / 3 = -1/3, but only 1 of 3 pairs
    # more generous -> not flagged.
    # kappa: rows [0,2,1,0], cols [0,1,2,0];
    #   po = (1/3 x 1) / 3 = 1/9
    #   pe = (1/3 x 2 x 2 + 1/3 x 1 x 1) / 9 = (5/3) / 9 = 5/27
    #   kappa = 1 - (1/9) / (5/27) = 1 - 3/5 = 0.4
    assert alun.n == 3
    assert alun.exact_percent == pytest.approx(200 / 3)
    assert alun.within_one_percent == pytest.approx(100.0)
    assert alun.mean_difference == pytest.approx(-1 / 3)
    assert alun.kappa == pytest.approx(0.4)
    assert (alun.more_generous, alun.generous) == (1, False)

    # Everyone, 7 pairs: exact 3/7, within one 6/7.
    # kappa: rows [2,4,1,0], cols [0,3,4,0];
    #   po = (1/3 + 1/3 + 2/3 + 1/3) / 7 = (5/3) / 7 = 5/21
    #   pe = (2x3x1/3 + 2x4x2/3 + 4x4x1/3 + 1x3x1/3) / 49 = (2 + 16/3 + 16/3 + 1) / 49 = 41/147
    #   kappa = 1 - (5/21) / (41/147) = 1 - 35/41 = 6/41
    overall = report.overall
    assert overall.n == 7
    assert overall.exact_percent == pytest.approx(300 / 7)
    assert overall.within_one_percent == pytest.approx(600 / 7)
    assert overall.kappa == pytest.approx(6 / 41)

    # Teams: one auditor each here, so the same figures.
    teams = {t.name: t for t in report.teams}
    assert teams[INTAKE].kappa == pytest.approx(0.0) and teams[INTAKE].n == 4
    assert teams[DISABLED].kappa == pytest.approx(0.4) and teams[DISABLED].n == 3

    # Answers: Ceri's moderator matched all 4 x 3 = 12; Alun's matched 2 of 3 on each of 3
    # audits = 6/9. Per question, M-02 agreed on Ceri's 4 of 7, the others 7 of 7.
    assert (ceri.answers_n, ceri.answers_agree_percent) == (12, 100.0)
    assert alun.answers_n == 9 and alun.answers_agree_percent == pytest.approx(200 / 3)
    assert overall.answers_n == 21 and overall.answers_agree_percent == pytest.approx(1800 / 21)
    assert [(q.question_id, q.n, q.agree) for q in report.questions] == [
        ("M-01", 7, 7),
        ("M-02", 7, 4),
        ("M-03", 7, 7),
    ]
    assert report.questions[1].percent_agree == pytest.approx(400 / 7)
    assert report.questions[0].text == "Was the child seen alone?"

    # Another period has no pairs: no data, not zero.
    empty = agreement_report(gctx, "mini", "2025-26", min_pairs=1)
    assert empty.overall.n == 0 and empty.overall.kappa is None and empty.overall.ac1 is None
    assert empty.overall.exact_percent is None and empty.auditors == []


def test_all_grades_equal(gctx: AppContext) -> None:
    # Three pairs, all (good, good): kappa's formula is 0/0 (pe = 0: every weight on the
    # diagonal is 0), and the raters agreed on every case -> kappa 1; exact and within one 100%.
    for _ in range(3):
        pair(gctx, "Ceri Jones", INTAKE, "good", "good")
    report = agreement_report(gctx, min_pairs=1)
    ceri = report.auditors[0]
    assert (ceri.n, ceri.exact_percent, ceri.within_one_percent) == (3, 100.0, 100.0)
    assert ceri.kappa == pytest.approx(1.0)
    # AC1: pi_good = 1, so chance agreement is 0 and AC1 is the agreement seen, 1.
    assert ceri.ac1 == pytest.approx(1.0)
    assert ceri.mean_difference == 0 and not ceri.generous


def test_one_grade_each_but_different(gctx: AppContext) -> None:
    # Three pairs, all (outstanding, good): rows [3,0,0,0], cols [0,3,0,0];
    # po = 1/3, pe = 1/3 x 9 / 9 = 1/3 -> kappa 0; the auditor is consistently more generous.
    for _ in range(3):
        pair(gctx, "Ceri Jones", INTAKE, "outstanding", "good")
    ceri = agreement_report(gctx, "mini", min_pairs=1).auditors[0]
    assert ceri.kappa == pytest.approx(0.0)
    assert (ceri.exact_percent, ceri.within_one_percent) == (0.0, 100.0)
    assert ceri.mean_difference == -1 and ceri.generous


def test_too_few_pairs_give_no_kappa_or_ac1(gctx: AppContext) -> None:
    # One pair once showed a kappa of 1.00 for an auditor. Below the minimum neither statistic
    # is given (the counts and percentages still are, with n beside them).
    pair(gctx, "Ceri Jones", INTAKE, "good", "good")
    report = agreement_report(gctx, "mini")
    ceri = report.auditors[0]
    assert ceri.n == 1 and ceri.min_pairs == AGREEMENT_MIN_PAIRS == 10
    assert ceri.kappa is None and ceri.ac1 is None and ceri.too_few_pairs
    assert ceri.exact_percent == 100.0
    for _ in range(AGREEMENT_MIN_PAIRS - 1):
        pair(gctx, "Ceri Jones", INTAKE, "good", "good")
    ceri = agreement_report(gctx, "mini").auditors[0]
    assert ceri.n == AGREEMENT_MIN_PAIRS and not ceri.too_few_pairs
    assert ceri.kappa == pytest.approx(1.0) and ceri.ac1 == pytest.approx(1.0)
