"""Rules that need the whole framework: what refers to what (grades, scales, case types,
sources, retired ids) and what a walkthrough could not do (a lost key, a critical question
nothing can trigger).

Each check is a small pure function over the file's plain data (as parsed), yielding
(where, problem) pairs. They read only what has the right shape and skip the rest: a value of
the wrong type is reported once, by the schema, and not again here. So every problem in a
file is found in one run, whatever else is wrong with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from audit_tui.domain.case_types import BUILTIN_CASE_TYPES
from audit_tui.domain.keys import key_owner
from audit_tui.domain.scales import BUILTIN_SCALES, JUDGEMENT_SCALES, MAX_OPTIONS
from audit_tui.i18n import N_, _, shown_language

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]


# --- reading plain data safely ----------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list under `key`."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _named(data: Any, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, mapping) for each mapping in the mapping under `key`."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, dict):
        for name, item in value.items():
            if isinstance(name, str) and isinstance(item, dict):
                yield name, item


def _strings(data: Any, key: str) -> Iterator[tuple[int, str]]:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield i, item


def _listed(values: Iterable[str]) -> str:
    return ", ".join(values) or _("none")


def _duplicates(pairs: Iterable[tuple[Loc, str]], what: str) -> Iterator[Problem]:
    """`what` is one of _DUPLICATE's messages (N_), said with the value given twice."""
    seen: set[str] = set()
    for loc, value in pairs:
        if value in seen:
            yield loc, _(what).format(value=value)
        seen.add(value)


# What `_duplicates` says, one whole message per kind of thing (Welsh word order differs).
_DUPLICATE_GRADE = N_("duplicate grade '{value}'")
_DUPLICATE_CASE_TYPE = N_("duplicate case type '{value}'")
_DUPLICATE_OPTION = {
    "code": N_("duplicate option code '{value}'"),
    "key": N_("duplicate option key '{value}'"),
}
_DUPLICATE_SECTION = N_("duplicate section id '{value}'")
_DUPLICATE_QUESTION = N_("duplicate question id '{value}'")
_DUPLICATE_RETIRED = N_("duplicate retired id '{value}'")


# --- judgement scale, thresholds, caps ---------------------------------------------------------


def grades_of(data: dict[str, Any]) -> list[str] | None:
    """The grade codes of the framework's judgement scale; None when it cannot be told."""
    name = _text(data.get("judgement_scale"))
    if name is None:
        return None
    declared = dict(_named(data, "judgement_scales"))
    if name in declared:
        return [c for _, g in _items(declared[name], "grades") if (c := _text(g.get("code")))]
    scale = JUDGEMENT_SCALES.get(name)
    return scale.codes if scale else None


def check_judgement_scale(data: dict[str, Any]) -> Iterator[Problem]:
    name = _text(data.get("judgement_scale"))
    declared = dict(_named(data, "judgement_scales"))
    for scale_name, scale in declared.items():
        here: Loc = ("judgement_scales", scale_name)
        if scale_name in JUDGEMENT_SCALES:
            yield (
                here,
                _("'{name}' is a built-in judgement scale: give yours another name").format(
                    name=scale_name
                ),
            )
        codes = [
            (("grades", i, "code"), c)
            for i, g in _items(scale, "grades")
            if (c := _text(g.get("code")))
        ]
        yield from (((*here, *loc), p) for loc, p in _duplicates(codes, _DUPLICATE_GRADE))
        cut = _text(scale.get("good_or_better"))
        if cut is not None and codes and cut not in [c for _, c in codes]:
            yield (
                (*here, "good_or_better"),
                _("'{grade}' is not one of its grades ({grades})").format(
                    grade=cut, grades=_listed(c for _, c in codes)
                ),
            )
    if name is not None and name not in declared and name not in JUDGEMENT_SCALES:
        known = [*JUDGEMENT_SCALES, *declared]
        yield (
            ("judgement_scale",),
            _(
                "unknown judgement scale '{name}' (known: {known}; or declare it under "
                "judgement_scales)"
            ).format(name=name, known=_listed(known)),
        )


