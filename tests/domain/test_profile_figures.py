"""A profile's arithmetic without a database (domain.profile_figures): teams add up to the
authority, changes are clear only when the interval of the difference leaves out zero, and
the weakest and strongest questions are ranked on enough answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import load_framework_file
from audit_tui.domain.periods import financial_year
from audit_tui.domain.profile_figures import (
    COMPARED,
    ProfileScope,
    ProfileTables,
    Sums,
    change,
    percent_met_figure,
    rate,
)
from audit_tui.domain.profile_model import QuestionInfo, SectionInfo

MINI: Framework = load_framework_file(
    Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"
)
PERIODS = financial_year(2026).last(2)  # 2025-26, 2026-27


def question(qid: str, section: str) -> QuestionInfo:
    return QuestionInfo(
        id=qid,
        section_id=section,
        text=qid,
        critical=False,
        good="",
        citation="",
        in_framework=True,
    )


def tables(
    *,
    min_answers: int = 1,
    questions: dict[tuple[int, str], Sums] | None = None,
    sections: dict[tuple[int, int, str], Sums] | None = None,
    overall: dict[tuple[int, int], Sums] | None = None,
    judged: dict[tuple[int, int], dict[str, int]] | None = None,
) -> ProfileTables:
    scope = ProfileScope(
        fw=MINI,
        periods=PERIODS,
        trend=2,
        compared_label="2025-26",
        today=date(2026, 11, 20),
        threshold=5,
        min_answers=min_answers,
    )
    return ProfileTables(
        scope,
        [question("M-01", "assessment"), question("M-03", "plans")],
        [SectionInfo(id="assessment", title="Assessment"), SectionInfo(id="plans", title="Plans")],
        question_sums=questions or {},
        section_sums=sections or {},
        overall_sums=overall or {},
        judged=judged or {},
    )


def test_teams_add_up_to_the_authority() -> None:
    t = tables(
        overall={(1, 1): Sums(4, 4, 4.0, 3.0), (2, 1): Sums(2, 2, 2.0, 0.0)},
        judged={(1, 1): {"good": 3}, (2, 1): {"good": 1, "inadequate": 2}},
    )
    authority = t.group(None, "Whole authority", weakest=[], strongest=[])
    team_two = t.group(2, "Two", weakest=[], strongest=[])
    assert authority.percent_met.percent == pytest.approx(50.0)  # 3 of 6 points
    assert (authority.audits, team_two.audits) == (6, 3)
    assert authority.good_or_better.percent == pytest.approx(400 / 6)
    assert team_two.too_few and team_two.percent_met.percent == 0.0


def test_no_answers_is_no_data_not_zero() -> None:
    figure = percent_met_figure(MINI, Sums())
    assert (figure.percent, figure.band, figure.band_label) == (None, None, "no data")
    assert rate(0, 0).percent is None


def test_a_change_is_clear_only_when_its_interval_leaves_out_zero() -> None:
    big = change("2025-26", rate(90, 100), rate(40, 100), (100, 100), 5)
    small = change("2025-26", rate(6, 10), rate(5, 10), (10, 10), 5)
    assert big.clear is True and big.points == pytest.approx(50.0)
    assert small.clear is False and small.low is not None and small.low < 0 < (small.high or 0)
    assert change("2025-26", rate(1, 2), rate(0, 0), (2, 0), 5).clear is None
    assert change("x", rate(3, 4), rate(1, 4), (4, 3), 4).too_few


def test_weakest_and_strongest_rank_only_questions_with_enough_answers() -> None:
    t = tables(
        min_answers=3,
        questions={(1, "M-01"): Sums(4, 4, 4.0, 1.0), (1, "M-03"): Sums(3, 3, 3.0, 3.0)},
    )
    assert [f.question_id for f in t.ranked(1, 5, weakest=True)] == ["M-01", "M-03"]
    assert [f.question_id for f in t.ranked(1, 5, weakest=False)] == ["M-03", "M-01"]
    assert [f.question_id for f in t.ranked(1, 1, weakest=True)] == ["M-01"]
    few = tables(min_answers=4, questions={(1, "M-03"): Sums(3, 3, 3.0, 3.0)})
    assert few.ranked(None, 5, weakest=True) == []


def test_the_compared_period_feeds_every_change() -> None:
    t = tables(
        sections={
            (1, 1, "plans"): Sums(50, 50, 50.0, 45.0),
            (1, COMPARED, "plans"): Sums(50, 50, 50.0, 10.0),
        },
        judged={(1, 1): {"good": 50}, (1, COMPARED): {"good": 50}},
    )
    plans = t.group(1, "One", weakest=[], strongest=[]).sections[1]
    assert plans.percent_met.percent == pytest.approx(90.0)
    assert plans.change.previous == pytest.approx(20.0)
