"""Words that name answers and grades, made from the framework in use.

Every definition, heading and list that names answers or grades - "percent met is ...",
"questions answered No or Partly", "good or better" - comes from here, so a framework with its
own scale and grades reads in its own words everywhere, and never in the shipped ones.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from audit_tui import i18n
from audit_tui.domain.framework import Framework
from audit_tui.domain.scales import AnswerOption, AnswerScale
from audit_tui.i18n import _

# How many options a scale may have for its points to be listed one by one.
LISTED = 5

P = ParamSpec("P")
R = TypeVar("R")


def _one_language(words: Callable[P, R]) -> Callable[P, R]:
    """The words around the answers ("or", "below full marks") in the one language the
    framework's own words are read in: Welsh in a bilingual export, which pairs whole
    sentences, not each "or" inside them."""

    @functools.wraps(words)
    def said(*args: P.args, **kwargs: P.kwargs) -> R:
        with i18n.language(i18n.shown_language()):
            return words(*args, **kwargs)

    return said


@_one_language
def or_list(words: Iterable[str]) -> str:
    """'Partly or No'; 'A, B or C'."""
    items = list(dict.fromkeys(words))
    if len(items) <= 1:
        return "".join(items)
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _scales(fw: Framework) -> list[AnswerScale]:
    """The answer scales the framework's questions use, in order of first use."""
    names = dict.fromkeys(q.scale for q in fw.questions)
    return [fw.scale(name) for name in names]


def short_of_met(fw: Framework) -> list[str]:
    """Labels of the answers that fall short of full marks (and are not N/A): what notes,
    findings, actions and feedback are about ("Partly", "No" on the built-in scales)."""
    return [
        str(o.label)
        for scale in _scales(fw)
        for o in scale.options
        if o.points is not None and o.points < 1
    ]


@_one_language
def full_marks(fw: Framework) -> str:
    """'Yes' - the answers worth full marks, in the framework's words."""
    labels = [
        str(o.label)
        for scale in _scales(fw)
        for o in scale.options
        if o.points is not None and o.points >= 1
    ]
    return or_list(labels) or _("full marks")


@_one_language
def short_of_met_words(fw: Framework) -> str:
    """'No or Partly' in the framework's words, for headings; a scale with many such answers
    is said as 'below full marks'."""
    labels = short_of_met(fw)
    if not labels or len(labels) > LISTED:
        return _("below full marks")
    return or_list(labels)


def _points(o: AnswerOption) -> str:
    return f"{o.label} = {o.points:g}"


def _scale_points(scale: AnswerScale) -> str:
    scored = [o for o in scale.options if o.points is not None]
    if len(scored) <= LISTED:
        return ", ".join(_points(o) for o in scored)
    return _("{first} to {last}").format(first=_points(scored[0]), last=_points(scored[-1]))


def _compliance_like(fw: Framework) -> tuple[str, str, str] | None:
    """(met, partly, not met) labels when every scale used is met 1 / partly 0.5 / not met 0
    (the built-in scales are), for the familiar formula."""
    found: dict[float, str] = {}
    for scale in _scales(fw):
        for o in scale.options:
            if o.points is None:
                continue
            if o.points not in (0, 0.5, 1) or found.setdefault(o.points, str(o.label)) != o.label:
                return None
    if 1 not in found or 0 not in found:
        return None
    return found[1], found.get(0.5, ""), found[0]


@_one_language
def not_applicable(fw: Framework) -> str:
    labels = [str(o.label) for scale in _scales(fw) for o in scale.options if o.is_na]
    return or_list(labels) or _("not applicable")


@_one_language
def percent_met_definition(fw: Framework) -> str:
    """How percent met is worked out, in the framework's own answer words."""
    weighted = any(q.weight != 1 for q in fw.questions)
    by_weight = _(", by question weight") if weighted else ""
    na = not_applicable(fw)
    familiar = _compliance_like(fw)
    if familiar is not None:
        met, partly, no = familiar
        if partly:
            return _(
                "100 x ({met} + half of {partly}{by_weight}) / ({met} + {partly} + {no}); "
                "{na} left out, never 0"
            ).format(met=met, partly=partly, no=no, by_weight=by_weight, na=na)
        return _("100 x {met}{by_weight} / ({met} + {no}); {na} left out, never 0").format(
            met=met, no=no, by_weight=by_weight, na=na
        )
    points = "; ".join(_scale_points(scale) for scale in _scales(fw))
    return _(
        "100 x the points the answers score / the most they could score{by_weight} "
        "(points: {points}); {na} left out, never 0"
    ).format(by_weight=by_weight, points=points, na=na)


@_one_language
def critical_words(fw: Framework) -> str:
    """What makes a critical failure, e.g. "a critical question answered No"."""
    triggers = [
        str(o.label)
        for q in fw.questions
        if q.critical
        for o in fw.scale(q.scale).options
        if o.code in fw.critical_triggers(q)
    ]
    if not triggers:
        return _("a critical question's failing answer")
    return _("a critical question answered {answers}").format(answers=or_list(triggers))