def _grade_problem(value: str, grades: list[str], scale: str) -> str:
    return _("'{grade}' is not a grade of {scale} ({grades})").format(
        grade=value, scale=scale, grades=_listed(grades)
    )


def _percent(value: Any) -> float | None:
    """A min_percent the schema accepts (0-100), else None: its problem is the schema's."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        return None
    return float(value)


def check_thresholds(data: dict[str, Any]) -> Iterator[Problem]:
    grades = grades_of(data)
    scale = str(data.get("judgement_scale"))
    thresholds = list(_items(data, "thresholds"))
    ranks: list[int | None] = []
    mins: list[float | None] = []
    for i, t in thresholds:
        grade = _text(t.get("judgement"))
        if grades is not None and grade is not None and grade not in grades:
            yield ("thresholds", i, "judgement"), _grade_problem(grade, grades, scale)
        ranks.append(grades.index(grade) if grades and grade in grades else None)
        mins.append(_percent(t.get("min_percent")))
    for n in range(1, len(thresholds)):
        low, prev_low, rank, prev_rank = mins[n], mins[n - 1], ranks[n], ranks[n - 1]
        lower = low is not None and prev_low is not None and low >= prev_low
        worse = rank is not None and prev_rank is not None and rank <= prev_rank
        if lower or worse:
            yield (
                ("thresholds", thresholds[n][0]),
                _(
                    "thresholds must go from the best grade down with min_percent strictly "
                    "decreasing"
                ),
            )
    if thresholds and mins[-1] not in (None, 0):
        yield (
            ("thresholds", thresholds[-1][0], "min_percent"),
            _("the last threshold must start at 0"),
        )


def check_critical_cap(data: dict[str, Any]) -> Iterator[Problem]:
    grades = grades_of(data)
    cap = _text(data.get("critical_cap"))
    if grades is not None and cap is not None and cap not in grades:
        yield ("critical_cap",), _grade_problem(cap, grades, str(data.get("judgement_scale")))


# --- case types -------------------------------------------------------------------------------


def case_type_ids(data: dict[str, Any]) -> list[str]:
    value = data.get("case_types")
    out: list[str] = []
    for item in value if isinstance(value, list) else []:
        code = _text(item.get("id")) if isinstance(item, dict) else _text(item)
        if code:
            out.append(code)
    return out


def _case_type_names(item: dict[str, Any]) -> list[str]:
    names = [item.get("label")]
    if isinstance(item.get("label"), dict):
        names = list(item["label"].values())
    aliases = item.get("aliases")
    names += aliases if isinstance(aliases, list) else []
    return [" ".join(n.lower().split()) for n in names if isinstance(n, str) and n.strip()]


def check_case_types(data: dict[str, Any]) -> Iterator[Problem]:
    value = data.get("case_types")
    items = value if isinstance(value, list) else []
    ids: list[tuple[Loc, str]] = []
    names: dict[str, str] = {}
    for i, item in enumerate(items):
        if isinstance(item, str):
            ids.append((("case_types", i), item))
            if item not in BUILTIN_CASE_TYPES:
                yield (
                    ("case_types", i),
                    _(
                        "unknown case type '{code}' (built in: {known}; or declare your own as "
                        "{{id: ..., label: ..., aliases: [...]}})"
                    ).format(code=item, known=_listed(BUILTIN_CASE_TYPES)),
                )
        elif isinstance(item, dict) and (code := _text(item.get("id"))):
            ids.append((("case_types", i, "id"), code))
            for name in _case_type_names(item):
                if name in names and names[name] != code:
                    yield (
                        ("case_types", i),
                        _(
                            "'{name}' names both case type {first} and {second}: an import "
                            "could not tell them apart"
                        ).format(name=name, first=names[name], second=code),
                    )
                names.setdefault(name, code)
    yield from _duplicates(ids, _DUPLICATE_CASE_TYPE)


# --- answer scales and keys -------------------------------------------------------------------


def _label(option: dict[str, Any]) -> str:
    """An option's label as an author would recognise it (in the language the problem is
    said in, else English, else its one language), else its code."""
    label = option.get("label")
    if isinstance(label, dict):
        label = label.get(shown_language()) or label.get("en") or next(iter(label.values()), None)
    return label if isinstance(label, str) else str(option.get("code"))


def check_answer_scales(data: dict[str, Any]) -> Iterator[Problem]:
    for name, scale in _named(data, "answer_scales"):
        here: Loc = ("answer_scales", name)
        if name in BUILTIN_SCALES:
            yield (
                here,
                _("'{name}' is a built-in answer scale: give yours another name").format(name=name),
            )
        options = list(_items(scale, "options"))
        raw = scale.get("options")
        if isinstance(raw, list) and len(raw) > MAX_OPTIONS:
            yield (
                (*here, "options"),
                _("{n} options: a scale has at most {most} (enough for 0 to 10)").format(
                    n=len(raw), most=MAX_OPTIONS
                ),
            )
        for attr in ("code", "key"):
            pairs = [
                ((*here, "options", i, attr), str(v))
                for i, o in options
                if (v := o.get(attr)) is not None
            ]
            yield from _duplicates(pairs, _DUPLICATE_OPTION[attr])
        for i, option in options:
            key = _text(option.get("key"))
            owner = key_owner(key) if key else None
            if owner:
                yield (
                    (*here, "options", i, "key"),
                    _(
                        "key '{key}' belongs to the walkthrough's command '{command}': choose "
                        "another key for {option}"
                    ).format(key=key, command=_(owner), option=_label(option)),
                )


def scale_codes(data: dict[str, Any], name: str) -> tuple[list[str], list[str]] | None:
    """(every option code, codes worth 0 points) of a scale; None for an unknown scale."""
    declared = dict(_named(data, "answer_scales"))
    if name in declared:
        options = [o for _, o in _items(declared[name], "options")]
        codes = [str(o.get("code")) for o in options]
        zero = [str(o.get("code")) for o in options if o.get("points") == 0]
        return codes, zero
    builtin = BUILTIN_SCALES.get(name)
    if builtin is None:
        return None
    return [o.code for o in builtin.options], [o.code for o in builtin.options if o.points == 0]


# --- sections and questions ----------------------------------------------------------------------


def _questions(data: dict[str, Any]) -> Iterator[tuple[Loc, dict[str, Any]]]:
    for si, section in _items(data, "sections"):
        for qi, q in _items(section, "questions"):
            yield ("sections", si, "questions", qi), q


def check_ids(data: dict[str, Any]) -> Iterator[Problem]:
    sections = [
        (("sections", i, "id"), s)
        for i, sec in _items(data, "sections")
        if (s := _text(sec.get("id")))
    ]
    yield from _duplicates(sections, _DUPLICATE_SECTION)
    questions = [
        ((*here, "id"), q) for here, item in _questions(data) if (q := _text(item.get("id")))
    ]
    yield from _duplicates(questions, _DUPLICATE_QUESTION)
    retired = dict((i, r) for i, r in _strings(data, "retired"))
    yield from _duplicates(((("retired", i), r) for i, r in retired.items()), _DUPLICATE_RETIRED)
    for loc, qid in questions:
        if qid in retired.values():
            yield (
                loc,
                _(
                    "question id '{id}' is listed under retired: a retired id is never reused; "
                    "give this question a new id"
                ).format(id=qid),
            )


def _check_scale(data: dict[str, Any], here: Loc, q: dict[str, Any]) -> Iterator[Problem]:
    name = _text(q.get("scale")) or "compliance"
    if scale_codes(data, name) is None:
        known = [*BUILTIN_SCALES, *(n for n, _ in _named(data, "answer_scales"))]
        yield (
            (*here, "scale"),
            _("unknown answer scale '{name}' (known: {known})").format(
                name=name, known=_listed(known)
            ),
        )


def _check_applies_to(data: dict[str, Any], here: Loc, q: dict[str, Any]) -> Iterator[Problem]:
    covered = case_type_ids(data)
    if q.get("applies_to") == []:
        yield (
            (*here, "applies_to"),
            _("applies_to is empty: leave it out to apply to every case type"),
        )
    for ai, code in _strings(q, "applies_to"):
        if code not in covered:
            yield (
                (*here, "applies_to", ai),
                _("case type '{code}' is not one of the framework's case types ({known})").format(
                    code=code, known=_listed(covered)
                ),
            )


def _check_na(here: Loc, q: dict[str, Any]) -> Iterator[Problem]:
    if q.get("na_reason_required") is True and q.get("na_allowed") is False:
        yield (*here, "na_reason_required"), _("na_reason_required needs na_allowed")


def _check_evidence(data: dict[str, Any], here: Loc, q: dict[str, Any]) -> Iterator[Problem]:
    declared = data.get("sources")
    sources: dict[str, Any] = declared if isinstance(declared, dict) else {}
    for ci, c in _items(q, "evidence"):
        source = _text(c.get("source"))
        if source is not None and source not in sources:
            yield (
                (*here, "evidence", ci, "source"),
                _(
                    "cites source '{source}', which is not declared under sources "
                    "(declared: {known})"
                ).format(source=source, known=_listed(str(s) for s in sources)),
            )


def _check_critical(data: dict[str, Any], here: Loc, q: dict[str, Any]) -> Iterator[Problem]:
    critical = q.get("critical") is True
    for field in ("critical_answers", "critical_cap"):
        if field in q and q[field] is not None and not critical:
            yield (
                (*here, field),
                _("{field} is given but the question is not critical (add critical: true)").format(
                    field=field
                ),
            )
    grades = grades_of(data)
    cap = _text(q.get("critical_cap"))
    if grades is not None and cap is not None and cap not in grades:
        yield (*here, "critical_cap"), _grade_problem(cap, grades, str(data.get("judgement_scale")))
    scale = _text(q.get("scale")) or "compliance"
    codes = scale_codes(data, scale)
    if not critical or codes is None:
        return
    all_codes, zero = codes
    named = list(_strings(q, "critical_answers"))
    for ai, code in named:
        if code not in all_codes:
            yield (
                (*here, "critical_answers", ai),
                _("'{code}' is not an answer on scale {scale} ({codes})").format(
                    code=code, scale=scale, codes=_listed(all_codes)
                ),
            )
    if q.get("critical_answers") is None and not zero:
        yield (
            (*here, "critical"),
            _(
                "nothing on scale {scale} can trigger this critical question (no answer is worth "
                "0 points): name the answers that trigger it under critical_answers ({codes})"
            ).format(scale=scale, codes=_listed(all_codes)),
        )
    elif q.get("critical_answers") == []:
        yield (
            (*here, "critical_answers"),
            _("no answer triggers this critical question: name at least one ({codes})").format(
                codes=_listed(all_codes)
            ),
        )


def _check_option_labels(data: dict[str, Any], here: Loc, q: dict[str, Any]) -> Iterator[Problem]:
    labels = q.get("option_labels")
    scale = _text(q.get("scale")) or "compliance"
    codes = scale_codes(data, scale)
    if not isinstance(labels, dict) or codes is None:
        return
    for code in labels:
        if isinstance(code, str) and code not in codes[0]:
            yield (
                (*here, "option_labels", code),
                _("'{code}' is not an answer on scale {scale} ({codes})").format(
                    code=code, scale=scale, codes=_listed(codes[0])
                ),
            )


QUESTION_CHECKS = (
    _check_scale,
    _check_applies_to,
    _check_evidence,
    _check_critical,
    _check_option_labels,
)


def check_questions(data: dict[str, Any]) -> Iterator[Problem]:
    for here, q in _questions(data):
        qid = _text(q.get("id"))
        found = [p for check in QUESTION_CHECKS for p in check(data, here, q)]
        for loc, problem in [*found, *_check_na(here, q)]:
            yield (
                loc,
                _("question {id}: {problem}").format(id=qid, problem=problem) if qid else problem,
            )


CHECKS = (
    check_case_types,
    check_judgement_scale,
    check_thresholds,
    check_critical_cap,
    check_answer_scales,
    check_ids,
    check_questions,
)


def cross_checks(data: dict[str, Any]) -> list[Problem]:
    """Every cross-reference problem in the file's plain data (unordered: the caller sorts
    them into file order)."""
    return [problem for check in CHECKS for problem in check(data)]
