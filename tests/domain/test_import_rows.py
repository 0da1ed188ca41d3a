"""The rules for one row of a case list or a staff list, without a file or a database: what
passes, and every problem said in plain words naming the field."""

from __future__ import annotations

from datetime import date

import pytest

from audit_tui.domain.case_rows import CaseRow, check_case_row
from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.staff_rows import check_staff_row


@pytest.fixture(scope="module")
def fw(registry: FrameworkRegistry) -> Framework:
    return registry.get("case-file")


def case_values(**changes: str) -> dict[str, str]:
    values = {
        "reference": "CMS-1",
        "case_type": "Child in need",
        "team": "Intake",
        "case_holder": "Alun Price",
        "open_date": "",
    }
    values.update(changes)
    return values


def test_a_good_case_row_is_a_case(fw: Framework) -> None:
    row = check_case_row(7, case_values(open_date="01/04/2025"), date(2025, 4, 1), fw)
    assert isinstance(row, CaseRow)
    assert (row.number, row.reference, row.case_type, row.team) == (
        7,
        "CMS-1",
        "child_in_need",
        "Intake",
    )
    assert row.optional == {"open_date": date(2025, 4, 1)}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"reference": ""}, "missing case reference"),
        ({"team": ""}, "missing team"),
        (
            {"reference": "Jane Smith"},
            "case reference 'Jane Smith' is not a case management system id",
        ),
        ({"case_type": "Fostering"}, "unknown case type 'Fostering' (framework case-file has:"),
        ({"team": "T" * 121}, "team is longer than 120 characters"),
        ({"case_holder": "Ann\x1b[2J"}, "case-holder 'Ann"),
        ({"open_date": "next week"}, "open date 'next week' is not a date"),
    ],
)
def test_each_case_row_problem_names_the_field(
    fw: Framework, changes: dict[str, str], problem: str
) -> None:
    problems = check_case_row(3, case_values(**changes), None, fw)
    assert isinstance(problems, list)
    assert any(p.startswith(problem) for p in problems), problems


def test_a_good_staff_row_and_what_the_file_does_not_say() -> None:
    row, problems = check_staff_row(
        2, {"name": "Ann Jones", "team": "Intake", "manager": "yes"}, None
    )
    assert problems == []
    assert (row.name, row.team, row.manager, row.auditor) == ("Ann Jones", "Intake", True, None)
    assert row.given == {"name", "team", "manager"}


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"name": "A" * 121}, "the name is longer than 120 characters"),
        ({"name": "Ann", "login": "a\x07"}, "the login contains a control character"),
        ({"name": "Ann", "manager": "maybe"}, "manager 'maybe' should be yes or no"),
        ({"name": "Ann", "manager": "yes"}, "a manager needs a team"),
        ({"name": "Ann", "left_on": "soon"}, "leaving date 'soon' is not a date"),
    ],
)
def test_each_staff_row_problem_in_plain_words(values: dict[str, str], problem: str) -> None:
    _, problems = check_staff_row(4, values, None)
    assert any(p.startswith(problem) for p in problems), problems
