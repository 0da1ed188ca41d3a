"""Scoring rules: percent met (N/A excluded, weighted), "no data", critical caps, thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import load_framework_file
from audit_tui.domain.scoring import (
    ScoredAnswer,
    critical_caps,
    format_percent,
    percent_met,
    scored_count,
    suggested_judgement,
)

# mini.yaml: ofsted scale; outstanding from 90, good from 75, requires_improvement from 50,
# inadequate from 0; a critical "No" caps at requires_improvement.
CAP = ["requires_improvement"]
MINI: Framework = load_framework_file(
    Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"
)

YES = ScoredAnswer(points=1)
PARTLY = ScoredAnswer(points=0.5)
NO = ScoredAnswer(points=0)
NA = ScoredAnswer(points=None)


def test_percent_met_is_yes_plus_half_partly_over_answered() -> None:
    # 100 x (2 + 0.5 x 1) / (2 + 1 + 1)
    assert percent_met([YES, YES, PARTLY, NO]) == pytest.approx(62.5)


def test_not_applicable_is_excluded_not_counted_as_zero() -> None:
    assert percent_met([YES, NA, NA, NO]) == pytest.approx(50.0)
    assert percent_met([YES, NA]) == pytest.approx(100.0)


def test_weights_count_in_numerator_and_denominator() -> None:
    # 100 x (2 x 1 + 1 x 0) / (2 + 1)
    assert percent_met([ScoredAnswer(1, weight=2), ScoredAnswer(0, weight=1)]) == pytest.approx(
        200 / 3
    )
    # A weighted N/A is still excluded: its weight does not enter the denominator.
    assert percent_met([ScoredAnswer(1), ScoredAnswer(None, weight=5)]) == pytest.approx(100.0)
    # Partly on a weight-3 question: 100 x (3 x 0.5 + 1) / 4
    assert percent_met([ScoredAnswer(0.5, weight=3), YES]) == pytest.approx(62.5)


@pytest.mark.parametrize("answers", [[], [NA], [NA, NA, NA]], ids=["none", "one-na", "all-na"])
def test_nothing_applicable_is_no_data(answers: list[ScoredAnswer]) -> None:
    assert percent_met(answers) is None
    assert format_percent(percent_met(answers)) == "no data"
    assert suggested_judgement(MINI, None) is None
    assert suggested_judgement(MINI, None, CAP) is None


def test_all_no_is_zero_not_no_data() -> None:
    assert percent_met([NO, NO, NA]) == 0.0
    assert format_percent(0.0) == "0%"
    assert suggested_judgement(MINI, 0.0, ()) == "inadequate"


def test_format_percent_rounds_to_whole_numbers() -> None:
    assert format_percent(62.4) == "62%"
    assert format_percent(200 / 3) == "67%"
    assert format_percent(100.0) == "100%"


def test_critical_failure_needs_a_critical_no() -> None:
    q = MINI.question("M-01")  # critical, compliance scale: "no" is its default trigger
    assert MINI.critical_triggers(q) == ["no"]
    assert MINI.critical_cap_of(q, "no") == "requires_improvement"
    for code in ("yes", "partly", "na", None):
        assert MINI.critical_cap_of(q, code) is None
    assert MINI.critical_cap_of(MINI.question("M-03"), "no") is None  # not critical
    assert critical_caps([YES, ScoredAnswer(0, cap="requires_improvement")]) == CAP
    assert critical_caps([NO, PARTLY, NA]) == []


def test_the_lowest_cap_wins_and_a_cap_never_raises() -> None:
    caps = ["requires_improvement", "inadequate"]
    assert suggested_judgement(MINI, 95.0, caps) == "inadequate"
    assert suggested_judgement(MINI, 95.0, ["good"]) == "good"
    assert suggested_judgement(MINI, 60.0, ["good"]) == "requires_improvement"


def test_weight_zero_is_recorded_but_not_scored() -> None:
    recorded = ScoredAnswer(0.0, weight=0)
    assert percent_met([YES, recorded]) == 100.0
    assert percent_met([recorded]) is None  # nothing scored: no data, never 0%
    assert scored_count([YES, recorded, NA]) == 1


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (100.0, "outstanding"),
        (90.0, "outstanding"),  # exactly at min_percent reaches the grade
        (89.999, "good"),
        (75.0, "good"),
        (74.999, "requires_improvement"),
        (50.0, "requires_improvement"),
        (49.999, "inadequate"),
        (0.0, "inadequate"),
    ],
)
def test_threshold_edges(percent: float, expected: str) -> None:
    assert suggested_judgement(MINI, percent, ()) == expected


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (100.0, "requires_improvement"),  # capped from outstanding
        (80.0, "requires_improvement"),  # capped from good
        (60.0, "requires_improvement"),  # already at the cap
        (20.0, "inadequate"),  # never raised to the cap
    ],
)
def test_critical_no_caps_but_never_raises(percent: float, expected: str) -> None:
    assert suggested_judgement(MINI, percent, CAP) == expected


def test_exact_threshold_percent_from_answers() -> None:
    # 3 Yes and 1 No is exactly 75%: good, not requires improvement.
    percent = percent_met([YES, YES, YES, NO])
    assert percent == 75.0
    assert suggested_judgement(MINI, percent, ()) == "good"


# --- properties ---------------------------------------------------------------------------

points = st.sampled_from([1.0, 0.5, 0.0, None])
weights = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]) | st.floats(0.1, 10, allow_nan=False)
answer = st.builds(
    ScoredAnswer, points=points, weight=weights, cap=st.sampled_from([None, "inadequate"])
)
answers = st.lists(answer, max_size=40)


@settings(max_examples=150, deadline=None)
@given(answers)
def test_percent_met_is_within_0_and_100_or_no_data(scored: list[ScoredAnswer]) -> None:
    percent = percent_met(scored)
    if all(a.points is None for a in scored):
        assert percent is None
    else:
        assert percent is not None
        assert 0.0 <= percent <= 100.0


@settings(max_examples=150, deadline=None)
@given(answers, st.lists(st.tuples(st.integers(0, 40), weights), max_size=10))
def test_adding_not_applicable_answers_changes_nothing(
    scored: list[ScoredAnswer], inserts: list[tuple[int, float]]
) -> None:
    before = percent_met(scored)
    more = list(scored)
    for position, weight in inserts:
        more.insert(position, ScoredAnswer(None, weight=weight))
    assert percent_met(more) == before
    assert critical_caps(more) == critical_caps(scored)


@settings(max_examples=150, deadline=None)
@given(answers, weights, st.integers(0, 40))
def test_adding_a_yes_never_lowers_percent_met(
    scored: list[ScoredAnswer], weight: float, position: int
) -> None:
    before = percent_met(scored)
    more = list(scored)
    more.insert(position, ScoredAnswer(1.0, weight=weight))
    after = percent_met(more)
    assert after is not None
    if before is None:
        assert after == 100.0
    else:
        assert after >= before - 1e-9


@settings(max_examples=150, deadline=None)
@given(st.floats(0, 100, allow_nan=False), st.booleans())
def test_suggestion_is_the_worse_of_threshold_grade_and_cap(percent: float, critical: bool) -> None:
    scale = MINI.judgements
    uncapped = suggested_judgement(MINI, percent, ())
    capped = suggested_judgement(MINI, percent, CAP if critical else ())
    assert uncapped in scale.codes and capped in scale.codes
    reached = [t for t in MINI.thresholds if percent >= t.min_percent]
    assert uncapped == reached[0].judgement
    if critical:
        assert scale.rank(capped) == max(scale.rank(uncapped), scale.rank(MINI.critical_cap))
    else:
        assert capped == uncapped


def test_float_noise_never_costs_a_grade() -> None:
    # Plain float arithmetic gives 99.99999999999999 for Yes on weights 0.1 and 1.3, and
    # 49.99999999999999 for Partly on both: one grade lower than the answers earn.
    assert percent_met([ScoredAnswer(1, weight=0.1), ScoredAnswer(1, weight=1.3)]) == 100.0
    half = percent_met([ScoredAnswer(0.5, weight=0.1), ScoredAnswer(0.5, weight=1.3)])
    assert half == 50.0
    assert suggested_judgement(MINI, half, ()) == "requires_improvement"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(62.5, "63%"), (0.5, "1%"), (49.5, "50%"), (49.49, "49%"), (100.0, "100%"), (None, "no data")],
)
def test_format_percent_rounds_halves_up_like_excel(value: float | None, shown: str) -> None:
    assert format_percent(value) == shown
