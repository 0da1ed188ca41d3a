"""Validation problems in plain words. A pydantic message ("String should have at least 1
character", a regular expression) never reaches a person: each error type is said the way a
colleague would say it, naming the field as the form or option names it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails


def _limit(ctx: Mapping[str, Any], key: str) -> Any:
    return ctx.get(key)


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def plain_problem(err: ErrorDetails) -> str:
    """What is wrong with one value, without naming the field."""
    kind = err.get("type", "")
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "string_too_short":
        n = _limit(ctx, "min_length")
        return "cannot be empty" if n in (None, 1) else f"needs at least {_plural(n, 'character')}"
    if kind == "string_too_long":
        return f"can be at most {_plural(_limit(ctx, 'max_length'), 'character')}"
    if kind in ("too_short", "too_long"):
        n = _limit(ctx, "min_length" if kind == "too_short" else "max_length")
        return f"needs {'at least' if kind == 'too_short' else 'at most'} {_plural(n, 'item')}"
    if kind == "string_pattern_mismatch":
        return "has characters that are not allowed here"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        word = {
            "greater_than": "more than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        bound = next(iter(ctx.values()), "")
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"must be {word} {bound}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number"
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return "must be a number"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "is not a date: write it as YYYY-MM-DD"
    if kind in ("bool_parsing", "bool_type"):
        return "must be yes or no"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        return f"must be one of {expected}" if expected else "is not one of the choices"
    if kind in ("string_type", "list_type", "dict_type", "model_type"):
        return "is not the right kind of value"
    if kind in ("value_error", "assertion_error"):
        return (
            str(err.get("msg", "is not valid"))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
    if kind == "extra_forbidden":
        return "is not a known setting"
    # A check of our own (a custom error type) already speaks plainly; pydantic's own do not.
    msg = str(err.get("msg", ""))
    if msg and not msg.startswith(_PYDANTIC_WORDS):
        return msg
    return "is not valid"


_PYDANTIC_WORDS = (
    "Input ",
    "String ",
    "Value ",
    "Field ",
    "List ",
    "Dictionary ",
    "Object ",
    "Tuple ",
    "Set ",
    "Decimal ",
    "Date ",
    "Datetime ",
    "URL ",
    "Timedelta ",
    "Unable ",
)


def plain_error(exc: ValidationError, labels: Mapping[str, str] | None = None) -> str:
    """The first problem, as one line: '<field as the user knows it>: <what is wrong>'."""
    errors = exc.errors()
    if not errors:
        return "the values given are not valid"
    err = errors[0]
    loc = [str(p) for p in err.get("loc", ()) if p != "__root__"]
    field = loc[0] if loc else ""
    name = (labels or {}).get(field) or field.replace("_", " ")
    problem = plain_problem(err)
    return f"{name}: {problem}" if name else problem
