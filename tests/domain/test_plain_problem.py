"""Every kind of pydantic error plain_problem knows, said as a colleague would say it: the
table the function reads, pinned one entry at a time (and what it does with one it does not
know)."""

from __future__ import annotations

from typing import Any

import pytest

from audit_tui.domain.messages import plain_problem


def err(kind: str, msg: str = "", **ctx: Any) -> Any:
    return {"type": kind, "loc": ("x",), "msg": msg, "input": None, "ctx": ctx}


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (err("missing"), "is required"),
        (err("string_too_short", min_length=1), "cannot be empty"),
        (err("string_too_short"), "cannot be empty"),
        (err("string_too_short", min_length=3), "needs at least 3 characters"),
        (err("string_too_long", max_length=1), "can be at most 1 character"),
        (err("string_too_long", max_length=80), "can be at most 80 characters"),
        (err("too_short", min_length=2), "needs at least 2 items"),
        (err("too_long", max_length=1), "needs at most 1 item"),
        (err("string_pattern_mismatch", pattern="^x$"), "has characters that are not allowed here"),
        (err("greater_than", gt=0), "must be more than 0"),
        (err("greater_than_equal", ge=1.0), "must be at least 1"),
        (err("less_than", lt=2.5), "must be less than 2.5"),
        (err("less_than_equal", le=100), "must be at most 100"),
        (err("int_parsing"), "must be a whole number"),
        (err("int_from_float"), "must be a whole number"),
        (err("float_parsing"), "must be a number"),
        (err("decimal_parsing"), "must be a number"),
        (err("date_from_datetime_parsing"), "is not a date: write it as YYYY-MM-DD"),
        (err("datetime_parsing"), "is not a date: write it as YYYY-MM-DD"),
        (err("bool_parsing"), "must be yes or no"),
        (err("literal_error", expected="'a' or 'b'"), "must be one of a or b"),
        (err("enum"), "is not one of the choices"),
        (err("dict_type"), "is not the right kind of value"),
        (err("value_error", "Value error, use initials"), "use initials"),
        (err("assertion_error", "Assertion failed, too late"), "too late"),
        (err("extra_forbidden"), "is not a known setting"),
        (err("text_empty", "should not be empty"), "should not be empty"),
        (err("url_parsing", "Input should be a valid URL"), "is not valid"),
        (err("something_new"), "is not valid"),
    ],
)
def test_each_kind_in_plain_words(error: Any, expected: str) -> None:
    assert plain_problem(error) == expected
