"""Agreement tables without a database (domain.agreement_tables): pairs ranked on their own
version's scale, kappa and AC1 only from enough pairs, a generous auditor flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_tui.domain.agreement_tables import agreement_tables, question_agreement, rank_pairs
from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import load_framework_file

MINI: Framework = load_framework_file(
    Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"
)
SCALES = {"v1": MINI.judgements}


def test_pairs_off_the_scale_or_of_an_unknown_version_are_left_out() -> None:
    ranked, categories = rank_pairs(
        [
            ("Ann", "North", "v1", "good", "requires_improvement"),
            ("Ann", "North", "v1", "good", "retired_grade"),
            ("Bea", "South", "gone", "good", "good"),
        ],
        SCALES,
    )
    assert ranked == [("Ann", "North", 1, 2)]
    assert categories == len(MINI.judgements.codes)


def test_a_generous_auditor_is_flagged_and_kappa_waits_for_enough_pairs() -> None:
    pairs = [("Ann", "North", 0, 1)] * 3 + [("Bea", "North", 1, 1)] * 2
    overall, auditors, teams = agreement_tables(
        pairs, 4, {"Ann": (10, 5), "Cy": (4, 4)}, {"North": (14, 9)}, min_pairs=4
    )
    ann, bea, cy = auditors
    assert (ann.name, ann.generous, ann.more_generous, ann.kappa) == ("Ann", True, 3, None)
    assert ann.exact_percent == 0.0 and ann.answers_agree_percent == 50.0
    assert (bea.exact_percent, bea.generous, bea.answers_n) == (100.0, False, 0)
    assert (cy.n, cy.answers_agree_percent) == (0, 100.0)  # answers compared, no grade pairs
    assert overall.n == 5 and overall.kappa is not None
    assert (overall.answers_n, teams[0].answers_n) == (14, 14)
    assert overall.exact_percent == pytest.approx(40.0)


def test_question_agreement_has_its_wording_where_found() -> None:
    rows = question_agreement(
        [("mini", "M-01", 4, 3), ("mini", "X-9", 2, None)], {("mini", "M-01"): "Seen alone?"}
    )
    assert [(q.text, q.percent_agree) for q in rows] == [("Seen alone?", 75.0), (None, 0.0)]
