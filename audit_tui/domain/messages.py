"""Validation problems in plain words. A pydantic message ("String should have at least 1
character", a regular expression) never reaches a person: each error type is said the way a
colleague would say it, naming the field as the form or option names it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from audit_tui.i18n import N_, _, ngettext


def _limit(ctx: Mapping[str, Any], key: str) -> Any:
    return ctx.get(key)


def _count(n: Any) -> int:
    """A limit as ngettext counts it (a limit pydantic did not give counts as many)."""
    return n if isinstance(n, int) else 2


_COMPARISONS = {
    "greater_than": N_("must be more than {bound}"),
    "greater_than_equal": N_("must be at least {bound}"),
    "less_than": N_("must be less than {bound}"),
    "less_than_equal": N_("must be at most {bound}"),
}

# Error types said the same way whatever their context.
_FIXED = {
    "missing": N_("is required"),
    "string_pattern_mismatch": N_("has characters that are not allowed here"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "decimal_parsing": N_("must be a number"),
    "bool_parsing": N_("must be yes or no"),
    "bool_type": N_("must be yes or no"),
    "string_type": N_("is not the right kind of value"),
    "list_type": N_("is not the right kind of value"),
    "dict_type": N_("is not the right kind of value"),
    "model_type": N_("is not the right kind of value"),
    "extra_forbidden": N_("is not a known setting"),
}


def _too_short_string(ctx: Mapping[str, Any]) -> str:
    n = _limit(ctx, "min_length")
    if n in (None, 1):
        return _("cannot be empty")
    return ngettext(
        "needs at least {n} character", "needs at least {n} characters", _count(n)
    ).format(n=n)


def _too_long_string(ctx: Mapping[str, Any]) -> str:
    n = _limit(ctx, "max_length")
    return ngettext(
        "can be at most {n} character", "can be at most {n} characters", _count(n)
    ).format(n=n)


def _too_few_items(ctx: Mapping[str, Any]) -> str:
    n = _limit(ctx, "min_length")
    return ngettext("needs at least {n} item", "needs at least {n} items", _count(n)).format(n=n)


def _too_many_items(ctx: Mapping[str, Any]) -> str:
    n = _limit(ctx, "max_length")
    return ngettext("needs at most {n} item", "needs at most {n} items", _count(n)).format(n=n)


def _choices(ctx: Mapping[str, Any]) -> str:
    # pydantic lists the choices as 'a', 'b' or 'c': the codes stay, its "or" is said in
    # the reader's language.
    expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", _(" or "))
    if expected:
        return _("must be one of {choices}").format(choices=expected)
    return _("is not one of the choices")


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
    return _(_COMPARISONS[kind]).format(bound=bound)


def _own_words(err: ErrorDetails) -> str:
    """A check of our own (a value error, or a custom error type) already speaks plainly;
    pydantic's own messages do not."""
    if err.get("type") in ("value_error", "assertion_error"):
        return (
            str(err.get("msg") or _("is not valid"))
            .removeprefix("Value error, ")  # not translated: pydantic's own prefix
            .removeprefix("Assertion failed, ")  # not translated: pydantic's own prefix
        )
    msg = str(err.get("msg", ""))
    if msg and not msg.startswith(_PYDANTIC_WORDS):
        return msg
    return _("is not valid")


def plain_problem(err: ErrorDetails) -> str:
    """What is wrong with one value, without naming the field."""
    kind = err.get("type", "")
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    if kind in _FIXED:
        return _(_FIXED[kind])
    if kind in _WITH_CONTEXT:
        return _WITH_CONTEXT[kind](ctx)
    if kind in _COMPARISONS:
        return _comparison(kind, ctx)
    if kind.startswith("date"):  # date_* and datetime_*
        return _("is not a date: write it as YYYY-MM-DD")
    return _own_words(err)


# not translated: how pydantic's own (English) messages begin, to know them
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
        return _("the values given are not valid")
    err = errors[0]
    loc = [str(p) for p in err.get("loc", ()) if p != "__root__"]
    field = loc[0] if loc else ""
    name = (labels or {}).get(field) or field.replace("_", " ")
    problem = plain_problem(err)
    return f"{name}: {problem}" if name else problem
