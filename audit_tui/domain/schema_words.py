"""The schema's complaints about a framework file, in words its author can act on: never a
regular expression or a raw validation message, the allowed keys listed where a key is
unknown (or the near spelling suggested, when there is one), the allowed values where there
is a list."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from audit_tui.domain.framework import UNION_TAGS, Framework
from audit_tui.domain.yaml_reading import Loc, fmt_loc
from audit_tui.i18n import N_, _, ngettext

# Set by the loader; an author writing them would only be overwritten, so they are refused.
COMPUTED_KEYS = ("content_hash", "source_path")
# How near a misspelt key must be to an allowed one for "did you mean" (difflib's ratio).
NEAR = 0.75

_AT_LEAST_ONE = {
    "questions": N_("an empty section: give it at least one question"),
    "sections": N_("at least one section is needed"),
    "evidence": N_("at least one citation is needed under evidence"),
    "case_types": N_("at least one case type is needed"),
    "sources": N_("at least one source is needed"),
    "options": N_("a scale needs at least two options"),
    "grades": N_("a judgement scale needs at least two grades"),
    "thresholds": N_("at least two thresholds are needed"),
}

# pydantic error type -> the words for it (the value's own problem, after "where: ").
_TYPE_WORDS = {
    "bool_type": N_("should be true or false"),
    "bool_parsing": N_("should be true or false"),
    "float_type": N_("should be a number"),
    "float_parsing": N_("should be a number"),
    "int_type": N_("should be a whole number"),
    "int_parsing": N_("should be a whole number"),
    "list_type": N_("should be a list"),
    "dict_type": N_("should be a mapping of keys to values"),
    "model_type": N_("should be a mapping of keys to values"),
    "model_attributes_type": N_("should be a mapping of keys to values"),
    "string_type": N_("should be text"),
    "finite_number": N_("should be a number"),
}

# Bounds pydantic checks (ge=0, le=10), in pydantic's own English words (as they have always
# read) and in the catalogue's for other languages.
_BOUND_WORDS = {
    "less_than_equal": N_("should be less than or equal to {bound}"),
    "greater_than_equal": N_("should be greater than or equal to {bound}"),
    "less_than": N_("should be less than {bound}"),
    "greater_than": N_("should be greater than {bound}"),
}


def _unwrap(tp: Any) -> Any:
    """`X | None` -> X; a discriminated union of a plain value and a model -> the model."""
    if get_origin(tp) is not None and hasattr(tp, "__metadata__"):
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, UnionType):
        args = [_unwrap(a) for a in get_args(tp) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(args) == 1:
            return args[0]
        return models[0] if len(models) == 1 else tp
    return tp


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The schema model that describes the mapping at `loc`, to list the keys allowed there."""
    tp: Any = Framework
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) is list and isinstance(part, int):
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict and isinstance(part, str):
            tp = get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def allowed_keys(loc: Loc) -> list[str]:
    model = _model_at(loc)
    if model is None:
        return []
    return [k for k in model.model_fields if k not in COMPUTED_KEYS]


def near_key(key: str, allowed: list[str]) -> str | None:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=NEAR)
    return close[0] if close else None


def _unknown_key(loc: Loc) -> str:
    key = str(loc[-1])
    allowed = allowed_keys(loc[:-1])
    if not allowed:
        return _("unknown key '{key}'").format(key=key)
    close = near_key(key, allowed)
    if close:
        return _("unknown key '{key}' (did you mean '{near}'?)").format(key=key, near=close)
    return _("unknown key '{key}' (allowed here: {keys})").format(key=key, keys=", ".join(allowed))


def _too_short(loc: Loc, err: ErrorDetails) -> str:
    name = str(loc[-1]) if loc else ""
    if name in _AT_LEAST_ONE:
        return _(_AT_LEAST_ONE[name])
    n = (err.get("ctx") or {}).get("min_length", 1)
    return ngettext("needs at least {n} entry", "needs at least {n} entries", n).format(n=n)


def _value_words(err: ErrorDetails) -> str:
    """The problem with a value whose key is known."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    found = err.get("input")
    if kind == "float_type" and isinstance(found, int):
        return _("the number is too large")
    if kind == "string_type" and isinstance(found, (int, float, bool, date)):
        return _("expected text, found {value} (put it in quotes)").format(value=found)
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        if n == 1:
            return _("should not be empty")
        return ngettext(
            "should be at least {n} character", "should be at least {n} characters", n
        ).format(n=n)
    if kind == "string_too_long":
        n = ctx.get("max_length", 1)
        return ngettext(
            "should be at most {n} character", "should be at most {n} characters", n
        ).format(n=n)
    if kind in _TYPE_WORDS:
        return _(_TYPE_WORDS[kind])
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        bound = next(iter(ctx.values()), "")
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)  # as pydantic says it: "0", not "0.0"
        return _(_BOUND_WORDS[kind]).format(bound=bound)
    if kind == "literal_error" or kind == "enum":
        return _("should be {choices}").format(
            choices=str(ctx.get("expected", "")).replace(" or ", _(" or "))
        )
    # The tool's own checks (PydanticCustomError) are worded, in the reader's language, where
    # they are raised; what pydantic says itself is English and gets its "Input" cut.
    msg = str(err["msg"]).removeprefix("Value error, ")  # not translated: pydantic's prefix
    return msg.replace("Input should", "should")  # not translated: pydantic's words


def _plain_loc(err: ErrorDetails) -> Loc:
    """The error's place with the schema's union branch names taken out."""
    return tuple(p for p in err["loc"] if p not in UNION_TAGS)


def problem_of(err: ErrorDetails) -> tuple[Loc, str]:
    """(where, problem) for one schema error."""
    loc = _plain_loc(err)
    kind = err["type"]
    if kind == "extra_forbidden":
        return loc, f"{fmt_loc(loc[:-1])}: {_unknown_key(loc)}"
    if kind == "missing":
        return loc, _("{place}: missing required key '{key}'").format(
            place=fmt_loc(loc[:-1]), key=loc[-1]
        )
    if kind == "too_short" and loc:
        return loc, f"{fmt_loc(loc)}: {_too_short(loc, err)}"
    return loc, f"{fmt_loc(loc)}: {_value_words(err)}"


def schema_problems(errors: Iterable[ErrorDetails]) -> list[tuple[Loc, str]]:
    """Every schema error in words, with one exception: "missing required key 'x'" is left
    out where the same mapping has an unknown key that is a near spelling of x - the "did you
    mean" on that key says it all."""
    found = [(err, *problem_of(err)) for err in errors]
    suggested: set[Loc] = set()
    for err, loc, _problem in found:
        if err["type"] == "extra_forbidden":
            close = near_key(str(loc[-1]), allowed_keys(loc[:-1]))
            if close:
                suggested.add((*loc[:-1], close))
    seen: set[Loc] = set()
    out = []
    for err, loc, problem in found:
        if (err["type"] == "missing" and loc in suggested) or loc in seen:
            continue
        seen.add(loc)
        out.append((loc, problem))
    return out
