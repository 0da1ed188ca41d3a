"""Validation problems in plain words. A pydantic message ("String should have at least 1
character", a regular expression) never reaches a person: each error type is said the way a
colleague would say it, naming the field as the form or option names it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails


def _limit(ctx: Mapping[str, Any], key: str) -> Any:
    return ctx.get(key)


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_COMPARISONS = {
    "greater_than": "more than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
}

# Error types said the same way whatever their context.
_FIXED = {
    "missing": "is required",
    "string_pattern_mismatch": "has characters that are not allowed here",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "decimal_parsing": "must be a number",
    "bool_parsing": "must be yes or no",
    "bool_type": "must be yes or no",
    "string_type": "is not the right kind of value",
    "list_type": "is not the right kind of value",
    "dict_type": "is not the right kind of value",
    "model_type": "is not the right kind of value",
    "extra_forbidden": "is not a known setting",
}


def _too_short_string(ctx: Mapping[str, Any]) -> str:
    n = _limit(ctx, "min_length")
    return "cannot be empty" if n in (None, 1) else f"needs at least {_plural(n, 'character')}"


def _too_long_string(ctx: Mapping[str, Any]) -> str:
    return f"can be at most {_plural(_limit(ctx, 'max_length'), 'character')}"


def _too_few_items(ctx: Mapping[str, Any]) -> str:
    return f"needs at least {_plural(_limit(ctx, 'min_length'), 'item')}"


def _too_many_items(ctx: Mapping[str, Any]) -> str:
    return f"needs at most {_plural(_limit(ctx, 'max_length'), 'item')}"


def _choices(ctx: Mapping[str, Any]) -> str:
    expected = str(ctx.get("expected", "")).replace("'", "")
    return f"must be one of {expected}" if expected else "is not one of the choices"


# Error types whose words take a limit or the choices from the error's context.
_WITH_CONTEXT: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "string_too_short": _too_short_string,
    "string_too_long": _too_long_string,
    "too_short": _too_few_items,
    "too_long": _too_many_items,
    "literal_error": _choices,
    "enum": _choices,
}


def _comparison(kind: str, ctx: Mapping[str, Any]) -> str:
    bound = next(iter(ctx.values()), "")
    if isinstance(bound, float) and bound.is_integer():
        bound = int(bound)
    return f"must be {_COMPARISONS[kind]} {bound}"


def _own_words(err: ErrorDetails) -> str:
    """A check of our own (a value error, or a custom error type) already speaks plainly;
    pydantic's own messages do not."""
    if err.get("type") in ("value_error", "assertion_error"):
        return (
            str(err.get("msg", "is not valid"))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
    msg = str(err.get("msg", ""))
    if msg and not msg.startswith(_PYDANTIC_WORDS):
        return msg
    return "is not valid"


def plain_problem(err: ErrorDetails) -> str:
    """What is wrong with one value, without naming the field."""
    kind = err.get("type", "")
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    if kind in _FIXED:
        return _FIXED[kind]
    if kind in _WITH_CONTEXT:
        return _WITH_CONTEXT[kind](ctx)
    if kind in _COMPARISONS:
        return _comparison(kind, ctx)
    if kind.startswith("date"):  # date_* and datetime_*
        return "is not a date: write it as YYYY-MM-DD"
    return _own_words(err)


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
