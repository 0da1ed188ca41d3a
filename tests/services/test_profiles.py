"""The profile service against a plain computation over the rows the test inserted.

Runs on SQLite and PostgreSQL (the `ctx` fixture). The data is randomised (tests/export/
fake_audits.py): drafts that must not count, N/A answers, a section always N/A, weight-2
questions, moderated audits whose original answers no longer count, and a team with no
audits in the period.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert

from audit_tui.domain.errors import UserError
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.periods import parse_period
from audit_tui.domain.stats import difference_interval, wilson_interval
from audit_tui.services import audits, profile_rows, profiles
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.profile_schemas import AUTHORITY, GroupProfile, PercentMet, Profile
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit
from audit_tui.store.models import Answer
from tests.export.fake_audits import (
    FakeAudit,
    FakeData,
    expected_interval,
    expected_percent,
    seed_audits,
)

START, END = date(2025, 4, 1), date(2026, 11, 20)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


# The fake audits of the shared `seeded` database (tests/conftest.py), read by `sctx`, `data`.
SEEDED = {"seed": 7, "audits": 70, "start": START, "end": END}


def approx(x: float | None) -> object:
    return None if x is None else pytest.approx(x, rel=1e-9, abs=1e-9)


def check_percent(fig: PercentMet, audits_: list[FakeAudit], **where: str) -> None:
    pct, n = expected_percent(audits_, **where)
    assert fig.n == n, where
    assert fig.percent == approx(pct), where
    if pct is None:
        assert fig.band is None and fig.band_label == "no data"
        assert fig.low is None and fig.high is None
    else:
        assert fig.low is not None and fig.high is not None
        assert fig.low <= fig.percent <= fig.high
        # The interval allows for answers clustered within audits: the same as one worked
        # from each audit's own sums.
        low, high = expected_interval(audits_, **where)  # type: ignore[misc]
        assert (fig.low, fig.high) == (approx(low), approx(high)), where


def check_group(p: Profile, g: GroupProfile, audits_: list[FakeAudit]) -> None:
    assert g.audits == len(audits_)
    assert g.too_few == (len(audits_) < p.small_sample)
    counts = Counter(a.counted_judgement for a in audits_)
    codes = [grade.code for grade in p.grades]
    assert {j.code: j.n for j in g.judgements} == {c: counts.get(c, 0) for c in codes}
    good = sum(counts[c] for c in p.good_or_better_codes)
    if audits_:
        assert g.good_or_better.percent == approx(100 * good / len(audits_))
        assert g.good_or_better.n == len(audits_)
    else:
        assert g.good_or_better.percent is None
    check_percent(g.percent_met, audits_)
    for sec in g.sections:
        check_percent(sec.percent_met, audits_, section=sec.section_id)
    for q in g.questions:
        check_percent(q.percent_met, audits_, question=q.question_id)


def test_profile_equals_plain_computation(sctx: AppContext, data: FakeData) -> None:
    period = parse_period("2026-27")
    p = profiles.profile(sctx, "case-file", period, trend=2)
    in_period = data.finalised(period.start, period.end)
    assert len(in_period) < len([a for a in data.audits if period.contains(a.audit_date)])
    check_group(p, p.authority, in_period)
    assert p.authority.name == AUTHORITY and p.authority.is_authority
    assert [t.name for t in p.teams] == sorted(data.teams)
    for team in p.teams:
        check_group(p, team, data.finalised(period.start, period.end, team.name))

    # The section answered N/A throughout is "no data", never 0%.
    assert p.authority.section(data.empty_section).percent_met.percent is None
    # The team with no audits in the period is there, with n = 0 and no data.
    empty = p.team("West (no audits)")
    assert empty.audits == 0 and empty.too_few
    assert empty.percent_met.percent is None and empty.percent_met.n == 0
    assert all(s.percent_met.percent is None for s in empty.sections)
    assert empty.weakest == [] and empty.strongest == []


def test_moderated_answers_replace_originals(sctx: AppContext, data: FakeData) -> None:
    period = parse_period("2025-04-01..2026-11-20")
    p = profiles.profile(sctx, "case-file", period, trend=1)
    everything = data.finalised(START, END)
    assert any(not a.counted for x in everything for a in x.answers), "data has moderations"
    check_group(p, p.authority, everything)
    # Counting the originals instead would give a different figure on this data.
    originals = [
        dataclasses.replace(
            x, answers=[dataclasses.replace(a, counted=a.kind == "original") for a in x.answers]
        )
        for x in everything
    ]
    assert expected_percent(originals)[0] != approx(p.authority.percent_met.percent)


def test_change_and_trend_over_quarters(sctx: AppContext, data: FakeData) -> None:
    period = parse_period("2026-27 Q2")
    p = profiles.profile(sctx, "case-file", period, trend=4)
    labels = ["2025-26 Q3", "2025-26 Q4", "2026-27 Q1", "2026-27 Q2"]
    assert [t.label for t in p.trend_periods] == labels
    assert p.previous_period.label == "2026-27 Q1"
    for g in p.groups:
        team = None if g.is_authority else g.name
        assert [t.period.label for t in g.trend] == labels
        for point in g.trend:
            scope = data.finalised(point.period.start, point.period.end, team)
            assert point.audits == len(scope)
            assert point.too_few == (len(scope) < p.small_sample)
            check_percent(point.percent_met, scope)
        now, before = g.trend[-1], g.trend[-2]
        assert g.change.audits_current == now.audits and g.change.audits_previous == before.audits
        assert g.change.n_current == now.percent_met.n
        assert g.change.n_previous == before.percent_met.n
        assert g.change.too_few == (min(now.audits, before.audits) < p.small_sample)
        if now.percent_met.percent is None or before.percent_met.percent is None:
            assert g.change.points is None
        else:
            assert g.change.points == approx(now.percent_met.percent - before.percent_met.percent)
        for sec in g.sections:
            prev_scope = data.finalised(before.period.start, before.period.end, team)
            prev_pct, prev_n = expected_percent(prev_scope, section=sec.section_id)
            assert sec.change.previous == approx(prev_pct)
            assert sec.change.n_previous == prev_n


def test_small_sample_flag_follows_threshold(sctx: AppContext, data: FakeData) -> None:
    period = parse_period("2026-27")
    sizes = {t: len(data.finalised(period.start, period.end, t)) for t in data.teams}
    limit = sorted(sizes.values())[-1]  # the largest team is exactly at the limit
    p = profiles.profile(sctx, "case-file", period, small_sample=limit, trend=1)
    assert p.small_sample == limit
    for team in p.teams:
        assert team.too_few == (sizes[team.name] < limit)
    assert not p.authority.too_few


def test_intervals_allow_for_clustering_and_changes_say_if_they_are_clear(
    ctx: AppContext,
) -> None:
    add_team(ctx, "Solo")
    seed_audits(
        ctx,
        seed=3,
        audits=24,
        start=date(2026, 4, 1),
        end=date(2026, 9, 30),
        teams=("Solo",),
        empty_team=None,
    )
    p = profiles.profile(ctx, "case-file", parse_period("2026-27 Q2"), trend=2)
    assert "clustered within audits" in p.interval_method
    pm = p.authority.percent_met
    wilson = wilson_interval(pm.percent / 100 * pm.weight, pm.weight)  # type: ignore[operator]
    assert wilson is not None and pm.low is not None and pm.high is not None
    # Never narrower than treating every answer as independent.
    assert pm.low <= 100 * wilson[0] and pm.high >= 100 * wilson[1]
    # Good or better counts audits, which are independent: the plain Wilson interval.
    gob = p.authority.good_or_better
    n_good = round(gob.percent * gob.n / 100)  # type: ignore[operator]
    low, high = wilson_interval(n_good, gob.n)  # type: ignore[misc]
    assert (gob.low, gob.high) == (approx(100 * low), approx(100 * high))
    # The change: Newcombe's interval from the two periods' intervals; clear when it leaves
    # out 0.
    ch, now, before = p.authority.change, p.authority.trend[-1], p.authority.trend[-2]
    assert ch.previous_period == "2026-27 Q1"
    d_low, d_high = difference_interval(
        now.percent_met.percent,  # type: ignore[arg-type]
        (now.percent_met.low, now.percent_met.high),  # type: ignore[arg-type]
        before.percent_met.percent,  # type: ignore[arg-type]
        (before.percent_met.low, before.percent_met.high),  # type: ignore[arg-type]
    )
    assert (ch.low, ch.high) == (approx(d_low), approx(d_high))
    assert ch.clear == (d_low > 0 or d_high < 0)
    assert ch.low < ch.points < ch.high  # type: ignore[operator]


def test_a_year_in_progress_is_compared_with_the_same_months_a_year_before(
    sctx: AppContext, data: FakeData
) -> None:
    # Today is 20 November 2026 (tests/conftest.py): 2026-27 is 8 months in.
    p = profiles.profile(sctx, "case-file", parse_period("2026-27"), trend=2)
    assert p.period.to_date and p.period.months == 8
    assert p.period.caption == "2026-27 to date (8 months)"
    before = p.previous_period
    assert (before.label, before.start, before.end) == (
        "2025-26",
        date(2025, 4, 1),
        date(2025, 11, 20),
    )
    assert before.caption == "2025-26, first 8 months (to 20 November 2025)"
    assert not before.to_date and before.months == 8
    # The trend still shows the whole of 2025-26; the change compares like with like.
    assert p.trend_periods[0].end == date(2026, 3, 31) and p.trend_periods[0].months is None
    assert p.trend_periods[-1].caption == "2026-27 to date (8 months)"
    for g in p.groups:
        team = None if g.is_authority else g.name
        same_months = data.finalised(date(2025, 4, 1), date(2025, 11, 20), team)
        whole_year = data.finalised(date(2025, 4, 1), date(2026, 3, 31), team)
        prev_pct, prev_n = expected_percent(same_months)
        assert g.change.previous_period == before.caption
        assert g.change.previous == approx(prev_pct) and g.change.n_previous == prev_n
        assert g.change.audits_previous == len(same_months)
        assert g.trend[0].audits == len(whole_year)
        check_percent(g.trend[0].percent_met, whole_year)
        for sec in g.sections:
            pct, n = expected_percent(same_months, section=sec.section_id)
            assert sec.change.previous == approx(pct) and sec.change.n_previous == n
        good = sum(a.counted_judgement in p.good_or_better_codes for a in same_months)
        gob_prev = 100 * good / len(same_months) if same_months else None
        assert g.good_or_better_change.previous == approx(gob_prev)
    # A finished year is compared with the whole year before.
    done = profiles.profile(sctx, "case-file", parse_period("2025-26"), trend=1)
    assert not done.period.to_date and done.previous_period.caption == "2024-25"


def test_weakest_questions_carry_the_notes_behind_them(sctx: AppContext, data: FakeData) -> None:
    period = parse_period("2026-27")
    p = profiles.profile(sctx, "case-file", period, weakest=4, min_answers=3, notes_per_question=3)
    scope = data.finalised(period.start, period.end)
    ranked = sorted(
        (pct, q.id)
        for q in p.questions
        for pct, n in [expected_percent(scope, question=q.id)]
        if pct is not None and n >= 3
    )
    weakest = p.authority.weakest
    assert len(weakest) == 4
    assert [f.percent_met.percent for f in weakest] == [approx(pct) for pct, _ in ranked[:4]]
    assert all(f.percent_met.n >= 3 for f in weakest)
    assert [s.percent_met.percent for s in p.authority.strongest] == [
        approx(pct) for pct, _ in sorted(ranked, key=lambda r: -r[0])[:4]
    ]
    for f in weakest:
        expected = sorted(
            (
                (a.audit_date, a.id, ans.note)
                for a in scope
                for ans in a.answers
                if ans.question_id == f.question_id
                and ans.counted
                and ans.points is not None
                and ans.points < 1
                and ans.note
            ),
            reverse=True,
        )[:3]
        assert [(n.audit_date, n.audit_id, n.note) for n in f.notes] == expected
        assert all(n.answer in ("no", "partly") for n in f.notes)
        assert f.good and f.citation
    for team in p.teams:
        team_scope = data.finalised(period.start, period.end, team.name)
        for f in team.weakest:
            assert f.percent_met.n >= 3
            assert all(n.team == team.name for n in f.notes)
            refs = {a.case_reference for a in team_scope}
            assert all(n.case_reference in refs for n in f.notes)


def test_drill_down_lists_the_audits_behind_a_cell(sctx: AppContext, data: FakeData) -> None:
    period = parse_period("2026-27")
    everything = profiles.audits_behind(sctx, "case-file", period)
    assert {a.id for a in everything} == {a.id for a in data.finalised(period.start, period.end)}
    assert all(a.status == "finalised" for a in everything)
    dates = [a.audit_date for a in everything]
    assert dates == sorted(dates, reverse=True)

    p = profiles.profile(sctx, "case-file", period, trend=1)
    team = p.teams[0]
    q = next(q for q in team.questions if q.percent_met.n > 0)
    behind = profiles.audits_behind(
        sctx, "case-file", period, team=team.name.upper(), question_id=q.question_id
    )
    assert sum(a.cell_scored for a in behind) == q.percent_met.n
    expected = {
        a.id: ans
        for a in data.finalised(period.start, period.end, team.name)
        for ans in a.answers
        if ans.question_id == q.question_id and ans.counted and ans.points is not None
    }
    assert {a.id: a.answer for a in behind} == {k: v.answer for k, v in expected.items()}
    assert all(a.team == team.name for a in behind)

    sec = next(s for s in team.sections if s.percent_met.n > 0)
    by_section = profiles.audits_behind(
        sctx, "case-file", period, team=team.name, section_id=sec.section_id
    )
    assert sum(a.cell_scored for a in by_section) == sec.percent_met.n
    assert profiles.audits_behind(sctx, "case-file", period, section_id=data.empty_section) == []


def test_bad_input_is_a_user_error(sctx: AppContext, data: FakeData) -> None:
    period = parse_period("2026-27")
    with pytest.raises(UserError, match="unknown team 'Nowhere'"):
        profiles.profile(sctx, "case-file", period, ["Nowhere"])
    with pytest.raises(UserError, match="unknown framework"):
        profiles.profile(sctx, "no-such", period)
    with pytest.raises(UserError, match="trend"):
        profiles.profile(sctx, "case-file", period, trend=0)
    with pytest.raises(UserError, match="question 'XX-1'"):
        profiles.audits_behind(sctx, "case-file", period, question_id="XX-1")
    with pytest.raises(UserError, match="unknown team"):
        profiles.audits_behind(sctx, "case-file", period, team="Nowhere")


def test_team_filter_keeps_the_authority_whole(sctx: AppContext, data: FakeData) -> None:
    period = parse_period("2026-27")
    whole = profiles.profile(sctx, "case-file", period, trend=1)
    p = profiles.profile(sctx, "case-file", period, ["north", "North", "South"], trend=1)
    assert p.teams_selected == ["North", "South"]
    assert [t.name for t in p.teams] == ["North", "South"]
    assert p.authority.percent_met == whole.authority.percent_met
    assert p.team("North").percent_met == whole.team("North").percent_met
    assert p.scope_audits == whole.team("North").audits + whole.team("South").audits


def test_profile_of_audits_made_through_the_services(
    ctx: AppContext, registry: FrameworkRegistry
) -> None:
    """The real write path: start, answer, finalise. mini: M-04 weighs 2, N/A excluded."""
    mini = FrameworkRegistry.from_dirs([FIXTURES]).get("mini")
    c = dataclasses.replace(
        ctx, frameworks=FrameworkRegistry({fw.id: fw for fw in [*registry.all(), mini]})
    )
    add_team(c, "Intake")
    answers = [
        {"M-01": "yes", "M-02": "no", "M-03": "partly", "M-04": "yes"},  # 3.5 of 5
        {"M-01": "no", "M-02": "partly", "M-03": "na", "M-04": "no"},  # 0.5 of 4
    ]
    for i, given in enumerate(answers):
        audit = audits.start_audit(
            c,
            NewAudit(
                framework_id="mini",
                case_reference=f"CMS-{i}",
                case_type="child_protection",
                team="Intake",
                auditor="Ceri Jones",
                audit_date=date(2026, 5, 1 + i),
            ),
        )
        for qid, code in given.items():
            audits.record_answer(c, audit.id, AnswerIn(question_id=qid, answer=code, note="x"))
        rv = audits.review(c, audit.id)
        audits.finalise(
            c, audit.id, Finalise(judgement=rv.suggested_judgement or "good", judgement_reason="r")
        )
    draft = audits.start_audit(
        c,
        NewAudit(
            framework_id="mini",
            case_reference="CMS-draft",
            case_type="child_protection",
            team="Intake",
            auditor="Ceri Jones",
            audit_date=date(2026, 5, 9),
        ),
    )
    audits.record_answer(c, draft.id, AnswerIn(question_id="M-01", answer="yes"))

    p = profiles.profile(c, "mini", parse_period("2026-27 Q1"), trend=1)
    team = p.team("Intake")
    assert team.audits == 2 and team.too_few
    assert team.percent_met.percent == pytest.approx(100 * 4 / 9)
    assert team.percent_met.n == 7 and team.percent_met.answered == 8
    assert team.section("plans").percent_met.percent == pytest.approx(100 * 2.5 / 5)
    assert team.question("M-03").percent_met.n == 1
    weakest = team.weakest[0] if team.weakest else None
    assert weakest is None  # min_answers defaults to the small-sample limit of 5
    p2 = profiles.profile(c, "mini", parse_period("2026-27 Q1"), trend=1, min_answers=1)
    worst = p2.authority.weakest[0]
    assert (worst.question_id, worst.percent_met.percent) == ("M-02", 25.0)
    assert [(n.case_reference, n.answer) for n in worst.notes] == [
        ("CMS-1", "partly"),
        ("CMS-0", "no"),
    ]


def test_resolve_period_defaults_to_current_financial_year(sctx: AppContext) -> None:
    assert profiles.resolve_period(sctx).label == "2026-27"  # FIXED_TODAY is 2026-11-20
    assert profiles.resolve_period(sctx, "2025-26 Q4").start == date(2026, 1, 1)
    options = [o.label for o in profiles.period_options(sctx, "case-file")]
    assert options[:4] == ["2026-27", "2026-27 Q3", "2026-27 Q2", "2026-27 Q1"]
    assert options[-1] == "2024-25 Q1"  # the first finalised audit is in 2024-25


def test_questions_from_an_older_framework_version_still_count(ctx: AppContext) -> None:
    data = seed_audits(
        ctx, seed=9, audits=8, start=date(2026, 4, 1), end=date(2026, 6, 30), empty_team=None
    )
    done = [a for a in data.audits if a.status == "finalised"]
    # An answer to a question a later version of the framework dropped.
    with ctx.db.write() as s:
        s.execute(
            insert(Answer).values(
                audit_id=done[0].id,
                question_id="CF-OLD-01",
                section_id="retired",
                answer="no",
                points=0.0,
                weight=1.0,
                counted=True,
                note="old question",
            )
        )
    p = profiles.profile(ctx, "case-file", parse_period("2026-27 Q1"), trend=1, min_answers=1)
    old = next(q for q in p.questions if q.id == "CF-OLD-01")
    assert not old.in_framework and old.section_id == "retired"
    assert p.sections[-1].id == "retired"
    assert p.authority.question("CF-OLD-01").percent_met.percent == 0.0
    assert p.authority.section("retired").percent_met.n == 1
    _, n = expected_percent(done)
    assert p.authority.percent_met.n == n + 1
    rows = list(profile_rows.answer_rows(ctx, "case-file", parse_period("2026-27 Q1")))
    # No version has it: its id, said plainly; its answer label falls back to the period's.
    assert [r[10] for r in rows if r[9] == "CF-OLD-01"] == ["CF-OLD-01 (wording not stored)"]
