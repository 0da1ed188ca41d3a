"""services.home.home_summary: the quarter's headline figures, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from audit_tui.domain.scoring import ScoredAnswer, percent_met
from audit_tui.services import audits, directory
from audit_tui.services.context import AppContext
from audit_tui.services.home import home_summary
from audit_tui.services.schemas import AnswerIn, Finalise
from tests.ui.helpers import FRAMEWORK, start

CASE_TYPE = "child_in_need"


def _finalise_with(ctx: AppContext, ref: str, when: date, no_every: int) -> list[ScoredAnswer]:
    """Answer every question (a "No" every `no_every`, N/A where allowed every 7th), finalise
    with the suggested judgement; return what scoring should see."""
    fw = ctx.frameworks.get(FRAMEWORK)
    detail = start(ctx, ref, CASE_TYPE, "Team A", when)
    scored = []
    for i, q in enumerate(fw.applicable_questions(CASE_TYPE)):
        code = "no" if i % no_every == 0 else "na" if i % 7 == 3 and q.na_allowed else "yes"
        audits.record_answer(
            ctx, detail.id, AnswerIn(question_id=q.id, answer=code, na_reason="none held")
        )
        points = fw.option(q, code).points  # type: ignore[union-attr]
        scored.append(ScoredAnswer(points=points, weight=q.weight))
    rv = audits.review(ctx, detail.id)
    audits.finalise(ctx, detail.id, Finalise(judgement=rv.suggested_judgement or "good"))
    return scored


def test_empty_database_is_empty_with_no_figures(ctx: AppContext) -> None:
    summary = home_summary(ctx)
    assert summary.empty
    assert summary.period_label == "2026-27 Q3"  # today is fixed at 2026-11-20
    assert (summary.period_start, summary.period_end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert summary.frameworks == []
    assert summary.drafts_n == 0


def test_quarter_figures_count_finalised_audits_in_the_quarter_only(ctx: AppContext) -> None:
    directory.add_team(ctx, "Team A")
    in_quarter = _finalise_with(ctx, "A-1", date(2026, 10, 1), no_every=4)
    in_quarter += _finalise_with(ctx, "A-2", date(2026, 11, 20), no_every=9)
    _finalise_with(ctx, "OLD-1", date(2026, 9, 30), no_every=2)  # last quarter: not counted
    start(ctx, "D-1", CASE_TYPE, "Team A", date(2026, 11, 19))  # a draft: not counted

    summary = home_summary(ctx)
    assert not summary.empty
    assert summary.drafts_n == 1
    assert summary.finalised_total == 3
    [figures] = summary.frameworks
    assert figures.framework_id == FRAMEWORK
    assert figures.audits_n == 2
    assert figures.scored_n == sum(1 for a in in_quarter if a.points is not None)
    assert figures.scored_n < len(in_quarter)  # N/A answers are left out of n
    assert abs(figures.percent_met - percent_met(in_quarter)) < 1e-9  # type: ignore[operator]
    expected = sorted(
        a.suggested_judgement or ""
        for a in audits.list_finalised(ctx)
        if a.audit_date >= date(2026, 10, 1)
    )
    assert sorted(j.code for j in figures.judgements for _ in range(j.n)) == expected
    fw = ctx.frameworks.get(FRAMEWORK)
    codes = [j.code for j in figures.judgements]
    assert codes == sorted(codes, key=fw.judgements.rank)  # best grade first
    assert all(j.label == fw.judgements.label(j.code) for j in figures.judgements)
