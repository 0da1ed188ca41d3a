"""Strict loading of framework files, with errors that name the file, the line and the problem."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from audit_tui.domain.case_types import CASE_TYPES
from audit_tui.domain.errors import FrameworkError, UserError
from audit_tui.domain.files import FileProblem, read_regular_file
from audit_tui.domain.framework import Framework, definition_hash, definition_of
from audit_tui.domain.scales import BUILTIN_SCALES, JUDGEMENT_SCALES

Loc = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_CORE = "tag:yaml.org,2002:"
# What a framework is made of. Binary data, sets, ordered maps, pairs and application tags
# mean nothing in one (and !!binary would pass as text), so they are refused where written.
_ALLOWED_TAGS = {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}
_TAG_WORDS = {
    _CORE + "int": "a whole number",
    _CORE + "float": "a number",
    _CORE + "bool": "true or false",
    _CORE + "null": "empty",
}

# A framework is a few hundred questions of text: the shipped ones are under 70 KB. Anything
# far larger is a mistake or an attack, and is refused before it is read into memory.
MAX_FILE_BYTES = 2 * 1024 * 1024
# Aliases (*name) repeat an anchored node without repeating its text: 3,000 aliases of a 1 MB
# anchor would be 3 GB once expanded. The file as expanded (characters of text plus one per
# node) must stay under this.
MAX_EXPANDED = 10_000_000
# Set by the loader; an author writing them would only be overwritten, so they are refused.
_COMPUTED_KEYS = ("content_hash", "source_path")


class _Lines:
    """Maps a path into the YAML document to the 1-based line it starts on.

    Also refuses what the YAML parser lets through but a framework cannot mean: a key given
    twice (the parser silently keeps the last) and keys that are not text.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        # Where each node first appears, so a value that cannot be constructed is located.
        self.node_locs: dict[int, Loc] = {}
        # Aliases can make a node its own descendant (or repeat it exponentially); walk each once.
        self._seen_nodes: set[int] = set()
        self.first_alias_line: int | None = None

    def walk(self, node: yaml.Node, loc: Loc) -> None:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if id(node) in self._seen_nodes:
            if self.first_alias_line is None:
                self.first_alias_line = node.start_mark.line + 1
            return
        self._seen_nodes.add(id(node))
        self.node_locs[id(node)] = loc
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace(_CORE, "!!")
            raise FrameworkError(
                self.path,
                node.start_mark.line + 1,
                f"{_fmt(loc)}: the tag '{tag}' is not allowed in a framework (write plain text, "
                "numbers, true or false, lists and mappings)",
            )
        if isinstance(node, yaml.MappingNode):
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (
                    _STR_TAG,
                    _MERGE_TAG,
                ):
                    problem = (
                        f"key '{key_node.value}' must be text (put it in quotes)"
                        if isinstance(key_node, yaml.ScalarNode)
                        else "a key must be plain text, not a list or mapping"
                    )
                    raise FrameworkError(self.path, line, f"{_fmt(loc)}: {problem}")
                key = key_node.value
                if key in first_line:
                    raise FrameworkError(
                        self.path,
                        line,
                        f"{_fmt(loc)}: duplicate key '{key}' (first given on line "
                        f"{first_line[key]})",
                    )
                first_line[key] = line
                # A key's problems (unknown, wrong type) belong on the key's own line.
                self.lines[(*loc, key)] = line
                self.walk(value_node, (*loc, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.walk(item, (*loc, i))

    def line(self, loc: Loc) -> int | None:
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return None

    def check_expansion(self, root: yaml.Node) -> None:
        """Refuse a document whose aliases would expand it past MAX_EXPANDED."""
        sizes: dict[int, int] = {}

        def size(node: yaml.Node) -> int:
            key = id(node)
            if key in sizes:
                if sizes[key] < 0:  # still being measured: the node contains itself
                    raise FrameworkError(
                        self.path,
                        node.start_mark.line + 1,
                        f"{_fmt(self.node_locs.get(key, ()))}: an alias refers to a node "
                        "that contains it",
                    )
                return sizes[key]
            sizes[key] = -1
            if isinstance(node, yaml.ScalarNode):
                total = 1 + len(node.value)
            elif isinstance(node, yaml.SequenceNode):
                total = 1 + sum(size(item) for item in node.value)
            else:
                total = 1 + sum(size(k) + size(v) for k, v in node.value)
            if total > MAX_EXPANDED:
                raise FrameworkError(
                    self.path,
                    self.first_alias_line,
                    f"aliases (*name) of what is anchored here expand the file to more than "
                    f"{MAX_EXPANDED:,} characters: a framework never needs that much; use fewer "
                    "aliases",
                )
            sizes[key] = total
            return total

        size(root)


def _fmt(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


def _unwrap(tp: Any) -> Any:
    """`X | None` -> X."""
    if get_origin(tp) in (Union, UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
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


def _unknown_key(loc: Loc) -> str:
    key = str(loc[-1])
    model = _model_at(loc[:-1])
    if model is None:
        return f"unknown key '{key}'"
    allowed = [k for k in model.model_fields if k not in _COMPUTED_KEYS]
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"unknown key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown key '{key}' (allowed here: {', '.join(allowed)})"


_AT_LEAST_ONE = {
    "questions": "an empty section: give it at least one question",
    "sections": "at least one section is needed",
    "evidence": "at least one citation is needed under evidence",
    "case_types": "at least one case type is needed",
    "sources": "at least one source is needed",
}


def _problem(err: ErrorDetails) -> tuple[Loc, str]:
    """(where, problem) for one pydantic error, in words a framework author can act on."""
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return loc, f"{_fmt(loc[:-1])}: {_unknown_key(loc)}"
    if kind == "missing":
        return loc, f"{_fmt(loc[:-1])}: missing required key '{loc[-1]}'"
    if kind == "too_short" and loc and str(loc[-1]) in _AT_LEAST_ONE:
        return loc, f"{_fmt(loc)}: {_AT_LEAST_ONE[str(loc[-1])]}"
    if kind == "float_type" and isinstance(err.get("input"), int):
        return loc, f"{_fmt(loc)}: the number is too large"
    if kind == "string_type" and isinstance(err.get("input"), (int, float, bool, date)):
        return loc, f"{_fmt(loc)}: expected text, found {err['input']} (put it in quotes)"
    msg = str(err["msg"]).removeprefix("Value error, ").replace("Input should", "should")
    return loc, f"{_fmt(loc)}: {msg}"


def _yaml_problem(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or exc.context or "cannot be parsed"
        # PyYAML splits some messages: "expected a single document", "but found another".
        if exc.context and problem.startswith("but "):
            problem = f"{exc.context}, {problem}"
        if "<block" in problem:
            problem += " (check the indentation)"
        return f"not valid YAML: {problem}"
    return f"not valid YAML: {str(exc).splitlines()[0]}"


def _yaml_line(exc: yaml.YAMLError, text: str) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(exc, "position", None)  # ReaderError: a bad character
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else None


class _BadValue(Exception):
    """A scalar the YAML constructor could not turn into its tagged type."""

    def __init__(self, node: yaml.Node, problem: str) -> None:
        super().__init__(problem)
        self.node = node
        self.problem = problem


def _value_problem(node: yaml.Node, exc: Exception) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else ""
    shown = f"'{value[:40]}{'...' if len(value) > 40 else ''}'"
    if node.tag == _CORE + "timestamp":
        if isinstance(exc, ValueError) and str(exc):
            return (
                f"{shown} looks like a date but is not a real one ({exc}): put it in quotes "
                "to give it as text"
            )
        return f"{shown} is not a date (write it like 2013-11-01)"
    if node.tag == _CORE + "int" and len(value) > 4000:
        return f"the number is too long ({len(value):,} digits)"
    wanted = _TAG_WORDS.get(node.tag)
    if wanted:
        return f"{shown} is not {wanted}"
    return f"{shown} cannot be read as {node.tag.replace(_CORE, '!!')}"


class _LocatedConstruction:
    """Turns a constructor's own exception (int('abc'), a 13th month, an unknown boolean word)
    into _BadValue naming the node, instead of a traceback."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError, IndexError) as exc:
            if isinstance(exc, yaml.YAMLError):
                raise
            raise _BadValue(node, _value_problem(node, exc)) from None


class _SafeLoader(_LocatedConstruction, yaml.SafeLoader):
    pass


# libyaml's parser when PyYAML was built with it: ten times faster than the pure-Python one,
# which loading the built-in frameworks spent most of the start-up in.
_FAST_LOADER = (
    type("_CSafeLoader", (_LocatedConstruction, yaml.CSafeLoader), {})
    if hasattr(yaml, "CSafeLoader")
    else None
)


def _parse(text: str, path: str) -> tuple[Any, _Lines]:
    """The plain data and the line of everything in it, from one parse."""
    if _FAST_LOADER is not None:
        try:
            return _parse_with(_FAST_LOADER, text, path)
        except FrameworkError as exc:
            if not exc.problem.startswith("not valid YAML"):
                raise  # the tool's own checks word it the same whichever parser ran
        except Exception:
            pass
        # A file that is not valid YAML is parsed again by the pure-Python loader, so the
        # message and line are exactly those it has always given.
    return _parse_with(_SafeLoader, text, path)


def _parse_with(loader_class: Any, text: str, path: str) -> tuple[Any, _Lines]:
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise FrameworkError(path, None, "the file is empty")
            lines = _Lines(path)
            lines.walk(node, ())
            lines.check_expansion(node)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _BadValue as exc:
        loc = lines.node_locs.get(id(exc.node), ())
        raise FrameworkError(
            path, exc.node.start_mark.line + 1, f"{_fmt(loc)}: {exc.problem}"
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(path, _yaml_line(exc, text), _yaml_problem(exc)) from None
    except RecursionError:
        raise FrameworkError(path, None, "not valid YAML: nested too deeply") from None
    if not isinstance(data, dict):
        raise FrameworkError(
            path, node.start_mark.line + 1, "a framework must be a mapping of keys to values"
        )
    return data, lines


def load_framework_text(text: str, path: str = "<string>") -> Framework:
    data, lines = _parse(text, path)
    for key in _COMPUTED_KEYS:
        if key in data:
            raise FrameworkError(
                path,
                lines.line((key,)),
                f"top level: '{key}' is computed by the loader, not written",
            )
    try:
        fw = Framework.model_validate(data)
    except ValidationError as exc:
        # Report the problem nearest the top of the file: that is where an author looks first.
        problems = [_problem(e) for e in exc.errors()]
        loc, problem = min(problems, key=lambda p: lines.line(p[0]) or 0)
        raise FrameworkError(path, lines.line(loc), problem) from None
    for loc, problem in _cross_checks(fw):
        raise FrameworkError(path, lines.line(loc), f"{_fmt(loc)}: {problem}")
    # Hash the validated content, not the text: comments and layout do not change a framework.
    digest = definition_hash(definition_of(fw))
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
                if ct not in CASE_TYPES:
                    yield (
                        (*here, "applies_to", ai),
                        f"question {q.id}: unknown case type '{ct}' in applies_to",
                    )
                elif ct not in fw.case_types:
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
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileProblem as exc:
        raise FrameworkError(str(path), None, str(exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FrameworkError(
            str(path), line, f"not UTF-8 text (byte 0x{data[exc.start]:02X}): save it as UTF-8"
        ) from None
    return load_framework_text(text, str(path))


class FrameworkRegistry:
    """Every framework found in the configured folders, by id."""

    def __init__(self, frameworks: dict[str, Framework]) -> None:
        self._by_id = frameworks

    @classmethod
    def from_dirs(cls, dirs: Iterable[Path]) -> FrameworkRegistry:
        found: dict[str, Framework] = {}
        # The same folder named twice (e.g. AUDIT_TUI_FRAMEWORKS repeating the built-in one)
        # would otherwise report every framework in it as its own duplicate.
        folders: dict[Path, Path] = {}
        for d in dirs:
            folders.setdefault(d.resolve(), d)
        for d in folders.values():
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
