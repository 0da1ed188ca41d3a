"""Strict loading of framework files, with errors that name the file, the line and the problem."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from audit_tui.domain.case_types import CASE_TYPES
from audit_tui.domain.errors import FrameworkError, UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.scales import BUILTIN_SCALES, JUDGEMENT_SCALES

Loc = tuple[str | int, ...]


class _Lines:
    """Maps a path into the YAML document to the 1-based line it starts on."""

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}

    def walk(self, node: yaml.Node, loc: Loc, path: str) -> None:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = key_node.value
                if key in seen:
                    raise FrameworkError(
                        path, key_node.start_mark.line + 1, f"{_fmt((*loc, key))}: duplicate key"
                    )
                seen.add(key)
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
                self.walk(value_node, (*loc, key), path)
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.walk(item, (*loc, i), path)

    def line(self, loc: Loc) -> int | None:
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return None


def _fmt(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


def _pydantic_problem(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{err['loc'][-1]}'"
    if kind == "missing":
        return f"missing required key '{err['loc'][-1]}'"
    return str(err["msg"]).removeprefix("Value error, ")


def load_framework_text(text: str, path: str = "<string>") -> Framework:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrameworkError(path, line, f"not valid YAML: {problem}") from None
    if node is None:
        raise FrameworkError(path, None, "the file is empty")
    lines = _Lines()
    lines.walk(node, (), path)
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise FrameworkError(path, 1, "a framework must be a mapping of keys to values")
    try:
        fw = Framework.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        raise FrameworkError(
            path, lines.line(loc), f"{_fmt(loc)}: {_pydantic_problem(err)}"
        ) from None
    for loc, problem in _cross_checks(fw):
        raise FrameworkError(path, lines.line(loc), f"{_fmt(loc)}: {problem}")
    digest = hashlib.sha256(
        json.dumps(fw.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()[:16]
    return fw.model_copy(update={"content_hash": digest, "source_path": path})


def _cross_checks(fw: Framework) -> Iterable[tuple[Loc, str]]:
    """Rules that need the whole framework. Yields (where, problem) in file order."""
    for i, ct in enumerate(fw.case_types):
        if ct not in CASE_TYPES:
            yield ("case_types", i), f"unknown case type '{ct}' (known: {', '.join(CASE_TYPES)})"
    if fw.judgement_scale not in JUDGEMENT_SCALES:
        yield (
            ("judgement_scale",),
            (
                f"unknown judgement scale '{fw.judgement_scale}' "
                f"(known: {', '.join(JUDGEMENT_SCALES)})"
            ),
        )
        return
    grades = JUDGEMENT_SCALES[fw.judgement_scale].codes
    for i, t in enumerate(fw.thresholds):
        if t.judgement not in grades:
            yield (
                ("thresholds", i, "judgement"),
                (f"'{t.judgement}' is not a grade of {fw.judgement_scale} ({', '.join(grades)})"),
            )
    ranks = [grades.index(t.judgement) for t in fw.thresholds if t.judgement in grades]
    mins = [t.min_percent for t in fw.thresholds]
    for i in range(1, len(fw.thresholds)):
        if mins[i] >= mins[i - 1] or (i < len(ranks) and ranks[i] <= ranks[i - 1]):
            yield (
                ("thresholds", i),
                (
                    "thresholds must go from the best grade down with min_percent strictly decreasing"
                ),
            )
    if mins and mins[-1] != 0:
        yield ("thresholds", len(mins) - 1, "min_percent"), "the last threshold must start at 0"
    if fw.critical_cap not in grades:
        yield ("critical_cap",), f"'{fw.critical_cap}' is not a grade of {fw.judgement_scale}"
    for name in fw.answer_scales:
        if name in BUILTIN_SCALES:
            yield ("answer_scales", name), f"'{name}' is a built-in scale and cannot be redefined"
    section_ids: set[str] = set()
    question_ids: set[str] = set()
    for si, section in enumerate(fw.sections):
        if section.id in section_ids:
            yield ("sections", si, "id"), f"duplicate section id '{section.id}'"
        section_ids.add(section.id)
        for qi, q in enumerate(section.questions):
            here: Loc = ("sections", si, "questions", qi)
            if q.id in question_ids:
                yield (*here, "id"), f"duplicate question id '{q.id}'"
            question_ids.add(q.id)
            if q.scale not in BUILTIN_SCALES and q.scale not in fw.answer_scales:
                yield (*here, "scale"), f"question {q.id}: unknown answer scale '{q.scale}'"
            for ai, ct in enumerate(q.applies_to or []):
                if ct not in fw.case_types:
                    yield (
                        (*here, "applies_to", ai),
                        (
                            f"question {q.id}: applies_to names case type '{ct}', "
                            "which the framework does not cover"
                        ),
                    )
            if q.applies_to is not None and not q.applies_to:
                yield (*here, "applies_to"), f"question {q.id}: applies_to is empty"
            if q.na_reason_required and not q.na_allowed:
                yield (
                    (*here, "na_reason_required"),
                    (f"question {q.id}: na_reason_required needs na_allowed"),
                )
            for ci, c in enumerate(q.evidence):
                if c.source not in fw.sources:
                    yield (
                        (*here, "evidence", ci, "source"),
                        (
                            f"question {q.id}: cites source '{c.source}', which is not declared "
                            "under sources"
                        ),
                    )


def load_framework_file(path: Path) -> Framework:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError(str(path), None, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(
            str(path), None, f"cannot be read ({exc.__class__.__name__})"
        ) from None
    return load_framework_text(text, str(path))


class FrameworkRegistry:
    """Every framework found in the configured folders, by id."""

    def __init__(self, frameworks: dict[str, Framework]) -> None:
        self._by_id = frameworks

    @classmethod
    def from_dirs(cls, dirs: Iterable[Path]) -> FrameworkRegistry:
        found: dict[str, Framework] = {}
        for d in dirs:
            if not d.is_dir():
                raise FrameworkError(str(d), None, "framework folder does not exist")
            for path in sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml")):
                fw = load_framework_file(path)
                if fw.id in found:
                    raise FrameworkError(
                        str(path),
                        None,
                        f"framework id '{fw.id}' is also defined in {found[fw.id].source_path}",
                    )
                found[fw.id] = fw
        return cls(found)

    def get(self, framework_id: str) -> Framework:
        try:
            return self._by_id[framework_id]
        except KeyError:
            known = ", ".join(sorted(self._by_id)) or "none"
            raise UserError(f"unknown framework '{framework_id}' (known: {known})") from None

    def __contains__(self, framework_id: str) -> bool:
        return framework_id in self._by_id

    def all(self) -> list[Framework]:
        return [self._by_id[k] for k in sorted(self._by_id)]
