"""Reading a framework file's YAML: the plain data, the line of everything in it, and what
YAML lets through but a framework cannot mean (a key given twice, a key that is not text, a
tag for something other than text, numbers, lists and mappings, aliases that would expand
the file without end, a value its tag cannot be).

Problems are collected, not raised one at a time: a duplicate key leaves the rest readable,
so the schema and cross-checks still run and every problem is reported in one run. What makes
the document unreadable (not YAML, a refused tag, a key that is not text) stops here.
"""

from __future__ import annotations

from typing import Any

import yaml

from audit_tui.domain.errors import FrameworkError
from audit_tui.i18n import N_, _, format_number

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
    _CORE + "int": N_("{value} is not a whole number"),
    _CORE + "float": N_("{value} is not a number"),
    _CORE + "bool": N_("{value} is not true or false"),
    _CORE + "null": N_("{value} is not empty"),
}

# Aliases (*name) repeat an anchored node without repeating its text: 3,000 aliases of a 1 MB
# anchor would be 3 GB once expanded. The file as expanded (characters of text plus one per
# node) must stay under this.
MAX_EXPANDED = 10_000_000


def _bool_word(node: yaml.ScalarNode) -> str:
    """Why a word needs quotes: YAML reads yes, no, on and off as true or false - the answer
    codes "yes" and "no" as keys of option_labels most of all."""
    return _(": YAML reads it as true or false") if node.tag == _CORE + "bool" else ""


def fmt_loc(loc: Loc) -> str:
    """A place in the file as an author reads it: sections[1].questions[0].weight."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or _("top level")


class Lines:
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
        # Problems found while walking; `fatal` when the document cannot be constructed.
        self.problems: list[tuple[int | None, str]] = []
        self.fatal = False

    def _problem(self, line: int, loc: Loc, problem: str, *, fatal: bool) -> None:
        self.problems.append((line, f"{fmt_loc(loc)}: {problem}"))
        self.fatal = self.fatal or fatal

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
            self._problem(
                node.start_mark.line + 1,
                loc,
                _(
                    "the tag '{tag}' is not allowed in a framework (write plain text, numbers, "
                    "true or false, lists and mappings)"
                ).format(tag=tag),
                fatal=True,
            )
            return
        if isinstance(node, yaml.MappingNode):
            self._walk_mapping(node, loc)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.walk(item, (*loc, i))

    def _walk_mapping(self, node: yaml.MappingNode, loc: Loc) -> None:
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (
                _STR_TAG,
                _MERGE_TAG,
            ):
                problem = (
                    _("key '{key}' must be text (put it in quotes{why})").format(
                        key=key_node.value, why=_bool_word(key_node)
                    )
                    if isinstance(key_node, yaml.ScalarNode)
                    else _("a key must be plain text, not a list or mapping")
                )
                self._problem(line, loc, problem, fatal=True)
                continue
            key = key_node.value
            if key in first_line:
                # The parser keeps the last; the rest of the file is still worth checking.
                self._problem(
                    line,
                    loc,
                    _("duplicate key '{key}' (first given on line {line})").format(
                        key=key, line=first_line[key]
                    ),
                    fatal=False,
                )
            else:
                first_line[key] = line
            # A key's problems (unknown, wrong type) belong on the key's own line.
            self.lines[(*loc, key)] = line
            self.walk(value_node, (*loc, key))

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
                        _("{place}: an alias refers to a node that contains it").format(
                            place=fmt_loc(self.node_locs.get(key, ()))
                        ),
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
                    _(
                        "aliases (*name) of what is anchored here expand the file to more than "
                        "{n} characters: a framework never needs that much; use fewer aliases"
                    ).format(n=format_number(MAX_EXPANDED)),
                )
            sizes[key] = total
            return total

        size(root)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        # PyYAML's own description of the fault is English (it has no catalogue): it is kept
        # as it is, after words of ours saying what it is.
        problem = exc.problem or exc.context or _("cannot be parsed")
        # PyYAML splits some messages: "expected a single document", "but found another".
        if exc.context and problem.startswith("but "):
            problem = f"{exc.context}, {problem}"
        if "<block" in problem:
            problem += _(" (check the indentation)")
        return _("not valid YAML: {problem}").format(problem=problem)
    return _("not valid YAML: {problem}").format(problem=str(exc).splitlines()[0])


def _yaml_line(exc: yaml.YAMLError, text: str) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 1
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
            return _(
                "{value} looks like a date but is not a real one ({why}): put it in quotes "
                "to give it as text"
            ).format(value=shown, why=exc)
        return _("{value} is not a date (write it like 2013-11-01)").format(value=shown)
    if node.tag == _CORE + "int" and len(value) > 4000:
        return _("the number is too long ({n} digits)").format(n=format_number(len(value)))
    wanted = _TAG_WORDS.get(node.tag)
    if wanted:
        return _(wanted).format(value=shown)
    return _("{value} cannot be read as {tag}").format(
        value=shown, tag=node.tag.replace(_CORE, "!!")
    )


class _LocatedConstruction:
    """Turns a constructor's own exception (int('abc'), a 13th month, an unknown boolean word)
    into _BadValue naming the node, instead of a traceback."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            # a mixin: the loader it is mixed into (below) has construct_object
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


def parse(text: str, path: str) -> tuple[Any, Lines]:
    """The plain data and the line of everything in it, from one parse. Raises what makes the
    document unreadable; `Lines.problems` holds what does not (a key given twice)."""
    if _FAST_LOADER is not None:
        try:
            return _parse_with(_FAST_LOADER, text, path)
        except FrameworkError as exc:
            # The words before {problem} in the language in force (the message was made in it).
            if not exc.problem.startswith(_("not valid YAML: {problem}").split("{")[0]):
                raise  # the tool's own checks word it the same whichever parser ran
        except Exception:
            pass
        # A file that is not valid YAML is parsed again by the pure-Python loader, so the
        # message and line are exactly those it has always given.
    return _parse_with(_SafeLoader, text, path)


def _parse_with(loader_class: Any, text: str, path: str) -> tuple[Any, Lines]:
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise FrameworkError(path, None, _("the file is empty"))
            lines = Lines(path)
            lines.walk(node, ())
            if lines.fatal:
                raise FrameworkError.of(path, lines.problems)
            lines.check_expansion(node)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _BadValue as exc:
        loc = lines.node_locs.get(id(exc.node), ())
        raise FrameworkError(
            path, exc.node.start_mark.line + 1, f"{fmt_loc(loc)}: {exc.problem}"
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(path, _yaml_line(exc, text), _yaml_problem(exc)) from None
    except RecursionError:
        raise FrameworkError(
            path, None, _("not valid YAML: {problem}").format(problem=_("nested too deeply"))
        ) from None
    if not isinstance(data, dict):
        raise FrameworkError(
            path, node.start_mark.line + 1, _("a framework must be a mapping of keys to values")
        )
    return data, lines
