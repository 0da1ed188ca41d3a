"""Drawing a sample without a database (domain.sample_draw): a team's draw depends only on
the seed, the team and its cases; auditors take cases in turn and never their own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from audit_tui.domain.errors import ChoiceError
from audit_tui.domain.sample_draw import Candidate, assign, draw_team, teams_without_auditors


@dataclass(frozen=True)
class Person:
    id: int
    name: str


def cases(team: str, n: int, team_id: int = 1, holder: int | None = None) -> list[Candidate]:
    return [
        Candidate(team_id * 100 + i, f"{team[0]}-{i:03}", "child_in_need", holder, team_id, team)
        for i in range(1, n + 1)
    ]


def test_the_same_seed_draws_the_same_cases_whatever_their_order() -> None:
    alpha = cases("Alpha", 20)
    first = draw_team("Alpha", alpha, 5, seed=42)
    again = draw_team("Alpha", list(reversed(alpha)), 5, seed=42)
    other = draw_team("Alpha", alpha, 5, seed=43)
    assert first.picked == again.picked and len(first.picked) == 5
    assert [c.reference for c in first.picked] == sorted(c.reference for c in first.picked)
    assert other.picked != first.picked
    assert first.note is None and (first.eligible, first.requested) == (20, 5)


def test_a_short_team_gives_all_it_has_and_says_so() -> None:
    assert draw_team("Bravo", cases("Bravo", 2), 5, seed=1).note == (
        "only 2 eligible cases: took all"
    )
    assert draw_team("Bravo", cases("Bravo", 1), 5, seed=1).note == (
        "only 1 eligible case: took all"
    )
    empty = draw_team("Bravo", [], 5, seed=1)
    assert (empty.picked, empty.note) == ([], "no eligible cases")


def test_auditors_take_turns_and_skip_their_own_cases() -> None:
    ann, bea = Person(1, "Ann"), Person(2, "Bea")
    draws = [draw_team("Alpha", cases("Alpha", 3, holder=1), 3, seed=1)]
    assert [a.name for _, a in assign(draws, [ann, bea], lambda t: [])] == ["Bea"] * 3
    by_team = [draw_team("Alpha", cases("Alpha", 4), 4, seed=1)]
    assert [a.name for _, a in assign(by_team, None, lambda t: [ann, bea])] == [
        "Ann",
        "Bea",
        "Ann",
        "Bea",
    ]


def test_nobody_but_the_case_holder_is_a_refusal_about_the_auditors() -> None:
    solo = Person(7, "Solo")
    draws = [draw_team("Alpha", cases("Alpha", 1, holder=7), 1, seed=1)]
    with pytest.raises(ChoiceError, match="only auditor available") as info:
        assign(draws, [solo], lambda t: [])
    assert info.value.field == "auditors"
    assert teams_without_auditors(draws, {}) == ["Alpha"]
    assert teams_without_auditors(draws, {1: [solo]}) == []
