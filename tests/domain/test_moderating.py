"""Moderation's rules without a database (domain.moderating): a share picks from every
group, the agreed answer is the one given or the one both sides share, and it keeps the
note of the side that gave it."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import load_framework_file
from audit_tui.domain.moderating import Side, agreed_codes, kept_text, pick_share

MINI: Framework = load_framework_file(
    Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"
)


def test_a_share_picks_at_least_one_from_every_group_and_depends_only_on_the_seed() -> None:
    candidates = [("Ann", i) for i in range(1, 11)] + [("Bea", 20)]
    picked = pick_share(candidates, 0.2, seed=5)
    assert len(picked) == 3 and 20 in picked  # ceil(0.2 x 10) + ceil(0.2 x 1)
    assert pick_share(list(reversed(candidates)), 0.2, seed=5) == picked
    assert pick_share(candidates, 1.0, seed=5) == sorted(i for _, i in candidates)


def test_the_agreed_answer_is_the_one_given_or_the_one_both_share() -> None:
    questions = MINI.applicable_questions("child_in_need")
    original = {"M-01": "yes", "M-02": "no", "M-03": "partly"}
    moderator = {"M-01": "yes", "M-02": "yes", "M-03": "partly"}
    chosen = agreed_codes(questions, {"M-02": "partly"}, original, moderator)
    assert chosen == {"M-01": "yes", "M-02": "partly", "M-03": "partly"}
    with pytest.raises(UserError, match="agree an answer for M-02: the auditor said no"):
        agreed_codes(questions, {}, original, moderator)


def test_the_agreed_answer_keeps_the_note_of_the_side_that_gave_it() -> None:
    auditor = Side("na", "Closed - AB", "No assessment due")
    moderator = Side("no", "Not seen - CD", None)
    assert kept_text("na", auditor, moderator) == ("Closed - AB", "No assessment due")
    assert kept_text("no", auditor, moderator) == ("Not seen - CD", None)
    assert kept_text("yes", auditor, moderator) == (None, None)
